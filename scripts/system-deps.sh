#!/bin/sh
# System packages the documents need (Debian): Liberation Serif with the Vietnamese letters
# (fonts-liberation2; Debian 12's fonts-liberation 1.07 lacks ơ, ư, ệ …), Pango and HarfBuzz's
# subsetter for WeasyPrint's PDF, poppler-utils (pdftotext, pdftoppm) for the tests.
# Idempotent: installs only what is missing; does nothing, quietly, without root or apt.
exec sh "$(dirname "$0")/apt-install.sh" system-deps --no-install-recommends \
    fonts-liberation fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    poppler-utils
