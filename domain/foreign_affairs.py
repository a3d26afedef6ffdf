"""Foreign-affairs records: delegations (đoàn ra, đoàn vào), the outbound plan, conferences,
agreements, NGO aid and the monthly activity counts."""

from __future__ import annotations

from typing import Any

from domain.codes import (  # noqa: F401  (re-exported)
    AGREEMENT_LEVELS,
    APPROVAL,
    ARRANGED,
    CONFERENCE_TYPES,
    DIRECTIONS,
    FUNDING,
    PARTNER_TYPES,
)
from domain.records import Record


class Delegation(Record):
    """An outbound or inbound delegation (đoàn ra / đoàn vào): N people, one trip."""

    record_kind = "delegation"

    class Recorded(Record.Opened):
        """The delegation was recorded with its dates, people, funding and approval."""

    @classmethod
    def record(cls, org: str, id: str, **fields: Any) -> Delegation:
        """Record a delegation."""
        return cls.open(org, f"delegation:{id}", cls.Recorded, **fields)  # type: ignore[return-value]


class OutboundPlan(Record):
    """The year's plan of outbound trips approved by the province (kế hoạch đoàn ra)."""

    record_kind = "outbound_plan"

    class Approved(Record.Opened):
        """The plan was approved with its items."""

    @classmethod
    def approve(cls, org: str, year: int, **fields: Any) -> OutboundPlan:
        """Approve a year's plan."""
        return cls.open(org, f"outbound_plan:{year}", cls.Approved, **fields)  # type: ignore[return-value]

    def item_ids(self) -> set[str]:
        """The ids of the plan's items, as corrected."""
        return {item["id"] for item in self.opening().current()["items"]}


class Conference(Record):
    """An international conference or workshop (hội nghị, hội thảo quốc tế)."""

    record_kind = "conference"

    class Recorded(Record.Opened):
        """The conference was recorded."""

    @classmethod
    def record(cls, org: str, id: str, **fields: Any) -> Conference:
        """Record a conference."""
        return cls.open(org, f"conference:{id}", cls.Recorded, **fields)  # type: ignore[return-value]


class Agreement(Record):
    """An international agreement (thỏa thuận quốc tế) in the province's or an agency's name."""

    record_kind = "agreement"

    class Signed(Record.Opened):
        """The agreement was signed."""

    @classmethod
    def sign(cls, org: str, id: str, **fields: Any) -> Agreement:
        """Record a signed agreement."""
        return cls.open(org, f"agreement:{id}", cls.Signed, **fields)  # type: ignore[return-value]


class Aid(Record):
    """Foreign NGO aid (viện trợ phi chính phủ nước ngoài): committed once, disbursed over time."""

    record_kind = "aid"

    class Committed(Record.Opened):
        """The donor committed an amount (USD) to a programme or project."""

    class Disbursed(Record.Fact):
        """An amount (USD) was disbursed."""

    @classmethod
    def commit(cls, org: str, id: str, **fields: Any) -> Aid:
        """Record a commitment."""
        return cls.open(org, f"aid:{id}", cls.Committed, **fields)  # type: ignore[return-value]

    def disburse(self, **fields: Any) -> str:
        """Record a disbursement."""
        return self.add_fact(self.Disbursed, **fields)


class Support(Record):
    """Support in đồng: given by the province (medical supplies to a Lao province) or received
    by it (from overseas Vietnamese); aid from foreign NGOs stays `Aid`, in USD."""

    record_kind = "support"

    class Given(Record.Opened):
        """The province gave support worth an amount in đồng."""

    class Received(Record.Opened):
        """The province received support worth an amount in đồng."""

    @classmethod
    def give(cls, org: str, id: str, **fields: Any) -> Support:
        """Record support given."""
        return cls.open(org, f"support:{id}", cls.Given, **fields)  # type: ignore[return-value]

    @classmethod
    def receive(cls, org: str, id: str, **fields: Any) -> Support:
        """Record support received."""
        return cls.open(org, f"support:{id}", cls.Received, **fields)  # type: ignore[return-value]


class ActivityCount(Record):
    """The count of one activity in one reporting month: one count per metric and month."""

    record_kind = "activity"

    class Counted(Record.Opened):
        """The month's count was recorded, with its sub-counts."""

    @classmethod
    def count(cls, org: str, metric: str, month: str, **fields: Any) -> ActivityCount:
        """Record a month's count."""
        return cls.open(org, f"activity:{metric}/{month}", cls.Counted, **fields)  # type: ignore[return-value]


class ReportNote(Record):
    """Free text written into a report section (đánh giá, nhiệm vụ kỳ tới); the latest wins."""

    record_kind = "note"

    class Written(Record.Opened):
        """The section's first text."""

    class Rewritten(Record.Fact):
        """A newer text for the section."""

    @classmethod
    def write(cls, org: str, report: str, period: str, section: str, **fields: Any) -> ReportNote:
        """Write a section's first text."""
        target = f"note:{report}/{period}/{section}"
        return cls.open(org, target, cls.Written, **fields)  # type: ignore[return-value]

    def rewrite(self, **fields: Any) -> str:
        """Write a newer text."""
        return self.add_fact(self.Rewritten, **fields)
