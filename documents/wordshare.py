"""How much of a seed's wording a document reproduces: the share of the seed body's words found in
the document in the same order (word-level longest common subsequence)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from documents.markup import Document, plain_text

_WORD = re.compile(r"\w+")
_NUMBER_LINE = re.compile(r"^\W*Số\s*:", re.IGNORECASE)
_PLACE_DATE = re.compile(r"^\W*[\w\s]+, ngày \d{1,2} tháng \d{1,2} năm \d{4}\W*$")
_FOOTREF = re.compile(r"\[footnoteRef:\d+\]")
_FOOTDEF = re.compile(r"\[\d+:\s*")
TYPE_WORDS = {
    "bao_cao": "BÁO CÁO",
    "cong_van": None,  # a công văn has no type heading; its trích yếu reads "V/v …"
    "ke_hoach": "KẾ HOẠCH",
    "to_trinh": "TỜ TRÌNH",
    "thong_bao": "THÔNG BÁO",
}


def words(text: str) -> list[str]:
    """The words of a text: NFC, case folded, punctuation and markup dropped (2.139 is 2, 139)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def seed_body(text: str) -> str:
    """A seed file's text without what `issue` writes (the number, the place-date line, "Nơi
    nhận" and everything after it: the signature) and without its markdown and footnote marks."""
    kept = []
    for line in text.splitlines():
        if "Nơi nhận" in line:
            break
        if _NUMBER_LINE.match(line) or _PLACE_DATE.match(line.strip()):
            continue
        kept.append(line)
    body = "\n".join(kept)
    body = _FOOTREF.sub("", body)
    body = _FOOTDEF.sub(" ", body)
    return body.replace("*", " ").replace("#", " ")


def document_text(doc_type: str, title: str, addressees: Sequence[str], body: Document) -> str:
    """A composed document's words as the renderers lay them out above the body: the type (BÁO
    CÁO) or "V/v" before the trích yếu, "Kính gửi:" and the addressees, then the body."""
    heading = TYPE_WORDS.get(doc_type)
    head = [heading, title] if heading else [f"V/v {title}"]
    if addressees:
        head.append("Kính gửi: " + "; ".join(addressees))
    return "\n\n".join([*head, plain_text(body)])


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """The length of the longest common subsequence of two word lists (bit-parallel, Allison and
    Dix 1986 / Hyyrö 2004: one big-integer step per word of `b`)."""
    masks: dict[str, int] = {}
    for i, word in enumerate(a):
        masks[word] = masks.get(word, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for word in b:
        u = v & masks.get(word, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def share(seed: Sequence[str], document: Sequence[str]) -> float:
    """The share of the seed's words the document reproduces in order (0–1)."""
    return lcs_length(seed, document) / len(seed) if seed else 1.0


def measured(seed_text: str, document: str) -> Mapping[str, float | int]:
    """Seed words, words reproduced in order, and their share, for one seed and one document."""
    seed, doc = words(seed_body(seed_text)), words(document)
    common = lcs_length(seed, doc)
    return {"seed_words": len(seed), "common": common, "share": common / len(seed) if seed else 1}
