"""The key-task report (báo cáo kết quả thực hiện nhiệm vụ trọng tâm), as in seed 000."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from domain.statuses import STATUSES, UNREPORTED
from projections.reports.common import ReportRequest
from projections.reports.task_versions import programme_tasks
from projections.visibility import RecordNow, fold, select_rows


def task_line(state: RecordNow) -> dict[str, Any]:
    """One task with its status in force at the end of D and that status's reason and document."""
    added = state.opening.values
    progress = state.of_kind("task.progressed")
    latest = progress[-1].values if progress else None
    return {
        "no": added["no"],
        "title": added["title"],
        "unit": added["unit"],
        "status": latest["status"] if latest else UNREPORTED,
        "reason": latest.get("reason") if latest else None,
        "ref": latest.get("ref") if latest else None,
    }


def build_key_tasks(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1: the programme's tasks ordered by number and a count per status (from the task
    versions; the fold when a recorded-by instant cannot be read as a position)."""
    programme = request.programme or str(request.period.year)
    found = programme_tasks(conn, request, programme)
    if found is None:
        return build_key_tasks_fold(conn, request)
    tasks = sorted((version_line(row) for row in found), key=lambda t: t["no"])
    return {"programme": programme, "tasks": tasks, "summary": summary_of(tasks)}


def version_line(row: Any) -> dict[str, Any]:
    """`task_line` of a task versions row."""
    return {
        "no": row.no,
        "title": row.title,
        "unit": row.unit,
        "status": row.status or UNREPORTED,
        "reason": row.reason,
        "ref": row.ref,
    }


def summary_of(tasks: list[dict[str, Any]]) -> dict[str, int]:
    """A count per status, every status named."""
    summary = dict.fromkeys(STATUSES, 0)
    for task in tasks:
        summary[task["status"]] += 1
    return summary


def build_key_tasks_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1 by the fold of the visible facts (the versions' test oracle)."""
    programme = request.programme or str(request.period.year)
    rows = select_rows(conn, [request.org], "task", request.cut, scope=programme)
    states = fold(rows, request.cut.effective).values()
    tasks = sorted((task_line(s) for s in states), key=lambda t: t["no"])
    summary = dict.fromkeys(STATUSES, 0)
    for task in tasks:
        summary[task["status"]] += 1
    return {"programme": programme, "tasks": tasks, "summary": summary}
