"""The emulation and award reports' cases as SQL on the award versions: the cases of one
department that stand under (D, K, T), counted in the period or pending, and their breakdowns
grouped in the database (the same statements on SQLite and PostgreSQL, built once)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, func, or_, select, union_all

from domain.codes import PENDING
from projections.reports.common import ReportRequest
from projections.reports.task_versions import _cut
from projections.tables import award_versions as v

# The case columns a report prints (`projections.reports.emulation.award_case`, public part).
CASE_COLUMNS = (
    v.c.target,
    v.c.stage,
    v.c.form,
    v.c.title,
    v.c.grantor,
    v.c.body,
    v.c.recipient_type,
    v.c.recipient_name,
    v.c.category,
    v.c.movement,
    v.c.for_year,
    v.c.irregular,
    v.c.irregular_reason,
    v.c.proposed_on,
    v.c.decided_on,
    v.c.ref,
)
# The breakdowns of counted awards: (name in the report, column).
BREAKDOWNS = (
    ("by_form", v.c.form),
    ("by_grantor", v.c.grantor),
    ("by_recipient_type", v.c.recipient_type),
    ("by_category", v.c.category),
)

# A case standing under the cut-offs (parameters: org, known, position, effective).
_STANDING = (
    v.c.org == bindparam("org"),
    v.c.known_from < bindparam("known"),
    v.c.known_to >= bindparam("known"),
    v.c.pos_from <= bindparam("position"),
    v.c.pos_to > bindparam("position"),
    v.c.eff_from < bindparam("effective"),
    v.c.eff_to >= bindparam("effective"),
)
_IN_PERIOD = v.c.count_day.between(bindparam("start"), bindparam("end"))
_GRANTED = v.c.stage == "granted"
# CONTRACT point 7: a granted award counts by `for_year` in a year period, else by its decision.
# A year's two ways are disjoint ranges of the primary key (for_year = Y; none and decided in Y):
# as one OR, SQLite would read the department's every version instead.
_COUNTED_WAYS = {
    True: (
        (_GRANTED, v.c.count_year == bindparam("year")),
        (_GRANTED, v.c.count_year == 0, _IN_PERIOD),
    ),
    False: ((_GRANTED, _IN_PERIOD),),
}
_PROBLEMS = or_(v.c.irregular, v.c.ref.is_(None), v.c.ref == "")


def _counted(columns: Sequence[Any], *more: Any) -> Any:
    """The counted cases' `columns` for a year's period (True) and any other (False)."""
    made = {}
    for is_year, ways in _COUNTED_WAYS.items():
        arms = [select(*columns).where(*_STANDING, *way, *more) for way in ways]
        made[is_year] = union_all(*arms) if len(arms) > 1 else arms[0]
    return made


def _breakdowns(counted: Any) -> Any:
    """Counted cases grouped by every breakdown's code at once (a few rows; each breakdown is
    then a sum over the others)."""
    found = counted.subquery("counted")
    codes = [found.c[column.name] for _name, column in BREAKDOWNS]
    return select(*codes, func.count().label("n")).group_by(*codes)


_CASES = _counted(CASE_COLUMNS)
_IRREGULAR = _counted(CASE_COLUMNS, _PROBLEMS)
_COUNTS = {y: _breakdowns(q) for y, q in _counted([c for _n, c in BREAKDOWNS]).items()}
_PENDING = select(*CASE_COLUMNS).where(*_STANDING, v.c.stage.in_(PENDING))


class Awards:
    """One report's award cases from the versions, or `usable` False when T cannot be read as a
    position (the report then folds)."""

    def __init__(self, conn: Connection, request: ReportRequest) -> None:
        self.conn = conn
        cut = _cut(conn, request)
        self.usable = cut is not None
        period = request.period
        self.is_year = len(period.label) == 4
        self.params: dict[str, Any] = {
            **(cut or {}),
            "org": request.org,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "year": period.year,
        }

    def counted(self) -> list[dict[str, Any]]:
        """The awards granted in the period, in the report's order."""
        return _ordered(self.conn.execute(_CASES[self.is_year], self.params))

    def irregular(self) -> list[dict[str, Any]]:
        """The counted awards granted irregularly or without a decision's reference."""
        return _ordered(self.conn.execute(_IRREGULAR[self.is_year], self.params))

    def pending(self) -> list[dict[str, Any]]:
        """Every case proposed or submitted, not yet decided."""
        return _ordered(self.conn.execute(_PENDING, self.params))

    def breakdowns(self) -> dict[str, list[tuple[Any, int]]]:
        """The counted awards' (code, count) pairs per breakdown."""
        found: dict[str, list[tuple[Any, int]]] = {name: [] for name, _ in BREAKDOWNS}
        for row in self.conn.execute(_COUNTS[self.is_year], self.params):
            for (name, _column), code in zip(BREAKDOWNS, row[:-1], strict=True):
                found[name].append((code, row.n))
        return found


def _ordered(rows: Any) -> list[dict[str, Any]]:
    """Cases as the report prints them, by decision (else proposal) date, then id. Sorted here:
    a database's collation may order ids otherwise than the fold (code points)."""
    cases = [
        {
            "id": row.target.split(":", 1)[1],
            "stage": row.stage,
            "form": row.form,
            "title": row.title,
            "grantor": row.grantor,
            "body": row.body,
            "recipient": {"type": row.recipient_type, "name": row.recipient_name},
            "category": row.category,
            "movement": row.movement,
            "for_year": row.for_year,
            "irregular": row.irregular,
            "irregular_reason": row.irregular_reason,
            "proposed_on": row.proposed_on,
            "decided_on": row.decided_on,
            "ref": row.ref,
        }
        for row in rows
    ]
    return sorted(cases, key=lambda c: (c["decided_on"] or c["proposed_on"] or "", c["id"]))
