"""The projector: applies stored events to the read models exactly once, in batches."""

from __future__ import annotations

import gc
import json
import json.encoder
import json.scanner
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any, NamedTuple
from uuid import UUID

import orjson
import sqlalchemy.exc
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Notification
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic, resolve_topic
from sqlalchemy import Connection, Table, delete, insert, select, update

from domain.issuance import IssuedReport
from domain.records import Record
from domain.text import fold
from domain.times import Moment, to_us
from projections.halts import EVERY, Halt, all_halts, halt_key, lift, note, reason
from projections.store import ReadModels
from projections.tables import facts, halts, issued, search, tracking

NAME = "records"
# Bump when the rows a projection writes change: stale read models are rebuilt from zero.
FORMAT = 1
BATCH = 2000

Progress = Callable[[int, int], None]
# What a write that fails on an event's own content raises (a text PostgreSQL refuses, an
# integer beyond the column): that event cannot be projected. Anything else (the database
# unreachable, a lock) stops the catch-up as before: it is not the event's fault.
_UNWRITABLE: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    OverflowError,
    sqlalchemy.exc.DataError,
    sqlalchemy.exc.IntegrityError,
    sqlite3.DataError,
    sqlite3.IntegrityError,
)


def _unwritable(exc: BaseException) -> bool:
    """Whether a write failed on the event's content (psycopg's errors when it is loaded: on
    SQLite it never is, and importing it costs 9 MB and a tenth of a second)."""
    if isinstance(exc, _UNWRITABLE):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.DataError | psycopg.IntegrityError)


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
    # `_fold(" ".join([target, *_strings(data)]))`, each field folded apart (many repeat: units,
    # places, recipients): the same words, in the same order.
    out = []
    for text in (target, *_strings(data)):
        folded = _values.get(text)
        if folded is None:
            if len(_values) > _MEMO_LIMIT:
                _values.clear()
            folded = _values[text] = _fold(text)
        if folded:
            out.append(folded)
    return " ".join(out)


# Memos of the pure functions the projector calls for every event (dates, words repeat).
_MEMO_LIMIT = 100_000
_values: dict[str, str] = {}
_words: dict[str, str] = {}
_moments: dict[str, tuple[int, str]] = {}
_instants: dict[str, int] = {}


def _fold(text: str) -> str:
    """`fold` word by word, each word's folding remembered: the same result, computed once."""
    out = []
    for word in text.split():
        folded = _words.get(word)
        if folded is None:
            if len(_words) > _MEMO_LIMIT:
                _words.clear()
            folded = _words[word] = fold(word)
        if folded:
            out.append(folded)
    return " ".join(out)


def _moment(text: str) -> tuple[int, str]:
    """A fact time's microseconds and its Vietnam day (`Moment.parse`, remembered)."""
    found = _moments.get(text)
    if found is None:
        if len(_moments) > _MEMO_LIMIT:
            _moments.clear()
        moment = Moment.parse(text)
        found = _moments[text] = (moment.us, moment.day.isoformat())
    return found


def _recorded_us(stamp: Any) -> int:
    """The recorded instant in microseconds: a datetime, or its stored JSON form."""
    if isinstance(stamp, datetime):
        return to_us(stamp)
    text = stamp["_data_"]  # {"_type_": "datetime_iso", "_data_": ISO}, as JSONTranscoder wrote it
    found = _instants.get(text)
    if found is None:
        if len(_instants) > _MEMO_LIMIT:
            _instants.clear()
        found = _instants[text] = to_us(datetime.fromisoformat(text))
    return found


# The columns of rm_facts in the order `entry_row` gives them.
FACT_COLUMNS = (
    "pos",
    "org",
    "record_kind",
    "scope",
    "target",
    "fact_id",
    "kind",
    "target_fact_id",
    "at",
    "at_us",
    "at_day",
    "known_since",
    "known_us",
    "recorded_us",
    "actor",
    "reason",
    "ref",
    "topic",
    "data",
)
_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_loads = json.JSONDecoder().decode
# The C encoder and scanner that `_dumps` and `_loads` end in, called without their Python
# wrappers (a third of the decoding time); the wrappers where C accelerators are missing.
if json.encoder.c_make_encoder is not None and json.scanner.c_make_scanner is not None:
    _encode = json.encoder.c_make_encoder(
        None, None, json.encoder.encode_basestring, None, ": ", ", ", True, False, True
    )
    _scan = json.scanner.c_make_scanner(json.JSONDecoder())

    def _dumps(data: Any) -> str:
        return "".join(_encode(data, 0))

    def _loads(text: str) -> Any:
        return _scan(text, 0)[0]


# Every byte that is a decimal digit as "0", every other as " " (see `_parse`).
_DIGITS = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))
_LONG_NUMBER = b"0" * 19


def _parse(state: bytes) -> Any:
    """A stored JSON state, as `json` reads it: by `orjson` (twice as fast) unless it may hold an
    integer beyond 64 bits (19 digits in a row: orjson would make a float of it) or orjson refuses
    it (lone surrogates, NaN, 1e400)."""
    if _LONG_NUMBER not in state.translate(_DIGITS):
        try:
            return orjson.loads(state)
        except orjson.JSONDecodeError:
            pass
    return _loads(state.decode("utf-8"))


def fact_row(position: int, ev: Record.Entry) -> dict[str, Any]:
    """The temporal row of one stored event."""
    return dict(zip(FACT_COLUMNS, entry_row(position, get_topic(type(ev)), vars(ev)), strict=True))


def entry_row(position: int, topic: str, ev: dict[str, Any]) -> tuple[Any, ...]:
    """The rm_facts row (FACT_COLUMNS) of one stored event, from its attributes."""
    target = ev["target"]
    record_kind, scope = scope_of(target)
    at = ev.get("at")
    at_us, at_day = _moment(at) if at else (None, None)
    data = ev.get("data")
    if data is None:
        data = ev.get("changes", {})
    recorded_us = _recorded_us(ev["timestamp"])
    known_since = ev["known_since"]
    # Record.Entry.knowledge_us: `known_since`, else the recorded instant.
    known_us = _moment(known_since)[0] if known_since else recorded_us
    return (
        position,
        ev["org"],
        record_kind,
        scope,
        target,
        ev["fact_id"],
        ev["kind"],
        ev.get("target_fact_id"),
        at,
        at_us,
        at_day,
        known_since,
        known_us,
        recorded_us,
        ev["actor"],
        ev["reason"],
        ev["ref"],
        topic,
        _dumps(data),
    )


_ENTRY, _OPENED, _AMENDS, _ISSUED, _IGNORED = range(5)  # roles of stored events


def _textless(ev: dict[str, Any]) -> bool:
    """A correction that sets only numbers and flags (`people`, `amount_usd`…): the search row,
    made of the record's texts, title and voidedness, cannot change (each corrected key was
    checked against the kind's schema at import: a number stays a number). Most corrections of
    a foreign-affairs history are such: their search refresh was a third of the catch-up."""
    changes = ev.get("changes")
    return (
        isinstance(changes, dict)
        and bool(changes)
        and all(type(value) is int or type(value) is bool for value in changes.values())
    )


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
            state = notification.state
            mapper = self.mapper
            if mapper.cipher:
                state = mapper.cipher.decrypt(state)
            if mapper.compressor:
                state = mapper.compressor.decompress(state)
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
        return recorder.select_notifications(  # type: ignore[no-any-return]
            start=start, limit=limit, stop=stop, inclusive_of_start=False
        )
    sql = (
        "SELECT rowid, originator_id, originator_version, topic, state "
        f"FROM {recorder.events_table_name} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(sql, (start, (1 << 62) if stop is None else stop, limit))
        return list(map(_StoredRow._make, cursor.fetchall()))


def _insert(
    conn: Connection, table: Table, names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Many rows at once: PostgreSQL `COPY` (psycopg), else one DB-API `executemany`."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        driver = conn.connection.driver_connection  # the same connection: the same transaction
        with (
            driver.cursor() as cursor,
            cursor.copy(  # type: ignore[union-attr]
                f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    if conn.dialect.name == "sqlite":
        # Several rows per INSERT (a tenth faster than executemany's one statement run per row,
        # and the GIL given up and taken back once per statement, not once per row).
        driver = conn.connection.driver_connection
        per = max(
            1,
            min(_SQLITE_ROWS, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(names)),
        )
        one = f"({', '.join([mark] * len(names))})"
        head = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "
        full = head + ", ".join([one] * per)
        cursor = driver.cursor()
        try:
            for i in range(0, len(rows), per):
                part = rows[i : i + per]
                sql = full if len(part) == per else head + ", ".join([one] * len(part))
                cursor.execute(sql, list(chain.from_iterable(part)))
        finally:
            cursor.close()
        return
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})",
        rows,
    )


_SEARCH_COLUMNS = ("org", "target", "title", "folded", "voided")
_SQLITE_ROWS = 500  # rows per SQLite INSERT (fewer if the variable limit is lower)


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


@dataclass
class _Batch:
    """One batch of stored events, decoded: the rows to write and the search rows to refresh."""

    start: int
    last: int
    count: int
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    openings: list[tuple[Any, ...]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    touched: dict[tuple[str, str], bool] = field(default_factory=dict)
    failed: bool = False  # an event of it could not be decoded: applied one by one

    def orgs(self) -> set[str]:
        """The departments whose rows the batch holds."""
        return {row[1] for row in self.rows} | {report["org"] for report in self.reports}

    def keeping(self, keep: Callable[[str], bool]) -> _Batch:
        """The same batch with only the rows of the departments `keep` accepts."""
        return _Batch(
            self.start,
            self.last,
            self.count,
            [row for row in self.rows if keep(row[1])],
            [row for row in self.openings if keep(row[0])],
            [report for report in self.reports if keep(report["org"])],
            {key: True for key in self.touched if keep(key[0])},
        )


@contextmanager
def _cycles_uncollected() -> Iterator[None]:
    """The cyclic garbage collector paused (as it was before, after): the batches are acyclic,
    freed by reference counting, but every 700 of their dicts and tuples would start a collection
    that walks the live ones (some 6 % of a rebuild's time, for nothing)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Projector:
    """Keeps the read models level with the event store; one projector at a time."""

    def __init__(self, app: Application, models: ReadModels) -> None:
        self.app = app
        self.models = models
        self.decode = _Decoder(app)
        # PostgreSQL writes in its own process, while a helper thread here decodes the next
        # batch. SQLite's writing is this process's work: a helper would only contend with it
        # for the GIL (no faster with a core free, slower when the machine is busy).
        self.read_ahead = not models.is_sqlite

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

    def catch_up(self, progress: Progress | None = None, until: int | None = None) -> int:
        """Apply every event not yet applied (up to position `until` when given: the last one
        the hash chain links), one transaction per batch; how many applied.

        With `read_ahead`, while one batch is written a helper thread reads and decodes the next
        one (psycopg releases the GIL while it waits for the server). A batch read ahead is used
        only if the position, read again under the projector's lock, is the one it was read from.
        """
        applied = 0
        head = self.app.recorder.max_notification_id() or 0  # type: ignore[attr-defined]
        if until is not None:
            head = min(head, until)
        if self.position() >= head:  # level already (every report asks): no write lock taken
            return applied
        with (
            _cycles_uncollected(),
            ThreadPoolExecutor(1, thread_name_prefix="projector-read") as reader,
        ):
            ahead: Future[_Batch | None] | None = None
            while True:
                with self.models.writing() as conn:
                    start = self.position(conn)
                    if start >= head:
                        return applied
                    stopped = all_halts(conn)
                    if EVERY in stopped:  # until `projections resume`
                        return applied
                    batch = ahead.result() if ahead is not None else None
                    if batch is None or batch.start != start:
                        batch = self._read(start, head)
                    if batch is None:
                        return applied
                    ahead = None
                    if self.read_ahead and batch.last < head:
                        ahead = reader.submit(self._read, batch.last, head)
                    last = self._apply(conn, batch, stopped)
                    self._track(conn, start, last)
                    if last >= head and self.models.is_sqlite:
                        self.models.restore_indexes(conn)  # those a rebuild dropped, if any
                applied += batch.count
                if progress:
                    progress(batch.last, head)

    def rebuild(self, progress: Progress | None = None, until: int | None = None) -> int:
        """Empty the read models and apply the whole store again.

        On SQLite, the secondary indexes of rm_facts go with the rows and are created once, in
        the transaction of the last batch: kept up row by row, in this process, they cost more
        than they do built at the end. (PostgreSQL keeps them up in its own process while this
        one decodes the next batch: there they stay.) Killed before the end, the read models are
        consistent without them (position and rows agree): the next catch-up to reach the head,
        or the next process to open the read models, creates them (so after an error too).
        """
        tables = (facts, search, issued, halts, tracking)
        with self.models.writing() as conn:
            if self.models.is_sqlite:  # SQLite empties a whole table at once on DELETE
                for table in tables:
                    conn.execute(delete(table))
                self.models.drop_fact_indexes(conn)
            else:  # PostgreSQL would delete row by row, index by index: TRUNCATE (transactional)
                conn.exec_driver_sql(f"TRUNCATE {', '.join(t.name for t in tables)}")
        applied = self.catch_up(progress, until)
        if self.models.is_sqlite:  # an empty store has no last batch to create them with
            with self.models.writing() as conn:
                self.models.restore_indexes(conn)
        return applied

    def _track(self, conn: Connection, start: int, position: int) -> None:
        values = {"position": position, "format": FORMAT}
        if start == 0 and self.position(conn) == 0:
            exists = conn.execute(select(tracking.c.name).where(tracking.c.name == NAME)).first()
            if not exists:
                conn.execute(insert(tracking).values(name=NAME, **values))
                return
        conn.execute(update(tracking).where(tracking.c.name == NAME).values(**values))

    def _read(self, start: int, stop: int) -> _Batch | None:
        """The next batch after `start` (up to `stop`), decoded into rows (no read-model
        connection needed); a batch holding an event that cannot be decoded is marked `failed`."""
        notifications = _select_rows(self.app.recorder, start, BATCH, stop)
        return self._read_from(start, notifications) if notifications else None

    def _apply(self, conn: Connection, batch: _Batch, stopped: dict[str, Halt]) -> int:
        """Write a batch but the rows of halted departments; the position it reaches.

        When an event of it cannot be decoded or written, the batch is applied event by event
        (`_one_by_one`), each in a savepoint, and that event's department halts there.
        """
        if not batch.failed:
            try:
                with conn.begin_nested():
                    self._write(
                        conn, batch.keeping(lambda org: org not in stopped) if stopped else batch
                    )
                return batch.last
            except Exception as exc:
                if not _unwritable(exc):
                    raise
        notifications = _select_rows(self.app.recorder, batch.start, batch.count)
        return self._one_by_one(conn, notifications, stopped)

    def _one_by_one(
        self,
        conn: Connection,
        notifications: Sequence[Any],
        stopped: dict[str, Halt],
        only: str | None = None,
    ) -> int:
        """Apply events one at a time; an event that cannot be decoded or written halts its
        department (noted in `stopped`), whose later events are then left out. `only`: apply
        only that department's events (a resume). The position reached: the last event's, or
        just before an event that halts every department."""
        for notification in notifications:
            position = notification.id
            try:
                one = self._decode(position - 1, [notification])
            except Exception as exc:  # any fault of a pure decoding is the event's
                key = halt_key(self._org_of(notification))
                if only is not None and key != only:
                    continue
                stopped[key] = note(conn, key, position, notification.topic, reason(exc))
                if key == EVERY:
                    return position - 1
                continue
            orgs = one.orgs()
            if not orgs or (only is not None and only not in orgs) or orgs & stopped.keys():
                continue
            try:
                with conn.begin_nested():
                    self._write(conn, one)
            except Exception as exc:
                if not _unwritable(exc):
                    raise
                key = halt_key(next(iter(orgs)))
                stopped[key] = note(conn, key, position, notification.topic, reason(exc))
                if key == EVERY:
                    return position - 1
        return notifications[-1].id if notifications else 0

    def _org_of(self, notification: Any) -> Any:
        """The department of an event that cannot be decoded, if its state shows it."""
        try:
            mapper = self.decode.mapper
            state = notification.state
            if mapper.cipher:
                state = mapper.cipher.decrypt(state)
            if mapper.compressor:
                state = mapper.compressor.decompress(state)
            return _parse(state).get("org")
        except Exception:  # unreadable: the halt is then every department's
            return None

    def halts(self) -> dict[str, Halt]:
        """Every halted department's halt."""
        with self.models.reading() as conn:
            return all_halts(conn)

    def resume(self, org: str | None = None) -> list[tuple[Halt, Halt | None]]:
        """Apply the events each halt held back (all, or one department's), then catch up.

        Each department is resumed in one transaction: its events from the halted one to the
        tracking position, applied as a catch-up would; its halt is lifted, or noted again at
        the event that still cannot be projected. Every department's halt ("*") stopped the
        tracking position itself: it is lifted and the catch-up tries again.
        Returns (the halt, the halt now in force or None) per department resumed.
        """
        outcome: list[tuple[Halt, Halt | None]] = []
        for key, halt in sorted(self.halts().items()):
            if org is not None and key != org:
                continue
            with self.models.writing() as conn:
                lift(conn, key)
                if key != EVERY:
                    self._replay(conn, key, halt.position - 1, self.position(conn))
            if key == EVERY:
                self.catch_up()
            outcome.append((halt, self.halts().get(key)))
        return outcome

    def _replay(self, conn: Connection, org: str, start: int, tracked: int) -> None:
        """Apply one department's events after `start` up to `tracked` (a resume)."""
        stopped: dict[str, Halt] = {}
        while start < tracked and org not in stopped:
            notifications = [
                n for n in _select_rows(self.app.recorder, start, BATCH) if n.id <= tracked
            ]
            if not notifications:
                return
            batch = self._read_from(start, notifications)
            if batch.failed or not self._written(conn, batch.keeping(lambda o: o == org)):
                self._one_by_one(conn, notifications, stopped, only=org)
            start = notifications[-1].id

    def _read_from(self, start: int, notifications: Sequence[Any]) -> _Batch:
        """The notifications decoded, or a `failed` batch when one of them cannot be."""
        try:
            return self._decode(start, notifications)
        except Exception:  # decoding is pure: the fault is in an event, found one by one
            return _Batch(start, notifications[-1].id, len(notifications), failed=True)

    def _written(self, conn: Connection, batch: _Batch) -> bool:
        """Write a batch in a savepoint; False (nothing written) when an event refuses."""
        try:
            with conn.begin_nested():
                self._write(conn, batch)
        except Exception as exc:
            if not _unwritable(exc):
                raise
            return False
        return True

    def _decode(self, start: int, notifications: Sequence[Any]) -> _Batch:
        """The rows of a batch of notifications."""
        batch = _Batch(start, notifications[-1].id, len(notifications))
        decode, kinds = self.decode, self.decode.classes
        rows, openings = batch.rows, batch.openings
        for notification in notifications:
            kind = kinds.get(notification.topic) or decode.kind(notification.topic)
            role = kind.role
            if role >= _ISSUED:
                if role == _ISSUED:
                    issued_event = decode.event(notification)
                    batch.reports.append(issued_row(notification.id, issued_event))  # type: ignore[arg-type]
                continue  # other aggregates' events: nothing to project
            ev = decode.attributes(notification, kind.version)
            rows.append(entry_row(notification.id, kind.topic, ev))
            org, target = ev["org"], ev["target"]
            if role == _OPENED:
                data = ev["data"]
                openings.append(
                    (org, target, title_of(data, target), searchable(data, target), False)
                )
            elif target.startswith("draft:"):
                # A draft's search text is its latest version's (a new version is an entry).
                batch.touched[(org, target)] = True
            elif role == _AMENDS:
                # Search holds the opening fact as corrected and whether the record is voided:
                # only a change of the opening fact (or a void of the record) can alter it.
                named = ev.get("target_fact_id")
                if (named is None or named == f"{target}#1") and not _textless(ev):
                    batch.touched[(org, target)] = True
        return batch

    def _write(self, conn: Connection, batch: _Batch) -> None:
        """Write a batch's rows, then refresh the search rows its corrections and voids touch."""
        if batch.rows:
            _insert(conn, facts, FACT_COLUMNS, batch.rows)
        if batch.openings:
            _insert(conn, search, _SEARCH_COLUMNS, batch.openings)
        if batch.reports:
            conn.execute(insert(issued), batch.reports)
        for org, target in batch.touched:
            self._refresh_search(conn, org, target)

    def _refresh_search(self, conn: Connection, org: str, target: str) -> None:
        """Recompute a record's search text after a correction or void (latest knowledge)."""
        from projections.visibility import current_opening  # late: avoids an import cycle

        opening, voided = current_opening(conn, org, target, latest=target.startswith("draft:"))
        values: dict[str, Any] = {"voided": voided}
        if opening is not None:
            # The opening's own keys, as when it was first projected (not its at, reason, ref).
            data = {k: v for k, v in opening.items() if k not in ("at", "reason", "ref")}
            values["title"] = title_of(data, target)
            values["folded"] = searchable(data, target)
        conn.execute(
            update(search).where(search.c.org == org, search.c.target == target).values(**values)
        )
