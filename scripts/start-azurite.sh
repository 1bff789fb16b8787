#!/usr/bin/env bash
# Starts Azurite (Blob 10000, Queue 10001, Table 10002 on 127.0.0.1) in the background unless
# something already listens there. Data lives in .azurite/ (or in memory with AZURITE_IN_MEMORY=1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  echo "azurite: already listening on 127.0.0.1:10002"
  exit 0
fi

[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund >/dev/null

mkdir -p .azurite
args=(--silent --skipApiVersionCheck --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1)
if [ "${AZURITE_IN_MEMORY:-0}" = "1" ]; then args+=(--inMemoryPersistence); else args+=(--location .azurite); fi
nohup node_modules/.bin/azurite "${args[@]}" >.azurite/azurite.log 2>&1 &
echo $! >.azurite/azurite.pid

for _ in $(seq 1 60); do
  if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/10001) 2>/dev/null; then
    echo "azurite: started (pid $(cat .azurite/azurite.pid))"
    exit 0
  fi
  sleep 0.5
done
echo "azurite: did not start; see .azurite/azurite.log" >&2
exit 1
