"""Tasks assigned by the UBND tỉnh with deadlines: on time, late, overdue (seed 004)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from domain.statuses import CANCELLED, COMPLETED, DEFERRED, NOT_CARRIED_OUT, UNREPORTED
from domain.times import parse_date
from projections.reports.common import ReportRequest
from projections.tables import facts
from projections.visibility import RecordNow, fold, select_rows

OUTCOMES = (
    "completed_on_time",
    "completed_late",
    "not_completed_on_time",
    "in_progress",
    "cancelled",
)


def outcome(state: RecordNow, request: ReportRequest) -> tuple[str, str, str | None]:
    """CONTRACT fine point 6: the bucket at the end of D, the status, the completion day."""
    deadline = state.opening.values.get("deadline")
    due = parse_date(deadline) if deadline else None
    progress = state.of_kind("task.progressed")
    status = progress[-1].values["status"] if progress else UNREPORTED
    if status == COMPLETED:
        done = progress[-1].day
        late = due is not None and done > due
        return ("completed_late" if late else "completed_on_time"), status, done.isoformat()
    if status in (CANCELLED, DEFERRED):
        return "cancelled", status, None
    if status == NOT_CARRIED_OUT or (due is not None and due < request.cut.as_of):
        return "not_completed_on_time", status, None
    return "in_progress", status, None


def _candidates(conn: Connection, request: ReportRequest) -> set[str]:
    """Tasks added in the period, and tasks whose `task.added` was ever corrected."""
    period = request.period
    added = select(facts.c.target).where(
        facts.c.org == request.org,
        facts.c.kind == "task.added",
        facts.c.at_day >= period.start.isoformat(),
        facts.c.at_day <= period.end.isoformat(),
    )
    corrected = select(facts.c.target).where(
        facts.c.org == request.org,
        facts.c.record_kind == "task",
        facts.c.kind == "record.corrected",
        facts.c.target_fact_id.like("%#1"),
    )
    return {row[0] for row in conn.execute(added.union(corrected))}


def build_assigned_tasks(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1: totals per outcome and the list of tasks, ordered by programme and number."""
    targets = _candidates(conn, request)
    rows = select_rows(conn, [request.org], "task", request.cut, targets=targets) if targets else []
    counts = dict.fromkeys(OUTCOMES, 0)
    tasks = []
    for state in fold(rows, request.cut.effective).values():
        added = state.opening.values
        if added.get("source") != "ubnd" or not request.period.contains(state.opening.day):
            continue
        if request.programme and added["programme"] != request.programme:
            continue
        bucket, status, done = outcome(state, request)
        counts[bucket] += 1
        tasks.append(
            {
                "programme": added["programme"],
                "no": added["no"],
                "title": added["title"],
                "unit": added["unit"],
                "deadline": added.get("deadline"),
                "status": status,
                "outcome": bucket,
                "completed_on": done,
            }
        )
    tasks.sort(key=lambda t: (t["programme"], t["no"]))
    return {"total": len(tasks), **counts, "tasks": tasks}
