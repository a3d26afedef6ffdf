"""Reading a store for a copy: its events with their links in one snapshot (SQLite: one read
transaction of the WAL database, which writers do not block; PostgreSQL: REPEATABLE READ), and the
`Checker` that recomputes every link as it goes (backup, restore and migration share both)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.issuance import IssuedReport
from service.application import RecordsApplication
from service.backups.backup_file import (
    BackupError,
    BackupRefused,
    Item,
)
from service.config import Settings
from service.integrity.chain import Chain, ChainCheck, Recompute, links
from service.integrity.keyring import Keyring

PAGE = 5000
ISSUED_TOPIC = get_topic(IssuedReport.ReportIssued)


@dataclass
class Copied:
    """What a backup, restore or migration moved, and the chain as recomputed afterwards."""

    events: int = 0
    links: int = 0
    head: int = 0
    chain_head: str | None = None
    check: ChainCheck | None = None
    documents: int = 0
    issued: int = 0
    anchors: int = 0
    warnings: list[str] = field(default_factory=list)
    completed: str | None = None  # the backup id of an earlier restore finished now


def pg_conninfo(settings: Settings) -> dict[str, Any]:
    env = settings.event_store_env()
    return {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"],
    }


def events_table(app: RecordsApplication) -> str:
    """The events table's name as SQL (schema-qualified on PostgreSQL)."""
    recorder: Any = app.recorder
    schema = getattr(getattr(recorder, "datastore", None), "schema", None)
    name = recorder.events_table_name
    return f'"{schema}"."{name}"' if schema else f'"{name}"'


def _is_connection_error(exc: BaseException) -> bool:
    names = {c.__name__ for c in type(exc).__mro__}
    return bool(names & {"OperationalError", "InterfaceError", "PoolTimeout"})


def open_store(settings: Settings) -> tuple[RecordsApplication, Chain]:
    """The store's application and chain, their tables created when missing."""
    if settings.is_postgres:
        import psycopg

        try:  # at once, rather than after the library's pool has waited for 30 seconds
            psycopg.connect(**pg_conninfo(settings), connect_timeout=10).close()
        except psycopg.OperationalError as exc:
            info = pg_conninfo(settings)
            where = f"postgresql://{info['host']}:{info['port']}/{info['dbname']}"
            raise BackupError(f"không kết nối được {where}: {str(exc).strip()}") from exc
    try:
        app = RecordsApplication(env=settings.event_store_env())
    except Exception as exc:
        if _is_connection_error(exc):
            raise BackupError(f"không kết nối được kho sự kiện: {exc}") from exc
        raise
    try:
        chain = Chain(app, settings)
    except Exception as exc:
        app.close()
        if _is_connection_error(exc):
            raise BackupError(f"không kết nối được kho sự kiện: {exc}") from exc
        raise
    return app, chain


# ----------------------------------------------------------------------------------------------
# Reading a store: one consistent snapshot


class Snapshot:
    """The events of a store with their links, read in one transaction."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        app, chain = open_store(settings)
        try:
            self.table = events_table(app)
            self.keyring = chain.keys.load()
        finally:
            chain.dispose()
            app.close()
        self._conn: Any = None
        self.backend = "postgresql" if settings.is_postgres else "sqlite"

    def __enter__(self) -> Snapshot:
        if self.settings.is_postgres:
            import psycopg

            pg = psycopg.connect(**pg_conninfo(self.settings))
            pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            pg.read_only = True
            self._conn = pg
        else:
            import sqlite3

            path = self.settings.data_dir / "events.sqlite"
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=60)
            conn.execute("BEGIN")  # deferred: the snapshot is taken by the first read
            self._conn = conn
        return self

    def __exit__(self, *_: Any) -> None:
        if self._conn is None:
            return
        if self.settings.is_postgres:
            self._conn.rollback()
        else:
            self._conn.execute("ROLLBACK")
        self._conn.close()
        self._conn = None

    def _rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        if self.settings.is_postgres:
            with self._conn.cursor(name="ngoaivu_backup") as cur:
                cur.itersize = PAGE
                cur.execute(sql)
                yield from cur
            return
        cur = self._conn.execute(sql)
        while True:
            page = cur.fetchmany(PAGE)
            if not page:
                return
            yield from page

    @property
    def _pos(self) -> str:
        return "notification_id" if self.settings.is_postgres else "rowid"

    def head(self) -> int:
        """The last position in the snapshot (0 when empty); it also fixes the snapshot."""
        row = self._conn.execute(f"SELECT MAX({self._pos}) FROM {self.table}").fetchone()
        return int(row[0] or 0)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Every stored event with its link (None fields when it has none), in position order;
        the originator id as text (`str(UUID)`), the state as stored."""
        uid = "e.originator_id::text" if self.settings.is_postgres else "e.originator_id"
        sql = (
            f"SELECT e.{self._pos}, {uid}, e.originator_version, e.topic, e.state, c.org, "
            "c.org_hash, c.global_hash, c.key_id, c.note "
            f"FROM {self.table} e LEFT JOIN {links.name} c ON c.position = e.{self._pos} "
            f"ORDER BY e.{self._pos}"
        )
        for row in self._rows(sql):
            pos, uid_text = row[0], row[1]
            if isinstance(uid_text, str) and len(uid_text) == 32:
                uid_text = str(UUID(uid_text))
            state = bytes(row[4]) if isinstance(row[4], bytes | memoryview) else row[4]
            yield (pos, uid_text, row[2], row[3], state, *row[5:])

    def events(self) -> Iterator[tuple[int, UUID, int, str, bytes]]:
        """Every stored event in position order (position, id, version, topic, state)."""
        for row in self.rows():
            yield int(row[0]), UUID(str(row[1])), int(row[2]), str(row[3]), bytes(row[4])

    def check_counts(self) -> None:
        """BackupRefused when the snapshot holds more links than events (events deleted)."""
        row = self._conn.execute(
            f"SELECT (SELECT COUNT(*) FROM {self.table}), (SELECT COUNT(*) FROM {links.name})"
        ).fetchone()
        if int(row[1]) > int(row[0]):
            raise BackupRefused(
                f"HỎNG: kho có {row[1]} mắt xích cho {row[0]} sự kiện (sự kiện bị xóa ngoài "
                "ứng dụng?)"
            )

    def items(self) -> Iterator[Item]:
        """("e", row) for every event with its link, in position order."""
        for row in self.rows():
            yield "e", row


class Checker:
    """The checks of a copy, event by event: each link, and what the issued reports say."""

    def __init__(self, keyring: Keyring | None, decode: Callable[[Any], Any] | None = None) -> None:
        self.keyring = keyring
        self.recompute = Recompute(keyring)
        self.decode = decode
        self.keys_seen: set[str] = set()
        # (position, org, year, number, chain position, chain head, documents)
        self.issued: list[tuple[int, str, int, str, int, str, dict[str, Any]]] = []

    def event(self, row: tuple[Any, ...]) -> None:
        """Check one event and its link; BackupRefused names the position."""
        pos = row[0]
        if row[5] is None:
            raise BackupRefused(
                f"HỎNG tại vị trí @{pos}: sự kiện không có mắt xích (ghi ngoài ứng dụng)"
            )
        broken = self.recompute.feed(tuple(row[:5]), tuple(row[5:]))
        if broken is not None:
            raise BackupRefused(f"HỎNG tại vị trí @{broken.position}: {broken.message}")
        if self.recompute.legacy_seen:
            raise BackupRefused(
                f"HỎNG tại vị trí @{pos}: chuỗi không khóa của phiên bản trước chưa nâng cấp: "
                "chạy `ngoaivu chain upgrade` trước"
            )
        if row[8] is not None:
            self.keys_seen.add(row[8])
        if self.decode is not None and row[3] == ISSUED_TOPIC:
            stored = StoredEvent(
                originator_id=UUID(row[1]),
                originator_version=row[2],
                topic=row[3],
                state=row[4],
            )
            try:
                event = self.decode(stored)
                d = event.details
                self.issued.append(
                    (pos, event.org, event.year, event.number, d["chain_position"],
                     d["chain_head"], d.get("documents") or {})
                )  # fmt: skip
            except Exception as exc:
                raise BackupRefused(
                    f"HỎNG tại vị trí @{pos}: không đọc được văn bản đã ban hành ({exc})"
                ) from exc
