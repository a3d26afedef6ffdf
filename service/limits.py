"""The limits every import line and command is held to: size, nesting, integers, characters."""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from domain.text import CONTROL, CONTROL_IN_LINE

# A line longer than this is refused before it is parsed (the reader never holds more of it).
MAX_LINE_BYTES = 1 << 20
# Objects and lists inside one another, the line itself counting as one.
MAX_DEPTH = 16
# The largest integer a line may hold anywhere (2^53 - 1: what every JSON reader keeps exact);
# each integer key has its own narrower range (`service.importing.fields.within`).
MAX_INTEGER = 2**53 - 1
# The range of each integer key of the import (README, "Limits").
RANGES: dict[str, tuple[int, int]] = {
    "no": (1, 99_999),  # a task's number in its programme
    "people": (1, 100_000),  # members of one delegation
    "amount_usd": (0, 10**12),  # one commitment or disbursement, whole USD
    "value": (0, 10**9),  # one metric's count for one month
    "detail": (0, 10**9),  # each sub-count of that count
    "year": (1900, 9999),  # a plan's or an assessment's year
    "for_year": (1900, 9999),  # the year an award rewards
    "amount_vnd": (0, 10**15),  # one support given or received, whole đồng
    "figure": (0, 10**15),  # one figure of an earlier report (figures.reported)
}

# Refused in every text, and in codes and identifiers (tab and newline too): domain.text.
FORBIDDEN = CONTROL
FORBIDDEN_IN_LINE = CONTROL_IN_LINE
# What makes a parsed line worth walking through (rare in ordinary lines), with an integer
# beyond MAX_INTEGER (noted by the decoder).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class LimitError(ValueError):
    """A line beyond a limit: the key at fault (a path such as `items[2].title`, None for the
    line) and why."""

    def __init__(self, path: str | None, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def vn_number(value: int) -> str:
    """1.048.576: the Vietnamese written form of an integer."""
    return f"{value:,}".replace(",", ".")


def bad_character(text: str, *, single_line: bool = False) -> str | None:
    """Why a text is refused (its first forbidden character, by code point and place), or None."""
    found = (FORBIDDEN_IN_LINE if single_line else FORBIDDEN).search(text)
    if found is None:
        return None
    char, place = found.group(), found.start() + 1
    if "\ud800" <= char <= "\udfff":
        return f"ký tự U+{ord(char):04X} đơn lẻ (nửa cặp UTF-16) ở vị trí {place} không hợp lệ"
    if single_line and char in "\t\n":
        return f"không được chứa tab hoặc xuống dòng (vị trí {place})"
    allowed = "" if single_line else " (chỉ cho phép tab và xuống dòng)"
    return f"ký tự điều khiển U+{ord(char):04X} ở vị trí {place} không được phép{allowed}"


def too_long(size: int) -> str:
    """The message of a line over MAX_LINE_BYTES."""
    return (
        f"dòng dài {vn_number(size)} byte, vượt giới hạn {vn_number(MAX_LINE_BYTES)} byte; "
        "không đọc"
    )


class _Oversized:
    """An integer literal beyond MAX_INTEGER, kept as its digit count (never converted: a
    5,000-digit literal would cost, or exceed Python's own limit)."""

    __slots__ = ("digits",)

    def __init__(self, literal: str) -> None:
        self.digits = len(literal.lstrip("-"))


_seen = threading.local()  # whether the line being read holds an _Oversized (per thread)


def _integer(literal: str) -> int | _Oversized:
    if len(literal) < 16:  # at most 15 digits: within MAX_INTEGER
        return int(literal)
    if len(literal.lstrip("-")) <= 16 and abs(value := int(literal)) <= MAX_INTEGER:
        return value
    _seen.oversized = True
    return _Oversized(literal)


def _constant(name: str) -> Any:
    raise LimitError(None, f"JSON không hợp lệ: {name} không phải là số JSON")


# Made once: json.loads(text, **hooks) would make a decoder for every line.
_decode = json.JSONDecoder(parse_constant=_constant, parse_int=_integer).decode


def loads(text: str) -> Any:
    """A JSON text read within the limits: LimitError names what is beyond them (nesting,
    integers, lone surrogates), json.JSONDecodeError what is not JSON."""
    try:
        value = _decode(text)
    except RecursionError:
        raise LimitError(None, f"lồng nhau quá sâu (tối đa {MAX_DEPTH} tầng)") from None
    finally:
        oversized = getattr(_seen, "oversized", False)
        if oversized:
            _seen.oversized = False
    if (
        oversized
        or text.count("[") + text.count("{") > MAX_DEPTH
        or _SURROGATE_ESCAPE.search(text) is not None
    ):
        _check(value, "", 1)
    return value


def check(value: Any) -> None:
    """A value already parsed (an API body) held to the same limits as an import line."""
    _check(value, "", 1)


def _check(value: Any, path: str, depth: int) -> None:
    """Walk a parsed value; the first thing beyond a limit raises LimitError with its path."""
    if isinstance(value, dict | list):
        if depth > MAX_DEPTH:  # named by its key, not by a path of sixteen indexes
            key = path.partition("[")[0]
            raise LimitError(key or None, f"lồng nhau quá sâu (tối đa {MAX_DEPTH} tầng)")
        if isinstance(value, list):
            for index, item in enumerate(value):
                _check(item, f"{path}[{index}]", depth + 1)
            return
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            if FORBIDDEN.search(key) is not None:  # repr shows it escaped
                raise LimitError(path or None, f"tên trường {key!r} chứa ký tự không hợp lệ")
            _check(item, name, depth + 1)
    elif isinstance(value, _Oversized):
        raise LimitError(
            path or None,
            f"số nguyên quá lớn ({vn_number(value.digits)} chữ số; "
            f"tối đa {vn_number(MAX_INTEGER)})",
        )
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) > MAX_INTEGER:
            raise LimitError(path or None, f"số nguyên quá lớn (tối đa {vn_number(MAX_INTEGER)})")
    elif isinstance(value, str) and _SURROGATE.search(value) is not None:
        raise LimitError(path or None, bad_character(value) or "ký tự không hợp lệ")
