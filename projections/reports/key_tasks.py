"""The key-task report (báo cáo kết quả thực hiện nhiệm vụ trọng tâm), as in seed 000."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from domain.statuses import STATUSES, UNREPORTED
from projections.reports.common import ReportRequest
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
    """Format 1: the programme's tasks ordered by number and a count per status."""
    programme = request.programme or str(request.period.year)
    rows = select_rows(conn, [request.org], "task", request.cut, scope=programme)
    states = fold(rows, request.cut.effective).values()
    tasks = sorted((task_line(s) for s in states), key=lambda t: t["no"])
    summary = dict.fromkeys(STATUSES, 0)
    for task in tasks:
        summary[task["status"]] += 1
    return {"programme": programme, "tasks": tasks, "summary": summary}
