"""JSON read from requests and uploads, refused with the place named when no store could hold it.

The marshmallow schemas judge what a command means; this module only keeps out what would break
before they are asked or after they have said yes: nesting deeper than `MAX_DEPTH` (Python's
recursion limit is about 1,000 levels), integers beyond a signed 64-bit column, NaN and
infinities (not JSON), and lone surrogates (`"\\ud800"`: valid JSON, but no UTF-8 text).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from service.limits import MAX_DEPTH, MAX_INTEGER

# The import's own limits (service.limits): a body the import would refuse is refused here too.
INT_MAX = MAX_INTEGER
INT_MIN = -MAX_INTEGER
_DIGITS = len(str(INT_MAX))  # longer digit strings are not converted at all


class BodyError(ValueError):
    """A JSON text or value refused: `field` names where (dotted path, "_" for the whole);
    `syntax` when the text is not JSON at all."""

    def __init__(self, field: str, message: str, syntax: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.syntax = syntax


class _Refused:
    """A number the parser did not convert, kept so that the walk can name its field."""

    def __init__(self, text: str, message: str) -> None:
        self.text, self.message = text, message


def digits(count: int) -> str:
    """A count of digits, grouped as in Vietnamese (5.000 chữ số)."""
    return f"{count:,} chữ số".replace(",", ".")


def _int(text: str) -> Any:
    if len(text.lstrip("-")) > _DIGITS:
        return _Refused(text, f"số nguyên quá lớn ({digits(len(text.lstrip('-')))})")
    return int(text)


def _float(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else _Refused(text, f"số quá lớn: {text[:20]}")


def _constant(text: str) -> Any:
    return _Refused(text, f"{text} không phải số JSON")


def loads(text: str | bytes) -> Any:
    """A JSON text parsed and checked (`check`); BodyError says what is wrong and where."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BodyError("_", f"không phải văn bản UTF-8 (byte {exc.start + 1})") from None
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise BodyError("_", f"JSON lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)") from None
    except ValueError as exc:
        raise BodyError("_", f"JSON không hợp lệ: {exc}", syntax=True) from None
    check(value)
    return value


def _name(path: tuple[str, ...]) -> str:
    return ".".join(path) or "_"


def problems(value: Any) -> Iterator[tuple[str, str]]:
    """(field, message) for each part of a parsed value that cannot be stored, walked without
    recursion (so that a deep value is named, not a RecursionError)."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_DEPTH:  # named by its top-level key: a path of 32 indexes says less
            yield _name(path[:1]), f"lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)"
            continue
        if isinstance(item, _Refused):
            yield _name(path), item.message
        elif isinstance(item, str):
            if not _utf8(item):
                yield _name(path), "có ký tự thay thế (surrogate) lẻ, không phải văn bản Unicode"
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_MIN <= item <= INT_MAX:
                yield _name(path), f"số nguyên quá lớn (tối đa {INT_MAX:,})".replace(",", ".")
        elif isinstance(item, float):
            if not math.isfinite(item):
                yield _name(path), "số không hữu hạn (NaN, vô cực)"
        elif isinstance(item, dict):
            for key, sub in item.items():
                label = key if isinstance(key, str) and _utf8(key) else repr(key)
                if isinstance(key, str) and not _utf8(key):
                    yield _name((*path, label)), "tên trường có ký tự surrogate lẻ"
                stack.append((sub, (*path, label)))
        elif isinstance(item, list | tuple):
            stack.extend((sub, (*path, str(i))) for i, sub in enumerate(item))


def check(value: Any) -> None:
    """Raise BodyError for the first problem of `problems`."""
    for field, message in problems(value):
        raise BodyError(field, message)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
