"""The stored hash chain: extended after every save, recomputed from the store by `verify`."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import JSONTranscoder, Notification
from eventsourcing.utils import resolve_topic
from sqlalchemy import (
    BigInteger,
    Column,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from domain.chain import GENESIS, event_bytes
from service.application import RecordsApplication
from service.config import Settings

PAGE = 5000
# Events not yet linked from which `extend_aside` forks (below it, a fork costs more).
ASIDE_EVENTS = 5000
VERIFY_PAGE = 20000
# Printable ASCII without quote and backslash: json.dumps writes such a string as it is.
_PLAIN = re.compile(r"[ !#-\[\]-~]*\Z")
_PG_LOCK_KEY = 0x6E67_6F61_6368_6169

chain_meta = MetaData()
# Lives beside the events (never in the disposable read models): one row per stored event.
links = Table(
    "ngoaivu_chain",
    chain_meta,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("org", String(64), nullable=False),
    Column("org_hash", String(64), nullable=False),
    Column("global_hash", String(64), nullable=False),
)


@dataclass(frozen=True)
class Break:
    """The first place where the store and its chain disagree."""

    position: int
    message: str


@dataclass
class ChainCheck:
    """The outcome of recomputing the chain."""

    events: int
    head: str
    heads: dict[str, str]
    broken: Break | None = None
    unchained: int = 0
    first_unchained: int | None = None


def _engine(settings: Settings) -> Engine:
    if not settings.is_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            f"sqlite:///{(settings.data_dir / 'events.sqlite').resolve()}",
            connect_args={"timeout": 60},
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(settings.read_model_url(), pool_pre_ping=True)


class _Payloads:
    """`domain.chain.event_bytes` for rows read as text, without a JSON encoder per event.

    When the org and topic are plain ASCII (no quote, backslash or control character: every
    slug and topic), `json.dumps` writes the header list as this f-string does; anything else
    goes through `event_bytes` itself. Same bytes either way (tested).
    """

    def __init__(self) -> None:
        self.plain: dict[tuple[str, str], bool] = {}

    def __call__(
        self, position: int, org: str, uid: str, version: int, topic: str, state: bytes
    ) -> bytes:
        plain = self.plain.get((org, topic))
        if plain is None:
            plain = self.plain[(org, topic)] = bool(_PLAIN.match(org) and _PLAIN.match(topic))
        if not plain or type(position) is not int or type(version) is not int:
            return event_bytes(position, org, UUID(uid), version, topic, state)
        header = f'[{position}, "{org}", "{uid}", {version}, "{topic}"]'.encode()
        return len(header).to_bytes(4, "big") + header + state


class _Orgs:
    """The department of a stored event: read from its JSON state when the state is plain.

    Plain: no cipher, no compressor, the JSON transcoder, and an event class without upcasts.
    Otherwise (encrypted at rest, an upcast class) the library's mapper decodes the event.
    """

    def __init__(self, app: RecordsApplication) -> None:
        mapper = app.mapper
        self.mapper = mapper
        self.plain = (
            type(mapper.transcoder) is JSONTranscoder
            and mapper.cipher is None
            and mapper.compressor is None
        )
        self.simple: dict[str, bool] = {}

    def __call__(self, position: int, uid: str, version: int, topic: str, state: bytes) -> str:
        if self.plain:
            simple = self.simple.get(topic)
            if simple is None:
                cls = resolve_topic(topic)
                simple = self.simple[topic] = getattr(cls, "class_version", 1) == 1
            if simple:
                try:  # orjson reads a string as json does; NaN or lone surrogates: json reads them
                    attributes = orjson.loads(state)
                except orjson.JSONDecodeError:
                    attributes = json.loads(state)
                org = attributes.get("org")
                if isinstance(org, str) and "class_version" not in attributes:
                    return org
        notification = Notification(
            id=position,
            originator_id=UUID(uid),
            originator_version=version,
            topic=topic,
            state=state,
        )
        return str(self.mapper.to_domain_event(notification).org)  # type: ignore[attr-defined]


class Chain:
    """The chain of one installation: per department, and a global head over all of them."""

    def __init__(self, app: RecordsApplication, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.engine = _engine(settings)
        self.is_sqlite = not settings.is_postgres
        with self.engine.begin() as conn:  # PostgreSQL: one process at a time creates the table
            if not self.is_sqlite:  # (another key than extend's: no wait behind a long extend)
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY + 1})
            chain_meta.create_all(conn)

    def _notifications(self, after: int) -> Iterator[Any]:
        while True:
            page = self.app.recorder.select_notifications(  # type: ignore[attr-defined]
                start=after, limit=PAGE, inclusive_of_start=False
            )
            if not page:
                return
            yield from page
            after = page[-1].id

    def _org_of(self, notification: Any) -> str:
        return str(self.app.mapper.to_domain_event(notification).org)  # type: ignore[attr-defined]

    def extend_aside(self, at_least: int | None = None) -> Callable[[], int] | None:
        """Start extending in a forked child on its own connections; a function that waits.

        For a large import on SQLite, the chain is computed on the second core while this
        process brings the read models level. The command line's import asks for it (never a web
        worker), and only a process with no other thread forks (a fork copies just the calling
        thread). None when not worth it or not possible; the returned function extends here
        what the child did not (it failed or was killed).
        """
        if not self.is_sqlite or not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        head = self.app.recorder.max_notification_id() or 0  # type: ignore[attr-defined]
        if head - self.head()[0] < (ASIDE_EVENTS if at_least is None else at_least):
            return None
        child = multiprocessing.get_context("fork").Process(
            target=_extend_in_child, args=(self.settings,)
        )
        child.start()

        def wait() -> int:
            child.join()
            return self.extend()  # nothing left to link unless the child failed or was killed

        return wait

    def extend(self) -> int:
        """Add links for the events stored since the last link; the last linked position."""
        orgs = _Orgs(self.app)
        payloads = _Payloads()
        sha256 = hashlib.sha256
        insert_sql = f"INSERT INTO {links.name} (position, org, org_hash, global_hash) VALUES " + (
            "(?, ?, ?, ?)" if self.is_sqlite else "(%s, %s, %s, %s)"
        )
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            last = conn.execute(
                select(links.c.position, links.c.global_hash)
                .order_by(links.c.position.desc())
                .limit(1)
            ).first()
            after = last.position if last else 0
            # Nothing new (every report asks): don't read every department's head (O(history)).
            if (self.app.recorder.max_notification_id() or 0) <= after:  # type: ignore[attr-defined]
                return after
            genesis = bytes.fromhex(GENESIS)
            head = bytes.fromhex(last.global_hash) if last else genesis
            heads = (
                {org: bytes.fromhex(h) for org, h in self._org_heads(conn).items()} if last else {}
            )
            reader = conn.connection.cursor()
            writer = conn.connection.cursor()
            try:
                rows: list[tuple[int, str, str, str]] = []
                for pos, uid, version, topic, state in self._event_rows(reader, after):
                    org = orgs(pos, uid, version, topic, state)
                    payload = payloads(pos, org, uid, version, topic, state)
                    h = sha256(heads.get(org, genesis))
                    h.update(payload)
                    heads[org] = org_link = h.digest()
                    h = sha256(head)
                    h.update(payload)
                    head = h.digest()
                    rows.append((pos, org, org_link.hex(), head.hex()))
                    after = pos
                    if len(rows) >= PAGE:
                        writer.executemany(insert_sql, rows)
                        rows.clear()
                if rows:
                    writer.executemany(insert_sql, rows)
            finally:
                reader.close()
                writer.close()
            return after

    @staticmethod
    def _org_heads(conn: Connection) -> dict[str, str]:
        """Each department's last link: its latest position found by the database, then read."""
        latest = [
            row[0] for row in conn.execute(select(func.max(links.c.position)).group_by(links.c.org))
        ]
        heads: dict[str, str] = {}
        for i in range(0, len(latest), 500):
            chunk = latest[i : i + 500]
            for row in conn.execute(
                select(links.c.org, links.c.org_hash).where(links.c.position.in_(chunk))
            ):
                heads[row.org] = row.org_hash
        return heads

    def head(self) -> tuple[int, str]:
        """The position and hash of the last link (0 and the genesis when empty)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(links.c.position, links.c.global_hash)
                .order_by(links.c.position.desc())
                .limit(1)
            ).first()
        return (row.position, row.global_hash) if row else (0, GENESIS)

    def link_at(self, position: int) -> str | None:
        """The global hash stored at a position."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(links.c.global_hash).where(links.c.position == position)
            ).scalar_one_or_none()

    def verify(self, progress: Callable[[int], None] | None = None) -> ChainCheck:
        """Recompute every link from the stored events; the first position that differs.

        Events and links are read in one read-only snapshot, page by page straight from the
        tables (no event objects), and hashed with `domain.chain`'s bytes (`_Payloads`).
        """
        check = ChainCheck(0, GENESIS, {})
        payloads = _Payloads()
        sha256 = hashlib.sha256
        heads: dict[str, bytes] = {}
        genesis = bytes.fromhex(GENESIS)
        head = genesis
        with self._snapshot() as cursor:
            stored = self._link_rows(cursor)
            entry = next(stored, None)
            for pos, uid, version, topic, state in self._event_rows(cursor):
                check.events += 1
                if entry is None:
                    check.unchained += 1
                    check.first_unchained = check.first_unchained or pos
                    continue
                position, org, org_hash, global_hash = entry
                if position < pos:
                    check.broken = Break(position, "sự kiện ở vị trí này đã bị xóa")
                    break
                if position > pos:
                    check.broken = Break(pos, "sự kiện này không có trong chuỗi (bị chèn thêm)")
                    break
                try:
                    payload = payloads(pos, org, uid, version, topic, state)
                except (TypeError, ValueError):  # e.g. an originator id that is not a UUID
                    check.broken = Break(pos, "nội dung sự kiện hoặc mắt xích không khớp")
                    break
                h = sha256(heads.get(org, genesis))
                h.update(payload)
                org_link = h.digest()
                h = sha256(head)
                h.update(payload)
                global_link = h.digest()
                if org_link.hex() != org_hash or global_link.hex() != global_hash:
                    check.broken = Break(pos, "nội dung sự kiện hoặc mắt xích không khớp")
                    break
                heads[org], head = org_link, global_link
                entry = next(stored, None)
                if progress and check.events % PAGE == 0:
                    progress(pos)
            else:
                if entry is not None:
                    check.broken = Break(entry[0], "sự kiện ở vị trí này đã bị xóa")
        check.head = head.hex()
        check.heads = {org: h.hex() for org, h in heads.items()}
        return check

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """A DB-API cursor inside one read-only transaction (SQLite: a WAL read snapshot)."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.is_sqlite:
                cursor.execute("BEGIN")  # deferred: readers do not block imports
            else:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield cursor
            finally:
                if self.is_sqlite:
                    cursor.execute("ROLLBACK")
                else:
                    raw.rollback()
                cursor.close()
        finally:
            raw.close()

    def _event_rows(
        self, cursor: Any, after: int = 0
    ) -> Iterator[tuple[int, str, int, str, bytes]]:
        """(position, originator id as text, version, topic, state) in position order."""
        recorder: Any = self.app.recorder
        table = recorder.events_table_name
        if self.is_sqlite:
            sql = (
                f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
                "WHERE rowid > ? ORDER BY rowid LIMIT ?"
            )
        else:
            schema = recorder.datastore.schema
            sql = (
                "SELECT notification_id, originator_id::text, originator_version, topic, state "
                f'FROM "{schema}"."{table}" WHERE notification_id > %s '
                "ORDER BY notification_id LIMIT %s"
            )
        while True:
            cursor.execute(sql, (after, VERIFY_PAGE))
            rows = cursor.fetchall()
            if not rows:
                return
            for pos, uid, version, topic, state in rows:
                if len(uid) == 32:  # SQLite keeps the hex digits; the chain hashes str(UUID)
                    uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}"
                yield pos, uid, version, topic, bytes(state)
            after = rows[-1][0]

    def _link_rows(self, cursor: Any) -> Iterator[tuple[int, str, str, str]]:
        """The stored links in position order, read page by page on a second cursor."""
        mark = "?" if self.is_sqlite else "%s"
        sql = (
            f"SELECT position, org, org_hash, global_hash FROM {links.name} "
            f"WHERE position > {mark} ORDER BY position LIMIT {mark}"
        )
        own = cursor.connection.cursor()
        try:
            after = 0
            while True:
                own.execute(sql, (after, VERIFY_PAGE))
                rows = own.fetchall()
                if not rows:
                    return
                yield from rows
                after = rows[-1][0]
        finally:
            own.close()

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def dumps_heads(heads: dict[str, str]) -> str:
    """The per-department heads, printable."""
    return json.dumps(dict(sorted(heads.items())), ensure_ascii=False)


def _extend_in_child(settings: Settings) -> None:
    """The forked child of `Chain.extend_aside`: new connections, never the parent's."""
    app = RecordsApplication(env=settings.event_store_env())
    chain = Chain(app, settings)
    try:
        chain.extend()
    finally:
        chain.dispose()
        app.close()
