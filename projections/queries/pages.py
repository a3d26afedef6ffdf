"""Queries the pages ask of the read models: departments' names, the issued register, the unit
that owns a task."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from projections.tables import facts, issued
from projections.visibility import current_opening


def org_names(conn: Connection) -> dict[str, str]:
    """Every registered department's slug and name, in the order they were registered."""
    rows = conn.execute(
        select(facts.c.org, facts.c.data)
        .where(facts.c.kind == "org.registered")
        .order_by(facts.c.pos)
    )
    return {row.org: json.loads(row.data).get("name", row.org) for row in rows}


def issued_register(conn: Connection, org: str) -> list[Any]:
    """The department's issued reports (rm_issued rows), the latest first."""
    return list(
        conn.execute(select(issued).where(issued.c.org == org).order_by(issued.c.pos.desc()))
    )


def task_unit(conn: Connection, org: str, target: str) -> str | None:
    """The unit that owns a task (`task:P/N`) now: its task.added fact with every correction
    known applied (None when there is no such task, or it was voided)."""
    opening, _voided = current_opening(conn, org, target)
    unit = (opening or {}).get("unit")
    return unit if isinstance(unit, str) else None


def latest_day(conn: Connection, org: str, today: str) -> str | None:
    """The latest effective day, up to `today`, of anything in the department's records."""
    return conn.execute(
        select(func.max(facts.c.at_day)).where(
            facts.c.org == org, facts.c.record_kind != "org", facts.c.at_day <= today
        )
    ).scalar()


def record_rows(conn: Connection, org: str, record_kind: str) -> list[Any]:
    """Every fact row of the department's records of one kind, in store order."""
    query = select(facts).where(facts.c.org == org, facts.c.record_kind == record_kind)
    return list(conn.execute(query.order_by(facts.c.pos)))


def _records_of(org: str) -> tuple[Any, ...]:
    """The department's records but itself (`org`, `org:…`): on the columns of the index
    (org, target, pos) alone, so that grouping by record reads only the index."""
    return (facts.c.org == org, facts.c.target != "org", ~facts.c.target.startswith("org:"))


def recent_page(
    conn: Connection, org: str, page: int, size: int
) -> tuple[int, list[str], int, list[Any]]:
    """One page of the department's records, the latest changed first: the page shown (`page`,
    or the last one when past it), its records' targets, how many records there are in all,
    and the fact rows of this page's records only.

    Both groupings (the count, the page) are scans of the index (org, target, pos): no table
    row is read but the page's own facts."""
    total = conn.execute(
        select(func.count(facts.c.target.distinct())).where(*_records_of(org))
    ).scalar_one()
    page = max(1, min(page, -(-total // size)))
    last = func.max(facts.c.pos)
    recent = list(
        conn.execute(
            select(facts.c.target)
            .where(*_records_of(org))
            .group_by(facts.c.target)
            .order_by(last.desc())
            .limit(size)
            .offset((page - 1) * size)
        ).scalars()
    )
    if not recent:
        return page, recent, total, []
    rows = list(conn.execute(select(facts).where(facts.c.org == org, facts.c.target.in_(recent))))
    return page, recent, total, rows


def recent_records(conn: Connection, org: str, limit: int) -> tuple[list[str], list[Any]]:
    """The targets of the department's latest changed records (newest first) and their rows."""
    _page, recent, _total, rows = recent_page(conn, org, 1, limit)
    return recent, rows
