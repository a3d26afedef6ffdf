#!/bin/sh
# Debian's Chromium and ChromeDriver for the browser tests (tests/web/test_browser.py drives
# /usr/bin/chromium through Playwright; no browser is downloaded).
# Idempotent: installs only what is missing; does nothing, quietly, without root or apt.
set -eu

PACKAGES="chromium chromium-driver"

command -v apt-get >/dev/null 2>&1 || exit 0
command -v dpkg-query >/dev/null 2>&1 || exit 0
[ "$(id -u)" -eq 0 ] || exit 0

missing=""
for pkg in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -n "$missing" ] || exit 0

echo "browser-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y $missing >/dev/null 2>&1 || {
    apt-get update >/dev/null 2>&1 && apt-get install -y $missing >/dev/null
}
