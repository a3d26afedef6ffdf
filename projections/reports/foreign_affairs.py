"""The foreign-affairs report (báo cáo công tác đối ngoại): delegations, conferences,
agreements, aid and activity counts, each with the same window a year earlier (cùng kỳ)."""

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
from projections.visibility import FactNow, RecordNow, fold, select_rows, targets_in_window

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


def _plan(
    conn: Connection, request: ReportRequest, outbound: list[dict[str, Any]]
) -> dict[str, Any]:
    year = request.period.year
    target = f"outbound_plan:{year}"
    rows = select_rows(conn, [request.org], "outbound_plan", request.cut, targets=[target])
    state = fold(rows, request.cut.effective).get((request.org, target))
    if state is None:
        return {"items": 0, "done": 0, "rate_percent": None}
    items = {item["id"] for item in state.opening.values["items"]}
    done = len({d["plan_item"] for d in outbound if d.get("plan_item") in items})
    return {"items": len(items), "done": done, "rate_percent": percent(done, len(items))}


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


def build_foreign_affairs(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1: the CONTRACT keys, plus `merged_from` (predecessors counted)."""
    found = sources(conn, request.org, request.cut)
    current, previous = request.period, request.period.previous()

    delegations = _Records(conn, request, found, "delegation", ("delegation.recorded",))
    now = delegations.facts("delegation.recorded", current)
    before = delegations.facts("delegation.recorded", previous)
    outbound = _direction(_delegations(now, "outbound"), _delegations(before, "outbound"))
    outbound["plan"] = _plan(conn, request, _delegations(now, "outbound"))
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
