"""The assigned-tasks body (seed 004, section IV): the sentence of outcomes and the tasks listed."""

from __future__ import annotations

from typing import Any

from documents.frozen_v1.bodies.common import (
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
from documents.official.document import Organisation, Table
from documents.official.vietnamese import (
    clause,
    count,
    iso_day,
    upper_first,
)

# --- assigned-tasks (seed 004, section IV) ------------------------------------------------

OUTCOME_WORDS = {
    "completed_on_time": "hoàn thành trong hạn",
    "completed_late": "hoàn thành quá hạn",
    "not_completed_on_time": "chưa hoàn thành trong hạn",
    "in_progress": "đang thực hiện, chưa đến hạn",
    "cancelled": "dừng thực hiện hoặc điều chỉnh",
}


LISTED_TASKS = 10
OUTCOMES_SHOWN = (
    "completed_on_time",
    "completed_late",
    "not_completed_on_time",
    "in_progress",
    "cancelled",
)


def assigned_tasks(content: dict[str, Any], org: Organisation) -> Body:
    label, phrase = period_words(content)
    notes = notes_of(content)
    w = BlockWriter()
    write_opening(
        w,
        notes,
        f"{org.short_name} báo cáo kết quả thực hiện các nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ "
        f"tịch Ủy ban nhân dân tỉnh giao {phrase}, tính đến ngày {as_of_words(content)}, như sau:",
    )
    since = "Từ đầu năm đến nay" if label[5:] in ("", "H1", "9M", "Q1") else f"Trong {phrase}"
    parts = [
        f"{count(content[key])} nhiệm vụ {OUTCOME_WORDS[key]}"
        for key in (
            "completed_on_time",
            "not_completed_on_time",
            "completed_late",
            "in_progress",
            "cancelled",
        )
        if content[key]
    ]
    total = content["total"]
    if total:
        w.para(
            f"{since}, {org.short_name} được giao tổng cộng {count(total)} nhiệm vụ, trong đó có "
            + ", ".join(parts)
            + "."
        )
    else:
        w.para(f"{since}, {org.short_name} chưa được giao nhiệm vụ nào.")
    # A few tasks are written out one by one (seed 000's UBND item); many go to a table.
    few = len(content["tasks"]) <= LISTED_TASKS
    shown = OUTCOMES_SHOWN if few else ("completed_late", "not_completed_on_time", "cancelled")
    for key in shown:
        listed = [t for t in content["tasks"] if t["outcome"] == key]
        if not listed:
            continue
        w.para("", f"Nhiệm vụ {OUTCOME_WORDS[key]}:")
        for task in listed:
            when = [f"thời hạn {iso_day(task['deadline'])}"] if task.get("deadline") else []
            if task.get("completed_on"):
                when.append(f"hoàn thành ngày {iso_day(task['completed_on'])}")
            w.bullet(
                f"{upper_first(clause(task['title']))} (nhiệm vụ {task['no']}, "
                f"{task['unit']}{'; ' + '; '.join(when) if when else ''})."
            )
    if content["tasks"] and not few:
        rows = tuple(
            (
                str(i),
                f"{clause(t['title'])} ({t['programme']}/{t['no']})",
                t["unit"],
                iso_day(t.get("deadline")),
                upper_first(OUTCOME_WORDS[t["outcome"]])
                + (f" ({iso_day(t['completed_on'])})" if t.get("completed_on") else ""),
            )
            for i, t in enumerate(content["tasks"], 1)
        )
        w.blocks.append(
            Table(
                ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả"),
                rows,
                (6, 42, 20, 13, 19),
                "Danh mục nhiệm vụ được giao",
            )
        )
    for section in ("danh_gia", "kien_nghi", "nhiem_vu_ky_toi"):
        if section in notes:
            w.para("", SECTION_TITLES[section] + ":")
            w.free(notes[section])
    write_other_notes(w, notes, {"danh_gia", "kien_nghi", "nhiem_vu_ky_toi"}, 2)
    write_closing(
        w,
        notes,
        f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh giao {phrase} "
        f"của {org.name}",
    )
    summary = f"báo cáo kết quả thực hiện nhiệm vụ UBND tỉnh giao {phrase}"
    return Body(None, summary, upper_first(summary), addressees_of(notes), tuple(w.blocks))
