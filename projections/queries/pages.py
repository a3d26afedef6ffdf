"""Queries the pages ask of the read models: departments' names, the issued register, the unit
that owns a task."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

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
