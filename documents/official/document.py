"""An administrative document as data (Nghị định 30/2020/NĐ-CP, Điều 8 and Phụ lục I), before it is
written as HTML, DOCX or PDF. Every renderer reads the same `Document`, so the three agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # Tiêu ngữ
BLANK_NUMBER = "\u00a0" * 6 + "/…"  # an unissued document: "Số:      /…"


@dataclass(frozen=True)
class Heading:
    """A section title: level 1 "I. KẾT QUẢ …" (bold), 2 "1. …" (bold), 3 italic."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body, indented; `lead` is a bold opening ("1. Nhiệm vụ …:")."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Bullet:
    """A "- " item of a list, as the seeds write them."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table (registers, task lists): header row, rows, relative column widths."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    caption: str = ""


Block = Heading | Paragraph | Bullet | Table


@dataclass(frozen=True)
class Organisation:
    """The issuing body as named on a day: name, parent body (cơ quan chủ quản), place."""

    name: str
    parent: str | None
    place: str

    @property
    def short_name(self) -> str:
        """The name under its parent: "Sở Ngoại vụ tỉnh Hà Tĩnh" under "UBND tỉnh Hà Tĩnh" is
        "Sở Ngoại vụ" (the words the parent's name ends with are not repeated)."""
        if not self.parent:
            return self.name
        words, tail = self.name.split(), self.parent.split()
        for size in range(min(len(words) - 1, len(tail)), 1, -1):
            if [w.casefold() for w in words[-size:]] == [w.casefold() for w in tail[-size:]]:
                return " ".join(words[:-size])
        return self.name


@dataclass(frozen=True)
class Signer:
    """The signer's block: TL./KT./TM./Q. form line, title, name (all empty on a draft)."""

    form: str | None = None
    title: str | None = None
    name: str | None = None

    def lines(self) -> list[str]:
        """The bold upper-case lines above the signature."""
        return [line.upper() for line in (self.form, self.title) if line]


@dataclass(frozen=True)
class Document:
    """What a document says, in the order of Phụ lục I."""

    organisation: Organisation
    number: str  # "849/SNgV-VP", or BLANK_NUMBER before issue
    day: date  # signing day (as-of day for a draft)
    doc_type: str | None  # "BÁO CÁO"; None for a công văn (its summary is "V/v …")
    summary: str  # trích yếu
    addressees: tuple[str, ...]  # Kính gửi
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]  # Nơi nhận
    signer: Signer
    footer: tuple[str, ...]  # digest and chain head, small
    title: str  # document metadata
    draft: bool = False
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def number_line(self) -> str:
        """ "Số: 849/SNgV-VP"."""
        return f"Số: {self.number}"

    @property
    def summary_line(self) -> str:
        """A công văn's "V/v …", or a named document's summary as it is."""
        return f"V/v {self.summary}" if self.doc_type is None else self.summary

    @property
    def recipient_lines(self) -> list[str]:
        """ "- Như trên;" … "- Lưu: VT." (the last ends with a full stop)."""
        items = [r.strip().rstrip(";.").strip() for r in self.recipients if r.strip()]
        items = items or ["Lưu: VT"]
        return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]

    @property
    def addressee_lines(self) -> list[str]:
        """One addressee on the Kính gửi line; several as "- A;" lines."""
        if len(self.addressees) <= 1:
            return list(self.addressees)
        last = len(self.addressees) - 1
        return [
            f"- {a.rstrip(';.')}{'.' if i == last else ';'}" for i, a in enumerate(self.addressees)
        ]
