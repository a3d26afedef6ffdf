"""The key-tasks body (seed 000): numbered lists of tasks by state, grouped by reason."""

from __future__ import annotations

from typing import Any

from documents.frozen_v1.bodies.common import (
    SECTION_TITLES,
    STATUS_ORDER,
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
from documents.official.document import Organisation
from documents.official.vietnamese import (
    clause,
    count,
    lower_first,
    next_period_phrase,
    numbers_list,
    upper_first,
)

# --- key-tasks (seed 000) -----------------------------------------------------------------


def _task_phrase(task: dict[str, Any]) -> str:
    return f"{lower_first(clause(task['title']))} (nhiệm vụ {task['no']})"


def _by_reason(tasks: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Tasks grouped by their reason, groups in the order of their first task."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        groups.setdefault(clause(task.get("reason")), []).append(task)
    return list(groups.items())


def _grouped(tasks: list[dict[str, Any]], joiner: str) -> str:
    parts = []
    for reason, group in _by_reason(tasks):
        listed = ", ".join(_task_phrase(t) for t in group)
        parts.append(
            f"{upper_first(reason)}, {joiner}: {listed}" if reason else upper_first(listed)
        )
    return ". ".join(parts) + "."


def _with_refs(tasks: list[dict[str, Any]]) -> str:
    refs = [f"nhiệm vụ {t['no']}: văn bản số {t['ref']}" for t in tasks if t.get("ref")]
    return f" ({'; '.join(refs)})" if refs else ""


def _task_text(task: dict[str, Any], numbered: bool) -> str:
    reason = clause(task.get("reason"))
    ref = f" (văn bản số {task['ref']})" if task.get("ref") else ""
    no = f" (nhiệm vụ {task['no']})" if numbered else ""
    return (
        upper_first(clause(task["title"]))
        + no
        + (f": {lower_first(reason)}" if reason else "")
        + ref
        + "."
    )


def _point_tasks(w: BlockWriter, lead: str, tasks: list[dict[str, Any]]) -> None:
    """A single task in the lead's paragraph; several as list items under it."""
    if len(tasks) == 1:
        w.point(lead, _task_text(tasks[0], numbered=False))
        return
    w.point(lead, "")
    for task in tasks:
        w.bullet(_task_text(task, numbered=True))


def key_tasks(content: dict[str, Any], org: Organisation) -> Body:
    label, phrase = period_words(content)
    notes = notes_of(content)
    programme = content["programme"]
    year = int(label[:4])
    of_programme = phrase if programme == label[:4] else f"(chương trình {programme})"
    w = BlockWriter()
    write_opening(
        w,
        notes,
        f"{org.short_name} báo cáo kết quả thực hiện Chương trình công tác trọng tâm "
        f"{of_programme}, tính đến ngày {as_of_words(content)}, như sau:",
    )
    tasks = content["tasks"]
    by_status: dict[str, list[dict[str, Any]]] = {s: [] for s in STATUS_ORDER}
    for task in tasks:
        by_status.setdefault(task["status"], []).append(task)
    done = by_status["completed"]
    w.para(
        f"Chương trình có {count(len(tasks))} nhiệm vụ; đến nay đã hoàn thành "
        f"{count(len(done))}/{count(len(tasks))} nhiệm vụ."
    )
    if done:
        w.point(
            "Nhiệm vụ đã hoàn thành theo kế hoạch và thời gian:",
            "Tính đến thời điểm này, các phòng, đơn vị đã hoàn thành các nhiệm vụ trong Chương "
            f"trình theo số thứ tự: {numbers_list([t['no'] for t in done])}{_with_refs(done)}.",
        )
    going = by_status["in_progress"]
    if going:
        numbers = numbers_list([t["no"] for t in going])
        _point_tasks(w, f"Nhiệm vụ đang triển khai (nhiệm vụ {numbers}):", going)
    for status, lead, joiner in (
        ("deferral_proposed", f"Một số nhiệm vụ đề xuất điều chỉnh sang năm {year + 1}:", "đó là"),
        ("deferred", f"Nhiệm vụ đã được điều chỉnh sang năm {year + 1}:", "đó là"),
        ("not_carried_out", "Một số nhiệm vụ không thực hiện được:", "cụ thể"),
    ):
        if by_status[status]:
            w.point(lead, _grouped(by_status[status], joiner))
    stopped = by_status["cancelled"]
    if stopped:
        numbers = numbers_list([t["no"] for t in stopped])
        _point_tasks(w, f"Nhiệm vụ dừng thực hiện (nhiệm vụ {numbers}):", stopped)
    silent = by_status["unreported"]
    if silent:
        w.point(
            "Nhiệm vụ chưa có báo cáo kết quả:",
            f"các nhiệm vụ theo số thứ tự: {numbers_list([t['no'] for t in silent])}.",
        )
    for section in ("danh_gia", "kien_nghi", "nhiem_vu_ky_toi"):
        if section in notes:
            title = SECTION_TITLES[section]
            if section == "nhiem_vu_ky_toi":
                title = f"Nhiệm vụ trọng tâm {next_period_phrase(label)}"
            w.point(title + ":", "")
            w.free(notes[section])
    write_other_notes(w, notes, {"danh_gia", "kien_nghi", "nhiem_vu_ky_toi"}, 2)
    write_closing(
        w,
        notes,
        f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ trọng tâm {phrase} của {org.name}",
    )
    summary = f"báo cáo kết quả thực hiện nhiệm vụ trọng tâm {of_programme}"
    return Body(None, summary, upper_first(summary), addressees_of(notes), tuple(w.blocks))
