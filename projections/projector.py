"""The projector: applies stored events to the read models exactly once, in batches."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from eventsourcing.application import Application
from eventsourcing.utils import get_topic
from sqlalchemy import Connection, delete, insert, select, update

from domain.issuance import IssuedReport
from domain.records import Record
from domain.text import fold
from domain.times import Moment, to_us
from projections.store import ReadModels
from projections.tables import facts, issued, search, tracking

NAME = "records"
# Bump when the rows a projection writes change: stale read models are rebuilt from zero.
FORMAT = 1
BATCH = 2000

Progress = Callable[[int, int], None]


def scope_of(target: str) -> tuple[str, str]:
    """The record kind and scope (programme, year…) that a target belongs to."""
    kind, _, rest = target.partition(":")
    if kind == "task":
        return kind, rest.rsplit("/", 1)[0]
    return kind, rest


def title_of(data: dict[str, Any], target: str) -> str:
    """What a record is called in lists and search results."""
    recipient = data.get("recipient")
    for value in (
        data.get("title"),
        data.get("purpose"),
        recipient.get("name") if isinstance(recipient, dict) else None,
        data.get("name"),
    ):
        if isinstance(value, str) and value:
            return value
    return target


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    return []


def searchable(data: dict[str, Any], target: str) -> str:
    """Every text field of a record, folded (lower case, no diacritics)."""
    return fold(" ".join([target, *_strings(data)]))


def fact_row(position: int, ev: Record.Entry) -> dict[str, Any]:
    """The temporal row of one stored event."""
    record_kind, scope = scope_of(ev.target)
    at = getattr(ev, "at", None)
    moment = Moment.parse(at) if at else None
    data = getattr(ev, "data", None)
    if data is None:
        data = getattr(ev, "changes", {})
    return {
        "pos": position,
        "org": ev.org,
        "record_kind": record_kind,
        "scope": scope,
        "target": ev.target,
        "fact_id": ev.fact_id,
        "kind": ev.kind,
        "target_fact_id": getattr(ev, "target_fact_id", None),
        "at": at,
        "at_us": moment.us if moment else None,
        "at_day": moment.day.isoformat() if moment else None,
        "known_since": ev.known_since,
        "known_us": ev.knowledge_us(),
        "recorded_us": to_us(ev.timestamp),
        "actor": ev.actor,
        "reason": ev.reason,
        "ref": ev.ref,
        "topic": get_topic(type(ev)),
        "data": json.dumps(data, ensure_ascii=False, sort_keys=True),
    }


def issued_row(position: int, ev: IssuedReport.ReportIssued) -> dict[str, Any]:
    """Where an issued report's event is, by department, year and number."""
    return {
        "org": ev.org,
        "year": ev.year,
        "number": ev.number,
        "pos": position,
        "kind": ev.details["kind"],
        "signed_on": ev.details["signed_on"],
        "digest": ev.details["digest"],
    }


class Projector:
    """Keeps the read models level with the event store; one projector at a time."""

    def __init__(self, app: Application, models: ReadModels) -> None:
        self.app = app
        self.models = models

    def position(self, conn: Connection | None = None) -> int:
        """The notification id of the last event applied."""
        if conn is None:
            with self.models.reading() as c:
                return self.position(c)
        row = conn.execute(select(tracking.c.position).where(tracking.c.name == NAME)).first()
        return row[0] if row else 0

    def is_stale(self) -> bool:
        """Whether the read models were written by another projection format."""
        with self.models.reading() as conn:
            row = conn.execute(select(tracking.c.format).where(tracking.c.name == NAME)).first()
        return row is not None and row[0] != FORMAT

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply every event not yet applied, one transaction per batch; how many applied."""
        applied = 0
        head = self.app.recorder.max_notification_id() or 0  # type: ignore[attr-defined]
        while True:
            with self.models.writing() as conn:
                start = self.position(conn)
                if start >= head:
                    return applied
                batch = self.app.recorder.select_notifications(  # type: ignore[attr-defined]
                    start=start, limit=BATCH, inclusive_of_start=False
                )
                if not batch:
                    return applied
                self._apply(conn, batch)
                self._track(conn, start, batch[-1].id)
            applied += len(batch)
            if progress:
                progress(batch[-1].id, head)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Empty the read models and apply the whole store again."""
        with self.models.writing() as conn:
            for table in (facts, search, issued, tracking):
                conn.execute(delete(table))
        return self.catch_up(progress)

    def _track(self, conn: Connection, start: int, position: int) -> None:
        values = {"position": position, "format": FORMAT}
        if start == 0 and self.position(conn) == 0:
            exists = conn.execute(select(tracking.c.name).where(tracking.c.name == NAME)).first()
            if not exists:
                conn.execute(insert(tracking).values(name=NAME, **values))
                return
        conn.execute(update(tracking).where(tracking.c.name == NAME).values(**values))

    def _apply(self, conn: Connection, batch: list[Any]) -> None:
        rows: list[dict[str, Any]] = []
        openings: list[dict[str, Any]] = []
        touched: list[tuple[str, str]] = []
        reports: list[dict[str, Any]] = []
        for notification in batch:
            ev = self.app.mapper.to_domain_event(notification)
            if isinstance(ev, IssuedReport.ReportIssued):
                reports.append(issued_row(notification.id, ev))
                continue
            if not isinstance(ev, Record.Entry):
                continue
            row = fact_row(notification.id, ev)
            rows.append(row)
            if isinstance(ev, Record.Opened):
                openings.append(
                    {
                        "org": ev.org,
                        "target": ev.target,
                        "title": title_of(ev.data, ev.target),
                        "folded": searchable(ev.data, ev.target),
                        "voided": False,
                    }
                )
            elif isinstance(ev, Record.Corrected | Record.Voided):
                touched.append((ev.org, ev.target))
        if rows:
            conn.execute(insert(facts), rows)
        if openings:
            conn.execute(insert(search), openings)
        if reports:
            conn.execute(insert(issued), reports)
        for org, target in dict.fromkeys(touched):
            self._refresh_search(conn, org, target)

    def _refresh_search(self, conn: Connection, org: str, target: str) -> None:
        """Recompute a record's search text after a correction or void (latest knowledge)."""
        from projections.visibility import current_opening  # late: avoids an import cycle

        opening, voided = current_opening(conn, org, target)
        values: dict[str, Any] = {"voided": voided}
        if opening is not None:
            values["title"] = title_of(opening, target)
            values["folded"] = searchable(opening, target)
        conn.execute(
            update(search).where(search.c.org == org, search.c.target == target).values(**values)
        )
