#!/usr/bin/env bash
# Posts a new lead to the local service with a fresh event id and a fresh record id each time, so it is never
# answered as a duplicate (the examples in docs/examples/ keep their ids: posting one twice shows a duplicate).
# Usage: scripts/post-lead.sh [--score N] [--source TEXT] [--email ADDRESS] [--record ID]
#   defaults: score 72, source "Web Form", email lead-<n>@example.com, record L-<n> (n: fresh every call)
# Signed like scripts/send-event.sh (AUTOMATION_URL, AUTOMATION_INTAKE_SECRET or .local/intake-secret).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

n="$(date +%s)-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
score=72; source="Web Form"; email=""; record=""
while [ $# -gt 0 ]; do
  case "$1" in
    --score) score="${2:?--score needs a number}"; shift 2 ;;
    --source) source="${2:?--source needs a text}"; shift 2 ;;
    --email) email="${2:?--email needs an address}"; shift 2 ;;
    --record) record="${2:?--record needs an id}"; shift 2 ;;
    *) echo "post-lead: unknown option '$1' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
record="${record:-L-$n}"
email="${email:-lead-$n@example.com}"

file="$(mktemp)"
trap 'rm -f "$file"' EXIT
# node writes the JSON so any text in the options is escaped correctly.
node -e '
const [id, recordId, email, source, score] = process.argv.slice(1);
process.stdout.write(JSON.stringify({ id, type: "record.created", module: "lead", recordId, occurredAt: new Date().toISOString(),
  record: { firstName: "Ada", lastName: "Lovelace", email, source, score: Number(score), ownerId: "u-42", status: "new" } }));
' "evt-$n" "$record" "$email" "$source" "$score" >"$file"
echo "post-lead: event evt-$n about lead $record" >&2
"$root/scripts/send-event.sh" "$file"
