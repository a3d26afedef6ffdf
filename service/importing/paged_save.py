"""One import's events written page by page inside one open transaction of the event store.

`Application.save` writes everything it is given in one transaction, so the records an import
changes would all have to stay in memory until the end. Here each page of changed records is
written as it fills and dropped from memory; the transaction stays open until the import commits
(or rolls back, or the process dies: then nothing of it was ever visible). Records are read back
through the same transaction, so a page written earlier is seen by the lines that follow.

It uses the recorders' own statements and insert steps (the insert statement on SQLite, and on
PostgreSQL `_insert_stored_events`, which takes the table lock that keeps notification ids in
commit order, then `_fetch_ids_after_insert_events`), as the library's `insert_events` does:
eventsourcing >=9.5.6,<9.6 (pinned; tests/integration/test_paged_import.py runs them on both).

Each page's chain links are written right after its events, in the same transaction
(`service.integrity.linker`): a crash can never leave an event without its link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from types import TracebackType
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.records import Record
from service.application import RecordsApplication
from service.integrity.chain import Chain
from service.integrity.linker import Linker, Row

# Ids per SELECT … IN (…): under SQLite's default limit of bound parameters.
IDS_PER_QUERY = 500


class PagedSave:
    """Write pages of events in one transaction, opened by the first page, ended by `__exit__`.

    Before the first page nothing is held: records are read from the committed store and a large
    import does not lock out other writers while it validates. From the first page on, the store's
    write lock is held (SQLite's single writer; PostgreSQL's table lock) until commit.
    """

    def __init__(self, app: RecordsApplication, chain: Chain | None = None) -> None:
        # The recorders' own tables and statements: attributes of the two concrete recorders.
        recorder: Any = app.recorder
        self._select: Any  # SQL text (SQLite) or a psycopg Composed (PostgreSQL)
        if isinstance(recorder, SQLiteApplicationRecorder):
            self._sqlite = True
            table = recorder.events_table_name
            self._last = f"SELECT MAX(rowid) FROM {table}"
            self._select = (
                f"SELECT * FROM {table} WHERE originator_id IN ({{marks}}) "
                "ORDER BY originator_id, originator_version"
            )
        elif _is_postgres(recorder):
            from psycopg.sql import SQL, Identifier

            self._sqlite = False
            self._select = SQL(
                "SELECT * FROM {}.{} WHERE originator_id = ANY(%s) "
                "ORDER BY originator_id, originator_version"
            ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
        else:  # pragma: no cover - only the two recorders of Settings are configured
            raise TypeError(f"no paged save for {type(recorder).__name__}")
        self.app = app
        self.recorder: Any = recorder
        self.linker = Linker(chain) if chain is not None else None
        self._stack = ExitStack()
        self._cursor: Any = None
        self._position: int | None = None  # the last id written

    @property
    def position(self) -> int | None:
        """The notification id of the last event written (None before the first page)."""
        return self._position if self._cursor is not None else None

    @property
    def is_open(self) -> bool:
        """Whether a page was written: the transaction (and the write lock) is held."""
        return self._cursor is not None

    def write(self, records: Iterable[Record]) -> None:
        """Write the records' new events (each record's pending events, in order)."""
        events: list[Any] = [event for record in records for event in record.collect_events()]
        if not events:
            return
        stored = [self.app.mapper.to_stored_event(event) for event in events]
        self.write_stored(stored, [event.org for event in events])

    def write_stored(self, stored: list[StoredEvent], orgs: list[str]) -> None:
        """Write stored events (with the department of each) and their links."""
        if self.linker is None:
            raise TypeError("PagedSave without a chain only reads")
        if self._cursor is None:
            self._cursor = self._stack.enter_context(
                self.recorder.datastore.transaction(commit=True)
            )
        if self._sqlite:
            # The aggregate recorder's executemany (the application recorder executes row by row
            # for each rowid). Rowids: one more than the largest, so this page's are consecutive
            # up to the largest (the write lock is held from the first insert to the commit).
            self._cursor.executemany(
                self.recorder.insert_events_statement,
                [(_hex(s.originator_id), s.originator_version, s.topic, s.state) for s in stored],
            )
            self._cursor.execute(self._last)
            last = int(self._cursor.fetchone()[0])
            ids: Sequence[int] = range(last - len(stored) + 1, last + 1)
        else:
            self.recorder._insert_stored_events(self._cursor, stored)
            ids = self.recorder._fetch_ids_after_insert_events(self._cursor, stored)
        if not self.linker.started:
            self.linker.start(self._cursor, min(ids))
        rows: list[Row] = [
            (pos, org, str(s.originator_id), s.originator_version, s.topic, s.state)
            for pos, org, s in zip(ids, orgs, stored, strict=True)
        ]
        self.linker.link(self._cursor, rows)
        self._position = max(ids)

    def load(self, ids: Sequence[UUID]) -> dict[UUID, Record]:
        """The stored records among these ids as this transaction sees them (its pages too)."""
        if not ids:
            return {}
        if self._cursor is not None:
            return self._load(self._cursor, ids)
        with self.recorder.datastore.transaction(commit=False) as cursor:
            return self._load(cursor, ids)

    def _load(self, cursor: Any, ids: Sequence[UUID]) -> dict[UUID, Record]:
        found: dict[UUID, list[StoredEvent]] = defaultdict(list)
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start : start + IDS_PER_QUERY]
            if self._sqlite:
                marks = ", ".join("?" * len(chunk))
                cursor.execute(self._select.format(marks=marks), [u.hex for u in chunk])
            else:
                cursor.execute(self._select, (list(chunk),))
            for row in cursor.fetchall():
                key = row["originator_id"]
                key = key if isinstance(key, UUID) else UUID(str(key))
                found[key].append(
                    StoredEvent(
                        originator_id=key,
                        originator_version=row["originator_version"],
                        topic=row["topic"],
                        state=bytes(row["state"]),
                    )
                )
        to_event: Any = self.app.mapper.to_domain_event  # its events have `mutate`
        records: dict[UUID, Record] = {}
        for key, stored in found.items():
            # What the library's project_aggregate does, without its isinstance check against
            # a runtime Protocol per event (a third of the time of reading a record back).
            record: Any = None
            for item in stored:
                record = to_event(item).mutate(record)
            records[key] = record
        return records

    def __enter__(self) -> PagedSave:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        """Commit when the block ended normally, else roll back every page."""
        if exc is None:
            self._stack.close()
            return False
        return bool(self._stack.__exit__(exc_type, exc, tb))


def _is_postgres(recorder: Any) -> bool:
    # Imported only here: psycopg takes ~50 ms to import, and a SQLite install never needs it.
    from eventsourcing.postgres import PostgresApplicationRecorder

    return isinstance(recorder, PostgresApplicationRecorder)


def _hex(originator_id: UUID | str) -> str:
    """The id as SQLite's recorder stores it (32 hex digits)."""
    return originator_id.hex if isinstance(originator_id, UUID) else UUID(originator_id).hex
