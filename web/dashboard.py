"""The year at a glance: delegations per month, key-task statuses, awards by form (SVG charts)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from domain.emulation import FORMS
from service import queries
from service.reporting.requests import ReportInputError, make_request, run_report, vn_today
from web.auth import requires
from web.cache import lru, store_head
from web.inspection import runtime

bp = Blueprint("dashboard", __name__)
_CACHE_SIZE = 64


def _report(
    org: str,
    kind: str,
    period: str,
    as_of: str,
    window: str = "nd09",
    known_by: str | None = None,
) -> dict[str, Any] | None:
    rt = runtime()
    try:
        req = make_request(rt, kind, org, period, as_of=as_of, window=window, known_by=known_by)
        return run_report(rt, req)
    except ReportInputError:
        return None


def year_figures(org: str, year: int, today_knowledge: bool = False) -> dict[str, Any]:
    """The charts' numbers, read through the same report builders as everything else: as known
    at the end of the year (or today, for the current year), or with today's knowledge."""
    today = vn_today()
    as_of = min(today, today.replace(year=year, month=12, day=31)).isoformat()
    known = {"known_by": today.isoformat()} if today_knowledge else {}
    months = []
    for month in range(1, 13):
        content = _report(
            org, "foreign-affairs", f"{year}-{month:02d}", as_of, window="calendar", **known
        )
        months.append(
            {
                "month": month,
                "outbound": content["outbound"]["delegations"] if content else 0,
                "inbound": content["inbound"]["delegations"] if content else 0,
            }
        )
    tasks = _report(org, "key-tasks", str(year), as_of, **known)
    awards = _report(org, "emulation", str(year), as_of, window="calendar", **known)
    by_form = (awards or {}).get("by_form", {})
    return {
        "year": year,
        "as_of": as_of,
        "today_knowledge": today_knowledge or as_of == today.isoformat(),
        "switchable": as_of != today.isoformat(),
        "total_out": sum(m["outbound"] for m in months),
        "total_in": sum(m["inbound"] for m in months),
        "months": months,
        "statuses": {k: v for k, v in (tasks or {}).get("summary", {}).items() if k != "total"},
        "awards": {f: by_form.get(f, 0) for f in FORMS if by_form.get(f)},
        "peak": max([1] + [max(m["outbound"], m["inbound"]) for m in months]),
    }


def cached_figures(
    org: str, year: int, today_knowledge: bool = False
) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """The year's figures and their key, reused until the store moves on (or the day changes)."""
    key = (org, year, today_knowledge, vn_today().isoformat(), store_head(runtime()))
    figures = lru("dashboard", _CACHE_SIZE).get(
        key, lambda: year_figures(org, year, today_knowledge)
    )
    return figures, key


def latest_year(org: str) -> int:
    """The latest year, up to this one, in which something happened in the department's records
    (this year when there are none)."""
    rt = runtime()
    today = vn_today()

    def find() -> int:
        day = queries.latest_day(rt, org, today.isoformat())
        return int(day[:4]) if day else today.year

    return lru("latest_year", 64).get((org, today.isoformat(), store_head(rt)), find)


@bp.route("/o/<org>/")
@requires("read")
def show(org: str) -> Any:
    """The dashboard of one department for a year (default: this year)."""
    year_text = request.args.get("year", "")
    # str.isdigit() is true of "²", which int() refuses: only four ASCII digits are a year here.
    year = int(year_text) if re.fullmatch(r"[0-9]{4}", year_text) else None
    year = year if year is not None and 1900 < year < 3000 else None
    year = year or latest_year(org)
    today_knowledge = request.args.get("known") == "today"
    figures, key = cached_figures(org, year, today_knowledge)
    main = lru("dashboard_pages").get(
        (*key, str(get_locale())),
        lambda: Markup(render_template("_dashboard_main.html", org=org, f=figures)),
    )
    return render_template("dashboard.html", org=org, f=figures, main=main)
