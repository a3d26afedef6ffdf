"""The renderer version reaches the bytes: a document rendered for an issue of version 1 names
"ngoaivu-render 1" (a composed document issued then reprints as it was), today's names 3; a
report of a kind is made by the engine from its standard body, never by the frozen renderer."""

from __future__ import annotations

import io
from datetime import date

from docx import Document as read_docx

from documents.layout import compose_document
from documents.official import Issue
from documents.official.document import Organisation
from documents.render import RENDERER_VERSION, render_composed
from documents.standard_document import compose_report, standard_content

ORG = Organisation("Sở Ngoại vụ tỉnh Hà Tĩnh", "UBND tỉnh Hà Tĩnh", "Hà Tĩnh")
ISSUE = Issue("849/SNgV-VP", date(2020, 12, 11), "Lê Thị Khánh Cẩm", "CHÁNH VĂN PHÒNG")
CONTENT = {
    "org": "ha-tinh",
    "as_of": "2020-12-11",
    "recorded_by": "@10",
    "digest": "sha256:" + "0" * 64,
    "type": "bao_cao",
    "title": "Kết quả công tác",
    "addressees": [],
    "text": "Nội dung báo cáo./.",
}
PERIOD = {"label": "2020", "window": "nd09", "from": "2019-12-15", "to": "2020-12-14"}
REGISTER = {
    "report": "award-register",
    "org": "ha-tinh",
    "period": PERIOD,
    "as_of": "2021-06-14",
    "known_by": "2021-06-14",
    "recorded_by": "@10",
    "format": 1,
    "notes": {"kinh_gui": "Chánh Thanh tra Sở; Giám đốc Sở"},
    "digest": "sha256:" + "1" * 64,
    "total": 1,
    "awards": [
        {
            "id": "HT-KT-2020-007",
            "stage": "granted",
            "form": "bang_khen",
            "title": None,
            "grantor": "ubnd_tinh",
            "body": None,
            "recipient": {"type": "individual", "name": "Nguyễn Văn A"},
            "category": "cong_trang",
            "movement": None,
            "for_year": 2020,
            "irregular": False,
            "irregular_reason": None,
            "proposed_on": None,
            "decided_on": "2021-01-29",
            "ref": "123/QĐ-UBND",
        }
    ],
}


def _comments(data: bytes) -> str:
    return str(read_docx(io.BytesIO(data)).core_properties.comments)


def test_an_issue_of_version_1_keeps_its_renderer_in_the_bytes() -> None:
    doc = compose_document(CONTENT, ORG, ISSUE)
    old, new = render_composed(doc, "docx", 1), render_composed(doc, "docx")
    assert _comments(old).startswith("ngoaivu-render 1; ")
    assert _comments(new).startswith(f"ngoaivu-render {RENDERER_VERSION}; ")
    assert old != new and render_composed(doc, "docx", 1) == old  # the same bytes again


def test_a_register_is_a_table_by_the_engine_with_no_record_id() -> None:
    composed = standard_content(REGISTER)
    assert composed["addressees"] == ["Chánh Thanh tra Sở", "Giám đốc Sở"]
    assert composed["title"] == "Sổ theo dõi khen thưởng năm 2020"
    text = composed["text"]
    assert "| 1 | Nguyễn Văn A (cá nhân) | Bằng khen | UBND tỉnh |" in text
    assert "123/QĐ-UBND, 29/01/2021" in text
    assert "HT-KT-2020-007" not in text and "kinh_gui" not in text
    data = render_composed(compose_report(REGISTER, ORG, ISSUE), "docx")
    body = read_docx(io.BytesIO(data))
    assert any("Nguyễn Văn A" in c.text for t in body.tables for c in t._cells)
