"""Canonical JSON of a report and its digest (CONTRACT "Report JSON")."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from domain.text import nfc


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """Keys sorted by code point, `,` and `:` separators, UTF-8, strings NFC, no floats."""
    _refuse_floats(content)
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
    if isinstance(value, float):
        raise TypeError("báo cáo không được chứa số thực (float)")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_floats(item)
