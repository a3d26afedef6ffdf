#!/bin/sh
# Debian's Chromium and ChromeDriver for the browser tests (tests/web/test_browser.py drives
# /usr/bin/chromium through Playwright; no browser is downloaded).
# Idempotent: installs only what is missing; does nothing, quietly, without root or apt.
exec sh "$(dirname "$0")/apt-install.sh" browser-deps "" chromium chromium-driver
