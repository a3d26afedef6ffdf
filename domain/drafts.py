"""Drafts (dự thảo): the office's own text with live figures, one version per stored line."""

from __future__ import annotations

from typing import Any

from domain.records import Record

# Nghị định 30/2020 Phụ lục III: the document types a draft may be (the type's own heading).
DOCUMENT_TYPES = ("bao_cao", "cong_van", "ke_hoach", "to_trinh", "thong_bao")
TYPE_NAMES = {
    "bao_cao": "BÁO CÁO",
    "cong_van": None,  # a công văn has no type heading: its trích yếu reads "V/v …"
    "ke_hoach": "KẾ HOẠCH",
    "to_trinh": "TỜ TRÌNH",
    "thong_bao": "THÔNG BÁO",
}


class Draft(Record):
    """A draft document: each `document.drafted` line with its id is its next version."""

    record_kind = "draft"

    class Drafted(Record.Opened):
        """The draft's first version was written."""

    class Redrafted(Record.Fact):
        """A newer version of the draft was written."""

    @classmethod
    def write(cls, org: str, id: str, **fields: Any) -> Draft:
        """Write a draft's first version."""
        return cls.open(org, f"draft:{id}", cls.Drafted, **fields)  # type: ignore[return-value]

    def rewrite(self, **fields: Any) -> str:
        """Write the draft's next version."""
        return self.add_fact(self.Redrafted, **fields)
