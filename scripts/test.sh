#!/usr/bin/env bash
# Runs the whole test suite: installs the npm tools and Chromium (apt-get, when missing), starts Azurite (in memory, unless one is
# already listening) and MailDev (the SMTP server the email tests read back from), builds, runs
# every test project, stops the Azurite and MailDev it started (never ones that were already running), and prints
# one line of real counts:
#   tests: N passed, N failed[, N skipped]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund
# The dashboard's browser tests need Chromium; without it they fail and say so, the rest still runs.
./scripts/install-chromium.sh || echo "chromium: not installed; the dashboard tests will fail" >&2
# shellcheck source=lib/services.sh
. ./scripts/lib/services.sh
trap stop_started_services EXIT
start_services || exit 1

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

dotnet build Automation.sln -c Release -warnaserror -nologo -v:q || { echo "tests: 0 passed, 1 failed"; exit 1; }
# One test project at a time (-m:1): on two cores the projects' hosts, Azurite and Chromium starve each other when run
# together, and waits that hold on an idle machine time out.
dotnet test Automation.sln -c Release --no-build -nologo -m:1 \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
count() { local v; v=$(echo "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*'); echo "${v:-0}"; }
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  passed=$((passed + $(count "$c" passed)))
  failed=$((failed + $(count "$c" failed) + $(count "$c" error) + $(count "$c" timeout) + $(count "$c" aborted)))
  skipped=$((skipped + $(count "$c" total) - $(count "$c" executed)))
done
# A test host that crashed writes no counts for its tests: count the run as failed.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
