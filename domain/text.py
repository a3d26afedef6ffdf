"""Vietnamese text: composed storage (NFC) and folding for search without diacritics."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Never in stored text: C0 controls but tab and newline, DEL, C1 controls, lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Never in a code or an identifier (one line): tab and newline either.
CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def nfc(value: Any) -> Any:
    """NFC-normalise every string inside a JSON-like value."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    return value


def fold(text: str) -> str:
    """Lower case without diacritics: "Hà Tĩnh" and "ha tinh" fold alike; đ folds to d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
