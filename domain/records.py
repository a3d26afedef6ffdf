"""The base of every record (hồ sơ): its facts, their corrections (đính chính) and voids (hủy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import RecordVoidedError, UnknownFactError
from domain.times import Moment, to_us

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:ngoaivu-records")


@lru_cache(maxsize=4096)  # an import asks twice per line (found, then opened): once computed
def record_id(org: str, target: str) -> UUID:
    """The aggregate id of a record: one per organisation and target (`task:2020/11`)."""
    return uuid5(_NAMESPACE, f"{org}\x1f{target}")


@dataclass
class FactView:
    """One fact of a record as the store holds it, with its corrections in store order."""

    fact_id: str
    kind: str
    version: int
    at: str | None
    known_us: int
    data: dict[str, Any]
    corrections: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)
    voided: bool = False
    # The event's own `reason` and `ref` (not keys of `data`): some kinds require them (an
    # irregular award's reason), so a correction is checked against them too.
    reason: str | None = None
    ref: str | None = None

    def current(self) -> dict[str, Any]:
        """The fact's keys with every correction applied (by knowledge time, then position)."""
        merged = {"at": self.at, **self.data}
        for _known, _version, changes in sorted(self.corrections, key=lambda c: c[:2]):
            merged.update(changes)
        return merged

    def moment(self) -> Moment | None:
        """The effective moment, as corrected."""
        at = self.current().get("at")
        return Moment.parse(at) if at else None

    def order_key(self) -> tuple[Any, ...]:
        """Effective-time order; ties by knowledge time, then position."""
        moment = self.moment()
        return (moment or Moment(-(2**62), False), self.known_us, self.version)


class Record(Aggregate):
    """A record of one organisation, addressed by its target (`task:2020/11`)."""

    record_kind = "record"

    class Entry(Aggregate.Event):
        """What every stored fact carries: who, why, which document, and when known."""

        org: str
        target: str
        fact_id: str
        kind: str
        actor: str
        reason: str | None
        ref: str | None
        known_since: str | None
        line_digest: str

        def knowledge_us(self) -> int:
            """When the office knew it: `known_since`, else the recorded instant."""
            if self.known_since:
                return Moment.parse(self.known_since).us
            return to_us(self.timestamp)

    class Fact(Entry):
        """A fact about the record, effective at `at`, with its kind's keys in `data`."""

        at: str | None
        data: dict[str, Any]

        def apply(self, aggregate: Record) -> None:
            """Keep the fact beside the others."""
            aggregate.facts[self.fact_id] = FactView(
                fact_id=self.fact_id,
                kind=self.kind,
                version=self.originator_version,
                at=self.at,
                known_us=self.knowledge_us(),
                data=dict(self.data),
                reason=self.reason,
                ref=self.ref,
            )
            aggregate.lines.add(self.line_digest)

    class Opened(Fact, Aggregate.Created):
        """The first fact of a record."""

    class Corrected(Entry):
        """A correction of one fact (đính chính): the keys in `changes` replace the fact's."""

        target_fact_id: str
        changes: dict[str, Any]

        def apply(self, aggregate: Record) -> None:
            """Add the correction to its fact."""
            aggregate.facts[self.target_fact_id].corrections.append(
                (self.knowledge_us(), self.originator_version, dict(self.changes))
            )
            aggregate.lines.add(self.line_digest)

    class Voided(Entry):
        """A void (hủy): of one fact, or of the whole record when `target_fact_id` is None."""

        target_fact_id: str | None

        def apply(self, aggregate: Record) -> None:
            """Mark the fact, or the record, as voided."""
            if self.target_fact_id is None:
                aggregate.voided = True
            else:
                aggregate.facts[self.target_fact_id].voided = True
            aggregate.lines.add(self.line_digest)

    def __init__(self, org: str, target: str) -> None:
        self.org = org
        self.target = target
        self.facts: dict[str, FactView] = {}
        self.lines: set[str] = set()
        self.voided = False

    @classmethod
    def open(cls, org: str, target: str, event: type[Opened], **fields: Any) -> Record:
        """Create the record with its first fact."""
        return cls._create(
            event,
            id=record_id(org, target),
            org=org,
            target=target,
            fact_id=f"{target}#1",
            **fields,
        )

    def next_fact_id(self) -> str:
        """The id of the next fact: the record's target and the fact's place in it."""
        return f"{self.target}#{self.version + 1}"

    def knows_line(self, digest: str) -> bool:
        """Whether an identical line was already stored on this record."""
        return digest in self.lines

    def add_fact(self, event: type[Fact], **fields: Any) -> str:
        """Store a further fact; a voided record takes none."""
        self._guard_not_voided()
        fact_id = self.next_fact_id()
        self.trigger_event(event, org=self.org, target=self.target, fact_id=fact_id, **fields)
        return fact_id

    def correct(self, target_fact_id: str, changes: dict[str, Any], **fields: Any) -> str:
        """Correct one fact with a reason; a voided record or fact cannot be corrected."""
        self._guard_not_voided()
        self._live_fact(target_fact_id)
        fact_id = self.next_fact_id()
        self.trigger_event(
            self.Corrected,
            org=self.org,
            target=self.target,
            fact_id=fact_id,
            kind="record.corrected",
            target_fact_id=target_fact_id,
            changes=changes,
            **fields,
        )
        return fact_id

    def void(self, target_fact_id: str | None, **fields: Any) -> str:
        """Void one fact, or the whole record, with a reason."""
        self._guard_not_voided()
        if target_fact_id is not None:
            self._live_fact(target_fact_id)
        fact_id = self.next_fact_id()
        self.trigger_event(
            self.Voided,
            org=self.org,
            target=self.target,
            fact_id=fact_id,
            kind="record.voided",
            target_fact_id=target_fact_id,
            **fields,
        )
        return fact_id

    def check_sequence(self) -> None:
        """Raise when the record's facts, in effective-time order, break its lifecycle."""

    def live_facts(self) -> list[FactView]:
        """The facts not voided, in effective-time order."""
        return sorted((f for f in self.facts.values() if not f.voided), key=FactView.order_key)

    def latest_fact(self) -> FactView:
        """The fact a correction of the record's target names: its latest by effective time."""
        return self.live_facts()[-1]

    def opening(self) -> FactView:
        """The first fact, as corrected."""
        return self.facts[f"{self.target}#1"]

    def _live_fact(self, fact_id: str) -> FactView:
        fact = self.facts.get(fact_id)
        if fact is None:
            raise UnknownFactError(f"không có sự kiện {fact_id!r} trong bản ghi {self.target}")
        if fact.voided:
            raise RecordVoidedError(f"sự kiện {fact_id} đã bị hủy, không thể đính chính")
        return fact

    def _guard_not_voided(self) -> None:
        if self.voided:
            raise RecordVoidedError(f"bản ghi {self.target} đã bị hủy")
