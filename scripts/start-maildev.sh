#!/usr/bin/env bash
# Starts MailDev (SMTP on 127.0.0.1:1025, web inbox and REST API on 127.0.0.1:1080) in the background
# unless something already listens there. Mail is kept in memory (the newest 1000 messages).
# Environment: MAILDEV_SMTP_PORT (1025), MAILDEV_WEB_PORT (1080). Leaves .maildev/maildev-<smtp port>.pid (test.sh
# stops only the MailDev it started).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

smtp="${MAILDEV_SMTP_PORT:-1025}"
web="${MAILDEV_WEB_PORT:-1080}"

if (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null; then
  echo "maildev: already listening on 127.0.0.1:$smtp"
  exit 0
fi

[ -x node_modules/.bin/maildev ] || npm install --no-audit --no-fund >/dev/null

mkdir -p .maildev
nohup node_modules/.bin/maildev --smtp "$smtp" --web "$web" --ip 127.0.0.1 --web-ip 127.0.0.1 \
  --max-emails 1000 --silent >".maildev/maildev-$smtp.log" 2>&1 &
echo $! >".maildev/maildev-$smtp.pid"

for _ in $(seq 1 60); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$web") 2>/dev/null; then
    echo "maildev: started (pid $(cat ".maildev/maildev-$smtp.pid")); SMTP 127.0.0.1:$smtp, inbox at http://localhost:$web"
    exit 0
  fi
  sleep 0.5
done
echo "maildev: did not start; see .maildev/maildev-$smtp.log" >&2
exit 1
