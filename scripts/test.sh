#!/usr/bin/env bash
# The one command that installs what the tests need and runs every test (README "Test").
# As root on Debian it installs the system packages itself: Chromium, CJK fonts, PostgreSQL, poppler,
# socat (serial pty pairs for the reader tests), CUPS with cups-pdf (the test printer).
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need_pkgs+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need_pkgs+=(postgresql)
command -v pdftotext >/dev/null 2>&1 || need_pkgs+=(poppler-utils)
command -v socat >/dev/null 2>&1 || need_pkgs+=(socat)
[ -x /usr/sbin/cupsd ] || need_pkgs+=(cups)
[ -e /usr/lib/cups/backend/cups-pdf ] || need_pkgs+=(printer-driver-cups-pdf)
command -v cc >/dev/null 2>&1 || need_pkgs+=(gcc)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"
  else
    echo "Missing system packages: ${need_pkgs[*]} — install them (Debian: sudo apt-get install ${need_pkgs[*]})" >&2
    exit 1
  fi
fi

# node-gyp builds sqlite3 against the local Node headers (no header download: the network is closed).
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm test
