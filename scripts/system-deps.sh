#!/bin/sh
# System packages the documents need (Debian): Liberation Serif with the Vietnamese letters
# (fonts-liberation2; Debian 12's fonts-liberation 1.07 lacks ơ, ư, ệ …), Pango and HarfBuzz's
# subsetter for WeasyPrint's PDF, poppler-utils (pdftotext, pdftoppm) for the tests.
# Idempotent: installs only what is missing; does nothing, quietly, without root or apt.
set -eu

PACKAGES="fonts-liberation fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils"

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

echo "system-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
    apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends $missing >/dev/null
}
