"""The service's messages in the page's language (web.messages): every entry has its English,
the slots carry the service's values, and the schemas' own messages are all in the table."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask, session

from service.importing import fields
from web.messages import MESSAGES, REWORDED, said

# Letters only Vietnamese writes (an English sentence has none of them).
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


@pytest.fixture
def english(app: Flask) -> Any:
    with app.test_request_context():
        session["lang"] = "en"
        yield


def test_every_message_has_its_english_with_the_values_kept(english: Any) -> None:
    for msgid in MESSAGES:
        slots = re.findall(r"%\((\w+)\)s", msgid)
        values = {name: f"<{name}-value>" for name in slots}
        english_text = said(msgid % values if values else msgid)
        assert english_text != (msgid % values if values else msgid), msgid
        assert VIETNAMESE.search(english_text) is None, english_text
        for value in values.values():
            assert value in english_text, (msgid, english_text)


def test_the_schemas_field_messages_are_all_in_the_table(english: Any) -> None:
    classes = (fields.Text, fields.Int, fields.Flag, fields.Items, fields.Mapping, fields.When)
    for cls in classes:
        for message in cls.default_error_messages.values():
            assert said(message) != message, (cls.__name__, message)


def test_a_refused_status_change_is_said_in_english_words(english: Any) -> None:
    message = (
        "nhiệm vụ số 21 (chương trình 2020) “Thanh tra”: không ghi được “hoàn thành” ngày "
        "01/12/2020 vì đã có mục “đang triển khai” ngày 11/12/2020, muộn hơn; không được "
        "chuyển từ “hoàn thành” sang “đang triển khai”"
    )
    assert said(message) == (
        "task no. 21 (programme 2020) “Thanh tra”: “completed” on 01/12/2020 cannot be "
        "recorded because there is already an entry “in progress” on 11/12/2020, a later "
        "date; a task may not go from “completed” to “in progress”"
    )


def test_vietnamese_mode_and_unknown_messages_are_left_as_they_came(app: Flask) -> None:
    with app.test_request_context():
        assert said("thiếu trường bắt buộc") == "thiếu trường bắt buộc"
        session["lang"] = "en"
        assert said("một câu chưa có trong bảng") == "một câu chưa có trong bảng"
        assert said("thiếu trường bắt buộc; phải là số nguyên") == (
            "required field missing; must be a whole number"
        )


@pytest.mark.parametrize(
    ("service", "vi", "en"),
    [
        (
            "tổng các chỉ tiêu con (1200) khác value (1234)",
            "tổng các chỉ tiêu con (1.200) khác tổng số (1.234)",
            "the sub-counts add up to 1,200, not the total (1,234)",
        ),
        (
            "ngày không tồn tại: '2026-02-31'",
            "ngày không tồn tại: '31/02/2026'",
            "no such day: '31/02/2026'",
        ),
        (
            "ngày ký 2027-01-05 ở sau hôm nay (2026-12-03)",
            "ngày ký 05/01/2027 ở sau hôm nay (03/12/2026)",
            "the signing date 05/01/2027 is after today (03/12/2026)",
        ),
        (
            "JSON không hợp lệ: Expecting value (cột 1)",
            "JSON không hợp lệ ở cột 1: thiếu giá trị",
            "invalid JSON at column 1: a value is missing",
        ),
        (
            "55/SNgV-VP (2021): digest không khớp",
            "55/SNgV-VP (2021): mã băm không khớp",
            "55/SNgV-VP (2021): the digest does not match",
        ),
        (
            "chỉ cán bộ nhập liệu (clerk) mới giới hạn theo đơn vị",
            "chỉ cán bộ nhập liệu mới được giới hạn theo đơn vị",
            "only data-entry clerks can be limited to units",
        ),
    ],
)
def test_the_web_says_service_messages_without_iso_dates_keys_or_english(
    app: Flask, service: str, vi: str, en: str
) -> None:
    with app.test_request_context():
        assert said(service) == vi
        assert said(f"thiếu trường bắt buộc; {service}") == f"thiếu trường bắt buộc; {vi}"
    with app.test_request_context():
        session["lang"] = "en"
        assert said(service) == en


def test_every_reworded_message_has_its_english(english: Any) -> None:
    for service in REWORDED:
        slots = re.findall(r"%\((\w+)\)s", service)
        message = service % {name: f"<{name}-value>" for name in slots} if slots else service
        english_text = said(message)
        assert english_text != message, service
        assert VIETNAMESE.search(english_text) is None, english_text


def test_a_json_lines_value_is_echoed_as_the_file_has_it(app: Flask) -> None:
    with app.test_request_context():
        assert said("ngày không tồn tại: '2026-02-31'", as_written=True) == (
            "ngày không tồn tại: '2026-02-31'"
        )
        assert said("JSON không hợp lệ: Expecting value (cột 1)", as_written=True) == (
            "JSON không hợp lệ ở cột 1: thiếu giá trị"
        )
