"""The foreign-affairs report's figures as grouped SQL on the foreign-affairs versions.

Each function answers under (D, K, T) for a lineage (`projections.lineage.sources`): a fact
counts when its version is visible (knowledge and position cells), it and its record's opening
are effective by D, its corrected day falls in a window and its department's records count on
that day. Counts, people and amounts come back grouped by the codes the report breaks down by
(a few rows); the same statements on SQLite and PostgreSQL, built once per shape of lineage.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)

from projections.lineage import Source
from projections.reports.common import ReportRequest
from projections.reports.task_versions import _cut
from projections.tables import fa_counts as c
from projections.tables import fa_details as d
from projections.tables import fa_versions as v

# The columns the report breaks counted facts down by.
GROUPS = (
    "record_kind",
    "kind",
    "direction",
    "funding",
    "approval",
    "received_by_leaders",
    "unplanned",
    "arranged",
    "partner_type",
    "level",
)


def _visible(table: Any, effective: str = "effective") -> list[Any]:
    return [
        table.c.known_from < bindparam("known"),
        table.c.known_to >= bindparam("known"),
        table.c.pos_from <= bindparam("position"),
        table.c.pos_to > bindparam("position"),
        table.c.at_us < bindparam(effective),
    ]


Shape = tuple[bool, ...]  # per source of a lineage: whether its records stop at a day


def _shape(found: Sequence[Source]) -> Shape:
    return tuple(source.until is not None for source in found)


def _lineage(table: Any, shape: Shape) -> Any:
    """The department of each source, dated before its `until` if it has one (parameters o0,
    u0, o1…). A department counted whole has no condition on the day: the window's range is
    then the one the index reads by."""
    return or_(
        *(
            and_(table.c.org == bindparam(f"o{i}"), table.c.day < bindparam(f"u{i}"))
            if until
            else table.c.org == bindparam(f"o{i}")
            for i, until in enumerate(shape)
        )
    )


def _lineage_params(found: Sequence[Source]) -> dict[str, str]:
    params: dict[str, str] = {}
    for i, source in enumerate(found):
        params[f"o{i}"] = source.org
        if source.until is not None:
            params[f"u{i}"] = source.until.isoformat()
    return params


def _total(column: Any) -> Any:
    """A sum as an integer on both databases (PostgreSQL sums BIGINT as NUMERIC), 0 if none."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


_COUNTED: dict[Shape, Any] = {}
_PLANNED: dict[Shape, Any] = {}
_MONTHS: dict[Shape, Any] = {}
_DETAILS: dict[Shape, Any] = {}


def _counted_query(shape: Shape) -> Any:
    """Facts of the counted record kinds dated in the current window (`which` 0) or the earlier
    one (1), grouped by the report's codes."""
    which = case((v.c.day >= bindparam("start"), literal(0)), else_=literal(1)).label("which")
    columns = [v.c[name] for name in GROUPS]
    return (
        select(
            which,
            *columns,
            func.count().label("n"),
            _total(v.c.people).label("people"),
            _total(v.c.amount).label("amount"),
        )
        .where(
            _lineage(v, shape),
            v.c.record_kind.in_(("delegation", "conference", "agreement", "aid", "support")),
            # both windows, then each (the index reads the range from the earlier one's start)
            v.c.day.between(bindparam("before_start"), bindparam("end")),
            or_(
                v.c.day.between(bindparam("start"), bindparam("end")),
                v.c.day.between(bindparam("before_start"), bindparam("before_end")),
            ),
            v.c.open_at_us < bindparam("effective"),
            *_visible(v),
        )
        .group_by(which, *columns)
    )


def _planned_query(shape: Shape) -> Any:
    """The plan items that outbound delegations of the current window name."""
    return (
        select(v.c.plan_item)
        .distinct()
        .where(
            _lineage(v, shape),
            v.c.record_kind == "delegation",
            v.c.kind == "delegation.recorded",
            v.c.direction == "outbound",
            v.c.plan_item.is_not(None),
            v.c.day.between(bindparam("start"), bindparam("end")),
            v.c.open_at_us < bindparam("effective"),
            *_visible(v),
        )
    )


def _in_runs(column: Any) -> Any:
    """In one of two runs of months (a period's months are consecutive: a range of `YYYY-MM`)."""
    return or_(
        column.between(bindparam("first"), bindparam("last")),
        column.between(bindparam("first2"), bindparam("last2")),
    )


def _months_query(shape: Shape) -> Any:
    """Each metric's counts of the months asked: named so by their target, and so still once
    corrected."""
    return (
        select(
            c.c.target_metric,
            c.c.metric,
            c.c.month,
            func.count().label("n"),
            _total(c.c.value).label("value"),
            func.count().filter(~c.c.has_detail).label("without_detail"),
        )
        .where(
            _lineage(c, shape),
            _in_runs(c.c.target_month),
            _in_runs(c.c.month),
            *_visible(c),
        )
        .group_by(c.c.target_metric, c.c.metric, c.c.month)
    )


def _details_query(shape: Shape) -> Any:
    """The sub-counts of the same counts, by metric, month and code."""
    return (
        select(
            d.c.target_metric,
            d.c.metric,
            d.c.month,
            d.c.code,
            _total(d.c["count"]).label("count"),
        )
        .where(
            _lineage(d, shape),
            _in_runs(d.c.target_month),
            _in_runs(d.c.month),
            *_visible(d),
        )
        .group_by(d.c.target_metric, d.c.metric, d.c.month, d.c.code)
    )


def _statement(cache: dict[Shape, Any], build: Any, found: Sequence[Source]) -> Any:
    shape = _shape(found)
    query = cache.get(shape)
    if query is None:
        query = cache[shape] = build(shape)
    return query


class Versions:
    """The cut-off parameters of one report, or `usable` False when T cannot be read as a
    position (the report then folds)."""

    def __init__(self, conn: Connection, request: ReportRequest, found: Sequence[Source]) -> None:
        self.conn = conn
        self.found = found
        cut = _cut(conn, request)
        self.usable = cut is not None
        self.params: dict[str, Any] = {**(cut or {}), **_lineage_params(found)}

    def counted(self, current: tuple[date, date], earlier: tuple[date, date]) -> list[Any]:
        """Grouped facts of the current (`which` 0) and earlier (1) windows."""
        params = {
            **self.params,
            "start": current[0].isoformat(),
            "end": current[1].isoformat(),
            "before_start": earlier[0].isoformat(),
            "before_end": earlier[1].isoformat(),
        }
        query = _statement(_COUNTED, _counted_query, self.found)
        return list(self.conn.execute(query, params))

    def planned(self, current: tuple[date, date]) -> set[str]:
        """Plan items named by outbound delegations of the current window."""
        params = {**self.params, "start": current[0].isoformat(), "end": current[1].isoformat()}
        query = _statement(_PLANNED, _planned_query, self.found)
        return {row.plan_item for row in self.conn.execute(query, params)}

    def months(
        self,
        metrics: Collection[str],
        runs: Sequence[list[str]],
        effective: int,
        *,
        details: bool = True,
    ) -> tuple[list[Any], list[Any]]:
        """Per metric and month: the counts and their sub-counts effective before `effective`
        whose target names one of `metrics` and a month of `runs` (one or two runs of
        consecutive months), as the fold selects `activity:METRIC/MONTH` by target and keeps
        those whose corrected month is still one of them. `details`: the sub-counts too."""
        first, second = runs[0], runs[-1]
        params = {
            **self.params,
            "first": first[0],
            "last": first[-1],
            "first2": second[0],
            "last2": second[-1],
            "effective": effective,
        }
        counts = self.conn.execute(_statement(_MONTHS, _months_query, self.found), params)
        found = [row for row in counts if row.target_metric in metrics]
        if not details:  # (a comparison prints no sub-counts)
            return found, []
        more = self.conn.execute(_statement(_DETAILS, _details_query, self.found), params)
        return found, [row for row in more if row.target_metric in metrics]
