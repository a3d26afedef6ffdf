"""Report pages laid out as the document: the official HTML that `ngoaivu report --format html`
writes, framed in the page, with the figures and each row's history link kept below."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask

from service.reporting.documents import draft
from service.reporting.requests import make_request, run_report

REPORTS = (
    ("key-tasks", "period=2020&as_of=2020-12-11", "đã hoàn thành 12/22 nhiệm vụ"),
    ("foreign-affairs", "period=2021&window=calendar&as_of=2021-12-31", "đoàn"),
    ("emulation", "period=2020&window=calendar&as_of=2020-12-31", "khen thưởng"),
)


@pytest.mark.parametrize(("kind", "query", "sentence"), REPORTS)
def test_the_report_page_frames_the_document_and_keeps_the_figures(
    as_user: Any, kind: str, query: str, sentence: str
) -> None:
    client = as_user("inspector")
    url = f"/o/ha-tinh/reports?kind={kind}&{query}"
    page = client.get(url).get_data(as_text=True)
    frame = re.search(r'<iframe class="document" src="([^"]+)"', page)
    assert frame, "the document is framed in the page"
    src = html.unescape(frame.group(1))
    assert src.endswith("&format=html") and f"kind={kind}" in src
    assert page.find('id="van-ban"') < page.find('id="so-lieu"')  # the document first
    document = client.get(src)
    assert document.status_code == 200
    assert document.mimetype == "text/html"
    assert "frame-ancestors 'self'" in document.headers["Content-Security-Policy"]
    assert document.headers["X-Frame-Options"] == "SAMEORIGIN"
    text = document.get_data(as_text=True)
    words = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words
    assert "Độc lập - Tự do - Hạnh phúc" in words
    assert sentence in words


def test_the_frame_is_the_html_the_command_line_writes(app: Flask, as_user: Any) -> None:
    client = as_user("inspector")
    url = "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11&format=html"
    framed = client.get(url).get_data()
    rt = app.extensions["ngoaivu"]
    request = make_request(rt, "key-tasks", "ha-tinh", "2020", as_of="2020-12-11")
    assert framed == draft(rt, request, run_report(rt, request), "html")


def test_report_rows_keep_their_history_links_below_the_document(as_user: Any) -> None:
    page = as_user("inspector").get(
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"
    )
    text = page.get_data(as_text=True)
    figures = text[text.find('id="so-lieu"') :]
    assert "/o/ha-tinh/history?target=task:2020/3" in html.unescape(figures)


def test_a_document_without_a_report_says_why_in_its_frame(as_user: Any) -> None:
    response = as_user("inspector").get("/o/ha-tinh/reports?kind=key-tasks&format=html")
    assert response.status_code == 422
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_the_issue_confirmation_previews_the_document(as_user: Any) -> None:
    from tests.web.conftest import csrf_token

    director = as_user("director")
    data = {
        "kind": "key-tasks",
        "period": "2020",
        "as_of": "11/12/2020",
        "number": "90/SNgV-VP",
        "signed_on": "14/12/2020",
        "signer": "Nguyễn Văn B",
    }
    token = csrf_token(director, "/o/ha-tinh/issue")
    page = director.post("/o/ha-tinh/issue", data={**data, "csrf_token": token})
    text = page.get_data(as_text=True)
    frame = re.search(r'<iframe class="document" src="([^"]+)"', text)
    assert frame and "as_of=2020-12-11" in html.unescape(frame.group(1))
    document = director.get(html.unescape(frame.group(1))).get_data(as_text=True)
    assert "đã hoàn thành 12/22 nhiệm vụ" in document
