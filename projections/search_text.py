"""Search text: what a record is called and its text fields folded (no case, no diacritics)."""

from __future__ import annotations

from typing import Any

from domain.text import fold

# The columns of rm_search in the order the projector gives them.
SEARCH_COLUMNS = ("org", "target", "title", "folded", "voided")


def title_of(data: dict[str, Any], target: str) -> str:
    """What a record is called in lists and search results."""
    recipient = data.get("recipient")
    for value in (
        data.get("title"),
        data.get("purpose"),
        recipient.get("name") if isinstance(recipient, dict) else None,
        data.get("name"),
    ):
        if isinstance(value, str) and value:
            return value
    return target


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def searchable(data: dict[str, Any], target: str) -> str:
    """Every text field of a record, folded (lower case, no diacritics)."""
    # `_fold(" ".join([target, *_strings(data)]))`, each field folded apart (many repeat: units,
    # places, recipients): the same words, in the same order.
    out = []
    for text in (target, *_strings(data)):
        folded = _values.get(text)
        if folded is None:
            if len(_values) > _MEMO_LIMIT:
                _values.clear()
            folded = _values[text] = _fold(text)
        if folded:
            out.append(folded)
    return " ".join(out)


# Memos of the pure functions the projector calls for every event (words repeat).
_MEMO_LIMIT = 100_000
_values: dict[str, str] = {}
_words: dict[str, str] = {}


def _fold(text: str) -> str:
    """`fold` word by word, each word's folding remembered: the same result, computed once."""
    out = []
    for word in text.split():
        folded = _words.get(word)
        if folded is None:
            if len(_words) > _MEMO_LIMIT:
                _words.clear()
            folded = _words[word] = fold(word)
        if folded:
            out.append(folded)
    return " ".join(out)
