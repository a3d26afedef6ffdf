"""The standard draft bodies (documents/standard.py) through the composed engine over the
samples: every kind renders; the office's notes stand where the standard documents put them
(`mo_dau` instead of the opening, titled sections, `ket_luan` instead of the closing, `kinh_gui`
never in the body)."""

from __future__ import annotations

import json

import pytest

from documents import parse, plain_text, render_body
from documents.standard import STANDARDS
from tests.conftest import Cli
from tests.render.conftest import NOTES_000

# kind → the report of the samples it is rendered over.
CASES = {
    "key-tasks": ["--org", "ha-tinh", "--period", "2020", "--as-of", "2020-12-11"],
    "assigned-tasks": ["--org", "gia-lai", "--period", "2020", "--as-of", "2020-11-20"],
    "foreign-affairs": ["--org", "ha-tinh", "--period", "2022", "--as-of", "2022-11-24"],
    "emulation": ["--org", "ha-tinh", "--period", "2020", "--as-of", "2021-06-14"],
    "award-register": ["--org", "ha-tinh", "--period", "2020", "--as-of", "2021-06-14"],
    "award-irregular": ["--org", "ha-tinh", "--period", "2020", "--as-of", "2021-06-14"],
}


def report(cli: Cli, kind: str) -> dict:
    result = cli("report", kind, *CASES[kind])
    assert result.exit_code == 0, result.output
    content = json.loads(result.stdout)
    content.pop("digest")
    return content


@pytest.mark.parametrize("kind", sorted(STANDARDS))
def test_every_standard_draft_renders_through_the_engine(samples_cli: Cli, kind: str) -> None:
    standard = STANDARDS[kind]
    text = render_body(standard.body, {standard.source: report(samples_cli, kind)})
    document = parse(text)
    words = plain_text(document)
    assert words.rstrip().endswith("./."), words[-200:]
    assert "{{" not in words and "{%" not in words


def test_notes_stand_where_the_standard_documents_put_them(samples_cli: Cli) -> None:
    notes = dict(NOTES_000)
    content = report(samples_cli, "key-tasks")
    assert set(content["notes"]) == set(notes)  # seed 000's notes are loaded with the samples
    text = render_body(STANDARDS["key-tasks"].body, {"kt": content})
    words = plain_text(parse(text))
    assert words.startswith(notes["mo_dau"][:40])
    assert "Thực hiện Chương trình công tác trọng tâm" not in words  # mo_dau replaces it
    assert words.rstrip().endswith(notes["ket_luan"] + "./.")
    assert "Trên đây là báo cáo" not in words
    # kinh_gui is the draft's addressees, not the body's text (its words are in ket_luan only)
    assert words.count(notes["kinh_gui"]) == notes["ket_luan"].count(notes["kinh_gui"])
    content["notes"] = {"danh_gia": "Các phòng đã chủ động.", "tinh_hinh": "Ổn định."}
    words = plain_text(parse(render_body(STANDARDS["key-tasks"].body, {"kt": content})))
    assert words.index("Nhận xét, đánh giá") < words.index("Các phòng đã chủ động.")
    assert "Tinh_hinh" in words and "Ổn định." in words
    assert words.rstrip().endswith("nhiệm vụ trọng tâm năm 2020./.")
