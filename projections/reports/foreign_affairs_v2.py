"""The foreign-affairs report, format 2 (issue 14): comparisons only with a complete *cùng kỳ*.

`previous` is the same window a year earlier cut at D minus one year (same K and T), and only
where that window is complete (`period.closed`) or its figures were reported
(`figures.reported`); otherwise null. An activity metric with no count in a window that is not
closed is null, its `detail` only when every counted month has one. Format 1 stays in
`foreign_affairs.py`, frozen, for the reprints of the reports issued with it.

`build_foreign_affairs_v2` reads the foreign-affairs versions by grouped SQL (`fa_queries`; the
closures, figures reported and the outbound plan are a few records, still folded);
`build_foreign_affairs_v2_fold` folds the visible facts: the versions' test oracle.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from domain.codes import AGREEMENT_LEVELS, APPROVAL, FUNDING, PARTNER_TYPES
from domain.complete_periods import Earlier, Window
from domain.metrics import CATALOGUE
from domain.times import Cutoff
from projections.lineage import Source, admitted, sources
from projections.reports.common import NOTES, ReportRequest, notes, notes_part
from projections.reports.complete import CompletePeriods, parts
from projections.reports.fa_queries import Versions
from projections.reports.foreign_affairs import (
    Tally,
    _breakdown,
    _plan,
    _Records,
    plan_items_used,
    plan_part,
)
from projections.visibility import FactNow, RecordNow, fold, select_parts, select_rows

REPORT = "foreign-affairs"
# Delegations of representations, international organisations and NGOs (đoàn của các cơ quan
# đại diện, tổ chức quốc tế, tổ chức phi chính phủ).
MISSIONS = ("embassy", "international_org", "ngo")
ARRANGED = {"inbound": ("invited", "own_request"), "outbound": ("province_plan", "ministry_plan")}


def _in(found: list[tuple[RecordNow, FactNow]], window: Window) -> list[dict[str, Any]]:
    return [f.values for _s, f in found if window.contains(f.day)]


def _people(delegations: list[dict[str, Any]]) -> dict[str, int]:
    return {"delegations": len(delegations), "people": sum(d["people"] for d in delegations)}


def _earlier_object(
    earlier: Earlier, prefix: str, counted: dict[str, int]
) -> dict[str, Any] | None:
    """An earlier object (`{delegations, people}`, `{committed_usd, disbursed_usd}`): null when
    nothing of it is known."""
    values = {key: earlier.value(f"{prefix}.{key}", value) for key, value in counted.items()}
    return values if any(v is not None for v in values.values()) else None


def _direction(
    direction: str, now: list[dict[str, Any]], before: list[dict[str, Any]], earlier: Earlier
) -> dict[str, Any]:
    current = [d for d in now if d["direction"] == direction]
    previous = [d for d in before if d["direction"] == direction]
    out: dict[str, Any] = {
        **_people(current),
        "by_funding": _breakdown(FUNDING, (d.get("funding") for d in current)),
        "by_approval": _breakdown(APPROVAL, (d.get("approval") for d in current)),
        "received_by_leaders": sum(1 for d in current if d.get("received_by_leaders")),
        "previous": _earlier_object(earlier, direction, _people(previous)),
    }
    for code in ARRANGED[direction]:
        out[code] = _people([d for d in current if d.get("arranged") == code])
    if direction == "inbound":
        out["by_partner_type"] = _breakdown(PARTNER_TYPES, (d.get("partner_type") for d in current))
        out["missions"] = _people([d for d in current if d.get("partner_type") in MISSIONS])
    return out


def _months(
    conn: Connection, orgs: list[str], found: list[Source], months: list[str], cut: Any, day: date
) -> dict[str, list[dict[str, Any]]]:
    """Each metric's visible counts of those months, effective by the end of `day`."""
    targets = [f"activity:{code}/{month}" for code in CATALOGUE for month in months]
    rows = select_rows(conn, orgs, "activity", cut, targets=targets)
    counts: dict[str, list[dict[str, Any]]] = {code: [] for code in CATALOGUE}
    for (org, _target), state in fold(rows, Cutoff.end_of_day(day)).items():
        values = state.opening.values
        in_months = values["metric"] in counts and values["month"] in months
        if in_months and admitted(found, org, state.opening.day):
            counts[values["metric"]].append(values)
    return counts


def _detail(code: str, counted: list[dict[str, Any]], value: int | None) -> dict[str, int] | None:
    """The sub-counts, given only when every counted month has them."""
    codes = CATALOGUE[code].detail
    if not codes or value is None or any(c.get("detail") is None for c in counted):
        return None
    detail = dict.fromkeys(codes, 0)
    for month in counted:
        for key, count in month["detail"].items():
            detail[key] = detail.get(key, 0) + count
    return detail


def _activity(
    conn: Connection,
    request: ReportRequest,
    found: list[Source],
    complete: CompletePeriods,
    earlier: Earlier,
    earlier_day: date,
) -> dict[str, Any]:
    orgs = [s.org for s in found]
    now = _months(conn, orgs, found, request.period.months(), request.cut, request.cut.as_of)
    before = _months(conn, orgs, found, earlier.window.period.months(), request.cut, earlier_day)
    closed_now = complete.closed(complete.current())
    out: dict[str, Any] = {}
    for code in CATALOGUE:
        counted = now[code]
        value = sum(c["value"] for c in counted) if counted or closed_now else None
        previous_counts = before[code]
        previous = earlier.value(f"activity.{code}.value", sum(c["value"] for c in previous_counts))
        out[code] = {"value": value, "detail": _detail(code, counted, value), "previous": previous}
    return out


def _support(conn: Connection, request: ReportRequest, found: list[Source]) -> dict[str, Any]:
    """Support given and received in đồng (hỗ trợ, ủng hộ), dated in the period."""
    records = _Records(conn, request, found, "support", ("support.given", "support.received"))
    out: dict[str, Any] = {}
    for side in ("given", "received"):
        facts = [f.values for _s, f in records.facts(f"support.{side}", request.period)]
        out[side] = {"amount_vnd": sum(f["amount_vnd"] for f in facts), "count": len(facts)}
    return out


def build_foreign_affairs_v2_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 2 by the fold of the visible facts (the versions' test oracle)."""
    found = sources(conn, request.org, request.cut)
    complete = CompletePeriods(conn, request, found, REPORT)
    earlier, earlier_day = complete.earlier()
    window = earlier.window

    def both(records: _Records, kind: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return (
            [f.values for _s, f in records.facts(kind, request.period)],
            _in(records.facts(kind, window.period), window),
        )

    delegations = _Records(conn, request, found, "delegation", ("delegation.recorded",))
    now, before = both(delegations, "delegation.recorded")
    outbound = _direction("outbound", now, before, earlier)
    outbound_now = [d for d in now if d["direction"] == "outbound"]
    outbound["plan"] = _plan(conn, request, plan_items_used(outbound_now))
    outbound["unplanned"] = sum(1 for d in outbound_now if d.get("unplanned"))
    inbound = _direction("inbound", now, before, earlier)

    conferences = _Records(conn, request, found, "conference", ("conference.recorded",))
    held, held_before = both(conferences, "conference.recorded")
    agreements = _Records(conn, request, found, "agreement", ("agreement.signed",))
    signed, signed_before = both(agreements, "agreement.signed")
    aid = _Records(conn, request, found, "aid", ("aid.committed", "aid.disbursed"))
    committed, committed_before = both(aid, "aid.committed")
    disbursed, disbursed_before = both(aid, "aid.disbursed")

    def usd(items: list[dict[str, Any]]) -> int:
        return sum(i["amount_usd"] for i in items)

    return {
        "outbound": outbound,
        "inbound": inbound,
        "conferences": {
            "count": len(held),
            "previous": earlier.value("conferences.count", len(held_before)),
        },
        "agreements": {
            "count": len(signed),
            "by_level": _breakdown(AGREEMENT_LEVELS, (a.get("level") for a in signed)),
            "previous": earlier.value("agreements.count", len(signed_before)),
        },
        "aid": {
            "committed_usd": usd(committed),
            "disbursed_usd": usd(disbursed),
            "previous": _earlier_object(
                earlier,
                "aid",
                {"committed_usd": usd(committed_before), "disbursed_usd": usd(disbursed_before)},
            ),
        },
        "support": _support(conn, request, found),
        "activity": _activity(conn, request, found, complete, earlier, earlier_day),
        "merged_from": [
            {"org": s.org, "until": s.until.isoformat()} for s in found if s.until is not None
        ],
    }


def _people_of(tally: Tally, which: int, **codes: Any) -> dict[str, int]:
    kind = "delegation.recorded"
    return {
        "delegations": tally.count(which, kind, **codes),
        "people": tally.people(which, kind, **codes),
    }


def _direction_of(tally: Tally, direction: str, earlier: Earlier) -> dict[str, Any]:
    kind = "delegation.recorded"
    out: dict[str, Any] = {
        **_people_of(tally, 0, direction=direction),
        "by_funding": tally.breakdown(FUNDING, "funding", 0, kind, direction=direction),
        "by_approval": tally.breakdown(APPROVAL, "approval", 0, kind, direction=direction),
        "received_by_leaders": tally.count(0, kind, direction=direction, received_by_leaders=True),
        "previous": _earlier_object(earlier, direction, _people_of(tally, 1, direction=direction)),
    }
    for code in ARRANGED[direction]:
        out[code] = _people_of(tally, 0, direction=direction, arranged=code)
    if direction == "inbound":
        out["by_partner_type"] = tally.breakdown(
            PARTNER_TYPES, "partner_type", 0, kind, direction=direction
        )
        missions = [r for r in tally.of(0, kind, direction=direction) if r.partner_type in MISSIONS]
        out["missions"] = {
            "delegations": sum(r.n for r in missions),
            "people": sum(r.people for r in missions),
        }
    return out


def _counts_of(
    versions: Versions, months: list[str], effective: int, *, details: bool = True
) -> tuple[dict[str, list[Any]], dict[str, dict[str, int]]]:
    """Per metric: its grouped counts of those months, and its sub-counts summed (if asked)."""
    counts, more = versions.months(CATALOGUE, [months], effective, details=details)
    by_metric: dict[str, list[Any]] = {code: [] for code in CATALOGUE}
    for row in counts:
        if row.metric in by_metric:
            by_metric[row.metric].append(row)
    summed: dict[str, dict[str, int]] = {code: {} for code in CATALOGUE}
    for row in more:
        if row.metric in summed:
            summed[row.metric][row.code] = summed[row.metric].get(row.code, 0) + row.count
    return by_metric, summed


def _activity_of(
    versions: Versions,
    request: ReportRequest,
    complete: CompletePeriods,
    earlier: Earlier,
    earlier_day: date,
) -> dict[str, Any]:
    now, details = _counts_of(
        versions, request.period.months(), Cutoff.end_of_day(request.cut.as_of).below_us
    )
    before, _ = _counts_of(
        versions,
        earlier.window.period.months(),
        Cutoff.end_of_day(earlier_day).below_us,
        details=False,
    )
    closed_now = complete.closed(complete.current())
    out: dict[str, Any] = {}
    for code in CATALOGUE:
        counted = now[code]
        value = sum(c.value for c in counted) if counted or closed_now else None
        codes = CATALOGUE[code].detail
        detail: dict[str, int] | None = None
        if codes and value is not None and not any(c.without_detail for c in counted):
            detail = {**dict.fromkeys(codes, 0), **details[code]}
        previous = earlier.value(f"activity.{code}.value", sum(c.value for c in before[code]))
        out[code] = {"value": value, "detail": detail, "previous": previous}
    return out


def build_foreign_affairs_v2(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 2: format 1's keys with *cùng kỳ* under complete periods, nulls for what was not
    recorded, and the breakdowns the seeds state (partner types, missions, invitations and
    plans, support in đồng); from the foreign-affairs versions (the fold when a recorded-by
    instant cannot be read as a position)."""
    found = sources(conn, request.org, request.cut)
    versions = Versions(conn, request, found)
    if not versions.usable:
        return build_foreign_affairs_v2_fold(conn, request)
    # The few small records around the counts (closures, figures reported, the plan, the
    # notes) in one statement: each alone was a round trip to the database.
    closed, reported, plan, noted = select_parts(
        conn, request.cut, [*parts(found, REPORT), plan_part(request), notes_part(request)]
    )
    complete = CompletePeriods(conn, request, found, REPORT, (closed, reported))
    earlier, earlier_day = complete.earlier()
    window = earlier.window
    now = (request.period.start, request.period.end)
    tally = Tally(versions.counted(now, (window.start, window.end)))
    outbound = _direction_of(tally, "outbound", earlier)
    outbound["plan"] = _plan(conn, request, versions.planned(now), plan)
    outbound["unplanned"] = tally.count(
        0, "delegation.recorded", direction="outbound", unplanned=True
    )
    signed = "agreement.signed"
    return {
        "outbound": outbound,
        "inbound": _direction_of(tally, "inbound", earlier),
        "conferences": {
            "count": tally.count(0, "conference.recorded"),
            "previous": earlier.value("conferences.count", tally.count(1, "conference.recorded")),
        },
        "agreements": {
            "count": tally.count(0, signed),
            "by_level": tally.breakdown(AGREEMENT_LEVELS, "level", 0, signed),
            "previous": earlier.value("agreements.count", tally.count(1, signed)),
        },
        "aid": {
            "committed_usd": tally.amount(0, "aid.committed"),
            "disbursed_usd": tally.amount(0, "aid.disbursed"),
            "previous": _earlier_object(
                earlier,
                "aid",
                {
                    "committed_usd": tally.amount(1, "aid.committed"),
                    "disbursed_usd": tally.amount(1, "aid.disbursed"),
                },
            ),
        },
        "support": {
            side: {
                "amount_vnd": tally.amount(0, f"support.{side}"),
                "count": tally.count(0, f"support.{side}"),
            }
            for side in ("given", "received")
        },
        "activity": _activity_of(versions, request, complete, earlier, earlier_day),
        "merged_from": [
            {"org": s.org, "until": s.until.isoformat()} for s in found if s.until is not None
        ],
        NOTES: notes(conn, request, noted),
    }
