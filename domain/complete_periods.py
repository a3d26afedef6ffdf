"""Complete periods (chốt số liệu): the earlier window a comparison uses, and whether it may.

A comparison with an earlier window (*cùng kỳ*) is made only where that window is complete under
the report's cut-offs (CONTRACT "Complete periods"): a `period.closed` of the same report kind for
a period covering the window, by every organisation whose records count there; or a
`figures.reported` for exactly that period and window, which gives the figures it names. Pure:
the projections pass the visible declarations in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from domain.codes import CATEGORIES, FORMS, GRANTORS, RECIPIENT_TYPES
from domain.metrics import CATALOGUE
from domain.periods import Period, parse_period
from domain.statuses import STATUSES

_ASSIGNED = (
    "completed_on_time",
    "completed_late",
    "not_completed_on_time",
    "in_progress",
    "cancelled",
)


def figure_paths(report: str) -> tuple[str, ...]:
    """The report's counts a `figures.reported` may state (paths as in `outbound.delegations`;
    an activity metric as `activity.translation.pages.value`)."""
    if report == "foreign-affairs":
        return (
            "outbound.delegations",
            "outbound.people",
            "inbound.delegations",
            "inbound.people",
            "conferences.count",
            "agreements.count",
            "aid.committed_usd",
            "aid.disbursed_usd",
            *(f"activity.{code}.value" for code in CATALOGUE),
        )
    if report == "key-tasks":
        return tuple(f"summary.{status}" for status in STATUSES)
    if report == "assigned-tasks":
        return ("total", *_ASSIGNED)
    if report == "emulation":
        groups = {
            "by_form": FORMS,
            "by_grantor": GRANTORS,
            "by_recipient_type": RECIPIENT_TYPES,
            "by_category": CATEGORIES,
        }
        return tuple(
            f"{key}.{code}" for key, codes in groups.items() for code in (*codes, "unknown")
        )
    return ()


_SUBSCRIPT = re.compile(r"""^activity\[(["'])(?P<code>[^"']+)\1\](?P<rest>\.value)?$""")


def canonical_figure_path(report: str, path: str) -> str:
    """A figure's path as `figure_paths` writes it. Also accepted for an activity metric: the
    body language's `activity["translation.pages"].value` (or without `.value`) and
    `activity.translation.pages`; any other path is returned as given."""
    if report != "foreign-affairs" or not path.startswith("activity"):
        return path
    match = _SUBSCRIPT.match(path)
    if match is not None:
        return f"activity.{match['code']}.value"
    if path.startswith("activity.") and path[len("activity.") :] in CATALOGUE:
        return f"{path}.value"
    return path


def closed_target(report: str, period: str) -> str:
    """The record of a kind's closures for a period: `closed:foreign-affairs/2021`."""
    return f"closed:{report}/{period}"


def reported_target(report: str, period: str) -> str:
    """The record of the figures reported for a period: `reported:foreign-affairs/2019`."""
    return f"reported:{report}/{period}"


def year_before(day: date) -> date:
    """The same day one year earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Window:
    """Days from `start` to `end` (both inclusive) of a period, maybe cut short."""

    period: Period
    start: date
    end: date

    def contains(self, day: date) -> bool:
        """Whether a Vietnam day falls in the window."""
        return self.start <= day <= self.end


def current_window(period: Period, as_of: date) -> Window:
    """The report's own window as written at the end of D: its days up to D."""
    return Window(period, period.start, min(period.end, as_of))


def cung_ky(period: Period, as_of: date) -> tuple[Window, date]:
    """The earlier window (*cùng kỳ*): the same window a year earlier, cut at D minus one year;
    and that day, the as-of of the comparison (same K and T)."""
    earlier = period.previous()
    cut = year_before(as_of)
    return Window(earlier, earlier.start, min(earlier.end, cut)), cut


@dataclass(frozen=True)
class Closure:
    """A visible `period.closed`: the office declared its records of a kind complete for a
    period."""

    org: str
    report: str
    period: Period

    def covers(self, window: Window) -> bool:
        """Whether the closed period holds every day of the window."""
        return self.period.start <= window.start and window.end <= self.period.end


@dataclass(frozen=True)
class Reported:
    """A visible `figures.reported`: figures printed in an earlier report (path → integer)."""

    org: str
    report: str
    period: Period
    figures: Mapping[str, int] = field(default_factory=dict)

    def gives(self, window: Window) -> bool:
        """Whether it states exactly that window: the same period label and window."""
        return (self.period.label, self.period.window) == (
            window.period.label,
            window.period.window,
        )


def closure_of(org: str, report: str, period: str, window: str | None) -> Closure:
    """A closure from its record's keys."""
    return Closure(org, report, parse_period(period, window or "nd09", earliest=1))


def is_closed(
    window: Window, report: str, closures: Iterable[Closure], orgs: Iterable[str]
) -> bool:
    """Whether every organisation counted in the window closed a period of `report` covering
    it."""
    found = list(closures)
    return all(
        any(c.org == org and c.report == report and c.covers(window) for c in found) for org in orgs
    )


def reported_figures(
    window: Window, report: str, reported: Iterable[Reported], org: str
) -> dict[str, int] | None:
    """The figures the organisation reported for exactly that window (the last visible
    statement wins: the caller passes them in knowledge, then position order)."""
    found = None
    for item in reported:
        if item.org == org and item.report == report and item.gives(window):
            found = dict(item.figures)
    return found


@dataclass(frozen=True)
class Earlier:
    """What a report may say of its earlier window: closed (records count), reported figures."""

    window: Window
    closed: bool
    figures: Mapping[str, int] | None

    @property
    def complete(self) -> bool:
        """Whether any comparison may be made."""
        return self.closed or self.figures is not None

    def value(self, path: str, counted: int) -> int | None:
        """The earlier value at `path`: the reported figure if named, else the records' count
        when the window is closed, else None (not known)."""
        if self.figures is not None and path in self.figures:
            return self.figures[path]
        return counted if self.closed else None
