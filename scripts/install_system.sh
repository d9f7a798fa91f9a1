#!/usr/bin/env bash
# System packages the test suite needs, from Debian's archive:
#   chromium, chromium-driver  the headless browser the dashboard tests drive (/usr/bin/chromium)
#   postgresql                 a throwaway PostgreSQL 15 server for the PostgreSQL backend tests
#   libpango-1.0-0, libpangoft2-1.0-0, fonts-dejavu-core  what WeasyPrint needs to render PDF reports
# Installs only what is missing, and only as root (CI); elsewhere it says what is missing and goes on.
set -euo pipefail
wanted=(chromium chromium-driver postgresql libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
missing=()
for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "install_system: missing ${missing[*]} (not root or no apt-get): the tests that need them are skipped" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install_system: installed ${missing[*]}"
