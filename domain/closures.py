"""The records of complete periods: closures (chốt số liệu) and figures reported earlier."""

from __future__ import annotations

from typing import Any

from domain.complete_periods import closed_target, reported_target
from domain.errors import UnknownFactError
from domain.records import FactView, Record

# Each fact of these records is one declaration: voiding `fact:…#1` withdraws that declaration
# only (the record stays open for a later one), where for other records it voids the record.
DECLARATIONS = ("closed", "reported")


class PeriodClosure(Record):
    """The office's declarations that its records of one report kind are complete for a period
    (one record per kind and period; each window closed is a fact of it)."""

    record_kind = "closed"

    class Declared(Record.Opened):
        """The records of the period were declared complete (chốt số liệu)."""

    class Redeclared(Record.Fact):
        """A further closure of the same period (another window, or the same again)."""

    @classmethod
    def declare(cls, org: str, report: str, period: str, **fields: Any) -> PeriodClosure:
        """Declare a period closed."""
        return cls.open(org, closed_target(report, period), cls.Declared, **fields)  # type: ignore[return-value]

    def redeclare(self, **fields: Any) -> str:
        """Declare it again (another window, or after a withdrawn declaration)."""
        return self.add_fact(self.Redeclared, **fields)

    def latest_fact(self) -> FactView:
        """The latest declaration still standing (a correction names it)."""
        live = self.live_facts()
        if not live:
            raise UnknownFactError(f"{self.target}: mọi lần chốt đều đã bị hủy")
        return live[-1]


class ReportedFigures(Record):
    """Figures printed in an earlier report, for a period the records do not cover."""

    record_kind = "reported"

    class Reported(Record.Opened):
        """The figures of an earlier report were recorded, with the report's number (`ref`)."""

    class Restated(Record.Fact):
        """Figures stated again for the same period (another window, or a later statement)."""

    @classmethod
    def report(cls, org: str, report: str, period: str, **fields: Any) -> ReportedFigures:
        """Record the figures of an earlier report."""
        return cls.open(org, reported_target(report, period), cls.Reported, **fields)  # type: ignore[return-value]

    def restate(self, **fields: Any) -> str:
        """State them again."""
        return self.add_fact(self.Restated, **fields)

    def latest_fact(self) -> FactView:
        """The latest statement still standing (a correction names it)."""
        live = self.live_facts()
        if not live:
            raise UnknownFactError(f"{self.target}: mọi lần báo cáo số liệu đều đã bị hủy")
        return live[-1]
