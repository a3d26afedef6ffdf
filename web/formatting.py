"""Vietnamese display: dates dd/mm/yyyy, times in Vietnam, numbers 1.234.567, labels of codes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_decimal

from domain.statuses import LABELS_VI
from domain.times import VN

CODE_LABELS = {
    **LABELS_VI,
    "outbound": "đoàn ra",
    "inbound": "đoàn vào",
    "state_budget": "ngân sách nhà nước",
    "self_funded": "tự túc",
    "central": "trung ương",
    "partner": "đối tác",
    "province": "tỉnh",
    "agency": "cơ quan",
    "unknown": "chưa rõ",
    "individual": "cá nhân",
    "collective": "tập thể",
}


def vn_date(value: Any) -> str:
    """A date (or the date part of an ISO text) as dd/mm/yyyy."""
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime):
        return value.astimezone(VN).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if "T" in text:
        return vn_time(text)
    try:
        return date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return text


def vn_time(value: Any) -> str:
    """An instant in Vietnam time: dd/mm/yyyy HH:MM:SS (a bare date as dd/mm/yyyy)."""
    if value in (None, ""):
        return "–"
    text = str(value)
    if "T" not in text:
        return vn_date(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return moment.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S")


def vn_number(value: Any) -> str:
    """An integer with the locale's grouping (Vietnamese: 1.234.567)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    return format_decimal(value)


def label(code: Any) -> str:
    """The Vietnamese label of a code, or the code itself."""
    return CODE_LABELS.get(code, str(code)) if isinstance(code, str) else str(code)


def register(app: Flask) -> None:
    """Make the filters available to every template."""
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(vn_time, "vn_time")
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(label, "label")
