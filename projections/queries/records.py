"""A record's history and the search over records' text, as inspectors and clerks read them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from domain.text import CONTROL, CONTROL_IN_LINE, fold
from domain.times import vn_iso
from projections.tables import facts, search


def history(conn: Connection, org: str, target: str) -> list[dict[str, Any]]:
    """Every event of one record in store order, with its three times, actor, reason, document."""
    if CONTROL_IN_LINE.search(org) or CONTROL_IN_LINE.search(target):
        return []  # no record is named so (and PostgreSQL would refuse the NUL in the query)
    rows = conn.execute(
        select(facts).where(facts.c.org == org, facts.c.target == target).order_by(facts.c.pos)
    )
    return [fact_entry(row) for row in rows]


def fact_entry(row: Any) -> dict[str, Any]:
    """One rm_facts row as inspectors read it: place, fact id, three times, who, why, document."""
    return {
        "position": row.pos,
        "fact_id": row.fact_id,
        "kind": row.kind,
        "target_fact_id": row.target_fact_id,
        "at": row.at,
        "known_since": row.known_since,
        "known": vn_iso(row.known_us),
        "recorded_at": vn_iso(row.recorded_us),
        "actor": row.actor,
        "reason": row.reason,
        "ref": row.ref,
        "data": json.loads(row.data),
    }


def find(conn: Connection, org: str, text: str, limit: int = 200) -> list[dict[str, str]]:
    """Records whose text holds every word of the query, ignoring case and diacritics."""
    if CONTROL_IN_LINE.search(org) or CONTROL.search(text):
        return []  # no stored text holds such a character
    query = select(search.c.target, search.c.title).where(
        search.c.org == org, search.c.voided.is_(False)
    )
    for word in fold(text).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(search.c.folded.like(f"%{escaped}%", escape="\\"))
    # Code-point order on both backends (PostgreSQL's default collation may be vi-VN or en-US).
    target = search.c.target if conn.dialect.name == "sqlite" else search.c.target.collate("C")
    rows = conn.execute(query.order_by(target).limit(limit))
    return [{"target": row.target, "title": row.title} for row in rows]
