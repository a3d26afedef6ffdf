"""The letterhead of a document as known on its day (tên cơ quan ban hành): the issuing body's
name, parent and place read from the records under the report's own cut-offs."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection

from documents.official import Issue
from documents.official.document import Organisation
from domain.times import Cutoff
from projections.visibility import Cutoffs, fold, select_rows


def organisation_on(conn: Connection, org: str, day: date, cut: Cutoffs) -> Organisation:
    """The name, parent and place in force on `day`: the latest `org.registered`/`org.renamed`
    with `at` on or before it, among the facts the cut-offs admit (a reprint sees what the issue
    saw, whatever was recorded later)."""
    rows = select_rows(conn, [org], "org", cut, targets=["org"])
    state = fold(rows, Cutoff.end_of_day(day)).get((org, "org"))
    found: dict[str, Any] = {}
    if state is not None:
        for fact in state.facts:
            if fact.kind in ("org.registered", "org.renamed"):
                found.update({k: v for k, v in fact.values.items() if v is not None})
    if not found:  # registered after the day: the current registration, never a blank letterhead
        for row in rows:
            if row.kind in ("org.registered", "org.renamed"):
                found.update({k: v for k, v in json.loads(row.data).items() if v is not None})
    return Organisation(
        name=found.get("name") or org,
        parent=found.get("parent"),
        place=found.get("place") or "",
    )


def organisation_for(
    conn: Connection,
    content: dict[str, Any],
    cut: Cutoffs,
    issue: Issue | None = None,
) -> Organisation:
    """The issuing body of a report's document as named on its day (signing or as-of), read
    under the report's own cut-offs."""
    if issue is None:
        day, known = date.fromisoformat(content["as_of"]), cut
    else:
        # A document carries the name the office knew on its signing day, even when the
        # report's figures are known by an earlier day; T (a position) still bounds it.
        day = issue.signed_on
        end = Cutoff.end_of_day(day)
        later = end if end.below_us > cut.known.below_us else cut.known
        known = Cutoffs(day, later, cut.recorded_pos, cut.recorded)
    return organisation_on(conn, content["org"], day, known)
