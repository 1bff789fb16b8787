#!/usr/bin/env bash
# Runs the benchmark (bench/Automation.Bench, Release) against Azurite: the host on its Durable engine beside a
# bare Durable baseline, then a kill -9 and resume; prints its figures and the targets. Arguments go to the
# benchmark: --quick, --events N, --rate R, --delay-rate R, --seconds S, ... (--help lists them).
#
# Azurite: scripts/start-azurite.sh (in memory unless one already listens on 10000-10002).
# BENCH_OWN_AZURITE=1 starts a private in-memory Azurite on 127.0.0.1:10100-10102 for this run and
# stops it afterwards: use it when the shared Azurite holds other data or serves other work.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund
dotnet build bench/Automation.Bench -c Release -nologo -v:q
bench=(dotnet bench/Automation.Bench/bin/Release/net10.0/Automation.Bench.dll)

if [ "${BENCH_OWN_AZURITE:-0}" != "1" ]; then
  AZURITE_IN_MEMORY=1 ./scripts/start-azurite.sh
  exec "${bench[@]}" "$@"
fi

log="$(mktemp -t bench-azurite.XXXXXX)"
node_modules/.bin/azurite --inMemoryPersistence --silent --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort 10100 --queuePort 10101 --tablePort 10102 >"$log" 2>&1 &
azurite=$!
trap 'kill "$azurite" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 60); do
  if (exec 3<>/dev/tcp/127.0.0.1/10102) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/10101) 2>/dev/null; then break; fi
  sleep 0.5
done
# Azurite's well-known development account (public, the same for every Azurite).
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:10100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10101/devstoreaccount1;TableEndpoint=http://127.0.0.1:10102/devstoreaccount1;"
"${bench[@]}" --connection "$connection" --azurite-pid "$azurite" "$@"
