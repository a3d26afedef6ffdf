"""Key tasks and assigned tasks, format 2 (issue 14): the documents and days the seeds cite.

key-tasks gains `adopted` (the programme's `programme.adopted`: title, document, day) and per task
`status_on` (the day of the status in force) and `no_inferred`; assigned-tasks gains per task
`ref` (the document of the status in force: the completing decision). Format 1 stays in
`key_tasks.py` and `assigned_tasks.py`, unchanged, for the reprints of reports issued with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from domain.statuses import STATUSES
from projections.reports.assigned_tasks import OUTCOMES, _candidates, assigned_rows, outcome
from projections.reports.common import NOTES, ReportRequest, notes, notes_part
from projections.reports.key_tasks import summary_of, task_line, version_line
from projections.reports.task_versions import programme_tasks
from projections.visibility import Part, RecordNow, fold, select_parts, select_rows


def _status_day(state: RecordNow) -> str | None:
    progress = state.of_kind("task.progressed")
    return progress[-1].day.isoformat() if progress else None


def _adopted(
    conn: Connection, request: ReportRequest, programme: str, rows: list[Any] | None = None
) -> dict[str, Any] | None:
    target = f"programme:{programme}"
    if rows is None:
        rows = select_rows(conn, [request.org], "programme", request.cut, targets=[target])
    state = fold(rows, request.cut.effective).get((request.org, target))
    if state is None:
        return None
    values = state.opening.values
    return {"title": values["title"], "ref": values.get("ref"), "on": state.opening.day.isoformat()}


def build_key_tasks_v2(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 2: format 1 with the programme's adoption and each status's day (from the task
    versions; the fold when a recorded-by instant cannot be read as a position)."""
    programme = request.programme or str(request.period.year)
    found = programme_tasks(conn, request, programme)
    if found is None:
        return build_key_tasks_v2_fold(conn, request)
    # The programme's adoption and the notes in one statement (a round trip each alone).
    adoption = Part((request.org,), "programme", targets=(f"programme:{programme}",))
    adopted, noted = select_parts(conn, request.cut, [adoption, notes_part(request)])
    tasks = []
    for row in found:
        line = version_line(row)
        line["status_on"] = row.status_on
        line["no_inferred"] = bool(row.no_inferred)
        tasks.append(line)
    tasks.sort(key=lambda t: t["no"])
    return {
        "programme": programme,
        "adopted": _adopted(conn, request, programme, adopted),
        "tasks": tasks,
        "summary": summary_of(tasks),
        NOTES: notes(conn, request, noted),
    }


def build_key_tasks_v2_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 2 by the fold of the visible facts (the versions' test oracle)."""
    programme = request.programme or str(request.period.year)
    rows = select_rows(conn, [request.org], "task", request.cut, scope=programme)
    tasks = []
    for state in fold(rows, request.cut.effective).values():
        line = task_line(state)
        line["status_on"] = _status_day(state)
        line["no_inferred"] = bool(state.opening.values.get("no_inferred"))
        tasks.append(line)
    tasks.sort(key=lambda t: t["no"])
    summary = dict.fromkeys(STATUSES, 0)
    for task in tasks:
        summary[task["status"]] += 1
    return {
        "programme": programme,
        "adopted": _adopted(conn, request, programme),
        "tasks": tasks,
        "summary": summary,
    }


def build_assigned_tasks_v2(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 2: format 1 with each task's document of the status in force (from the task
    versions; the fold when a recorded-by instant cannot be read as a position)."""
    found = assigned_rows(conn, request)
    if found is None:
        return build_assigned_tasks_v2_fold(conn, request)
    counts = dict.fromkeys(OUTCOMES, 0)
    tasks = []
    for row, line in found:
        counts[line["outcome"]] += 1
        tasks.append({**line, "ref": row.ref})
    return {"total": len(tasks), **counts, "tasks": tasks}


def build_assigned_tasks_v2_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 2 by the fold of the visible facts (the versions' test oracle)."""
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
        progress = state.of_kind("task.progressed")
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
                "ref": progress[-1].values.get("ref") if progress else None,
            }
        )
    tasks.sort(key=lambda t: (t["programme"], t["no"]))
    return {"total": len(tasks), **counts, "tasks": tasks}
