#!/usr/bin/env bash
# Runs every Yibao test on a fresh machine: builds, starts a throwaway PostgreSQL 15 on a free
# 127.0.0.1 port (installing the binaries when missing), runs the unit, storage (SQLite and
# PostgreSQL), API and CLI tests and the acceptance cases, tears PostgreSQL down, and ends
# with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build Yibao.sln -c Release -nologo -v quiet
exec scripts/with-postgres.sh scripts/run-tests.sh
