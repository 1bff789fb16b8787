#!/usr/bin/env bash
# Runs Automation locally: installs the npm tools, starts Azurite and MailDev (a local SMTP server
# with a web inbox), makes a local admin key and intake secret (kept in .local/), then starts the
# host and prints where to look.
# Environment (the README lists them): AUTOMATION_URL (http://localhost:5000), AZURITE_BLOB_PORT (10000),
# AZURITE_QUEUE_PORT (10001), AZURITE_TABLE_PORT (10002), MAILDEV_SMTP_PORT (1025), MAILDEV_WEB_PORT (1080),
# AUTOMATION_ADOPT_AZURITE=1 (use an in-memory Azurite a test run left instead of refusing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

url="${AUTOMATION_URL:-http://localhost:5000}"
blob="${AZURITE_BLOB_PORT:-10000}"
queue="${AZURITE_QUEUE_PORT:-10001}"
table="${AZURITE_TABLE_PORT:-10002}"
smtp="${MAILDEV_SMTP_PORT:-1025}"
web="${MAILDEV_WEB_PORT:-1080}"

# An Azurite already listening is reused, but never silently: an in-memory one (a test run's, recorded by
# start-azurite.sh) loses every workflow and record when it stops, so it is refused unless asked for.
azurite_note="started here, data in .azurite/"
if (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null; then
  pid="$(cat ".azurite/azurite-$table.pid" 2>/dev/null || true)"
  if [ "$(cat ".azurite/azurite-$table.mode" 2>/dev/null || true)" = "memory" ] && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    if [ "${AUTOMATION_ADOPT_AZURITE:-0}" != "1" ]; then
      cat >&2 <<REFUSE
run.sh: the Azurite on 127.0.0.1:$table is an in-memory one left by a test run (pid $pid): whatever you create
would be lost when it stops. Stop it (kill $pid) and run again to get one that keeps data in .azurite/, or run on
other ports (AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT), or AUTOMATION_ADOPT_AZURITE=1 to use it anyway.
REFUSE
      exit 1
    fi
    azurite_note="IN MEMORY (pid $pid, adopted: data is lost when it stops)"
  else
    azurite_note="already running, not started here (its data is wherever it keeps it)"
  fi
fi

[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund
./scripts/start-azurite.sh
./scripts/start-maildev.sh

# Ports other than Azurite's own defaults need an explicit connection string (the well-known development account).
if [ "$blob:$queue:$table" != "10000:10001:10002" ] && [ -z "${Automation__Storage__ConnectionString:-}" ]; then
  account="devstoreaccount1"
  export Automation__Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account"
fi

mkdir -p .local
[ -s .local/admin-key ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >.local/admin-key
[ -s .local/intake-secret ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >.local/intake-secret
admin_key="$(cat .local/admin-key)"
intake_secret="$(cat .local/intake-secret)"

dotnet build functions/Automation.Host -c Release -nologo -v:q

cat <<INFO

Automation is starting on $url
  dashboard:    $url/          (sign in with the admin key below)
  health:       $url/health
  OpenAPI:      $url/openapi/v1.json
  admin key:    $admin_key        (Authorization: Bearer <key>; kept in .local/admin-key)
  intake secret: $intake_secret   (HMAC for X-Automation-Signature; kept in .local/intake-secret)
  Azurite:      blob 127.0.0.1:$blob, queue :$queue, table :$table ($azurite_note)
  mail inbox:   http://localhost:$web  (MailDev: every email workflows send lands here; SMTP 127.0.0.1:$smtp)

Try:  curl -s -H "Authorization: Bearer $admin_key" $url/api/actions
Stop with Ctrl+C (Azurite and MailDev keep running: kill \$(cat .azurite/azurite-$table.pid) \$(cat .maildev/maildev-$smtp.pid)).

INFO

export Automation__Admin__Keys__0="$admin_key"
export Automation__Intake__Secrets__0="$intake_secret"
# Locally, webhooks may call receivers on this machine (e.g. node scripts/echo-receiver.js); in Azure nothing private is allowed.
export Automation__Outbound__AllowedHosts__0="${Automation__Outbound__AllowedHosts__0:-127.0.0.1}"
# Email goes to MailDev; its tracking and unsubscribe links point back at this host.
export Automation__Email__Smtp__Host="${Automation__Email__Smtp__Host:-127.0.0.1}"
export Automation__Email__Smtp__Port="${Automation__Email__Smtp__Port:-$smtp}"
export Automation__Email__TrackingBaseUrl="${Automation__Email__TrackingBaseUrl:-$url}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
exec dotnet run --project functions/Automation.Host -c Release --no-build --urls "$url"
