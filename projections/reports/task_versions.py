"""The task reports' rows as grouped SQL on the task versions: each task's corrected opening and
its progress in force at D, under (D, K, T), in one query (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from projections.reports.common import ReportRequest
from projections.tables import task_versions as v
from projections.versions import recorded_position, visible

_LATEST = (v.c.at_us.desc(), v.c.precise.desc(), v.c.known_us.desc(), v.c.pos.desc())


def _query(openings: list[Any], progress: list[Any]) -> Any:
    """Openings left-joined to the latest progress of each (effective time, then knowledge, then
    position: the fold's order)."""
    opened = (
        select(v.c.target, v.c.no, v.c.title, v.c.unit, v.c.deadline, v.c.programme)
        .add_columns(v.c.no_inferred, v.c.day)
        .where(v.c.opening, *openings)
        .subquery("opened")
    )
    ranked = (
        select(
            v.c.target,
            v.c.status,
            v.c.reason,
            v.c.ref,
            v.c.day,
            func.row_number().over(partition_by=v.c.target, order_by=_LATEST).label("rank"),
        )
        .where(~v.c.opening, v.c.target.in_(select(opened.c.target)), *progress)
        .subquery("ranked")
    )
    return (
        select(
            opened,
            ranked.c.status,
            ranked.c.reason,
            ranked.c.ref,
            ranked.c.day.label("status_on"),
        )
        .select_from(
            opened.outerjoin(ranked, (ranked.c.target == opened.c.target) & (ranked.c.rank == 1))
        )
        .order_by(opened.c.programme, opened.c.no)
    )


def programme_tasks(conn: Connection, request: ReportRequest, programme: str) -> list[Any] | None:
    """The programme's tasks visible under the cut-offs, by number (None: use the fold)."""
    position = recorded_position(conn, request.cut)
    if position is None:
        return None
    cut = visible(request.cut, position)
    scope = [v.c.org == request.org, v.c.scope == programme, *cut]
    return list(conn.execute(_query(scope, scope)))


def assigned_tasks(conn: Connection, request: ReportRequest) -> list[Any] | None:
    """The UBND's tasks opened in the period (of the programme, if given), by programme and
    number (None: use the fold)."""
    position = recorded_position(conn, request.cut)
    if position is None:
        return None
    cut = visible(request.cut, position)
    period = request.period
    openings = [
        v.c.org == request.org,
        v.c.source == "ubnd",
        v.c.day >= period.start.isoformat(),
        v.c.day <= period.end.isoformat(),
        *cut,
    ]
    if request.programme:
        openings.append(v.c.programme == request.programme)
    return list(conn.execute(_query(openings, [v.c.org == request.org, *cut])))
