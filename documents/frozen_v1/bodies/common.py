"""What every report body shares: the Body, the writer of its blocks, the clerk's notes and
the words of codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from documents.official.document import Block, Bullet, Heading, Paragraph
from documents.official.vietnamese import (
    ROMAN,
    clause,
    day_month,
    period_phrase,
    upper_first,
)
from domain.codes import EMULATION_TITLES, FORM_NAMES, GRANTOR_NAMES

# Sections of free text a clerk writes (report.note), by where they go.
FRAME_SECTIONS = ("kinh_gui", "mo_dau", "ket_luan")
SECTION_TITLES = {
    "nhiem_vu_chinh_tri": "Về thực hiện nhiệm vụ chính trị",
    "lanh_dao_chi_dao": "Công tác lãnh đạo, chỉ đạo",
    "danh_gia": "Nhận xét, đánh giá",
    "uu_diem": "Ưu điểm",
    "han_che": "Hạn chế",
    "kien_nghi": "Kiến nghị, đề xuất",
    "nhiem_vu_ky_toi": "Phương hướng, nhiệm vụ kỳ tới",
}

STATUS_ORDER = (
    "completed",
    "in_progress",
    "deferral_proposed",
    "deferred",
    "not_carried_out",
    "cancelled",
    "unreported",
)

FUNDING_WORDS = {
    "state_budget": "sử dụng ngân sách Nhà nước",
    "self_funded": "tự túc kinh phí",
    "central": "do Trung ương đài thọ",
    "partner": "do đối tác đài thọ",
}
APPROVAL_WORDS = {
    "province": "thuộc thẩm quyền tỉnh phê duyệt",
    "central": "thuộc thẩm quyền Trung ương phê duyệt",
}
# A title (danh hiệu) reads "danh hiệu Lao động tiên tiến" in a sentence; a flag (Cờ) or an
# order does not take the word.
FORM_LABELS = {
    code: f"danh hiệu {name}"
    if code in EMULATION_TITLES and not code.startswith("co_thi_dua")
    else name
    for code, name in FORM_NAMES.items()
}
GRANTOR_LABELS = GRANTOR_NAMES
CATEGORY_LABELS = {
    "cong_trang": "thành tích công trạng",
    "chuyen_de": "chuyên đề",
    "dot_xuat": "đột xuất",
    "cong_hien": "quá trình cống hiến",
    "nien_han": "niên hạn",
    "doi_ngoai": "đối ngoại",
}
RECIPIENT_WORDS = {"individual": "cá nhân", "collective": "tập thể"}
PROBLEM_WORDS = {
    "irregular": "không đúng danh mục khen thưởng",
    "no_decision": "chưa ghi số quyết định",
}


@dataclass(frozen=True)
class Body:
    """The kind-specific part of a document."""

    doc_type: str | None
    summary: str
    title: str
    addressees: tuple[str, ...]
    blocks: tuple[Block, ...]


class BlockWriter:
    """Collects blocks and numbers the headings of one level as it goes."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.numbers = {1: 0, 2: 0}

    def heading(self, text: str, level: int) -> None:
        if level == 1:
            self.numbers[1] += 1
            self.numbers[2] = 0
            self.blocks.append(Heading(f"{ROMAN[self.numbers[1] - 1]}. {text.upper()}", 1))
        else:
            self.numbers[2] += 1
            self.blocks.append(Heading(f"{self.numbers[2]}. {text}", 2))

    def point(self, lead: str, text: str) -> None:
        """A numbered paragraph with its bold lead, as seed 000 writes them."""
        self.numbers[2] += 1
        self.blocks.append(Paragraph(text, f"{self.numbers[2]}. {lead}"))

    def para(self, text: str, lead: str = "") -> None:
        if text or lead:
            self.blocks.append(Paragraph(text, lead))

    def bullet(self, text: str) -> None:
        self.blocks.append(Bullet(text))

    def free(self, text: str) -> None:
        """A note's text: "- " lines as list items, other lines as paragraphs."""
        for line in text.replace("\r\n", "\n").split("\n"):
            line = line.strip()
            if not line:
                continue
            if line[:2] in ("- ", "+ ", "• "):
                self.bullet(line[2:].strip())
            else:
                self.para(line)


def notes_of(content: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in (content.get("notes") or {}).items() if v and v.strip()}


def addressees_of(notes: dict[str, str]) -> tuple[str, ...]:
    text = notes.get("kinh_gui", "")
    lines = [clause(line.lstrip("-+• ")) for line in text.replace(";", "\n").split("\n")]
    return tuple(line for line in lines if line)


def write_opening(w: BlockWriter, notes: dict[str, str], default: str) -> None:
    if "mo_dau" in notes:
        w.free(notes["mo_dau"])
    else:
        w.para(default)


def write_closing(w: BlockWriter, notes: dict[str, str], default: str) -> None:
    text = notes.get("ket_luan") or default
    w.para(clause(text) + "./.")


def write_other_notes(w: BlockWriter, notes: dict[str, str], used: set[str], level: int) -> None:
    """Sections no kind places: under their own names, in code order (deterministic)."""
    for section in sorted(notes):
        if section in used or section in FRAME_SECTIONS:
            continue
        title = SECTION_TITLES.get(section) or upper_first(section.replace("_", " "))
        w.heading(title, level)
        w.free(notes[section])


def period_words(content: dict[str, Any]) -> tuple[str, str]:
    label = content["period"]["label"]
    return label, period_phrase(label)


def as_of_words(content: dict[str, Any]) -> str:
    return day_month(date.fromisoformat(content["as_of"]))
