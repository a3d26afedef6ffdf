"""The event store application (eventsourcing): loads records and saves their new events."""

from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError, Application

from domain.records import Record, record_id


class RecordsApplication(Application):
    """Every record of every department, one event stream per record."""

    name = "ngoaivu"

    def find(self, org: str, target: str) -> Record | None:
        """A record by organisation and target, or None when it was never opened."""
        try:
            return self.repository.get(record_id(org, target))
        except AggregateNotFoundError:
            return None

    def head(self) -> int:
        """The notification id of the last stored event (0 when the store is empty)."""
        return self.recorder.max_notification_id() or 0
