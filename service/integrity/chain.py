"""The stored hash chain: its table, its head, and `verify`, which recomputes it from the store.

Links are written only by the writers themselves, in the transaction of their events
(`service.integrity.linker`); nothing here links an event. See domain/chain.py for what a link
hashes.

Over 300 lines as one module: the chain table, its decoder of stored events (plain or through
the library's mapper) and the recomputation of `verify` must agree byte for byte on each link.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Notification
from eventsourcing.utils import resolve_topic
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from domain.chain import GENESIS, WRITTEN, Mac, event_bytes
from projections.store import autocommit_engine, look
from projections.stored import events_table, page_sql, parse_state, position_column
from service.application import RecordsApplication
from service.config import Settings
from service.integrity.keyring import Keyring, KeyringError, Keys

PAGE = 5000
VERIFY_PAGE = 20000
# Printable ASCII without quote and backslash: json.dumps writes such a string as it is.
_PLAIN = re.compile(r"[ !#-\[\]-~]*\Z")
_PG_LOCK_KEY = 0x6E67_6F61_6368_6169

chain_meta = MetaData()
# Lives beside the events (never in the disposable read models): one row per stored event.
links = Table(
    "ngoaivu_chain",
    chain_meta,
    # INTEGER on SQLite: the rowid itself (one B-tree, not a table and an index).
    Column(
        "position",
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("org", String(64), nullable=False),
    Column("org_hash", String(64), nullable=False),
    Column("global_hash", String(64), nullable=False),
    # The key that signed the link (NULL: a first-version, unkeyed link).
    Column("key_id", String(16), nullable=True),
    # An outside write an administrator acknowledged: who, when, why (JSON, inside the link).
    Column("note", Text, nullable=True),
)
# Each department's last link, kept by the writers in their transaction so that the next one
# finds it at once (verify never reads it: a wrong row only makes links that do not verify).
heads = Table(
    "ngoaivu_chain_heads",
    chain_meta,
    Column("org", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("org_hash", String(64), nullable=False),
)
# Which keys signed links here, and a value that recognises each (never the key itself): a
# process with a wrong or an out-of-date keyring is refused before it writes.
key_checks = Table(
    "ngoaivu_chain_keys",
    chain_meta,
    Column("key_id", String(16), primary_key=True),
    Column("start", BigInteger, nullable=False),
    Column("check_value", String(64), nullable=False),
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
    position: int = 0  # the last position checked
    acknowledged: list[tuple[int, str]] = field(default_factory=list)  # outside writes accepted
    anchors: dict[int, str | None] = field(default_factory=dict)  # position → head found there
    legacy: bool = False  # unkeyed links and no boundary: `ngoaivu chain upgrade` first

    @property
    def intact(self) -> bool:
        """No break, nothing unlinked, no legacy chain left unupgraded."""
        return self.broken is None and not self.unchained and not self.legacy


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


class Payloads:
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


class Orgs:
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
                attributes = parse_state(bytes(state))
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


def row_types(row: tuple[Any, ...]) -> str | None:
    """What is wrong with the SQL types of a stored event's row, or None (verify names it)."""
    _pos, uid, version, topic, state = row
    problems = []
    if type(version) is not int:
        problems.append(f"originator_version là {type(version).__name__}")
    if not isinstance(uid, str):
        problems.append(f"originator_id là {type(uid).__name__}")
    if not isinstance(topic, str):
        problems.append(f"topic là {type(topic).__name__}")
    if not isinstance(state, bytes | memoryview | bytearray):
        problems.append(f"state là {type(state).__name__}, không phải dữ liệu nhị phân")
    return "; ".join(problems) or None


class Recompute:
    """Recomputes links one event at a time, in position order, against the stored ones.

    Used by `verify`, and by `restore` and `migrate` on the rows they copy. `feed` returns the
    Break of the first event whose link does not match, and records what it saw.
    """

    def __init__(self, keyring: Keyring | None) -> None:
        self.keyring = keyring
        self.macs: dict[str, Mac] = {k.id: k.mac() for k in keyring.keys} if keyring else {}
        self.payloads = Payloads()
        self.genesis = bytes.fromhex(GENESIS)
        self.head = self.genesis
        self.heads: dict[str, bytes] = {}
        self.legacy_seen = False
        self.acknowledged: list[tuple[int, str]] = []
        self.events = 0
        self.position = 0
        self.links: dict[int, str] = {}  # global links kept at the positions asked (`watch`)
        self.watched: set[int] = set()
        # key id → (first position it signs, first it does not, its HMAC's two pads)
        self.fast: dict[str, tuple[int, int, Any, Any]] = {}
        if keyring:
            starts = [k.start for k in keyring.keys] + [1 << 62]
            for key, limit in zip(keyring.keys, starts[1:], strict=True):
                mac = self.macs[key.id]
                self.fast[key.id] = (key.start, limit, mac._inner, mac._outer)

    def feed(self, row: tuple[Any, ...], link: tuple[Any, ...]) -> Break | None:
        """Check one event's link; the Break, or None when it matches.

        The usual row (exact types, a key that signs its position, plain org and topic, no note)
        is checked inline; anything else, or a mismatch, by `_feed`, which names the problem."""
        pos, uid, version, topic, state = row
        org, org_hash, global_hash, key_id, note = link
        fast = self.fast.get(key_id) if note is None and type(key_id) is str else None
        if (
            fast is not None
            and fast[0] <= pos < fast[1]
            and type(state) is bytes
            and type(uid) is str
            and type(version) is int
            and type(org) is str
            and self.payloads.plain.get((org, topic))
        ):
            if len(uid) == 32:
                uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}"
            header = f'[{pos}, "{org}", "{uid}", {version}, "{topic}"]'.encode()
            payload = len(header).to_bytes(4, "big") + header + state
            inner = fast[2].copy()
            inner.update(WRITTEN)
            inner.update(self.heads.get(org, self.genesis))
            inner.update(payload)
            outer = fast[3].copy()
            outer.update(inner.digest())
            org_link = outer.digest()
            inner = fast[2].copy()
            inner.update(WRITTEN)
            inner.update(self.head)
            inner.update(payload)
            outer = fast[3].copy()
            outer.update(inner.digest())
            global_link = outer.digest()
            if org_link.hex() == org_hash and global_link.hex() == global_hash:
                self.heads[org], self.head = org_link, global_link
                self.events += 1
                self.position = pos
                if pos in self.watched:
                    self.links[pos] = global_hash
                return None
        return self._feed(row, link)

    def _feed(self, row: tuple[Any, ...], link: tuple[Any, ...]) -> Break | None:
        pos, uid, version, topic, state = row
        wrong = row_types(row)
        if wrong:
            return Break(pos, f"sự kiện lưu với kiểu dữ liệu SQL khác ({wrong})")
        if len(uid) == 32:  # SQLite keeps the hex digits; the chain hashes str(UUID)
            uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}"
        org, org_hash, global_hash, key_id, note = link
        if not all(isinstance(v, str) for v in (org, org_hash, global_hash)):
            return Break(pos, "mắt xích lưu với kiểu dữ liệu SQL khác")
        try:
            payload = self.payloads(pos, org, uid, version, topic, bytes(state))
        except (TypeError, ValueError):  # e.g. an originator id that is not a UUID
            return Break(pos, "nội dung sự kiện hoặc mắt xích không khớp")
        previous = self.heads.get(org, self.genesis)
        if key_id is None:
            problem = self._legacy(pos)
            if problem:
                return Break(pos, problem)
            h = hashlib.sha256(previous)
            h.update(payload)
            org_link = h.digest()
            h = hashlib.sha256(self.head)
            h.update(payload)
            global_link = h.digest()
        else:
            mac = self.macs.get(key_id) if isinstance(key_id, str) else None
            if mac is None or self.keyring is None:
                return Break(pos, f"mắt xích ký bằng khóa {key_id!r} không có trong chùm khóa")
            key = self.keyring.by_id(key_id)
            if key is None or not self.keyring.signs(key, pos):
                return Break(pos, f"khóa {key_id!r} không được dùng để ký vị trí này")
            if note is None:
                org_link = mac.link(previous, payload)
                global_link = mac.link(self.head, payload)
            else:
                raw = note.encode("utf-8") if isinstance(note, str) else b""
                org_link = mac.acknowledged(previous, raw, payload)
                global_link = mac.acknowledged(self.head, raw, payload)
        if org_link.hex() != org_hash or global_link.hex() != global_hash:
            return Break(pos, "nội dung sự kiện hoặc mắt xích không khớp")
        if note is not None:
            self.acknowledged.append((pos, str(note)))
        self.heads[org], self.head = org_link, global_link
        self.events += 1
        self.position = pos
        if pos in self.watched:
            self.links[pos] = global_hash
        legacy = self.keyring.legacy if self.keyring else None
        if legacy and pos == legacy.until and global_hash != legacy.head:
            return Break(pos, "đầu chuỗi cũ khác với đầu chuỗi ghi khi nâng cấp (chùm khóa)")
        return None

    def _legacy(self, pos: int) -> str | None:
        legacy = self.keyring.legacy if self.keyring else None
        if legacy is None:
            self.legacy_seen = True  # unkeyed links, no boundary: reported, not trusted
            return None
        if pos > legacy.until:
            return f"mắt xích không khóa sau mốc nâng cấp @{legacy.until}"
        return None

    def watch(self, positions: Iterator[int] | set[int]) -> None:
        """Keep the global link found at these positions (anchors, issued reports)."""
        self.watched |= set(positions)


class Chain:
    """The chain of one installation: per department, and a global head over all of them."""

    def __init__(self, app: RecordsApplication, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.engine = _engine(settings)
        self._look_engine: Engine | None = None  # `levels` outside transactions: made at first
        self.is_sqlite = not settings.is_postgres
        self.keys = Keys(settings.chain_key, settings.data_dir)
        with self.engine.begin() as conn:  # PostgreSQL: one process at a time creates the table
            if not self.is_sqlite:  # (another key than the writers': no wait behind them)
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY + 1})
            _create_or_upgrade(conn)

    def keyring(self) -> Keyring:
        """The keyring; KeyringError when this installation has none."""
        found = self.keys.load()
        if found is None:
            raise KeyringError(
                f"không có khóa chuỗi băm: đặt NGOAIVU_CHAIN_KEY hoặc chép tệp {self.keys.path} "
                "của cài đặt đã ký chuỗi"
            )
        return found

    def head(self) -> tuple[int, str]:
        """The position and hash of the last link (0 and the genesis when empty)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(links.c.position, links.c.global_hash)
                .order_by(links.c.position.desc())
                .limit(1)
            ).first()
        return (row.position, row.global_hash) if row else (0, GENESIS)

    def _read(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read statement, outside any transaction (one statement is its own
        snapshot). A transaction cost three more round trips on PostgreSQL (ping, BEGIN,
        ROLLBACK), and on SQLite it took the write lock (this engine begins IMMEDIATE, for
        linking), which an import holds from its first page to its commit: the projector
        worker's look at the levels waited for it (the engine's 60 s) and failed, every cycle
        of a large import."""
        if self._look_engine is None:
            url = self.settings.read_model_url()
            self._look_engine = self.engine if self.is_sqlite else autocommit_engine(url)
        return look(self._look_engine, sql, parameters)

    def levels(self) -> tuple[int, int]:
        """(last event's position, last link's position), read in one statement (one snapshot)."""
        table = self._events_table()
        column = position_column(self.app.recorder)
        sql = (
            f"SELECT (SELECT MAX({column}) FROM {table}), (SELECT MAX(position) FROM {links.name})"
        )
        ((events, linked),) = self._read(sql)
        return int(events or 0), int(linked or 0)

    def originators_of(self, topic: str) -> list[str]:
        """The ids of the aggregates with an event of this topic, in store order: read from the
        event store itself (the chained rows), not from a read model a database writer could
        shorten."""
        table = self._events_table()
        column = position_column(self.app.recorder)
        mark = "?" if self.is_sqlite else "%s"
        sql = f"SELECT originator_id FROM {table} WHERE topic = {mark} ORDER BY {column}"
        return [str(row[0]) for row in self._read(sql, (topic,))]

    def unlinked_after(self, position: int) -> tuple[int, int]:
        """(how many events, the first of them) stored after a position."""
        table = self._events_table()
        column = position_column(self.app.recorder)
        mark = "?" if self.is_sqlite else "%s"
        sql = f"SELECT COUNT(*), MIN({column}) FROM {table} WHERE {column} > {mark}"
        ((count, first),) = self._read(sql, (position,))
        return int(count or 0), int(first or 0)

    def _events_table(self) -> str:
        return events_table(self.app.recorder)

    def link_at(self, position: int) -> str | None:
        """The global hash stored at a position."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(links.c.global_hash).where(links.c.position == position)
            ).scalar_one_or_none()

    def verify(
        self,
        progress: Callable[[int], None] | None = None,
        watch: set[int] | None = None,
    ) -> ChainCheck:
        """Recompute every link from the stored events; the first position that differs.

        Events and links are read in one read-only snapshot, page by page straight from the
        tables (no event objects), and hashed with `domain.chain`'s bytes (`Payloads`). The
        global links at the positions in `watch` are kept (`check.anchors`).
        """
        keyring = self.keys.load()
        check = ChainCheck(0, GENESIS, {})
        recompute = Recompute(keyring)
        recompute.watch(watch or set())
        with self._snapshot() as cursor:
            stored = self._link_rows(cursor)
            entry = next(stored, None)
            for row in self._event_rows(cursor):
                pos = row[0]
                if entry is None:
                    check.events += 1
                    check.unchained += 1
                    check.first_unchained = check.first_unchained or pos
                    continue
                if not isinstance(pos, int) or not isinstance(entry[0], int):
                    check.broken = Break(entry[0], "vị trí lưu với kiểu dữ liệu SQL khác")
                    break
                if entry[0] < pos:
                    check.broken = Break(entry[0], "sự kiện ở vị trí này đã bị xóa")
                    break
                if entry[0] > pos:
                    check.broken = Break(pos, "sự kiện này không có trong chuỗi (bị chèn thêm)")
                    break
                check.broken = recompute.feed(row, entry[1:])
                if check.broken is not None:
                    break
                entry = next(stored, None)
                if progress and recompute.events % PAGE == 0:
                    progress(pos)
            else:
                if entry is not None:
                    check.broken = Break(entry[0], "sự kiện ở vị trí này đã bị xóa")
        check.events += recompute.events
        check.position = recompute.position
        check.head = recompute.head.hex()
        check.heads = {org: h.hex() for org, h in recompute.heads.items()}
        check.acknowledged = recompute.acknowledged
        check.anchors = {p: recompute.links.get(p) for p in (watch or set())}
        check.legacy = recompute.legacy_seen
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

    def _event_rows(self, cursor: Any, after: int = 0) -> Iterator[tuple[Any, ...]]:
        """(position, originator id as text, version, topic, state) in position order."""
        sql = page_sql(self.app.recorder)
        while True:
            cursor.execute(sql, (after, VERIFY_PAGE))
            rows = cursor.fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1][0]

    def _link_rows(self, cursor: Any) -> Iterator[tuple[Any, ...]]:
        """The stored links in position order, read page by page on a second cursor."""
        mark = "?" if self.is_sqlite else "%s"
        sql = (
            f"SELECT position, org, org_hash, global_hash, key_id, note FROM {links.name} "
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
        if self._look_engine is not None and self._look_engine is not self.engine:
            self._look_engine.dispose()


def _create_or_upgrade(conn: Connection) -> None:
    """Create the chain's tables; add what this version needs to a first-version table."""
    names = set(inspect(conn).get_table_names())
    if links.name in names:
        columns = {c["name"] for c in inspect(conn).get_columns(links.name)}
        for column in ("key_id", "note"):
            if column not in columns:
                kind = "VARCHAR(16)" if column == "key_id" else "TEXT"
                conn.exec_driver_sql(f"ALTER TABLE {links.name} ADD COLUMN {column} {kind}")
    chain_meta.create_all(conn)


def dumps_heads(heads: dict[str, str]) -> str:
    """The per-department heads, printable."""
    return json.dumps(dict(sorted(heads.items())), ensure_ascii=False)
