"""The foreign-affairs report (báo cáo công tác đối ngoại): delegations, conferences,
agreements, aid and activity counts, each with the same window a year earlier (cùng kỳ).

Format 1, frozen. `build_foreign_affairs` reads the foreign-affairs versions by grouped SQL
(`fa_queries`); `build_foreign_affairs_fold` folds the visible facts: the versions' test oracle,
and the answer when a recorded-by instant cannot be read as a position."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection

from domain.codes import AGREEMENT_LEVELS, APPROVAL, FUNDING
from domain.metrics import CATALOGUE as _ALL
from domain.metrics import FORMAT1_CODES
from domain.periods import Period
from projections.lineage import Source, admitted, sources
from projections.reports.common import ReportRequest
from projections.reports.fa_queries import Versions
from projections.visibility import (
    FactNow,
    Part,
    RecordNow,
    fold,
    select_rows,
    targets_in_window,
)

# Format 1 is frozen: the metrics it knew, whatever the catalogue gains later.
CATALOGUE = {code: _ALL[code] for code in FORMAT1_CODES}


def percent(part: int, whole: int) -> int | None:
    """An integer percent rounded half up; None when there is nothing to divide by."""
    if whole == 0:
        return None
    value = Decimal(part * 100) / Decimal(whole)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _breakdown(codes: Iterable[str], values: Iterable[str | None]) -> dict[str, int]:
    counts = dict.fromkeys([*codes, "unknown"], 0)
    for value in values:
        counts[value if value in counts else "unknown"] += 1
    return counts


class _Records:
    """The visible records of one kind in the current and previous windows, by lineage."""

    def __init__(
        self,
        conn: Connection,
        request: ReportRequest,
        found: list[Source],
        record_kind: str,
        kinds: tuple[str, ...],
    ) -> None:
        self.request = request
        self.found = found
        windows = [(p.start, p.end) for p in (request.period, request.period.previous())]
        orgs = [s.org for s in found]
        targets = targets_in_window(conn, orgs, record_kind, kinds, windows)
        names = {t for _o, t in targets}
        rows = select_rows(conn, orgs, record_kind, request.cut, targets=names) if names else []
        self.states = [s for key, s in fold(rows, request.cut.effective).items() if key in targets]

    def facts(self, kind: str, period: Period) -> list[tuple[RecordNow, FactNow]]:
        """The facts of a kind dated in a period that count for the lineage."""
        return [
            (state, fact)
            for state in self.states
            for fact in state.of_kind(kind)
            if period.contains(fact.day) and admitted(self.found, state.org, fact.day)
        ]


def _delegations(found: list[tuple[RecordNow, FactNow]], direction: str) -> list[dict[str, Any]]:
    return [f.values for _s, f in found if f.values["direction"] == direction]


def _direction(current: list[dict[str, Any]], previous: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "delegations": len(current),
        "people": sum(d["people"] for d in current),
        "by_funding": _breakdown(FUNDING, (d.get("funding") for d in current)),
        "by_approval": _breakdown(APPROVAL, (d.get("approval") for d in current)),
        "received_by_leaders": sum(1 for d in current if d.get("received_by_leaders")),
        "previous": {"delegations": len(previous), "people": sum(d["people"] for d in previous)},
    }


def plan_part(request: ReportRequest) -> Part:
    """The year's outbound plan as a part of `select_parts`."""
    return Part((request.org,), "outbound_plan", targets=(f"outbound_plan:{request.period.year}",))


def _plan(
    conn: Connection, request: ReportRequest, used: set[Any], rows: list[Any] | None = None
) -> dict[str, Any]:
    """The year's outbound plan: its items, how many the delegations `used` (their plan items)
    carried out, and the rate (from the rows of `plan_part` if read already)."""
    target = f"outbound_plan:{request.period.year}"
    if rows is None:
        rows = select_rows(conn, [request.org], "outbound_plan", request.cut, targets=[target])
    state = fold(rows, request.cut.effective).get((request.org, target))
    if state is None:
        return {"items": 0, "done": 0, "rate_percent": None}
    items = {item["id"] for item in state.opening.values["items"]}
    done = len(used & items)
    return {"items": len(items), "done": done, "rate_percent": percent(done, len(items))}


def plan_items_used(delegations: Iterable[dict[str, Any]]) -> set[Any]:
    """The plan items that the (outbound) delegations carried out."""
    return {d["plan_item"] for d in delegations if d.get("plan_item") is not None}


def _activity(conn: Connection, request: ReportRequest, found: list[Source]) -> dict[str, Any]:
    current, previous = request.period, request.period.previous()
    months = {m: p for p in (current, previous) for m in p.months()}
    targets = [f"activity:{code}/{month}" for code in CATALOGUE for month in months]
    rows = select_rows(conn, [s.org for s in found], "activity", request.cut, targets=targets)
    totals: dict[str, dict[str, Any]] = {
        code: {"value": 0, "detail": dict.fromkeys(m.detail, 0), "previous": 0}
        for code, m in CATALOGUE.items()
    }
    for (org, _target), state in fold(rows, request.cut.effective).items():
        values = state.opening.values
        month = values["month"]
        if values["metric"] not in totals or month not in months:
            continue
        if not admitted(found, org, state.opening.day):
            continue
        entry = totals[values["metric"]]
        if months[month] is previous:
            entry["previous"] += values["value"]
            continue
        entry["value"] += values["value"]
        for code, count in (values.get("detail") or {}).items():
            entry["detail"][code] = entry["detail"].get(code, 0) + count
    return totals


def build_foreign_affairs_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1 by the fold of the visible facts (the versions' test oracle)."""
    found = sources(conn, request.org, request.cut)
    current, previous = request.period, request.period.previous()

    delegations = _Records(conn, request, found, "delegation", ("delegation.recorded",))
    now = delegations.facts("delegation.recorded", current)
    before = delegations.facts("delegation.recorded", previous)
    outbound = _direction(_delegations(now, "outbound"), _delegations(before, "outbound"))
    outbound["plan"] = _plan(conn, request, plan_items_used(_delegations(now, "outbound")))
    outbound["unplanned"] = sum(1 for d in _delegations(now, "outbound") if d.get("unplanned"))
    inbound = _direction(_delegations(now, "inbound"), _delegations(before, "inbound"))

    conferences = _Records(conn, request, found, "conference", ("conference.recorded",))
    agreements = _Records(conn, request, found, "agreement", ("agreement.signed",))
    signed = [f.values for _s, f in agreements.facts("agreement.signed", current)]
    aid = _Records(conn, request, found, "aid", ("aid.committed", "aid.disbursed"))

    def money(period: Period) -> dict[str, int]:
        return {
            "committed_usd": sum(
                f.values["amount_usd"] for _s, f in aid.facts("aid.committed", period)
            ),
            "disbursed_usd": sum(
                f.values["amount_usd"] for _s, f in aid.facts("aid.disbursed", period)
            ),
        }

    return {
        "outbound": outbound,
        "inbound": inbound,
        "conferences": {
            "count": len(conferences.facts("conference.recorded", current)),
            "previous": len(conferences.facts("conference.recorded", previous)),
        },
        "agreements": {
            "count": len(signed),
            "by_level": _breakdown(AGREEMENT_LEVELS, (a.get("level") for a in signed)),
            "previous": len(agreements.facts("agreement.signed", previous)),
        },
        "aid": {**money(current), "previous": money(previous)},
        "activity": _activity(conn, request, found),
        "merged_from": [
            {"org": s.org, "until": s.until.isoformat()} for s in found if s.until is not None
        ],
    }


class Tally:
    """The grouped rows of `Versions.counted`, summed by what a report asks."""

    def __init__(self, rows: list[Any]) -> None:
        self.by_kind: dict[tuple[int, str], list[Any]] = {}
        for row in rows:
            self.by_kind.setdefault((row.which, row.kind), []).append(row)

    def of(self, which: int, kind: str, **codes: Any) -> list[Any]:
        """The groups of one window and fact kind with these codes."""
        rows = self.by_kind.get((which, kind), [])
        for name, value in codes.items():
            rows = [r for r in rows if getattr(r, name) == value]
        return rows

    def count(self, which: int, kind: str, **codes: Any) -> int:
        return sum(r.n for r in self.of(which, kind, **codes))

    def people(self, which: int, kind: str, **codes: Any) -> int:
        return sum(r.people for r in self.of(which, kind, **codes))

    def amount(self, which: int, kind: str) -> int:
        return sum(r.amount for r in self.of(which, kind))

    def breakdown(
        self, codes: Iterable[str], name: str, which: int, kind: str, **more: Any
    ) -> dict[str, int]:
        """`_breakdown` of one column over the groups."""
        counts = dict.fromkeys([*codes, "unknown"], 0)
        for r in self.of(which, kind, **more):
            value = getattr(r, name)
            counts[value if value in counts else "unknown"] += r.n
        return counts


def _direction_of(tally: Tally, direction: str) -> dict[str, Any]:
    kind = "delegation.recorded"
    return {
        "delegations": tally.count(0, kind, direction=direction),
        "people": tally.people(0, kind, direction=direction),
        "by_funding": tally.breakdown(FUNDING, "funding", 0, kind, direction=direction),
        "by_approval": tally.breakdown(APPROVAL, "approval", 0, kind, direction=direction),
        "received_by_leaders": tally.count(0, kind, direction=direction, received_by_leaders=True),
        "previous": {
            "delegations": tally.count(1, kind, direction=direction),
            "people": tally.people(1, kind, direction=direction),
        },
    }


def _activity_of(versions: Versions, request: ReportRequest) -> dict[str, Any]:
    current, previous = request.period, request.period.previous()
    months = {m: p for p in (current, previous) for m in p.months()}
    runs = [previous.months(), current.months()]
    counts, details = versions.months(CATALOGUE, runs, request.cut.effective.below_us)
    totals: dict[str, dict[str, Any]] = {
        code: {"value": 0, "detail": dict.fromkeys(m.detail, 0), "previous": 0}
        for code, m in CATALOGUE.items()
    }
    for row in counts:
        if row.metric not in totals:
            continue
        key = "previous" if months[row.month] is previous else "value"
        totals[row.metric][key] += row.value
    for row in details:
        if row.metric not in totals or months[row.month] is previous:
            continue
        detail = totals[row.metric]["detail"]
        detail[row.code] = detail.get(row.code, 0) + row.count
    return totals


def build_foreign_affairs(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1: the CONTRACT keys, plus `merged_from` (predecessors counted), from the
    foreign-affairs versions (the fold when a recorded-by instant cannot be read as a
    position)."""
    found = sources(conn, request.org, request.cut)
    versions = Versions(conn, request, found)
    if not versions.usable:
        return build_foreign_affairs_fold(conn, request)
    current, previous = request.period, request.period.previous()
    now = (current.start, current.end)
    tally = Tally(versions.counted(now, (previous.start, previous.end)))
    outbound = _direction_of(tally, "outbound")
    outbound["plan"] = _plan(conn, request, versions.planned(now))
    outbound["unplanned"] = tally.count(
        0, "delegation.recorded", direction="outbound", unplanned=True
    )
    signed = "agreement.signed"
    return {
        "outbound": outbound,
        "inbound": _direction_of(tally, "inbound"),
        "conferences": {
            "count": tally.count(0, "conference.recorded"),
            "previous": tally.count(1, "conference.recorded"),
        },
        "agreements": {
            "count": tally.count(0, signed),
            "by_level": tally.breakdown(AGREEMENT_LEVELS, "level", 0, signed),
            "previous": tally.count(1, signed),
        },
        "aid": {
            "committed_usd": tally.amount(0, "aid.committed"),
            "disbursed_usd": tally.amount(0, "aid.disbursed"),
            "previous": {
                "committed_usd": tally.amount(1, "aid.committed"),
                "disbursed_usd": tally.amount(1, "aid.disbursed"),
            },
        },
        "activity": _activity_of(versions, request),
        "merged_from": [
            {"org": s.org, "until": s.until.isoformat()} for s in found if s.until is not None
        ],
    }
