"""Downloads of official documents from the web (issue 8): a report as DOCX or PDF, and an
issued report's kept document, byte for byte as issued."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import login


@pytest.fixture
def issued(app: Flask) -> dict[str, Any]:
    """849/SNgV-VP issued through the service with its documents kept (seed 000 is loaded)."""
    from service.reporting.documents import keeper
    from service.reporting.issuing import Signature, issue_report

    rt = app.extensions["ngoaivu"]
    sig = Signature(
        "849/SNgV-VP",
        "2020-12-11",
        "Lê Thị Khánh Cẩm",
        "CHÁNH VĂN PHÒNG",
        "TL. GIÁM ĐỐC",
        ("Như trên", "Lưu: VPTTr"),
    )
    _content, details = issue_report(
        rt, "key-tasks", "ha-tinh", "2020", sig, actor="t", documents=keeper(rt)
    )
    return details


def test_a_report_downloads_as_docx_and_pdf(app: Flask) -> None:
    client = app.test_client()
    login(client, "inspector")
    base = "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"
    page = client.get(base)
    assert b"format=docx" in page.data and b"format=pdf" in page.data
    docx = client.get(base + "&format=docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert "attachment" in docx.headers["Content-Disposition"]
    pdf = client.get(base + "&format=pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"


def test_an_issued_report_downloads_its_kept_bytes(app: Flask, issued: dict[str, Any]) -> None:
    client = app.test_client()
    login(client, "inspector")
    url = "/o/ha-tinh/issued/2020/849/SNgV-VP"
    assert b"format=pdf" in client.get(url).data
    for fmt in ("docx", "pdf"):
        got = client.get(f"{url}?format={fmt}")
        assert got.status_code == 200, fmt
        assert "sha256:" + hashlib.sha256(got.data).hexdigest() == issued["documents"][fmt]
