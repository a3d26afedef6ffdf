"""The year at a glance: delegations per month, key-task statuses, awards by form (SVG charts)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import Blueprint, current_app, render_template, request

from domain.emulation import FORMS
from service.reporting import ReportInputError, make_request, run_report, vn_today
from web.auth import requires
from web.inspection import runtime

bp = Blueprint("dashboard", __name__)
_CACHE_SIZE = 64


class FiguresCache:
    """Figures by (org, year, day, store position): a new fact moves the position, so no entry
    is ever stale. One per application."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[str, int, str, int], dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()


def _report(org: str, kind: str, period: str, as_of: str, **options: str) -> dict[str, Any] | None:
    rt = runtime()
    try:
        req = make_request(rt, kind, org, period, as_of=as_of, **options)
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


def cached_figures(org: str, year: int) -> dict[str, Any]:
    """The year's figures, reused until the store moves on (or the day changes)."""
    rt = runtime()
    rt.catch_up()
    cache = current_app.extensions.setdefault("ngoaivu_dashboard", FiguresCache())
    key = (org, year, vn_today().isoformat(), rt.projector.position())
    with cache.lock:
        if key in cache.entries:
            cache.entries.move_to_end(key)
            return cache.entries[key]
    figures = year_figures(org, year)
    with cache.lock:
        cache.entries[key] = figures
        while len(cache.entries) > _CACHE_SIZE:
            cache.entries.popitem(last=False)
    return figures


@bp.route("/o/<org>/")
@requires("read")
def show(org: str) -> Any:
    """The dashboard of one department for a year (default: this year)."""
    year_text = request.args.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1900 < int(year_text) < 3000 else None
    figures = cached_figures(org, year or vn_today().year)
    return render_template("dashboard.html", org=org, f=figures)
