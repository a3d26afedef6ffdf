"""Task versions: the fold of CONTRACT "Which version wins" done once, at write time, per fact.

A task's state under (D, K, T) is its visible facts (opening, progress), each replaced by its
visible corrections (knowledge time, then position) and dropped by a visible void of it or of the
record; D then filters each fact by its corrected effective instant. What is visible of one fact
changes only at the knowledge times and positions of the fact, its corrections and the voids that
can name it: those split knowledge × position into cells, and each cell where the fact is visible
and not voided is one version row (`projections.tables.task_versions`), its state in columns.
Under a recorded-by *instant*, the cut-off is read as a position when the recorded instants admit
one (they do unless two writers' clocks crossed); otherwise the report falls back to the fold.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select

from domain.times import Moment
from projections.fact_rows import FACT_COLUMNS
from projections.stored import _loads
from projections.tables import facts, task_versions
from projections.visibility import Cutoffs
from projections.writers import _insert

# Beyond every knowledge instant and position: the open end of the last cell.
OPEN = 1 << 62
VERSION_COLUMNS = tuple(c.name for c in task_versions.columns)
_TARGETS_PER_QUERY = 400
FactRow = namedtuple("FactRow", FACT_COLUMNS)  # type: ignore[misc]  # a batch's rm_facts row


def sort_changes(
    rows: Iterable[Any],
) -> tuple[list[Any], dict[str, list[Any]], dict[tuple[str, str], list[Any]]]:
    """A record's fact rows sorted for folding into versions: its facts, the corrections and voids
    of each fact (by fact id), and the voids of whole records (by (org, target))."""
    facts_of: list[Any] = []
    changes: dict[str, list[Any]] = defaultdict(list)
    record_voids: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in rows:
        if row.kind == "record.corrected":
            changes[row.target_fact_id].append(row)
        elif row.kind == "record.voided":
            if row.target_fact_id is None:
                record_voids[(row.org, row.target)].append(row)
            else:
                changes[row.target_fact_id].append(row)
        else:
            facts_of.append(row)
    return facts_of, changes, record_voids


def _cells(points: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive [from, to) pairs of the sorted distinct points, the last one open."""
    ordered = sorted(set(points))
    return list(zip(ordered, [*ordered[1:], OPEN], strict=True))


def version_rows(rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    """The task_versions rows (VERSION_COLUMNS) of every task whose fact rows are given (all of
    each record's rows: its facts, corrections and voids)."""
    facts_of, changes, record_voids = sort_changes(rows)
    base = [row for row in facts_of if row.kind in ("task.added", "task.progressed")]
    out: list[tuple[Any, ...]] = []
    for row in base:
        related = [*changes.get(row.fact_id, ()), *record_voids.get((row.org, row.target), ())]
        out.extend(_fact_versions(row, related))
    return out


def _fact_versions(row: Any, related: list[Any]) -> list[tuple[Any, ...]]:
    data = _loads(row.data)  # rm_facts.data, as `fact_rows` wrote it: one JSON object
    head = {"at": row.at, "reason": row.reason, "ref": row.ref}
    if not related:  # the common case: one cell, from the fact on
        return [_version(row, row.known_us, OPEN, row.pos, OPEN, {**head, **data})]
    # The order corrections apply in, each one's changes read once.
    ordered = sorted(related, key=lambda r: (r.known_us, r.pos))
    changes = [
        (r.known_us, r.pos, None if r.kind == "record.voided" else _loads(r.data)) for r in ordered
    ]
    # Knowledge: Kb admits an event when known_us < Kb; the cell (k_i, k_i+1] admits those with
    # known_us <= k_i. Positions: P admits pos <= P; the cell [p_j, p_j+1) those with pos <= p_j.
    knowns = _cells([row.known_us, *(r.known_us for r in related)])
    positions = _cells([row.pos, *(r.pos for r in related)])
    out = []
    for known_from, known_to in knowns:
        if known_from < row.known_us:
            continue
        for pos_from, pos_to in positions:
            if pos_from < row.pos:
                continue
            values = {**head, **data}
            voided = False
            for known_us, pos, change in changes:
                if known_us > known_from or pos > pos_from:
                    continue
                if change is None:  # a void of the fact or of the record
                    voided = True
                    break
                values.update(change)
            if not voided:
                out.append(_version(row, known_from, known_to, pos_from, pos_to, values))
    return out


def _version(
    row: Any, known_from: int, known_to: int, pos_from: int, pos_to: int, values: dict[str, Any]
) -> tuple[Any, ...]:
    """One task_versions row (VERSION_COLUMNS): a fact's state in one cell."""
    us, precise, day = _moment(values["at"])
    if row.fact_id == f"{row.target}#1":  # the opening
        state: tuple[Any, ...] = (
            values.get("no"),
            values.get("title"),
            values.get("unit"),
            values.get("deadline"),
            values.get("source"),
            values.get("programme"),
            bool(values.get("no_inferred")),
            None,
            None,
            None,
        )
        opening = True
    else:
        state = (
            *(None,) * 7,
            values.get("status"),
            values.get("reason"),
            values.get("ref"),
        )
        opening = False
    return (
        row.org,
        row.scope,
        row.target,
        row.fact_id,
        opening,
        known_from,
        known_to,
        pos_from,
        pos_to,
        us,
        precise,
        row.known_us,
        row.pos,
        day,
        *state,
    )


_MEMO_LIMIT = 100_000
_moments: dict[str, tuple[int, bool, str]] = {}


def _moment(text: str) -> tuple[int, bool, str]:
    """A fact time's microseconds, precision and Vietnam day (`Moment.parse`, remembered: the
    dates of a history repeat, and parsing was a fifth of making the versions)."""
    found = _moments.get(text)
    if found is None:
        if len(_moments) > _MEMO_LIMIT:
            _moments.clear()
        moment = Moment.parse(text)
        found = _moments[text] = (moment.us, moment.precise, moment.day.isoformat())
    return found


def fact_rows_of(
    conn: Connection,
    records: Iterable[tuple[str, str]],
    batch: Iterable[tuple[Any, ...]],
    tables: Iterable[Table],
) -> Iterator[list[Any]]:
    """The fact rows of these records (org, target), a group of whole records at a time, for a
    versions table to fold again; their old rows in `tables` are deleted first.

    A record opened in the `batch` (rm_facts rows being written with it) has no other rows yet
    and no versions: its rows are the batch's, without deleting or reading back (most records of
    an import or a rebuild; the read-back was half of a rebuild's task versions). The others are
    read back whole, `_TARGETS_PER_QUERY` at a time."""
    wanted = set(records)
    mine: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in batch:
        key = (row[1], row[4])
        if key in wanted:
            mine[key].append(FactRow(*row))
    by_org: dict[str, list[str]] = defaultdict(list)
    for key in wanted:
        batched = mine.get(key)
        if batched is not None and any(r.fact_id == f"{key[1]}#1" for r in batched):
            yield batched
        else:
            by_org[key[0]].append(key[1])
    for org, targets in by_org.items():
        for i in range(0, len(targets), _TARGETS_PER_QUERY):
            part = targets[i : i + _TARGETS_PER_QUERY]
            for table in tables:
                conn.execute(delete(table).where(table.c.org == org, table.c.target.in_(part)))
            yield list(
                conn.execute(select(facts).where(facts.c.org == org, facts.c.target.in_(part)))
            )


def refresh(
    conn: Connection, records: Iterable[tuple[str, str]], batch: Iterable[tuple[Any, ...]] = ()
) -> None:
    """Recompute the versions of these tasks (org, target) from their fact rows."""
    found: list[tuple[Any, ...]] = []
    for rows in fact_rows_of(conn, records, batch, (task_versions,)):
        found.extend(version_rows(rows))
    if found:
        _insert(conn, task_versions, VERSION_COLUMNS, found)


def recorded_position(conn: Connection, cut: Cutoffs) -> int | None:
    """The recorded cut-off T as a position P (facts recorded by T are those with pos <= P), or
    None when a recorded-by instant admits no such position (clocks crossed: use the fold)."""
    position = OPEN - 1 if cut.recorded_pos is None else cut.recorded_pos
    if cut.recorded is None:
        return position
    below = cut.recorded.below_us
    last_in = conn.execute(select(func.max(facts.c.pos)).where(facts.c.recorded_us < below))
    first_out = conn.execute(select(func.min(facts.c.pos)).where(facts.c.recorded_us >= below))
    inside, outside = last_in.scalar(), first_out.scalar()
    if inside is not None and outside is not None and outside < inside:
        return None
    if inside is None:
        return 0
    return min(position, inside) if outside is None else min(position, inside, outside - 1)
