"""Backup and restore of the event store with its hash chain; migration's copy too.

`backup` reads the events with their links in one snapshot (SQLite: one read transaction of the
WAL database, which writers do not block; PostgreSQL: REPEATABLE READ), recomputes every link as
it goes (a broken or unlinked chain is refused, not sealed into a file) and writes the file of
`service.backups.backup_file`, sealed with an HMAC under the chain key. The documents kept at
issue are listed after the events are read: a document is written before the event that names it is
saved, so every document the copied events name is in the file.

`restore` refuses a file it cannot open with its own keys, then writes every row into an empty
store in one transaction while recomputing each link (keyed: a forged link cannot match), and
before committing checks the file's HMAC, every issued report against the backup's own chain
(its recorded head, and its DOCX/PDF against their SHA-256), and the anchors given. Documents go
to a staging folder committed with the rows (`service.backups.restore_journal`): a restore
killed at any moment leaves the target as it was, or complete after the next command.

Over 300 lines as one module: backup and restore read and write the same rows and recompute the
same links (`Checker`); `backup_file` holds the file format, `restore_journal` the staging.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.chain import GENESIS
from domain.issuance import IssuedReport
from service.application import RecordsApplication
from service.backups.backup_file import (
    FORMAT,
    VERSION,
    BackupError,
    BackupFile,
    BackupRefused,
    DocumentRow,
    Item,
    LinkedRow,
    document_path,
    event_line,
    line,
    sealing_key,
)
from service.backups.restore_journal import (
    DOCUMENTS,
    STAGING,
    finish,
    pending,
    remove_stale,
    restored_from,
)
from service.config import Settings
from service.integrity.anchors import anchor_problems
from service.integrity.chain import Chain, ChainCheck, Recompute, key_checks, links
from service.integrity.keyring import Keyring
from service.runtime import Runtime

__all__ = ["BackupError", "BackupRefused", "Copied", "restore", "write_backup"]

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


def _pg_conninfo(settings: Settings) -> dict[str, Any]:
    env = settings.event_store_env()
    return {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"],
    }


def _qualified(app: RecordsApplication) -> str:
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
            psycopg.connect(**_pg_conninfo(settings), connect_timeout=10).close()
        except psycopg.OperationalError as exc:
            info = _pg_conninfo(settings)
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
            self.table = _qualified(app)
            self.keyring = chain.keys.load()
        finally:
            chain.dispose()
            app.close()
        self._conn: Any = None
        self.backend = "postgresql" if settings.is_postgres else "sqlite"

    def __enter__(self) -> Snapshot:
        if self.settings.is_postgres:
            import psycopg

            pg = psycopg.connect(**_pg_conninfo(self.settings))
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


# ----------------------------------------------------------------------------------------------
# The backup file


def write_backup(settings: Settings, path: Path) -> Copied:
    """Write a sealed backup of the store to `path` (atomically: a temporary file renamed).

    The chain is recomputed as the events are read: a store whose chain does not hold is not
    backed up (BackupRefused names the position)."""
    import gzip

    path = path.expanduser()
    if path.is_dir():
        raise BackupError(f"{str(path)!r} là một thư mục, cần tên tệp")
    if not path.parent.is_dir():
        raise BackupError(f"không có thư mục {str(path.parent)!r}")
    snapshot = Snapshot(settings)
    keyring = snapshot.keyring
    if keyring is None:
        raise BackupError(
            "không có khóa chuỗi băm (NGOAIVU_CHAIN_KEY hoặc tệp chain_key): không niêm phong "
            "được bản sao lưu"
        )
    key = keyring.current
    copied = Copied()
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with snapshot, gzip.open(partial, "wb", compresslevel=6) as out:
            copied.head = snapshot.head()
            header = line(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": datetime.now(UTC).isoformat(timespec="microseconds"),
                    "source": snapshot.backend,
                    "head": copied.head,
                    "key": key.id,
                }
            )
            mac = hmac.new(sealing_key(key), header, "sha256")
            out.write(header)

            def emit(obj: Any) -> None:
                data = line(obj)
                mac.update(data)
                out.write(data)

            snapshot.check_counts()
            checker = Checker(keyring)
            for _kind, row in snapshot.items():
                checker.event(row)
                emit(event_line(row))
                copied.events += 1
                copied.links += 1
                copied.chain_head = row[7]
            for name, data in kept_documents(settings.data_dir / DOCUMENTS):
                emit({"d": [name, base64.b64encode(data).decode()]})
                copied.documents += 1
            end = {"events": copied.events, "documents": copied.documents}
            out.write(line({"end": {**end, "hmac": mac.hexdigest()}}))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return copied


def kept_documents(root: Path) -> Iterator[DocumentRow]:
    """Every kept document under `root` (not the temporary files of one being written)."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.endswith(".tmp"):
            yield path.relative_to(root).as_posix(), path.read_bytes()


# ----------------------------------------------------------------------------------------------
# Writing into an empty store


class Target:
    """An installation to fill: it must hold no event and no chain link."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        app, chain = open_store(settings)  # creates the recorder's tables and the chain's
        self.app, self.chain = app, chain
        self.table = _qualified(app)
        finish(chain.engine, settings.data_dir)  # a restore killed after its commit

    def close(self) -> None:
        """Release the store."""
        self.chain.dispose()
        self.app.close()

    def where(self) -> str:
        """The installation, for messages."""
        if self.settings.is_postgres:
            info = _pg_conninfo(self.settings)
            return f"postgresql://{info['host']}:{info['port']}/{info['dbname']}"
        return str(self.settings.data_dir)

    def check_empty(self) -> None:
        """Refuse (exit 2) when the target already holds data."""
        events, linked = self.chain.levels()
        if events or linked:
            raise BackupError(
                f"kho đích {self.where()} không trống (đến @{max(events, linked)}): chỉ chép vào "
                "một cài đặt mới, chưa có dữ liệu"
            )

    def load(
        self,
        items: Iterable[Item],
        checker: Checker,
        *,
        anchors: dict[int, str] | None = None,
        backup_id: str | None = None,
    ) -> Copied:
        """Insert every row in one transaction, checked as it goes; nothing stays on failure.

        Before the commit: the issued reports' heads and documents, and the anchors, against
        the rows just written. Documents are staged and moved in once the rows are committed."""
        data_dir = self.settings.data_dir
        staging = data_dir / f"{STAGING}{os.getpid()}-{datetime.now(UTC).strftime('%H%M%S%f')}"
        remove_stale(data_dir, keep=set())
        copied = Copied()
        load = _SqliteLoad(self) if not self.settings.is_postgres else _PostgresLoad(self)
        with load:
            staged: dict[str, bytes] = {}
            events: list[LinkedRow] = []
            for kind, row in items:
                if kind == "d":
                    _check_document(row, self.app)
                    path = document_path(staging, row[0])
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(row[1])
                    staged[row[0]] = row[1]
                    copied.documents += 1
                    continue
                checker.event(row)
                events.append(row)
                copied.events += 1
                copied.links += 1
                copied.head, copied.chain_head = row[0], row[7]
                if len(events) >= PAGE:
                    load.put(events)
                    events = []
            if events:
                load.put(events)
            copied.warnings = self._check_issued(checker, load, set(staged))
            copied.issued = len(checker.issued)
            copied.anchors = self._check_anchors(anchors or {}, load, copied.head)
            assert checker.keyring is not None
            for key_id in sorted(checker.keys_seen):
                key = checker.keyring.by_id(key_id)
                assert key is not None
                load.execute(
                    f"INSERT INTO {key_checks.name} (key_id, start, check_value) VALUES (?, ?, ?)",
                    (key.id, key.start, key.check()),
                )
            if backup_id is not None:
                load.execute(
                    f"INSERT INTO {pending.name} (staging, backup, done) VALUES (?, ?, ?)",
                    (staging.name, backup_id, False),
                )
            load.commit_after(copied.head)
        finish(self.chain.engine, data_dir)
        return copied

    @staticmethod
    def _check_issued(checker: Checker, load: _Load, staged: set[str]) -> list[str]:
        """Each issued report's recorded head is the backup's link there; its kept documents are
        the ones it names. Refused otherwise; a document missing from the backup is a warning."""
        heads = load.links([issued[4] for issued in checker.issued])
        warnings = []
        for pos, org, year, number, chain_position, chain_head, documents in checker.issued:
            found = GENESIS if chain_position == 0 else heads.get(chain_position)
            if found != chain_head:
                raise BackupRefused(
                    f"HỎNG tại vị trí @{pos}: văn bản {number} ({year}) ghi đầu chuỗi "
                    f"@{chain_position} khác chuỗi của bản sao lưu"
                )
            folder = f"{quote(org, safe='')}/{year}/{quote(number, safe='')}/"
            here = {name for name in staged if name.startswith(folder)}
            for fmt in ("docx", "pdf"):
                digest = documents.get(fmt)
                if not isinstance(digest, str):
                    continue
                expected = f"{folder}{digest.removeprefix('sha256:')}.{fmt}"
                named = {n for n in here if n.split("/")[-1].split(".")[1:2] == [fmt]}
                if expected in named or f"{expected}.enc" in named:
                    continue
                if named:
                    raise BackupRefused(
                        f"HỎNG tại vị trí @{pos}: bản {fmt.upper()} của văn bản {number} ({year}) "
                        "trong tệp sao lưu không phải bản đã ban hành"
                    )
                warnings.append(
                    f"văn bản {number} ({year}): tệp sao lưu không có bản {fmt.upper()}"
                )
        return warnings

    @staticmethod
    def _check_anchors(anchors: dict[int, str], load: _Load, last: int) -> int:
        found: dict[int, str | None] = dict(load.links(list(anchors)))
        problems = anchor_problems(anchors, found, last)
        if problems:
            position, message = problems[0]
            raise BackupRefused(f"HỎNG tại vị trí @{position}: mốc không khớp: {message}")
        return len(anchors)


def _check_document(row: DocumentRow, app: RecordsApplication) -> None:
    """A kept document's bytes are those its name's SHA-256 says (decrypted when encrypted)."""
    name, data = row
    base = name.rsplit("/", 1)[-1]
    digest = base.split(".", 1)[0]
    if len(digest) != 64:
        return  # not a kept document's name: carried as it is
    plain = data
    if base.endswith(".enc"):
        cipher = getattr(app.mapper, "cipher", None)
        if cipher is None:
            return  # checked by `verify` once the key is set
        try:
            plain = cipher.decrypt(data)
        except ValueError as exc:
            raise BackupRefused(f"HỎNG: tài liệu {name!r} không giải mã được") from exc
    if hashlib.sha256(plain).hexdigest() != digest:
        raise BackupRefused(f"HỎNG: tài liệu {name!r} không khớp mã SHA-256 trong tên (bị tráo?)")


class _Load:
    """One target transaction: rows in, links looked up, committed by `commit_after`."""

    mark = "?"

    def __init__(self, target: Target) -> None:
        self.target = target
        self.table = target.table

    def __enter__(self) -> _Load:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if exc_type is not None:
            self.rollback()
        self.close()

    def execute(self, sql: str, params: tuple[Any, ...]) -> None:
        raise NotImplementedError

    def put(self, rows: list[LinkedRow]) -> None:
        raise NotImplementedError

    def links(self, positions: list[int]) -> dict[int, str]:
        raise NotImplementedError

    def commit_after(self, head: int) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _SqliteLoad(_Load):
    def __init__(self, target: Target) -> None:
        import sqlite3

        super().__init__(target)
        self.conn = sqlite3.connect(
            str(target.settings.data_dir / "events.sqlite"), isolation_level=None, timeout=60
        )
        self.conn.execute("BEGIN IMMEDIATE")
        self.open = True
        count = self.conn.execute(
            f"SELECT (SELECT COUNT(*) FROM {self.table}), (SELECT COUNT(*) FROM {links.name})"
        ).fetchone()
        if count[0] or count[1]:
            self.rollback()
            self.close()
            target.check_empty()

    def execute(self, sql: str, params: tuple[Any, ...]) -> None:
        self.conn.execute(sql, params)

    def put(self, rows: list[LinkedRow]) -> None:
        self.conn.executemany(
            f"INSERT INTO {self.table} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)",
            [(r[0], UUID(r[1]).hex, r[2], r[3], r[4]) for r in rows],
        )
        self.conn.executemany(
            f"INSERT INTO {links.name} (position, org, org_hash, global_hash, key_id, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [r[:1] + r[5:] for r in rows],
        )

    def links(self, positions: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for i in range(0, len(positions), 500):
            chunk = positions[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for pos, head in self.conn.execute(
                f"SELECT position, global_hash FROM {links.name} WHERE position IN ({marks})",
                chunk,
            ):
                found[pos] = head
        return found

    def commit_after(self, head: int) -> None:
        self.conn.execute("COMMIT")
        self.open = False

    def rollback(self) -> None:
        if self.open:
            self.conn.execute("ROLLBACK")
            self.open = False

    def close(self) -> None:
        self.conn.close()


class _PostgresLoad(_Load):
    mark = "%s"

    def __init__(self, target: Target) -> None:
        import psycopg

        super().__init__(target)
        try:
            self.conn = psycopg.connect(**_pg_conninfo(target.settings))
        except psycopg.OperationalError as exc:
            raise BackupError(f"không kết nối được {target.where()}: {exc}") from exc
        self.cur = self.conn.cursor()
        self.cur.execute("SET LOCAL lock_timeout = '60s'")
        self.cur.execute(f"LOCK TABLE {self.table}, {links.name} IN EXCLUSIVE MODE")
        row = self.cur.execute(
            f"SELECT (SELECT COUNT(*) FROM {self.table}), (SELECT COUNT(*) FROM {links.name})"
        ).fetchone()
        if row is not None and (row[0] or row[1]):
            self.rollback()
            self.close()
            target.check_empty()

    def execute(self, sql: str, params: tuple[Any, ...]) -> None:
        self.cur.execute(sql.replace("?", "%s"), params)

    def put(self, rows: list[LinkedRow]) -> None:
        with self.cur.copy(
            f"COPY {self.table} (notification_id, originator_id, originator_version, topic, "
            "state) FROM STDIN"
        ) as copy:
            for r in rows:
                copy.write_row((r[0], r[1], r[2], r[3], r[4]))
        with self.cur.copy(
            f"COPY {links.name} (position, org, org_hash, global_hash, key_id, note) FROM STDIN"
        ) as copy:
            for r in rows:
                copy.write_row(r[:1] + r[5:])

    def links(self, positions: list[int]) -> dict[int, str]:
        if not positions:
            return {}
        rows = self.cur.execute(
            f"SELECT position, global_hash FROM {links.name} WHERE position = ANY(%s)",
            (positions,),
        ).fetchall()
        return {int(pos): head for pos, head in rows}

    def commit_after(self, head: int) -> None:
        if head:  # the recorder's ids come from the column's sequence: continue after ours
            self.cur.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                (self.table.replace('"', ""), head),
            )
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


def settle(settings: Settings, copied: Copied) -> Copied:
    """After a copy: rebuild the read models and recompute the chain."""
    with Runtime(settings) as rt:
        if not getattr(rt, "sealed", False):  # encrypted and no key: only the chain is checked
            rt.projector.rebuild(until=rt.alarms.check())
        copied.check = rt.chain.verify()
    return copied


def restore(settings: Settings, path: Path, anchors: dict[int, str] | None = None) -> Copied:
    """Restore a backup file into this (empty) installation and rebuild its read models."""
    path = path.expanduser()
    if not path.is_file():
        raise BackupError(f"không tìm thấy tệp sao lưu {str(path)!r}")
    target = Target(settings)
    try:
        keyring = target.chain.keys.load()
        backup = BackupFile(path, keyring)  # refused without the key, before touching the store
        if restored_from(target.chain.engine) == backup.id:
            backup.close()  # this very file was restored here (perhaps killed after its commit)
            return settle(settings, Copied(completed=backup.id, head=target.chain.levels()[0]))
        try:
            target.check_empty()
            if any(kept_documents(settings.data_dir / DOCUMENTS)):
                raise BackupError(
                    f"thư mục {str(settings.data_dir / DOCUMENTS)!r} của cài đặt đích không "
                    "trống: chỉ khôi phục vào một cài đặt mới"
                )
        except BaseException:
            backup.close()
            raise
        checker = Checker(keyring, target.app.mapper.to_domain_event)
        items = backup.items()
        try:
            copied = target.load(items, checker, anchors=anchors, backup_id=backup.id)
        except BackupRefused as refused:
            for _item in items:  # a file altered without the key: say that first
                pass
            raise refused from None
    finally:
        target.close()
    return settle(settings, copied)
