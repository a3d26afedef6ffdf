"""Emulation and commendation reports (báo cáo thi đua, khen thưởng), as in seed 002, and the
inspector's registers of awards."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from domain.codes import CATEGORIES, FORMS, GRANTORS, PENDING, RECIPIENT_TYPES, STAGE_OF_KIND
from projections.reports.award_queries import Awards
from projections.reports.common import ReportRequest
from projections.tables import facts
from projections.visibility import RecordNow, fold, select_rows


def _count(codes: tuple[str, ...], values: list[str | None]) -> dict[str, int]:
    counts = dict.fromkeys([*codes, "unknown"], 0)
    for value in values:
        counts[value if value in counts else "unknown"] += 1
    return counts


def award_case(state: RecordNow) -> dict[str, Any]:
    """An award case as visible: its stage, merged terms, proposal and decision."""
    terms: dict[str, Any] = {}
    stage, decided, proposed_on = None, None, None
    for fact in state.facts:
        if fact.kind not in STAGE_OF_KIND:
            continue
        stage = STAGE_OF_KIND[fact.kind]
        if fact.kind in ("award.proposed", "award.granted"):
            terms.update({k: v for k, v in fact.values.items() if v is not None})
        if fact.kind == "award.proposed":
            proposed_on = fact.day.isoformat()
        if fact.kind == "award.granted":
            decided = fact
    recipient = terms.get("recipient") or {}
    return {
        "id": state.target.split(":", 1)[1],
        "stage": stage,
        "form": terms.get("form"),
        "title": terms.get("title"),
        "grantor": terms.get("grantor"),
        "body": terms.get("body"),
        "recipient": {"type": recipient.get("type"), "name": recipient.get("name")},
        "category": terms.get("category"),
        "movement": terms.get("movement"),
        "for_year": terms.get("for_year"),
        "irregular": bool(terms.get("irregular")),
        "irregular_reason": terms.get("reason") if terms.get("irregular") else None,
        "proposed_on": proposed_on,
        "decided_on": decided.day.isoformat() if decided else None,
        "ref": decided.values.get("ref") if decided else None,
        "_person": recipient.get("person"),
        "_unit": recipient.get("unit"),
    }


def cases(conn: Connection, request: ReportRequest) -> list[dict[str, Any]]:
    """Every award case of the department visible under the cut-offs."""
    rows = select_rows(conn, [request.org], "award", request.cut)
    found = [award_case(s) for s in fold(rows, request.cut.effective).values()]
    return sorted(found, key=lambda c: (c["decided_on"] or c["proposed_on"] or "", c["id"]))


def counts_in(case: dict[str, Any], request: ReportRequest) -> bool:
    """CONTRACT point 7: `for_year` in a year period, else the decision date."""
    if case["stage"] != "granted":
        return False
    period = request.period
    is_year = len(period.label) == 4
    if is_year and case["for_year"] is not None:
        return case["for_year"] == period.year
    return period.start.isoformat() <= case["decided_on"] <= period.end.isoformat()


def public(case: dict[str, Any]) -> dict[str, Any]:
    """A case without its internal keys."""
    return {k: v for k, v in case.items() if not k.startswith("_")}


def _movements(conn: Connection, request: ReportRequest) -> list[dict[str, Any]]:
    rows = select_rows(conn, [request.org], "movement", request.cut)
    start, end = request.period.start.isoformat(), request.period.end.isoformat()
    found = []
    for state in fold(rows, request.cut.effective).values():
        opening = state.opening.values
        phases = opening.get("phases") or []
        if phases:
            inside = [p for p in phases if p["from"] <= end and p["to"] >= start]
        else:
            inside = [] if not request.period.contains(state.opening.day) else [None]
        if not inside:
            continue
        found.append(
            {
                "id": opening["id"],
                "title": opening["title"],
                "launched_by": opening.get("launched_by"),
                "launched_on": state.opening.day.isoformat(),
                "ref": opening.get("ref"),
                "phases": [{"name": p["name"], "from": p["from"], "to": p["to"]} for p in phases],
                "registrations": len(state.of_kind("movement.registered")),
            }
        )
    return sorted(found, key=lambda m: (m["launched_on"], m["id"]))


def _problems(case: dict[str, Any]) -> list[str]:
    """Why a counted award is listed as irregular."""
    problems = []
    if case["irregular"]:
        problems.append("irregular")
    if not case["ref"]:
        problems.append("no_decision")
    return problems


def build_emulation(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1: granted awards of the period by breakdown, pending proposals, movements."""
    found = Awards(conn, request)
    if not found.usable:
        return build_emulation_fold(conn, request)
    groups = found.breakdowns()
    return {
        "awards": found.counted(),
        **{
            name: _grouped(codes, groups[name])
            for name, codes in (
                ("by_form", FORMS),
                ("by_grantor", GRANTORS),
                ("by_recipient_type", RECIPIENT_TYPES),
                ("by_category", CATEGORIES),
            )
        },
        "proposed": found.pending(),
        "movements": _movements(conn, request),
    }


def _grouped(codes: tuple[str, ...], counted: list[tuple[Any, int]]) -> dict[str, int]:
    """Grouped counts as `_count` makes them: every code, then `unknown` for any other value."""
    counts = dict.fromkeys([*codes, "unknown"], 0)
    for value, n in counted:
        counts[value if value in counts else "unknown"] += n
    return counts


def build_award_register(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """The inspector's register: every award granted in the period with its decision."""
    found = Awards(conn, request)
    if not found.usable:
        return build_award_register_fold(conn, request)
    awards = found.counted()
    return {"awards": awards, "total": len(awards)}


def build_award_irregular(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Awards granted against the catalogue (irregular) or without a recorded decision."""
    found = Awards(conn, request)
    if not found.usable:
        return build_award_irregular_fold(conn, request)
    awards = [{**case, "problems": _problems(case)} for case in found.irregular()]
    return {"awards": awards, "total": len(awards)}


def build_emulation_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """Format 1 by the fold of the visible facts (the oracle of `build_emulation`)."""
    every = cases(conn, request)
    awards = [c for c in every if counts_in(c, request)]
    return {
        "awards": [public(c) for c in awards],
        "by_form": _count(FORMS, [c["form"] for c in awards]),
        "by_grantor": _count(GRANTORS, [c["grantor"] for c in awards]),
        "by_recipient_type": _count(RECIPIENT_TYPES, [c["recipient"]["type"] for c in awards]),
        "by_category": _count(CATEGORIES, [c["category"] for c in awards]),
        "proposed": [public(c) for c in every if c["stage"] in PENDING],
        "movements": _movements(conn, request),
    }


def build_award_register_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """The register by the fold (the oracle of `build_award_register`)."""
    awards = [public(c) for c in cases(conn, request) if counts_in(c, request)]
    return {"awards": awards, "total": len(awards)}


def build_award_irregular_fold(conn: Connection, request: ReportRequest) -> dict[str, Any]:
    """The irregular awards by the fold (the oracle of `build_award_irregular`)."""
    found = []
    for case in cases(conn, request):
        if not counts_in(case, request):
            continue
        problems = _problems(case)
        if problems:
            found.append({**public(case), "problems": problems})
    return {"awards": found, "total": len(found)}


def granted_to(conn: Connection, org: str, key: str, value: str) -> list[tuple[str, Any]]:
    """Granted awards of a registered person or unit, as known now: (form, for_year or date)."""
    needle = f'%"{key}": {json.dumps(value, ensure_ascii=False)}%'
    targets = {
        row.target
        for row in conn.execute(
            select(facts.c.target).where(
                facts.c.org == org, facts.c.record_kind == "award", facts.c.data.like(needle)
            )
        )
    }
    if not targets:
        return []
    found = []
    for state in fold(select_rows(conn, [org], "award", None, targets=targets)).values():
        case = award_case(state)
        if case["stage"] == "granted" and case[f"_{key}"] == value:
            found.append((case["form"], case["for_year"] or date.fromisoformat(case["decided_on"])))
    return found
