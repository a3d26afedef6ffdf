"""What is visible under the three cut-offs, and each record's state folded from it."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, literal_column, select, union_all

from domain.closures import DECLARATIONS
from domain.times import Cutoff, Moment
from projections.tables import facts

_CHANGES = ("record.corrected", "record.voided")
_NEVER = Cutoff(2**62, "∞")


@dataclass(frozen=True)
class Cutoffs:
    """As-of day D, knowledge cut-off K and recorded-by cut-off T of one report."""

    as_of: date
    known: Cutoff
    recorded_pos: int | None = None
    recorded: Cutoff | None = None

    @property
    def effective(self) -> Cutoff:
        """Facts effective by the end of D."""
        return Cutoff.end_of_day(self.as_of)

    def shifted(self, as_of: date) -> Cutoffs:
        """The same knowledge and recorded cut-offs at another as-of day."""
        return Cutoffs(as_of, self.known, self.recorded_pos, self.recorded)


@dataclass
class FactNow:
    """One fact as visible under the cut-offs, with its corrections applied."""

    fact_id: str
    kind: str
    pos: int
    known_us: int
    moment: Moment
    values: dict[str, Any]
    actor: str
    corrected_by: list[str] = field(default_factory=list)

    @property
    def day(self) -> date:
        """The Vietnam day it happened."""
        return self.moment.day

    def order_key(self) -> tuple[Any, ...]:
        """Effective time (a date before instants that day), then knowledge, then position."""
        return (self.moment, self.known_us, self.pos)


@dataclass
class RecordNow:
    """A record's visible facts in effective-time order; its opening fact first."""

    target: str
    opening: FactNow
    facts: list[FactNow]
    org: str = ""

    def of_kind(self, kind: str) -> list[FactNow]:
        """The facts of one kind, in effective-time order."""
        return [f for f in self.facts if f.kind == kind]


def select_rows(
    conn: Connection,
    orgs: Sequence[str],
    record_kind: str,
    cut: Cutoffs | None,
    *,
    scope: str | None = None,
    targets: Iterable[str] | None = None,
    target_prefix: str | None = None,
) -> list[Any]:
    """The rows of one kind of record that the knowledge and recorded cut-offs admit."""
    params: dict[str, Any] = {"orgs": list(orgs), "record_kind": record_kind}
    if scope is not None:
        params["scope"] = scope
    if targets is not None:
        params["targets"] = list(targets)
    if target_prefix is not None:
        params["prefix"] = _like(target_prefix)
    if cut is not None:
        params["known"] = cut.known.below_us
        if cut.recorded_pos is not None:
            params["recorded_pos"] = cut.recorded_pos
        if cut.recorded is not None:
            params["recorded"] = cut.recorded.below_us
    shape = frozenset(params)
    query = _QUERIES.get(shape)
    if query is None:
        query = _QUERIES[shape] = _query(shape)
    return list(conn.execute(query, params))


# One statement per shape of filters, built once: SQLAlchemy then compiles it once (building
# and keying a statement per report cost more than running it).
_QUERIES: dict[frozenset[str], Any] = {}


def _query(shape: frozenset[str]) -> Any:
    return _filtered(select(facts), {key: key for key in shape}).order_by(facts.c.pos)


def _filtered(query: Any, names: dict[str, str]) -> Any:
    """`select_rows`' conditions, each filter present in `names` (filter → parameter name)."""
    query = query.where(
        facts.c.org.in_(bindparam(names["orgs"], expanding=True)),
        facts.c.record_kind == bindparam(names["record_kind"]),
    )
    if "scope" in names:
        query = query.where(facts.c.scope == bindparam(names["scope"]))
    if "targets" in names:
        query = query.where(facts.c.target.in_(bindparam(names["targets"], expanding=True)))
    if "prefix" in names:
        query = query.where(facts.c.target.like(bindparam(names["prefix"]), escape="\\"))
    if "known" in names:
        query = query.where(facts.c.known_us < bindparam(names["known"]))
    if "recorded_pos" in names:
        query = query.where(facts.c.pos <= bindparam(names["recorded_pos"]))
    if "recorded" in names:
        query = query.where(facts.c.recorded_us < bindparam(names["recorded"]))
    return query


@dataclass(frozen=True)
class Part:
    """One `select_rows` (its organisations, record kind and targets) among several read in one
    statement by `select_parts`."""

    orgs: tuple[str, ...]
    record_kind: str
    targets: tuple[str, ...] | None = None
    target_prefix: str | None = None


def select_parts(conn: Connection, cut: Cutoffs, parts: Sequence[Part]) -> list[list[Any]]:
    """Each part's rows, as `select_rows` gives them (in position order), read in one
    statement: a report's few small records (closures, plan, notes…) in one round trip to the
    database instead of one each."""
    params: dict[str, Any] = {"known": cut.known.below_us}
    if cut.recorded_pos is not None:
        params["recorded_pos"] = cut.recorded_pos
    if cut.recorded is not None:
        params["recorded"] = cut.recorded.below_us
    shapes = []
    for i, part in enumerate(parts):
        own = {"orgs": list(part.orgs), "record_kind": part.record_kind}
        if part.targets is not None:
            own["targets"] = list(part.targets)
        if part.target_prefix is not None:
            own["prefix"] = _like(part.target_prefix)
        shapes.append(frozenset(own))
        params.update({f"{key}_{i}": value for key, value in own.items()})
    shape = (frozenset(key for key in params if key in _CUT_KEYS), tuple(shapes))
    query = _BUNDLES.get(shape)
    if query is None:
        query = _BUNDLES[shape] = _bundle(shape[0], shape[1])
    found: list[list[Any]] = [[] for _part in parts]
    for row in conn.execute(query, params):
        found[row.part].append(row)
    return found


_CUT_KEYS = ("known", "recorded_pos", "recorded")
_BUNDLES: dict[Any, Any] = {}


def _bundle(cut: frozenset[str], shapes: tuple[frozenset[str], ...]) -> Any:
    members = []
    for i, shape in enumerate(shapes):
        names = {key: f"{key}_{i}" for key in shape} | {key: key for key in cut}
        members.append(_filtered(select(literal_column(str(i)).label("part"), *facts.c), names))
    compound = union_all(*members).subquery("parts")
    return select(compound).order_by(compound.c.part, compound.c.pos)


def _like(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def fold(rows: Iterable[Any], effective: Cutoff = _NEVER) -> dict[tuple[str, str], RecordNow]:
    """Each record's state: facts corrected (knowledge, then position), voids dropped."""
    base: list[Any] = []
    corrections: dict[str, list[tuple[int, int, dict[str, Any], str]]] = defaultdict(list)
    voided_facts: set[str] = set()
    voided_records: set[tuple[str, str]] = set()
    for row in rows:
        if row.kind == "record.corrected":
            corrections[row.target_fact_id].append(
                (row.known_us, row.pos, json.loads(row.data), row.fact_id)
            )
        elif row.kind == "record.voided":
            if row.target_fact_id is None:
                voided_records.add((row.org, row.target))
            else:
                voided_facts.add(row.target_fact_id)
        else:
            base.append(row)
    grouped: dict[tuple[str, str], list[FactNow]] = defaultdict(list)
    for row in base:
        key = (row.org, row.target)
        if key in voided_records or row.fact_id in voided_facts:
            continue
        values = {"at": row.at, "reason": row.reason, "ref": row.ref, **json.loads(row.data)}
        applied = sorted(corrections.get(row.fact_id, ()), key=lambda c: c[:2])
        for _known, _pos, changes, _fid in applied:
            values.update(changes)
        moment = Moment.parse(values["at"])
        if not effective.admits(moment.us):
            continue
        grouped[key].append(
            FactNow(
                row.fact_id,
                row.kind,
                row.pos,
                row.known_us,
                moment,
                values,
                row.actor,
                [c[3] for c in applied],
            )
        )
    states: dict[tuple[str, str], RecordNow] = {}
    for key, found in grouped.items():
        found.sort(key=FactNow.order_key)
        opening = next((f for f in found if f.fact_id == f"{key[1]}#1"), None)
        if opening is None and key[1].partition(":")[0] in DECLARATIONS:
            # a record of declarations whose first one was withdrawn (fact void) stands on the
            # others; any other record needs its opening fact
            opening = found[0]
        if opening is not None:
            states[key] = RecordNow(key[1], opening, found, key[0])
    return states


def current_opening(
    conn: Connection, org: str, target: str, *, latest: bool = False
) -> tuple[dict[str, Any] | None, bool]:
    """A record's opening fact (`latest`: its latest fact by position, a draft's last version)
    with every correction known, and whether it is voided."""
    rows = list(conn.execute(select(facts).where(facts.c.org == org, facts.c.target == target)))
    state = fold(rows).get((org, target))
    if state is None:
        return None, True
    if latest:
        return max(state.facts, key=lambda f: f.pos).values, False
    return state.opening.values, False


def targets_in_window(
    conn: Connection,
    orgs: Sequence[str],
    record_kind: str,
    kinds: Sequence[str],
    windows: Sequence[tuple[date, date]],
) -> set[tuple[str, str]]:
    """Records with a fact of `kinds` dated in a window, and those whose `at` was ever corrected.

    The second set keeps a corrected date honest: the fold then filters by the corrected day.
    """
    found: set[tuple[str, str]] = set()
    for start, end in windows:
        query = select(facts.c.org, facts.c.target).where(
            facts.c.org.in_(list(orgs)),
            facts.c.kind.in_(list(kinds)),
            facts.c.at_day >= start.isoformat(),
            facts.c.at_day <= end.isoformat(),
        )
        found.update((r.org, r.target) for r in conn.execute(query))
    moved = select(facts.c.org, facts.c.target).where(
        facts.c.org.in_(list(orgs)),
        facts.c.record_kind == record_kind,
        facts.c.kind == "record.corrected",
        facts.c.data.like('%"at": %'),
    )
    found.update((r.org, r.target) for r in conn.execute(moved))
    return found
