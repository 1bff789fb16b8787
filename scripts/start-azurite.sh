#!/usr/bin/env bash
# Starts Azurite (Blob, Queue and Table on 127.0.0.1) in the background unless something already listens on its
# Table port. Data lives in .azurite/ (or in memory with AZURITE_IN_MEMORY=1).
# Environment: AZURITE_BLOB_PORT (10000), AZURITE_QUEUE_PORT (10001), AZURITE_TABLE_PORT (10002), AZURITE_IN_MEMORY.
# It leaves .azurite/azurite-<table port>.pid and .mode ("memory" or "disk"), so that run.sh can tell an in-memory
# Azurite left by a test run from one that keeps data, and test.sh can stop only what it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

blob="${AZURITE_BLOB_PORT:-10000}"
queue="${AZURITE_QUEUE_PORT:-10001}"
table="${AZURITE_TABLE_PORT:-10002}"
pidfile=".azurite/azurite-$table.pid"
modefile=".azurite/azurite-$table.mode"

if (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null; then
  echo "azurite: already listening on 127.0.0.1:$table"
  exit 0
fi

[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund >/dev/null

mkdir -p .azurite
args=(--silent --skipApiVersionCheck --loose --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1
  --blobPort "$blob" --queuePort "$queue" --tablePort "$table")
if [ "${AZURITE_IN_MEMORY:-0}" = "1" ]; then args+=(--inMemoryPersistence); mode=memory; else args+=(--location .azurite); mode=disk; fi
nohup node_modules/.bin/azurite "${args[@]}" >".azurite/azurite-$table.log" 2>&1 &
echo $! >"$pidfile"
echo "$mode" >"$modefile"

for _ in $(seq 1 60); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$queue") 2>/dev/null; then
    echo "azurite: started (pid $(cat "$pidfile"), $mode) on 127.0.0.1:$blob-$table"
    exit 0
  fi
  sleep 0.5
done
echo "azurite: did not start; see .azurite/azurite-$table.log" >&2
exit 1
