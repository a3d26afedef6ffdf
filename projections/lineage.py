"""Organisation lineage: a successor's reports add up its predecessors' records (sáp nhập)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from projections.tables import facts
from projections.visibility import Cutoffs


@dataclass(frozen=True)
class Source:
    """An organisation whose records count, and the day from which they stop counting."""

    org: str
    until: date | None = None  # records dated before this day count; None: all

    def admits(self, org: str, day: date) -> bool:
        """Whether a record of `org` dated `day` counts for this source."""
        return org == self.org and (self.until is None or day < self.until)


def sources(conn: Connection, org: str, cut: Cutoffs) -> list[Source]:
    """The organisation and every predecessor merged into it within the cut-offs, recursively."""
    found = [Source(org)]
    queue: list[tuple[str, date | None]] = [(org, None)]
    seen = {org}
    while queue:
        successor, until = queue.pop()
        rows = conn.execute(
            select(facts).where(
                facts.c.into_org == successor,
                facts.c.kind == "org.merged",
                facts.c.known_us < cut.known.below_us,
            )
        )
        for row in rows:
            if cut.recorded_pos is not None and row.pos > cut.recorded_pos:
                continue
            if cut.recorded is not None and not cut.recorded.admits(row.recorded_us):
                continue
            if row.org in seen:
                continue
            if not cut.effective.admits(row.at_us):
                continue
            merged_on = date.fromisoformat(row.at_day)
            limit = merged_on if until is None else min(merged_on, until)
            seen.add(row.org)
            found.append(Source(row.org, limit))
            queue.append((row.org, limit))
    return found


def merged_into(conn: Connection, org: str) -> list[str]:
    """Every organisation merged into `org`, directly or through another, whatever the
    cut-offs (the records a report of `org` may count)."""
    found: list[str] = []
    queue, seen = [org], {org}
    while queue:
        successor = queue.pop()
        rows = conn.execute(
            select(facts.c.org).where(facts.c.into_org == successor, facts.c.kind == "org.merged")
        )
        for row in rows:
            if row.org not in seen:
                seen.add(row.org)
                found.append(row.org)
                queue.append(row.org)
    return found


def admitted(found: list[Source], org: str, day: date) -> bool:
    """Whether a record of `org` dated `day` counts under these sources."""
    return any(s.admits(org, day) for s in found)
