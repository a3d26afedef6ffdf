"""Canonical JSON of a report and its digest (CONTRACT "Report JSON")."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any

from domain.text import nfc


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """Keys sorted by code point, `,` and `:` separators, UTF-8, strings NFC, no floats."""
    _refuse_floats(content)
    # Stored texts are NFC already (imports normalise them): written as they are, the JSON is
    # then NFC as a whole, and it is the same text as that of the content normalised, since
    # JSON's punctuation and escapes are ASCII, which NFC neither changes nor composes with
    # what stands beside it (each string, each key, normalises on its own). Only when it is
    # not is the content copied normalised (its keys may sort otherwise then).
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if not unicodedata.is_normalized("NFC", text):
        text = json.dumps(nfc(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def digest(content: dict[str, Any]) -> str:
    """`sha256:` and the hex SHA-256 of the canonical JSON without `digest`."""
    body = {k: v for k, v in content.items() if k != "digest"}
    return "sha256:" + hashlib.sha256(canonical_bytes(body)).hexdigest()


def with_digest(content: dict[str, Any]) -> dict[str, Any]:
    """The report with its digest added."""
    return {**content, "digest": digest(content)}


def _refuse_floats(value: Any) -> None:
    """TypeError when a float is found in the value's dicts and lists (walked without
    recursion, the plain types of a report's leaves passed by identity: a report has hundreds
    of leaves and this runs for every digest)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif isinstance(item, float):
            raise TypeError("báo cáo không được chứa số thực (float)")
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
