"""Foreign-affairs versions: the fold of CONTRACT "Which version wins" done once, at write time.

A foreign-affairs report counts a fact (a delegation, a disbursement, a month's count…) when it
is visible, not voided, effective by D, and its record's opening is visible, not voided and
effective by D too (`projections.visibility.fold` drops a record without its opening). What is
visible of that pair changes only at the knowledge times and positions of the fact, of the
opening, of their corrections and of the record's voids: those split knowledge × position into
cells, and each cell where both stand is one row of `rm_fa_versions`, the fact's corrected state
in columns and the opening's corrected effective instant beside it (`open_at_us`). A monthly
activity count is a row of `rm_fa_counts` per cell, its sub-counts rows of `rm_fa_details`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from projections.fact_rows import _moment
from projections.stored import _loads
from projections.tables import fa_counts, fa_details, fa_versions
from projections.versions import OPEN, _cells, fact_rows_of, sort_changes
from projections.writers import _insert

# The record kinds whose facts the foreign-affairs report counts.
RECORD_KINDS = frozenset(("delegation", "conference", "agreement", "aid", "support", "activity"))
VERSION_COLUMNS = tuple(c.name for c in fa_versions.columns)
COUNT_COLUMNS = tuple(c.name for c in fa_counts.columns)
DETAIL_COLUMNS = tuple(c.name for c in fa_details.columns)
TABLES = (fa_versions, fa_counts, fa_details)


@dataclass
class Rows:
    """The rows of the three tables, as made."""

    versions: list[tuple[Any, ...]] = field(default_factory=list)
    counts: list[tuple[Any, ...]] = field(default_factory=list)
    details: list[tuple[Any, ...]] = field(default_factory=list)

    def extend(self, more: Rows) -> None:
        """Add another set of rows."""
        self.versions += more.versions
        self.counts += more.counts
        self.details += more.details


_CHANGES = ("record.corrected", "record.voided")


def version_rows(rows: Iterable[Any]) -> Rows:
    """The rows of every record whose fact rows are given (all of each record's rows: its facts,
    corrections and voids)."""
    base, changes, record_voids = sort_changes(rows)
    openings = {(row.org, row.target): row for row in base if row.fact_id == f"{row.target}#1"}
    out = Rows()
    for row in base:
        key = (row.org, row.target)
        opening = openings.get(key)
        if opening is None:  # never stored without its opening; nothing would count
            continue
        _fact_versions(
            row,
            None if opening is row else opening,
            changes.get(row.fact_id, []),
            [] if opening is row else changes.get(opening.fact_id, []),
            record_voids.get(key, []),
            out,
        )
    return out


def _parsed(related: list[Any]) -> list[tuple[int, int, dict[str, Any] | None]]:
    """Corrections and voids in the order they apply (knowledge, then position), each one's
    changes read once (None: a void)."""
    ordered = sorted(related, key=lambda r: (r.known_us, r.pos))
    return [
        (r.known_us, r.pos, None if r.kind == "record.voided" else _loads(r.data)) for r in ordered
    ]


def _state(
    head: dict[str, Any], changes: list[tuple[int, int, dict[str, Any] | None]], k: int, p: int
) -> dict[str, Any] | None:
    """The values visible at knowledge cell start k and position p, or None when voided."""
    values = dict(head)
    for known_us, pos, change in changes:
        if known_us > k or pos > p:
            continue
        if change is None:
            return None
        values.update(change)
    return values


def _head(row: Any) -> dict[str, Any]:
    # rm_facts.data as `fact_rows` wrote it (one JSON object): read without json's wrapper
    return {"at": row.at, "reason": row.reason, "ref": row.ref, **_loads(row.data)}


def _fact_versions(
    row: Any,
    opening: Any | None,
    own: list[Any],
    of_opening: list[Any],
    record_voids: list[Any],
    out: Rows,
) -> None:
    head = _head(row)
    opening_head = _head(opening) if opening is not None else None
    mine = _parsed([*own, *record_voids])
    theirs = _parsed([*of_opening, *record_voids]) if opening is not None else []
    stood = [row] if opening is None else [row, opening]
    first_known = max(r.known_us for r in stood)
    first_pos = max(r.pos for r in stood)
    related = [*own, *of_opening, *record_voids]
    if not related and opening is None:  # the common case: one cell, from the fact on
        _emit(row, head, head, row.known_us, OPEN, row.pos, OPEN, out)
        return
    # Knowledge: Kb admits an event when known_us < Kb; the cell (k_i, k_i+1] admits those with
    # known_us <= k_i. Positions: P admits pos <= P; the cell [p_j, p_j+1) those with pos <= p_j.
    knowns = _cells([*(r.known_us for r in stood), *(r.known_us for r in related)])
    positions = _cells([*(r.pos for r in stood), *(r.pos for r in related)])
    for known_from, known_to in knowns:
        if known_from < first_known:
            continue
        for pos_from, pos_to in positions:
            if pos_from < first_pos:
                continue
            values = _state(head, mine, known_from, pos_from)
            if values is None:
                continue
            if opening_head is None:
                opened = values
            else:
                found = _state(opening_head, theirs, known_from, pos_from)
                if found is None:
                    continue
                opened = found
            _emit(row, values, opened, known_from, known_to, pos_from, pos_to, out)


def _text(value: Any) -> str | None:
    """A code as stored: a text, else None (a report reads any other value as `unknown`)."""
    return value if isinstance(value, str) else None


def _emit(
    row: Any,
    values: dict[str, Any],
    opened: dict[str, Any],
    known_from: int,
    known_to: int,
    pos_from: int,
    pos_to: int,
    out: Rows,
) -> None:
    """A fact's row in a cell: rm_fa_versions (VERSION_COLUMNS), or for an activity count
    rm_fa_counts (COUNT_COLUMNS) and its rm_fa_details rows (DETAIL_COLUMNS)."""
    at_us, day = _moment(values["at"])  # remembered: dates repeat
    if row.record_kind == "activity":
        named_metric, named_month = _named(row.target)
        detail = values.get("detail")
        metric, month = _text(values.get("metric")), _text(values.get("month"))
        cell = (row.org, named_month, row.target, known_from, pos_from)
        after = (known_to, pos_to, at_us, day, named_metric, metric, month)
        out.counts.append((*cell, *after, values.get("value"), detail is not None))
        if isinstance(detail, dict):
            out.details.extend((*cell, code, *after, count) for code, count in detail.items())
        return
    open_us = at_us if opened is values else _moment(opened["at"])[0]
    out.versions.append(
        (
            row.org,
            row.record_kind,
            day,
            row.fact_id,
            known_from,
            pos_from,
            known_to,
            pos_to,
            at_us,
            open_us,
            row.target,
            row.kind,
            _text(values.get("direction")),
            values.get("people"),
            _text(values.get("funding")),
            _text(values.get("approval")),
            bool(values.get("received_by_leaders")),
            bool(values.get("unplanned")),
            _text(values.get("plan_item")),
            _text(values.get("arranged")),
            _text(values.get("partner_type")),
            _text(values.get("level")),
            values.get("amount_usd", values.get("amount_vnd")),
        )
    )


def _named(target: str) -> tuple[str, str]:
    """The metric and month an activity count's target names (`activity:METRIC/MONTH`)."""
    metric, _, month = target.partition(":")[2].rpartition("/")
    return metric, month


def refresh(
    conn: Connection, records: Iterable[tuple[str, str]], batch: Iterable[tuple[Any, ...]] = ()
) -> None:
    """Recompute the versions of these records (org, target) from their fact rows
    (`projections.versions.fact_rows_of`: a batch's new ones without a read-back)."""
    out = Rows()
    for rows in fact_rows_of(conn, records, batch, TABLES):
        out.extend(version_rows(rows))
    for table, names, made in (
        (fa_versions, VERSION_COLUMNS, out.versions),
        (fa_counts, COUNT_COLUMNS, out.counts),
        (fa_details, DETAIL_COLUMNS, out.details),
    ):
        if made:
            _insert(conn, table, names, made)
