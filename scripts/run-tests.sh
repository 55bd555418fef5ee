#!/usr/bin/env bash
# The test steps of ./test.sh, run with YIBAO_TEST_POSTGRES already set. Sums every runner's
# counts into the closing line so a run that executed nothing is visible.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${YIBAO_TEST_POSTGRES:?run through ./test.sh, which starts PostgreSQL}"

passed=0; failed=0; status=0
log=$(mktemp)

echo "== dotnet test (unit, storage on SQLite and PostgreSQL, API, CLI)"
dotnet test Yibao.sln -c Release --no-build -nologo 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
while read -r f p; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  sed -nE 's/.*(Passed|Failed)!.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \3/p' "$log")
if ! grep -qE '(Passed|Failed)!' "$log"; then echo "no test assembly reported results" >&2; status=1; fi

yibao() { dotnet src/Yibao.Cli/bin/Release/net10.0/yibao.dll "$@"; }

echo "== yibao policy validate policies"
yibao policy validate policies || status=1

echo "== yibao calendar validate calendars"
yibao calendar validate calendars || status=1

echo "== yibao cases run tests/acceptance"
yibao cases run tests/acceptance --quiet | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
read -r p f < <(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))

# The crediting, back-pay, withdrawal, transfer and family-aid cases again through storage (records, monthly run, back-pay
# posting, applications executed and transfers delivered, bindings and spends, figures read back from the ledger), a fresh database per case, on each engine.
echo "== yibao cases run tests/acceptance --stored (SQLite)"
yibao cases run tests/acceptance --stored --quiet | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
read -r p f < <(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))

echo "== yibao cases run tests/acceptance --stored --database \$YIBAO_TEST_POSTGRES (PostgreSQL)"
yibao cases run tests/acceptance --stored --database "$YIBAO_TEST_POSTGRES" --quiet | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
read -r p f < <(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$log" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))

rm -f "$log"
echo
echo "${passed} passed, ${failed} failed"
[[ $status -eq 0 && $failed -eq 0 ]]
