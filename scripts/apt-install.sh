#!/bin/sh
# Install the Debian packages not yet installed: apt-install.sh LABEL "APT OPTIONS" PACKAGE...
# Idempotent: installs only what is missing; does nothing, quietly, without root or apt.
set -eu

label=$1
options=$2
shift 2

command -v apt-get >/dev/null 2>&1 || exit 0
command -v dpkg-query >/dev/null 2>&1 || exit 0
[ "$(id -u)" -eq 0 ] || exit 0

missing=""
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -n "$missing" ] || exit 0

echo "$label: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086  # word splitting of the options and package names is wanted
apt-get install -y $options $missing >/dev/null 2>&1 || {
    apt-get update >/dev/null 2>&1 && apt-get install -y $options $missing >/dev/null
}
