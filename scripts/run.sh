#!/usr/bin/env bash
# Runs Automation locally: installs the npm tools, starts Azurite and MailDev (a local SMTP server
# with a web inbox), makes a local admin key and intake secret (kept in .local/), then starts the
# host and prints where to look.
# Environment: AUTOMATION_URL (default http://localhost:5000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

url="${AUTOMATION_URL:-http://localhost:5000}"
[ -x node_modules/.bin/azurite ] || npm install --no-audit --no-fund
./scripts/start-azurite.sh
./scripts/start-maildev.sh

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
  Azurite:      127.0.0.1:10000-10002 (data in .azurite/)
  mail inbox:   http://localhost:1080  (MailDev: every email workflows send lands here; SMTP 127.0.0.1:1025)

Try:  curl -s -H "Authorization: Bearer $admin_key" $url/api/actions
Stop with Ctrl+C (Azurite and MailDev keep running: kill \$(cat .azurite/azurite.pid) \$(cat .maildev/maildev.pid)).

INFO

export Automation__Admin__Keys__0="$admin_key"
export Automation__Intake__Secrets__0="$intake_secret"
# Locally, webhooks may call receivers on this machine (e.g. node scripts/echo-receiver.js); in Azure nothing private is allowed.
export Automation__Outbound__AllowedHosts__0="${Automation__Outbound__AllowedHosts__0:-127.0.0.1}"
# Email goes to MailDev; its tracking and unsubscribe links point back at this host.
export Automation__Email__Smtp__Host="${Automation__Email__Smtp__Host:-127.0.0.1}"
export Automation__Email__Smtp__Port="${Automation__Email__Smtp__Port:-1025}"
export Automation__Email__TrackingBaseUrl="${Automation__Email__TrackingBaseUrl:-$url}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
exec dotnet run --project functions/Automation.Host -c Release --no-build --urls "$url"
