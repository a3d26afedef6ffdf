"""What changed between two renderings of a document's text, phrase by phrase, each shown inside
its sentence ("49 đoàn → 50 đoàn"): for `diff` of an issued composed document."""

from __future__ import annotations

import difflib
import re
from typing import Any

# First syllables of the two-syllable units the seeds count in.
UNIT_HEADS = frozenset(
    [
        "nhiệm",
        "hội",
        "thỏa",
        "hồ",
        "văn",
        "dự",
        "tổ",
        "trường",
        "học",
        "chương",
        "vụ",
        "cá",
        "tập",
        "lưu",
        "hài",
        "chuyên",
        "thủ",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n+")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line) of `text` around the characters start…end, markup marks dropped."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    found = _SENTENCE_END.search(text, end)
    right = found.start() if found else len(text)
    return text[left:right].strip().lstrip("#-+ ").replace("**", "")


def changed_phrases(before: str, after: str) -> list[dict[str, Any]]:
    """Each run of words that differs, with the word after it (the unit: "đoàn", "lượt"), before
    and after, and the sentence it stands in today and at issue."""
    spans_a = [(m.start(), m.end()) for m in re.finditer(r"\S+", before)]
    spans_b = [(m.start(), m.end()) for m in re.finditer(r"\S+", after)]
    a = [before[s:e] for s, e in spans_a]
    b = [after[s:e] for s, e in spans_b]
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # The next word, when both keep it, names what the figure counts (two syllables when
        # the first only begins the unit: "nhiệm vụ", "hội thảo").
        size = 2 if a[i2 : i2 + 1] and a[i2].casefold() in UNIT_HEADS else 1
        tail = a[i2 : i2 + size] if a[i2 : i2 + size] == b[j2 : j2 + size] else []
        was = " ".join(a[i1:i2] + tail) if i2 > i1 else ""
        now = " ".join(b[j1:j2] + tail) if j2 > j1 else ""
        at_a = spans_a[min(i1, len(spans_a) - 1)] if spans_a else (0, 0)
        at_b = spans_b[min(j1, len(spans_b) - 1)] if spans_b else (0, 0)
        out.append(
            {
                "before": was.rstrip(".,;:"),
                "after": now.rstrip(".,;:"),
                "sentence_before": _sentence(before, *at_a) if before else "",
                "sentence_after": _sentence(after, *at_b) if after else "",
            }
        )
    return out
