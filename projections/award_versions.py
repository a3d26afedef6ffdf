"""Award case versions: the fold of CONTRACT "Which version wins" done once, at write time.

An award case's state under (D, K, T) merges the terms of its visible facts (proposed, granted…)
in effective-time order, each corrected and dropped if voided, the whole case only while its
opening stands (`projections.visibility.fold`, then `award_case`). What is visible changes only
at the knowledge times and positions of the case's facts, corrections and voids: those split
knowledge × position into cells. Within a cell, what D admits changes only at the corrected
effective instants of its facts: those split effective time into intervals. Each (cell, interval)
in which the case stands is one row of `rm_award_versions`, the case as the fold makes it, in
columns; consecutive intervals with the same state are one row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from domain.times import Cutoff
from projections.reports.emulation import award_case
from projections.tables import award_versions
from projections.versions import OPEN, _cells, fact_rows_of
from projections.visibility import RecordNow, fold
from projections.writers import _insert

VERSION_COLUMNS = tuple(c.name for c in award_versions.columns)


def _state(case: dict[str, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The key columns (stage, count_year, count_day) and the state columns of a folded case."""
    key = (case["stage"], case["for_year"] or 0, case["decided_on"] or "")
    return key, (
        case["form"],
        case["title"],
        case["grantor"],
        case["body"],
        case["recipient"]["type"],
        case["recipient"]["name"],
        case["_person"],
        case["_unit"],
        case["category"],
        case["movement"],
        case["for_year"],
        case["irregular"],
        case["irregular_reason"],
        case["proposed_on"],
        case["decided_on"],
        case["ref"],
    )


Folded = tuple[tuple[Any, ...], tuple[Any, ...]]  # a case's key columns and state columns


def _intervals(rows: list[Any], org: str, target: str) -> list[tuple[int, int, Folded]]:
    """The case over effective time for the visible `rows`: (eff_from, eff_to, state), equal
    neighbours joined; empty when its opening never stands."""
    state = fold(rows).get((org, target))
    if state is None:
        return []
    instants = sorted({f.moment.us for f in state.facts})
    out: list[tuple[int, int, Folded]] = []
    for i, since in enumerate(instants):
        until = instants[i + 1] if i + 1 < len(instants) else OPEN
        effective = Cutoff(since + 1, "")  # admits the facts at or before `since`
        admitted = [f for f in state.facts if effective.admits(f.moment.us)]
        opening = next((f for f in admitted if f.fact_id == state.opening.fact_id), None)
        if opening is None:  # the case is not yet open at this D (fold: no opening, no case)
            continue
        values = _state(award_case(RecordNow(state.target, opening, admitted, org)))
        if out and out[-1][1] == since and out[-1][2] == values:
            out[-1] = (out[-1][0], until, values)
        else:
            out.append((since, until, values))
    return out


def version_rows(rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    """The rm_award_versions rows (VERSION_COLUMNS) of every award case whose fact rows are given
    (all of each record's rows: its facts, corrections and voids)."""
    by_record: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in rows:
        by_record[(row.org, row.target)].append(row)
    out: list[tuple[Any, ...]] = []
    for (org, target), mine in by_record.items():
        # Knowledge: Kb admits a row when known_us < Kb; the cell (k_i, k_i+1] admits those with
        # known_us <= k_i. Positions: P admits pos <= P; the cell [p_j, p_j+1) those with
        # pos <= p_j. Neighbouring position cells that admit the same rows are one row; cells
        # that admit the same rows fold alike: folded once.
        seen: dict[frozenset[int], list[tuple[int, int, Folded]]] = {}
        for known_from, known_to in _cells(r.known_us for r in mine):
            for pos_from, pos_to, key in _runs(mine, known_from):
                found = seen.get(key)
                if found is None:
                    visible = [r for r in mine if r.pos in key]
                    found = seen[key] = _intervals(visible, org, target)
                for eff_from, eff_to, (counted, values) in found:
                    cell = (known_from, pos_from, eff_from, known_to, pos_to, eff_to)
                    out.append((org, *counted, target, *cell, *values))
    return out


def _runs(mine: list[Any], known_from: int) -> list[tuple[int, int, frozenset[int]]]:
    """The position cells of one knowledge cell, neighbours that admit the same rows joined
    (most cells: a row known later than this cell adds nothing), each with the positions of
    the rows it admits; none that admits no row."""
    runs: list[tuple[int, int, frozenset[int]]] = []
    for pos_from, pos_to in _cells(r.pos for r in mine):
        key = frozenset(r.pos for r in mine if r.known_us <= known_from and r.pos <= pos_from)
        if runs and runs[-1][2] == key:
            runs[-1] = (runs[-1][0], pos_to, key)
        elif key:
            runs.append((pos_from, pos_to, key))
    return runs


def refresh(
    conn: Connection, records: Iterable[tuple[str, str]], batch: Iterable[tuple[Any, ...]] = ()
) -> None:
    """Recompute the versions of these award cases (org, target) from their fact rows
    (`projections.versions.fact_rows_of`: a batch's new ones without a read-back)."""
    made: list[tuple[Any, ...]] = []
    for rows in fact_rows_of(conn, records, batch, (award_versions,)):
        made.extend(version_rows(rows))
    if made:
        _insert(conn, award_versions, VERSION_COLUMNS, made)
