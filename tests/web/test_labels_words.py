"""The words added for issue 15's trial: draft keys, sections, periods, months, facts."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, session

from domain import labels
from web.describe import describe_target, path_words
from web.formatting import key_label, label, month_words, period_words


@pytest.mark.parametrize(
    ("key", "word"),
    [
        ("draft", "Dự thảo"),
        ("version", "Phiên bản"),
        ("sources", "Nguồn số liệu (báo cáo)"),
        ("addressees", "Kính gửi"),
        ("on", "Ngày"),
        ("nhiem_vu_ky_toi", "Phương hướng, nhiệm vụ kỳ tới"),
    ],
)
def test_the_keys_of_a_draft_have_words(app: Flask, key: str, word: str) -> None:
    with app.test_request_context():
        assert key_label(key) == word


def test_codes_of_drafts_and_agreements_have_words(app: Flask) -> None:
    with app.test_request_context():
        assert label("bao_cao", "type") == "Báo cáo"
        assert label("agency") == "Cấp cơ quan"
        assert labels.field("body", "document.drafted") == "Nội dung dự thảo"


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [
        ("2020", "năm 2020", "year 2020"),
        ("2021-H1", "6 tháng đầu năm 2021", "first half of 2021"),
        ("2021-Q3", "quý III năm 2021", "Q3 2021"),
        ("2021-9M", "9 tháng đầu năm 2021", "first nine months of 2021"),
        ("2021-03", "tháng 3/2021", "March 2021"),
        ("2021-13", "2021-13", "2021-13"),
    ],
)
def test_periods_in_words_in_both_languages(app: Flask, period: str, vi: str, en: str) -> None:
    with app.test_request_context():
        assert period_words(period) == vi
        session["lang"] = "en"
        assert period_words(period) == en


def test_months_and_report_targets_in_words(app: Flask) -> None:
    with app.test_request_context():
        assert month_words("2022-10") == "10/2022"
        assert describe_target("reported:foreign-affairs/2021") == (
            "số liệu đã báo cáo Công tác đối ngoại, năm 2021"
        )
        assert describe_target("draft:seed-001") == "dự thảo seed-001"


def test_a_drafts_source_is_named_by_its_report(app: Flask) -> None:
    content: dict[str, Any] = {"sources": {"fa": {"report": "foreign-affairs"}}}
    with app.test_request_context():
        assert path_words("sources.fa.outbound.people", content) == [
            "Nguồn số liệu (báo cáo)",
            "Công tác đối ngoại",
            "Đoàn ra",
            "Số người",
        ]
        assert path_words("text") == ["Nội dung"]
