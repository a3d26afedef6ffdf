"""Fits the screen and the keyboard: favicon, skip link, errors tied to selects and text areas,
wide tables inside their own scrolling box (widths themselves: test_browser_journeys.py)."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import csrf_token


def test_favicon_and_skip_link(as_user: Any) -> None:
    client = as_user("inspector")
    page = client.get("/o/ha-tinh/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon and client.get(icon.group(1)).status_code == 200
    assert '<a class="skip" href="#main">' in page and '<main id="main"' in page


def test_errors_are_tied_to_selects_and_text_areas(as_user: Any) -> None:
    clerk = as_user("clerk")
    url = "/o/ha-tinh/entry/delegation"
    page = clerk.post(url, data={"csrf_token": csrf_token(clerk, url)}).get_data(as_text=True)
    select = re.search(r'<select id="f-direction"[^>]*>', page).group(0)
    area = re.search(r'<textarea id="f-purpose"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in select and 'aria-describedby="f-direction-err' in select
    assert 'aria-invalid="true"' in area and 'aria-describedby="f-purpose-err' in area


def test_report_tables_scroll_inside_their_box(as_user: Any) -> None:
    page = as_user("inspector").get(
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"
    )
    text = page.get_data(as_text=True)
    assert text.count('<div class="scroll"><table class="grid">') >= 1
    assert "<table" not in re.sub(r'<div class="scroll"><table', "", text)
