"""The year at a glance: delegations per month, key-task statuses, awards by form (SVG charts)."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from domain.emulation import FORMS
from service.reporting.requests import ReportInputError, make_request, run_report, vn_today
from web.auth import requires
from web.cache import lru, store_head
from web.inspection import runtime

bp = Blueprint("dashboard", __name__)
_CACHE_SIZE = 64


def _report(
    org: str, kind: str, period: str, as_of: str, window: str = "nd09"
) -> dict[str, Any] | None:
    rt = runtime()
    try:
        req = make_request(rt, kind, org, period, as_of=as_of, window=window)
        return run_report(rt, req)
    except ReportInputError:
        return None


def year_figures(org: str, year: int) -> dict[str, Any]:
    """The charts' numbers, read through the same report builders as everything else."""
    today = vn_today()
    as_of = min(today, today.replace(year=year, month=12, day=31)).isoformat()
    months = []
    for month in range(1, 13):
        content = _report(org, "foreign-affairs", f"{year}-{month:02d}", as_of, window="calendar")
        months.append(
            {
                "month": month,
                "outbound": content["outbound"]["delegations"] if content else 0,
                "inbound": content["inbound"]["delegations"] if content else 0,
            }
        )
    tasks = _report(org, "key-tasks", str(year), as_of)
    awards = _report(org, "emulation", str(year), as_of, window="calendar")
    by_form = (awards or {}).get("by_form", {})
    return {
        "year": year,
        "as_of": as_of,
        "months": months,
        "statuses": (tasks or {}).get("summary", {}),
        "awards": {f: by_form.get(f, 0) for f in FORMS if by_form.get(f)},
        "peak": max([1] + [max(m["outbound"], m["inbound"]) for m in months]),
    }


def cached_figures(org: str, year: int) -> tuple[dict[str, Any], tuple[str, int, str, int]]:
    """The year's figures and their key, reused until the store moves on (or the day changes)."""
    key = (org, year, vn_today().isoformat(), store_head(runtime()))
    return lru("dashboard", _CACHE_SIZE).get(key, lambda: year_figures(org, year)), key


@bp.route("/o/<org>/")
@requires("read")
def show(org: str) -> Any:
    """The dashboard of one department for a year (default: this year)."""
    year_text = request.args.get("year", "")
    # str.isdigit() is true of "²", which int() refuses: only four ASCII digits are a year here.
    year = int(year_text) if re.fullmatch(r"[0-9]{4}", year_text) else None
    year = year if year is not None and 1900 < year < 3000 else None
    year = year or vn_today().year
    figures, key = cached_figures(org, year)
    main = lru("dashboard_pages").get(
        (*key, str(get_locale())),
        lambda: Markup(render_template("_dashboard_main.html", org=org, f=figures)),
    )
    return render_template("dashboard.html", org=org, f=figures, main=main)
