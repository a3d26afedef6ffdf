"""The task reports' rows as grouped SQL on the task versions: each task's corrected opening and
its progress in force at D, under (D, K, T), in one query (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from projections.reports.common import ReportRequest
from projections.tables import task_versions as v
from projections.versions import OPEN, recorded_position

_LATEST = (v.c.at_us.desc(), v.c.precise.desc(), v.c.known_us.desc(), v.c.pos.desc())
# A version visible under the cut-offs (parameters: known, position, effective).
_VISIBLE = (
    v.c.known_from < bindparam("known"),
    v.c.known_to >= bindparam("known"),
    v.c.pos_from <= bindparam("position"),
    v.c.pos_to > bindparam("position"),
    v.c.at_us < bindparam("effective"),
)


def _query(openings: list[Any], progress: list[Any], *, of_openings: bool) -> Any:
    """Openings left-joined to the latest progress of each (effective time, then knowledge, then
    position: the fold's order). `of_openings`: progress only of the openings' targets (else
    `progress` selects them)."""
    opened = (
        select(v.c.target, v.c.no, v.c.title, v.c.unit, v.c.deadline, v.c.programme)
        .add_columns(v.c.no_inferred, v.c.day)
        .where(v.c.opening, *openings, *_VISIBLE)
        .subquery("opened")
    )
    mine = [v.c.target.in_(select(opened.c.target))] if of_openings else []
    ranked = (
        select(
            v.c.target,
            v.c.status,
            v.c.reason,
            v.c.ref,
            v.c.day,
            func.row_number().over(partition_by=v.c.target, order_by=_LATEST).label("rank"),
        )
        .where(~v.c.opening, *mine, *progress, *_VISIBLE)
        .subquery("ranked")
    )
    return select(
        opened, ranked.c.status, ranked.c.reason, ranked.c.ref, ranked.c.day.label("status_on")
    ).select_from(
        opened.outerjoin(ranked, (ranked.c.target == opened.c.target) & (ranked.c.rank == 1))
    )


# Built once: the statements are compiled once and cached (building one costs more than running).
_SCOPE = [v.c.org == bindparam("org"), v.c.scope == bindparam("scope")]
_PROGRAMME_TASKS = _query(_SCOPE, _SCOPE, of_openings=False)
_ASSIGNED = [
    v.c.org == bindparam("org"),
    v.c.source == "ubnd",
    v.c.day >= bindparam("start"),
    v.c.day <= bindparam("end"),
]
_ORG = [v.c.org == bindparam("org")]
_ASSIGNED_TASKS = _query(_ASSIGNED, _ORG, of_openings=True)
_ASSIGNED_OF = _query([*_ASSIGNED, v.c.programme == bindparam("programme")], _ORG, of_openings=True)


def _cut(conn: Connection, request: ReportRequest) -> dict[str, int] | None:
    """The cut-off parameters, or None when T cannot be read as a position (use the fold)."""
    position = recorded_position(conn, request.cut)
    if position is None:
        return None
    return {
        "known": min(request.cut.known.below_us, OPEN),
        "position": position,
        "effective": request.cut.effective.below_us,
    }


def programme_tasks(conn: Connection, request: ReportRequest, programme: str) -> list[Any] | None:
    """The programme's tasks visible under the cut-offs (None: use the fold)."""
    cut = _cut(conn, request)
    if cut is None:
        return None
    return list(conn.execute(_PROGRAMME_TASKS, {"org": request.org, "scope": programme, **cut}))


def assigned_tasks(conn: Connection, request: ReportRequest) -> list[Any] | None:
    """The UBND's tasks opened in the period (of the programme, if given) (None: use the
    fold)."""
    cut = _cut(conn, request)
    if cut is None:
        return None
    period = request.period
    params = {
        "org": request.org,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        **cut,
    }
    if request.programme:
        return list(conn.execute(_ASSIGNED_OF, {**params, "programme": request.programme}))
    return list(conn.execute(_ASSIGNED_TASKS, params))
