"""The emulation body (seed 002): awards granted and proposed, by section."""

from __future__ import annotations

from typing import Any

from documents.frozen_v1.bodies.common import (
    FORM_LABELS,
    GRANTOR_LABELS,
    RECIPIENT_WORDS,
    SECTION_TITLES,
    BlockWriter,
    Body,
    addressees_of,
    notes_of,
    period_words,
    write_closing,
    write_opening,
    write_other_notes,
)
from documents.official.document import Heading, Organisation
from documents.official.vietnamese import (
    clause,
    count,
    iso_day,
    next_period_phrase,
    upper_first,
)

# --- emulation (seed 002) ------------------------------------------------------------------


def grantor_words(award: dict[str, Any]) -> str:
    if award.get("grantor") == "bo_truong" and award.get("body"):
        return str(award["body"])
    return GRANTOR_LABELS.get(award.get("grantor") or "", "cấp có thẩm quyền")


def award_name(award: dict[str, Any]) -> str:
    if award.get("title"):
        return str(award["title"])
    name = FORM_LABELS.get(award.get("form") or "", "hình thức khen thưởng")
    category = award.get("category")
    if category == "chuyen_de":
        name += " chuyên đề"
    return name


def _award_lines(awards: list[dict[str, Any]]) -> list[str]:
    """Awards grouped by grantor, award and recipient type, groups in first-award order."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for award in awards:
        key = (grantor_words(award), award_name(award), award["recipient"].get("type") or "")
        groups.setdefault(key, []).append(award["recipient"].get("name") or "")
    lines = []
    for (grantor, name, kind), names in groups.items():
        who = RECIPIENT_WORDS.get(kind, "trường hợp")
        listed = "; ".join(n for n in names if n)
        lines.append(
            f"{grantor} tặng {name} cho {count(len(names))} {who}"
            + (f" ({listed})" if listed else "")
            + "."
        )
    return lines


def emulation(content: dict[str, Any], org: Organisation) -> Body:
    label, phrase = period_words(content)
    notes = notes_of(content)
    w = BlockWriter()
    write_opening(
        w,
        notes,
        f"{org.short_name} báo cáo kết quả công tác thi đua, khen thưởng {phrase} như sau:",
    )
    w.blocks.append(Heading(f"A. KẾT QUẢ ĐẠT ĐƯỢC {phrase.upper()}", 1))
    if "nhiem_vu_chinh_tri" in notes:
        w.heading(SECTION_TITLES["nhiem_vu_chinh_tri"], 1)
        w.free(notes["nhiem_vu_chinh_tri"])
    w.heading("Công tác thi đua khen thưởng", 1)
    w.heading(SECTION_TITLES["lanh_dao_chi_dao"], 2)
    if "lanh_dao_chi_dao" in notes:
        w.free(notes["lanh_dao_chi_dao"])
    movements = content["movements"]
    if movements:
        w.para(f"Trong kỳ có {count(len(movements))} phong trào thi đua được triển khai:")
        for m in movements:
            origin = [f"phát động ngày {iso_day(m['launched_on'])}"]
            if m.get("ref"):
                origin.append(f"văn bản số {m['ref']}")
            phases = [
                f"{p['name']} từ {iso_day(p['from'])} đến {iso_day(p['to'])}" for p in m["phases"]
            ]
            title = clause(m["title"])
            if not title.casefold().startswith(("phong trào", "đợt thi đua", "cuộc vận động")):
                title = f"Phong trào “{title}”"
            text = f"{upper_first(title)} ({', '.join(origin)})"
            if phases:
                text += ": " + "; ".join(phases)
            if m.get("registrations"):
                text += f"; {count(m['registrations'])} lượt đăng ký thi đua"
            w.bullet(text + ".")
    elif "lanh_dao_chi_dao" not in notes:
        w.para("Trong kỳ không có phong trào thi đua nào được ghi nhận.")
    w.heading("Kết quả khen thưởng", 2)
    awards = content["awards"]
    by_type = content["by_recipient_type"]
    if awards:
        w.para(
            f"{upper_first(phrase)}, có {count(len(awards))} lượt khen thưởng, danh hiệu thi đua "
            f"được quyết định ({count(by_type.get('collective', 0))} lượt tập thể, "
            f"{count(by_type.get('individual', 0))} lượt cá nhân), cụ thể:"
        )
        for line in _award_lines(awards):
            w.bullet(line)
    else:
        w.para(f"{upper_first(phrase)}, chưa có quyết định khen thưởng nào được ghi nhận.")
    pending = content["proposed"]
    if pending:
        w.heading("Hồ sơ đề nghị khen thưởng đang chờ quyết định", 2)
        for p in pending:
            when = f" (đề nghị ngày {iso_day(p['proposed_on'])})" if p.get("proposed_on") else ""
            w.bullet(
                f"Đề nghị {grantor_words(p)} tặng {award_name(p)} cho "
                f"{RECIPIENT_WORDS.get(p['recipient'].get('type') or '', '')} "
                f"{p['recipient'].get('name') or ''}".replace("  ", " ").strip()
                + when
                + "."
            )
    if "uu_diem" in notes or "han_che" in notes or "danh_gia" in notes:
        w.heading("Ưu điểm, hạn chế", 1)
        for section in ("danh_gia", "uu_diem", "han_che"):
            if section in notes:
                w.heading(SECTION_TITLES[section], 2)
                w.free(notes[section])
    used = {"nhiem_vu_chinh_tri", "lanh_dao_chi_dao", "danh_gia", "uu_diem", "han_che"}
    if "nhiem_vu_ky_toi" in notes or "kien_nghi" in notes:
        w.blocks.append(
            Heading(f"B. PHƯƠNG HƯỚNG, NHIỆM VỤ {next_period_phrase(label).upper()}", 1)
        )
        w.numbers = {1: 0, 2: 0}
        for section in ("nhiem_vu_ky_toi", "kien_nghi"):
            if section in notes:
                if section == "kien_nghi":
                    w.heading(SECTION_TITLES[section], 1)
                w.free(notes[section])
    used |= {"nhiem_vu_ky_toi", "kien_nghi"}
    write_other_notes(w, notes, used, 1)
    write_closing(
        w,
        notes,
        f"Trên đây là báo cáo kết quả công tác thi đua, khen thưởng {phrase} của {org.name}",
    )
    summary = upper_first(f"công tác thi đua, khen thưởng {phrase}")
    if "nhiem_vu_ky_toi" in notes:
        summary += f", phương hướng nhiệm vụ {next_period_phrase(label)}"
    return Body("BÁO CÁO", summary, summary, addressees_of(notes), tuple(w.blocks))
