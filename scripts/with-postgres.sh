#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 on a free 127.0.0.1 port, exported as
# YIBAO_TEST_POSTGRES, and tears it down afterwards whatever happens.
# Usage: scripts/with-postgres.sh <command> [args...]
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
if [[ ! -x "$PG_BIN/initdb" ]]; then
  echo "PostgreSQL 15 binaries missing; installing postgresql-15 ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq postgresql-15 >/dev/null
fi

run_as_postgres() {
  if [[ "$(id -u)" == "0" ]]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

dir=$(mktemp -d /tmp/yibao-pg.XXXXXX)
chmod 755 "$dir"
[[ "$(id -u)" == "0" ]] && chown postgres "$dir"

# A free port: ask the kernel for one, then let PostgreSQL bind it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
       || echo $((30000 + RANDOM % 10000)))

cleanup() {
  run_as_postgres "$PG_BIN/pg_ctl -D $dir/data -m immediate -w stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

run_as_postgres "$PG_BIN/initdb -D $dir/data -A trust -U postgres -E UTF8 >$dir/initdb.log 2>&1"
# fsync off: test databases are thrown away. Benchmarks set YIBAO_PG_DURABLE=1 to keep
# PostgreSQL's durable defaults, so their figures include the commit flush.
opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
if [[ "${YIBAO_PG_DURABLE:-0}" != "1" ]]; then
  opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
run_as_postgres "$PG_BIN/pg_ctl -D $dir/data -o \"$opts\" -l $dir/log -w start" >/dev/null

export YIBAO_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=200"
echo "PostgreSQL 15 on 127.0.0.1:$port" >&2
"$@"
