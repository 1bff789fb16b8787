#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests when no Chromium is found (Playwright drives it;
# no browser is ever downloaded). CHROMIUM_PATH names another Chromium instead.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: not found and no apt-get here; install Chromium or set CHROMIUM_PATH" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "chromium: installing Debian's chromium with apt-get ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
