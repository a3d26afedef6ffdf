"""Emulation and commendation (thi đua, khen thưởng): staff, units, movements, pledges, awards."""

from __future__ import annotations

from typing import Any

from domain.codes import (  # noqa: F401  (re-exported)
    AWARD_NEXT,
    CATEGORIES,
    COMMENDATION_FORMS,
    EMULATION_TITLES,
    FORMS,
    GRANTORS,
    LAUNCHERS,
    PENDING,
    RECIPIENT_TYPES,
    STAGE_OF_KIND,
)
from domain.errors import StatusChangeError
from domain.records import FactView, Record


def award_stages(facts: list[FactView]) -> list[tuple[FactView, str]]:
    """The facts of an award case that change its stage, in effective-time order."""
    return [(f, STAGE_OF_KIND[f.kind]) for f in facts if f.kind in STAGE_OF_KIND]


class Person(Record):
    """A member of staff (cán bộ, công chức, viên chức): one award history across years."""

    record_kind = "person"

    class Registered(Record.Opened):
        """The person was registered with name, unit and position."""


class Unit(Record):
    """A unit of the department (phòng, đơn vị)."""

    record_kind = "unit"

    class Registered(Record.Opened):
        """The unit was registered."""


class Movement(Record):
    """An emulation movement (phong trào thi đua) with its phases (đợt)."""

    record_kind = "movement"

    class Launched(Record.Opened):
        """The movement was launched, by the ministry, province, department, bloc or cluster."""

    class Registered(Record.Fact):
        """A unit or person registered for the movement (đăng ký thi đua)."""

    class Assessed(Record.Fact):
        """The end-of-year assessment (tổng kết, đánh giá) was recorded."""

    def register_for(self, **fields: Any) -> str:
        """Record a registration."""
        return self.add_fact(self.Registered, **fields)

    def assess(self, **fields: Any) -> str:
        """Record an assessment."""
        return self.add_fact(self.Assessed, **fields)


class Pledge(Record):
    """A signed emulation pledge (giao ước thi đua) within a bloc (Khối) or cluster (Cụm)."""

    record_kind = "pledge"

    class Signed(Record.Opened):
        """The pledge was signed."""


class Award(Record):
    """An award case: proposed, submitted, then granted, rejected or withdrawn."""

    record_kind = "award"

    class Proposed(Record.Opened):
        """The award was proposed (đề nghị khen thưởng) with its dossier."""

    class GrantedOutright(Record.Opened):
        """The award was granted with no proposal on record (e.g. migrated from paper)."""

    class Submitted(Record.Fact):
        """The dossier was submitted to the grantor (trình)."""

    class Granted(Record.Fact):
        """The grantor decided to grant the award (quyết định khen thưởng)."""

    class Rejected(Record.Fact):
        """The grantor refused it."""

    class Withdrawn(Record.Fact):
        """The proposal was withdrawn."""

    def advance(self, kind: str, **fields: Any) -> str:
        """Record the next stage of the case."""
        event = {
            "award.submitted": self.Submitted,
            "award.granted": self.Granted,
            "award.rejected": self.Rejected,
            "award.withdrawn": self.Withdrawn,
        }[kind]
        return self.add_fact(event, kind=kind, **fields)

    def stage(self) -> str | None:
        """The stage in force, by effective time."""
        stages = award_stages(self.live_facts())
        return stages[-1][1] if stages else None

    def terms(self) -> dict[str, Any]:
        """What is proposed or granted: the opening's keys with the grant's over them."""
        merged: dict[str, Any] = {}
        for fact in self.live_facts():
            if fact.kind in ("award.proposed", "award.granted"):
                merged.update({k: v for k, v in fact.current().items() if v is not None})
        return merged

    def check_sequence(self) -> None:
        """Raise when the stages, in effective-time order, break the lifecycle."""
        current: str | None = None
        for fact, stage in award_stages(self.live_facts()):
            if stage not in AWARD_NEXT[current]:
                error = StatusChangeError(
                    f"hồ sơ khen thưởng {self.target}: không thể chuyển từ "
                    f"“{current or 'chưa có'}” sang “{stage}”",
                    fact.fact_id,
                )
                error.field = "kind"
                raise error
            current = stage
