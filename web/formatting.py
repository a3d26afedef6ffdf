"""Vietnamese display: dates dd/mm/yyyy, times in Vietnam, numbers 1.234.567, labels of codes."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_decimal

from documents.filters import period as periods_vi
from domain import labels
from domain.times import VN
from web.locale import english_mode

# Kept for the modules that read them (spreadsheets): the tables of domain.labels.
CODE_LABELS = labels.CODES
KEY_LABELS = labels.KEYS
# Keys whose integers are years or numbers of a list, never grouped ("2022", not "2.022").
PLAIN_NUMBER_KEYS = frozenset({"year", "for_year", "programme", "no", "format", "position", "pos"})


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
        pass
    shape = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if shape:  # a day that does not exist (31/02 typed in a box): shown as it was typed
        return f"{shape[3]}/{shape[2]}/{shape[1]}"
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


def vn_number(value: Any, key: Any = None) -> str:
    """An integer with the locale's grouping (Vietnamese: 1.234.567); a year as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    if key in PLAIN_NUMBER_KEYS:
        return str(value)
    if isinstance(value, int):
        # Babel's grouping for the two languages, without its pattern machinery (a fifth of a
        # report page's CPU went to format_decimal): vi "1.234.567", en "1,234,567".
        grouped = f"{value:,}"
        return grouped if english_mode() else grouped.replace(",", ".")
    return format_decimal(value)


_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|9M|0[1-9]|1[0-2]))?$")
_EN_PARTS = {"H1": "first half of", "H2": "second half of", "9M": "first nine months of"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def period_words(value: Any) -> str:
    """A period label in words, in the page's language: 2021-H1 → "6 tháng đầu năm 2021",
    2021-03 → "tháng 3/2021" (English: "first half of 2021", "March 2021"); other text as it is."""
    text = str(value.get("label", "")) if isinstance(value, dict) else str(value)
    found = _PERIOD.match(text)
    if found is None:
        return text
    if not english_mode():
        return periods_vi(text)
    y, part = found.groups()
    if not part:
        return f"year {y}"
    if part in _EN_PARTS:
        return f"{_EN_PARTS[part]} {y}"
    if part.startswith("Q"):
        return f"Q{part[1]} {y}"
    return date(int(y), int(part), 1).strftime("%B %Y")


def month_words(value: Any) -> str:
    """A month written YYYY-MM as mm/yyyy (10/2022); other text as it is."""
    found = _MONTH.match(str(value))
    return f"{found.group(2)}/{found.group(1)}" if found else str(value)


def _in_language(word: str) -> str:
    return labels.english(word) if english_mode() else word


def label(code: Any, key: Any = None) -> str:
    """The word for a code (by the key's family when given), in the page's language."""
    if not isinstance(code, str):
        return str(code)
    return _in_language(labels.word(code, key if isinstance(key, str) else None))


def key_label(key: Any, kind: Any = None) -> str:
    """The header of a key (a report's or a record's), in the page's language."""
    if not isinstance(key, str):
        return str(key)
    found = labels.field(key, kind if isinstance(kind, str) else None)
    if found == key:
        found = labels.CODES.get(key, key)
    return _in_language(found)


def tr(word: Any) -> str:
    """A word of the label tables in the page's language (other texts as they are)."""
    return _in_language(str(word))


def choices(codes: Any, key: Any = None) -> list[tuple[str, str]]:
    """A select's options: each code with its word (by the key's family)."""
    return [(code, label(code, key)) for code in codes]


def capfirst(text: Any) -> str:
    """The first letter in upper case, the rest as it is ("hoàn thành" → "Hoàn thành")."""
    text = str(text)
    return text[:1].upper() + text[1:]


def register(app: Flask) -> None:
    """Make the filters available to every template."""
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(vn_time, "vn_time")
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(label, "label")
    app.add_template_filter(key_label, "key_label")
    app.add_template_filter(tr, "tr")
    app.add_template_filter(capfirst, "capfirst")
    app.add_template_filter(choices, "choices")
    app.add_template_filter(period_words, "period_words")
    app.add_template_filter(month_words, "month_words")
    from web.describe import describe_fact
    from web.messages import line_field, said

    app.add_template_global(describe_fact, "describe_fact")

    app.add_template_filter(said, "said")
    app.add_template_filter(line_field, "line_field")
