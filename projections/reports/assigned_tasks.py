"""Tasks assigned by the UBND tỉnh with deadlines: on time, late, overdue (seed 004)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from domain.statuses import CANCELLED, COMPLETED, DEFERRED, NOT_CARRIED_OUT, UNREPORTED
from domain.times import parse_date
from projections.reports.common import ReportRequest
from projections.reports.task_versions import assigned_tasks
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
    progress = state.of_kind("task.progressed")
    status = progress[-1].values["status"] if progress else UNREPORTED
    done = progress[-1].day if progress else None
    return bucket(state.opening.values.get("deadline"), status, done, request)


def bucket(
    deadline: str | None, status: str, done: date | None, request: ReportRequest
) -> tuple[str, str, str | None]:
    """`outcome` of a task's deadline, status in force and that status's day."""
    due = parse_date(deadline) if deadline else None
    if status == COMPLETED:
        assert done is not None
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
    """Format 1: totals per outcome and the list of tasks, ordered by programme and number (from
    the task versions; the fold when a recorded-by instant cannot be read as a position)."""
    found = assigned_rows(conn, request)
    if found is None:
        return build_assigned_tasks_fold(conn, request)
    counts = dict.fromkeys(OUTCOMES, 0)
    tasks = []
    for _row, line in found:
        counts[line["outcome"]] += 1
        tasks.append(line)
    return {"total": len(tasks), **counts, "tasks": tasks}


def assigned_rows(
    conn: Connection, request: ReportRequest
) -> list[tuple[Any, dict[str, Any]]] | None:
    """Each assigned task's versions row and its format 1 line, by programme and number."""
    found = assigned_tasks(conn, request)
    if found is None:
        return None
    out = []
    for row in found:
        done = date.fromisoformat(row.status_on) if row.status_on else None
        status = row.status or UNREPORTED
        outcome_, status, completed = bucket(row.deadline, status, done, request)
        line = {
            "programme": row.programme,
            "no": row.no,
            "title": row.title,
            "unit": row.unit,
            "deadline": row.deadline,
            "status": status,
            "outcome": outcome_,
            "completed_on": completed,
        }
        out.append((row, line))
    out.sort(key=lambda pair: (pair[1]["programme"], pair[1]["no"]))
    return out


def build_assigned_tasks_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1 by the fold of the visible facts (the versions' test oracle)."""
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
