"""The stored-event decoder: the only code that knows the event library's table layout and state
encoding (shared by the projector and the hash chain)."""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Sequence
from typing import Any, NamedTuple
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Notification
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic, resolve_topic

from domain.issuance import IssuedReport
from domain.records import Record

_loads = json.JSONDecoder().decode
# The C scanner that `_loads` ends in, called without its Python wrapper (a third of the
# decoding time); the wrapper where the C accelerator is missing.
_c_scanner: Any = getattr(json.scanner, "c_make_scanner", None)
if _c_scanner is not None:
    _scan = _c_scanner(json.JSONDecoder())

    def _loads(text: str) -> Any:  # type: ignore[misc]
        return _scan(text, 0)[0]


# Every byte that is a decimal digit as "0", every other as " " (see `parse_state`).
_DIGITS = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))
_LONG_NUMBER = b"0" * 19


def parse_state(state: bytes) -> Any:
    """A stored JSON state, as `json` reads it: by `orjson` (twice as fast) unless it may hold an
    integer beyond 64 bits (19 digits in a row: orjson would make a float of it) or orjson refuses
    it (lone surrogates, NaN, 1e400)."""
    if _LONG_NUMBER not in state.translate(_DIGITS):
        try:
            return orjson.loads(state)
        except orjson.JSONDecodeError:
            pass
    return _loads(state.decode("utf-8"))


_parse = parse_state  # the projector's name for it


def plain_state(mapper: Any, state: bytes) -> bytes:
    """A stored state as the transcoder wrote it: decrypted, decompressed."""
    if mapper.cipher:
        state = mapper.cipher.decrypt(state)
    if mapper.compressor:
        state = mapper.compressor.decompress(state)
    return state


_ENTRY, _OPENED, _AMENDS, _ISSUED, _IGNORED = range(5)  # roles of stored events


class _Kind(NamedTuple):
    """A stored topic, resolved: its class, current topic, record class version, and role."""

    cls: type
    topic: str
    version: int | None  # when a record's event (Record.Entry)
    role: int


class _Decoder:
    """Stored events of records as plain dicts: their JSON state read directly, no event objects.

    Events of other aggregates, of a class with upcasts, or under another transcoder take the
    library's mapper (`to_domain_event`); the result is the same attributes either way.
    """

    def __init__(self, app: Application) -> None:
        self.mapper = app.mapper
        self.plain = type(self.mapper.transcoder) is JSONTranscoder
        self.classes: dict[str, _Kind] = {}  # by stored topic

    def kind(self, stored_topic: str) -> _Kind:
        """What the projector does with events stored under a topic (resolved once)."""
        found = self.classes.get(stored_topic)
        if found is None:
            cls = resolve_topic(stored_topic)
            version = None
            if issubclass(cls, IssuedReport.ReportIssued):
                role = _ISSUED
            elif not issubclass(cls, Record.Entry):
                role = _IGNORED
            else:
                version = getattr(cls, "class_version", 1)
                role = (
                    _OPENED
                    if issubclass(cls, Record.Opened)
                    else _AMENDS
                    if issubclass(cls, Record.Corrected | Record.Voided)
                    else _ENTRY
                )
            found = self.classes[stored_topic] = _Kind(cls, get_topic(cls), version, role)
        return found

    def __call__(self, notification: Any) -> tuple[type, str, dict[str, Any]]:
        """The event's class, its current topic and its attributes."""
        kind = self.kind(notification.topic)
        return kind.cls, kind.topic, self.attributes(notification, kind.version)

    def attributes(self, notification: Any, version: int | None) -> dict[str, Any]:
        """A stored event's attributes (`version`: its class's, when it is a record's event)."""
        if self.plain and version is not None:
            state = plain_state(self.mapper, notification.state)
            attributes: dict[str, Any] = _parse(state)
            # Stored at the class's current version: nothing to upcast (else the mapper does).
            if attributes.pop("class_version", 1) == version:
                return attributes
        return vars(self.event(notification))

    def event(self, notification: Any) -> Any:
        """The library's domain event (rows read by `_select_rows` carry the id as hex text)."""
        if isinstance(notification, _StoredRow):
            notification = Notification(
                id=notification.id,
                originator_id=UUID(notification.originator_id),
                originator_version=notification.originator_version,
                topic=notification.topic,
                state=notification.state,
            )
        return self.mapper.to_domain_event(notification)


class _StoredRow(NamedTuple):
    """A stored event as read from the SQLite events table: no UUID made for its id."""

    id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


def _select_rows(recorder: Any, start: int, limit: int, stop: int | None = None) -> Sequence[Any]:
    """The next stored events after `start`, up to `stop`: straight from the library's SQLite
    events table (eventsourcing 9.5: the notification id is the rowid), else
    `select_notifications`."""
    if not isinstance(recorder, SQLiteApplicationRecorder):
        return recorder.select_notifications(
            start=start, limit=limit, stop=stop, inclusive_of_start=False
        )
    sql = (
        "SELECT rowid, originator_id, originator_version, topic, state "
        f"FROM {recorder.events_table_name} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (start, (1 << 62) if stop is None else stop, limit))
        return list(map(_StoredRow._make, cursor.fetchall()))


def position_column(recorder: Any) -> str:
    """The column of the events table that holds the notification id (SQLite: the rowid)."""
    return "rowid" if isinstance(recorder, SQLiteApplicationRecorder) else "notification_id"


def events_table(recorder: Any) -> str:
    """The library's events table, as SQL names it (PostgreSQL: schema-qualified, quoted)."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        return str(recorder.events_table_name)
    return f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'


def page_sql(recorder: Any) -> str:
    """One page of stored rows (position, originator id as text, version, topic, state) after a
    position, in position order: parameters (after, limit)."""
    table = recorder.events_table_name
    if isinstance(recorder, SQLiteApplicationRecorder):
        return (
            f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )
    schema = recorder.datastore.schema
    return (
        "SELECT notification_id, originator_id::text, originator_version, topic, state "
        f'FROM "{schema}"."{table}" WHERE notification_id > %s '
        "ORDER BY notification_id LIMIT %s"
    )
