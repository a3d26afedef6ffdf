"""The visible closures and reported figures of a report kind, and what they make complete."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection

from domain.complete_periods import (
    Closure,
    Earlier,
    Reported,
    Window,
    closure_of,
    cung_ky,
    current_window,
    is_closed,
    reported_figures,
)
from domain.periods import PeriodError, parse_period
from projections.lineage import Source
from projections.reports.common import ReportRequest
from projections.visibility import Part, RecordNow, fold, select_parts


def counted_in(found: list[Source], window: Window) -> list[str]:
    """The organisations whose records count somewhere in the window (a predecessor merged
    before the window starts counts nowhere in it)."""
    return [s.org for s in found if s.until is None or s.until > window.start]


def parts(found: list[Source], report: str) -> list[Part]:
    """The closures and the figures reported of a report kind, for the organisations of its
    lineage (`select_parts`)."""
    orgs = tuple(s.org for s in found)
    return [
        Part(orgs, "closed", target_prefix=f"closed:{report}/"),
        Part(orgs, "reported", target_prefix=f"reported:{report}/"),
    ]


class CompletePeriods:
    """The `period.closed` and `figures.reported` of one report kind visible under a report's
    cut-offs (D, K, T), for the organisations of its lineage."""

    def __init__(
        self,
        conn: Connection,
        request: ReportRequest,
        found: list[Source],
        report: str,
        rows: Sequence[list[Any]] | None = None,
    ) -> None:
        """`rows`: the rows of `parts(…)` when read already (with other records, in one go)."""
        self.request = request
        self.found = found
        self.report = report
        closed, reported = rows or select_parts(conn, request.cut, parts(found, report))
        self.closures: list[Closure] = []
        for state in self._states(closed):
            for fact in state.facts:
                values = fact.values
                try:
                    closure = closure_of(state.org, report, values["period"], values.get("window"))
                except PeriodError:  # refused at import; a corrected window cannot get here
                    continue
                self.closures.append(closure)
        statements = []
        for state in self._states(reported):
            for fact in state.facts:
                values = fact.values
                period = parse_period(values["period"], values.get("window") or "nd09", earliest=1)
                item = Reported(state.org, report, period, dict(values["figures"]))
                statements.append(((fact.known_us, fact.pos), item))
        # The latest statement (knowledge time, then position) wins.
        self.reported = [item for _key, item in sorted(statements, key=lambda s: s[0])]

    def _states(self, rows: list[Any]) -> list[RecordNow]:
        return list(fold(rows, self.request.cut.effective).values())

    def closed(self, window: Window) -> bool:
        """Whether every organisation counted in the window closed a period covering it."""
        return is_closed(window, self.report, self.closures, counted_in(self.found, window))

    def current(self) -> Window:
        """The report's window up to D."""
        return current_window(self.request.period, self.request.cut.as_of)

    def earlier(self) -> tuple[Earlier, date]:
        """The *cùng kỳ* window, what may be said of it, and its as-of day (D minus a year)."""
        window, cut = cung_ky(self.request.period, self.request.cut.as_of)
        figures = reported_figures(window, self.report, self.reported, self.request.org)
        return Earlier(window, self.closed(window), figures), cut
