#!/usr/bin/env bash
# Posts an event file to the local service, signed with X-Automation-Signature the way a CRM would sign it.
# Usage: scripts/send-event.sh FILE [URL]   (URL default http://localhost:5000/api/events)
# The secret is .local/intake-secret (made by scripts/run.sh) or $AUTOMATION_INTAKE_SECRET.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file="${1:?usage: scripts/send-event.sh FILE [URL]}"
url="${2:-${AUTOMATION_URL:-http://localhost:5000}/api/events}"
secret="${AUTOMATION_INTAKE_SECRET:-$(cat "$root/.local/intake-secret")}"

body="$(cat "$file")"
t="$(date +%s)"
mac="$(printf '%s.%s' "$t" "$body" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.*= //')"
curl -sS -X POST "$url" \
  -H 'Content-Type: application/json' \
  -H "X-Automation-Signature: t=$t,v1=$mac" \
  --data-binary "$body"
echo
