"""The award registers (inspector): every award, or the irregular ones with their problems."""

from __future__ import annotations

from typing import Any

from documents.frozen_v1.bodies.common import (
    CATEGORY_LABELS,
    PROBLEM_WORDS,
    RECIPIENT_WORDS,
    SECTION_TITLES,
    BlockWriter,
    Body,
    addressees_of,
    as_of_words,
    notes_of,
    period_words,
    write_closing,
    write_opening,
    write_other_notes,
)
from documents.frozen_v1.bodies.emulation import award_name, grantor_words
from documents.official.document import Organisation, Table
from documents.official.vietnamese import (
    clause,
    count,
    iso_day,
    upper_first,
)

# --- award registers (inspector) -----------------------------------------------------------


def _register_rows(awards: list[dict[str, Any]], problems: bool) -> tuple[tuple[str, ...], ...]:
    rows = []
    for i, a in enumerate(awards, 1):
        recipient = a["recipient"]
        row = [
            str(i),
            f"{recipient.get('name') or ''} ({RECIPIENT_WORDS.get(recipient.get('type'), '?')})",
            upper_first(award_name(a)),
            grantor_words(a),
            CATEGORY_LABELS.get(a.get("category") or "", ""),
            ", ".join(x for x in (a.get("ref"), iso_day(a.get("decided_on"))) if x),
        ]
        if problems:
            found = [PROBLEM_WORDS.get(p, p) for p in a.get("problems", [])]
            if a.get("irregular_reason"):
                found.append(clause(a["irregular_reason"]))
            row.append(upper_first("; ".join(found)))
        rows.append(tuple(row))
    return tuple(rows)


def _register(content: dict[str, Any], org: Organisation, irregular: bool) -> Body:
    _label, phrase = period_words(content)
    notes = notes_of(content)
    awards = content["awards"]
    w = BlockWriter()
    what = (
        "các trường hợp khen thưởng không đúng danh mục hoặc chưa ghi số quyết định"
        if irregular
        else "các quyết định khen thưởng, danh hiệu thi đua"
    )
    write_opening(
        w,
        notes,
        f"{org.short_name} tổng hợp {what} {phrase} (tính đến ngày {as_of_words(content)}): "
        f"tổng số {count(content['total'])} trường hợp.",
    )
    if awards:
        header = ["TT", "Tập thể, cá nhân", "Hình thức", "Cấp quyết định", "Loại", "Quyết định"]
        widths = [6, 28, 22, 16, 12, 16]
        if irregular:
            header.append("Vấn đề")
            widths = [5, 21, 17, 13, 12, 14, 18]
        w.blocks.append(Table(tuple(header), _register_rows(awards, irregular), tuple(widths), ""))
    for section in ("danh_gia", "kien_nghi"):
        if section in notes:
            w.heading(SECTION_TITLES[section], 2)
            w.free(notes[section])
    write_other_notes(w, notes, {"danh_gia", "kien_nghi"}, 2)
    write_closing(w, notes, f"{org.short_name} báo cáo để theo dõi, kiểm tra")
    if irregular:
        summary = upper_first(f"các trường hợp khen thưởng cần rà soát {phrase}")
    else:
        summary = upper_first(f"sổ theo dõi khen thưởng {phrase}")
    return Body("BÁO CÁO", summary, summary, addressees_of(notes), tuple(w.blocks))


def award_register(content: dict[str, Any], org: Organisation) -> Body:
    return _register(content, org, irregular=False)


def award_irregular(content: dict[str, Any], org: Organisation) -> Body:
    return _register(content, org, irregular=True)
