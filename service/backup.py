"""Backup and restore of the event store with its hash chain, in one portable file.

The file (`ngoaivu-backup`, version 1) is gzip'd JSON Lines, the same whichever backend wrote it
and whichever reads it back:

    {"format":"ngoaivu-backup","version":1,"created":"…","source":"sqlite","head":N}
    {"e":[position,"originator uuid",version,"topic","state, base64"]}     one per stored event
    {"c":[position,"org","org hash","global hash"]}                        one per chain link
    {"d":["ORG/YEAR/NUMBER/SHA256.pdf","bytes, base64"]}                   one per kept document
    {"end":{"events":E,"links":L,"documents":D,"sha256":"…"}}

Version 2 adds the documents kept at issue (`$NGOAIVU_DATA/documents`, as stored: encrypted when
the store is); a version-1 file (events and links only) is still restored.

Positions are notification ids; states are the stored bytes (the recorded instant inside them,
encrypted or not), so a restore gives back the same positions, the same bytes and the same chain.
The footer counts the lines and hashes every byte before it: a truncated or altered file is
refused. Everything is read inside one transaction (SQLite: one read snapshot of the WAL database,
which writers do not block; PostgreSQL: REPEATABLE READ), so a backup taken while others import is
consistent. The documents are listed after the events are read: a document is written before
the event that names it is saved, so every document the copied events name is in the file. A
restore writes every row in one transaction into an empty store (the documents into a staging
folder, moved into place once the rows are committed), then rebuilds the read models from it.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from service.application import RecordsApplication
from service.chain import Chain, ChainCheck, links
from service.config import Settings
from service.runtime import Runtime

FORMAT = "ngoaivu-backup"
VERSION = 2
READABLE = (1, 2)
DOCUMENTS = "documents"  # the folder under NGOAIVU_DATA (service.documents.Archive)
PAGE = 5000

# One stored event: position, originator id, originator version, topic, state bytes.
EventRow = tuple[int, UUID, int, str, bytes]
# One chain link: position, org, org hash, global hash.
LinkRow = tuple[int, str, str, str]
# One kept document: its path under the documents folder (POSIX), its stored bytes.
DocumentRow = tuple[str, bytes]
# What flows from a source to a target: ("e", EventRow) first, then ("c", LinkRow), ("d", …).
Item = tuple[str, Any]


class BackupError(Exception):
    """A file that cannot be restored, or a target that cannot take it (bad input: exit 2)."""


@dataclass
class Copied:
    """What a backup, restore or migration moved, and the chain as recomputed afterwards."""

    events: int = 0
    links: int = 0
    head: int = 0
    chain_head: str | None = None
    check: ChainCheck | None = None
    documents: int = 0


def _pg_conninfo(settings: Settings) -> dict[str, str]:
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
    """The events and chain links of a store, read in one transaction."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        app, chain = open_store(settings)
        try:  # read only: events not linked yet are copied as they are, and linked by `settle`
            self.table = _qualified(app)
        finally:
            chain.dispose()
            app.close()
        self._conn: Any = None
        self.backend = "postgresql" if settings.is_postgres else "sqlite"

    def __enter__(self) -> Snapshot:
        if self.settings.is_postgres:
            import psycopg

            conn = psycopg.connect(**_pg_conninfo(self.settings))
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            self._conn = conn
        else:
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

    def head(self) -> int:
        """The last position in the snapshot (0 when empty); it also fixes the snapshot."""
        pos = "notification_id" if self.settings.is_postgres else "rowid"
        row = self._conn.execute(f"SELECT MAX({pos}) FROM {self.table}").fetchone()
        return int(row[0] or 0)

    def events(self) -> Iterator[EventRow]:
        """Every stored event in position order."""
        pos = "notification_id" if self.settings.is_postgres else "rowid"
        sql = (
            f"SELECT {pos}, originator_id, originator_version, topic, state "
            f"FROM {self.table} ORDER BY {pos}"
        )
        for position, originator, version, topic, state in self._rows(sql):
            uid = originator if isinstance(originator, UUID) else UUID(str(originator))
            yield int(position), uid, int(version), str(topic), bytes(state)

    def links(self) -> Iterator[LinkRow]:
        """Every chain link in position order."""
        sql = f"SELECT position, org, org_hash, global_hash FROM {links.name} ORDER BY position"
        for position, org, org_hash, global_hash in self._rows(sql):
            yield int(position), str(org), str(org_hash), str(global_hash)

    def items(self) -> Iterator[Item]:
        """The events, then the links."""
        for row in self.events():
            yield "e", row
        for link_row in self.links():
            yield "c", link_row


# ----------------------------------------------------------------------------------------------
# The backup file


def _line(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def write_backup(settings: Settings, path: Path) -> Copied:
    """Write a consistent backup of the store to `path` (atomically: a temporary file renamed)."""
    path = path.expanduser()
    if path.is_dir():
        raise BackupError(f"{str(path)!r} là một thư mục, cần tên tệp")
    if not path.parent.is_dir():
        raise BackupError(f"không có thư mục {str(path.parent)!r}")
    snapshot = Snapshot(settings)
    copied = Copied()
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with snapshot, gzip.open(partial, "wb", compresslevel=6) as out:
            digest = hashlib.sha256()

            def emit(obj: Any) -> None:
                line = _line(obj)
                digest.update(line)
                out.write(line)

            copied.head = snapshot.head()
            emit(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "created": datetime.now(UTC).isoformat(timespec="microseconds"),
                    "source": snapshot.backend,
                    "head": copied.head,
                }
            )
            for position, uid, version, topic, state in snapshot.events():
                emit({"e": [position, str(uid), version, topic, base64.b64encode(state).decode()]})
                copied.events += 1
            for position, org, org_hash, global_hash in snapshot.links():
                emit({"c": [position, org, org_hash, global_hash]})
                copied.links += 1
                copied.chain_head = global_hash
            for name, data in kept_documents(settings.data_dir / DOCUMENTS):
                emit({"d": [name, base64.b64encode(data).decode()]})
                copied.documents += 1
            out.write(
                _line(
                    {
                        "end": {
                            "events": copied.events,
                            "links": copied.links,
                            "documents": copied.documents,
                            "sha256": digest.hexdigest(),
                        }
                    }
                )
            )
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


def document_path(root: Path, name: str) -> Path:
    """Where a document named in a backup goes under `root`; ValueError for a name that would
    leave it (absolute, `..`, empty parts)."""
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise ValueError(f"tên tài liệu không hợp lệ {name!r}")
    return root.joinpath(*parts)


class BackupFile:
    """A backup file being read: its header, then its rows, checked as they come."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.line = 0
        self._digest = hashlib.sha256()
        try:
            # Closed by `items()` when the rows are consumed, or by `close()`.
            self._handle: BinaryIO = gzip.open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115
        except OSError as exc:
            raise BackupError(f"không mở được tệp sao lưu {str(path)!r}: {exc}") from exc
        try:
            self.header = self._header()
        except BaseException:
            self._handle.close()
            raise

    def close(self) -> None:
        """Close the file (when its rows are not read)."""
        self._handle.close()

    def _fail(self, why: str) -> BackupError:
        where = f" (dòng {self.line})" if self.line else ""
        return BackupError(f"tệp sao lưu {str(self.path)!r} không đọc được{where}: {why}")

    def _next(self) -> tuple[bytes, Any] | None:
        try:
            raw = self._handle.readline()
        except (OSError, EOFError, zlib.error) as exc:
            raise self._fail(f"tệp hỏng hoặc bị cắt cụt ({exc})") from exc
        if not raw:
            return None
        self.line += 1
        try:
            return raw, json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self._fail(f"không phải JSON ({exc})") from exc

    def _header(self) -> dict[str, Any]:
        first = self._next()
        if first is None:
            raise self._fail("tệp rỗng")
        raw, header = first
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise self._fail(f"không phải tệp sao lưu {FORMAT}")
        if header.get("version") not in READABLE:
            raise self._fail(f"phiên bản {header.get('version')!r} không được hỗ trợ")
        self._digest.update(raw)
        return header

    def items(self) -> Iterator[Item]:
        """The events, then the links, each checked; the footer checked at the end."""
        events = links_count = documents = 0
        last_event = last_link = 0
        try:
            while True:
                got = self._next()
                if got is None:
                    raise self._fail("thiếu dòng kết thúc: tệp bị cắt cụt")
                raw, obj = got
                if not isinstance(obj, dict) or len(obj) != 1:
                    raise self._fail("dòng không đúng định dạng")
                key, value = next(iter(obj.items()))
                if key == "end":
                    self._check_end(value, events, links_count, documents)
                    if self._next() is not None:
                        raise self._fail("có dữ liệu sau dòng kết thúc")
                    return
                self._digest.update(raw)
                if key == "e":
                    row = self._event(value)
                    if links_count or documents or row[0] <= last_event:
                        raise self._fail("vị trí sự kiện không tăng dần")
                    last_event = row[0]
                    events += 1
                    yield "e", row
                elif key == "c":
                    link_row = self._link(value)
                    if link_row[0] <= last_link:
                        raise self._fail("vị trí mắt xích không tăng dần")
                    if documents:
                        raise self._fail("mắt xích sau tài liệu")
                    last_link = link_row[0]
                    links_count += 1
                    yield "c", link_row
                elif key == "d" and self.header.get("version", 1) >= 2:
                    documents += 1
                    yield "d", self._document(value)
                else:
                    raise self._fail(f"loại dòng {key!r} không rõ")
        finally:
            self._handle.close()

    def _event(self, value: Any) -> EventRow:
        try:
            position, uid, version, topic, state = value
            if not (
                type(position) is int
                and position > 0
                and type(version) is int
                and isinstance(topic, str)
                and isinstance(state, str)
            ):
                raise ValueError("kiểu dữ liệu sai")
            return position, UUID(uid), version, topic, base64.b64decode(state, validate=True)
        except (TypeError, ValueError, binascii.Error) as exc:
            raise self._fail(f"sự kiện không hợp lệ ({exc})") from exc

    def _link(self, value: Any) -> LinkRow:
        try:
            position, org, org_hash, global_hash = value
            if not (type(position) is int and position > 0):
                raise ValueError("vị trí sai")
            if not all(isinstance(s, str) for s in (org, org_hash, global_hash)):
                raise ValueError("kiểu dữ liệu sai")
            return position, org, org_hash, global_hash
        except (TypeError, ValueError) as exc:
            raise self._fail(f"mắt xích không hợp lệ ({exc})") from exc

    def _document(self, value: Any) -> DocumentRow:
        try:
            name, data = value
            if not (isinstance(name, str) and isinstance(data, str)):
                raise ValueError("kiểu dữ liệu sai")
            document_path(Path("."), name)
            return name, base64.b64decode(data, validate=True)
        except (TypeError, ValueError, binascii.Error) as exc:
            raise self._fail(f"tài liệu không hợp lệ ({exc})") from exc

    def _check_end(self, end: Any, events: int, links_count: int, documents: int) -> None:
        if not isinstance(end, dict):
            raise self._fail("dòng kết thúc không đúng định dạng")
        if (
            end.get("events") != events
            or end.get("links") != links_count
            or end.get("documents", 0) != documents
        ):
            raise self._fail(
                f"số dòng không khớp: tệp ghi {end.get('events')} sự kiện, {end.get('links')} "
                f"mắt xích, {end.get('documents', 0)} tài liệu; đọc được {events}, {links_count} "
                f"và {documents}"
            )
        if end.get("sha256") != self._digest.hexdigest():
            raise self._fail("mã băm của tệp không khớp: tệp đã bị sửa")


# ----------------------------------------------------------------------------------------------
# Writing into an empty store


class Target:
    """An installation to fill: it must hold no event and no chain link."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        app, chain = open_store(settings)  # creates the recorder's tables and the chain's
        try:
            self.table = _qualified(app)
        finally:
            chain.dispose()
            app.close()

    def where(self) -> str:
        """The installation, for messages."""
        if self.settings.is_postgres:
            info = _pg_conninfo(self.settings)
            return f"postgresql://{info['host']}:{info['port']}/{info['dbname']}"
        return str(self.settings.data_dir)

    def _refuse_unless_empty(self, count_events: int, count_links: int) -> None:
        if count_events or count_links:
            raise BackupError(
                f"kho đích {self.where()} không trống ({count_events} sự kiện, {count_links} "
                "mắt xích): chỉ chép vào một cài đặt mới, chưa có dữ liệu"
            )

    def check_empty(self) -> None:
        """Refuse early (exit 2) when the target already holds data."""
        self.load(iter(()), dry=True)

    def load(self, items: Iterable[Item], *, dry: bool = False) -> Copied:
        """Insert every row in one transaction; nothing stays if anything fails.

        Documents are written into a staging folder while the rows go in, and moved into the
        documents folder once the rows are committed.
        """
        staging = _Staging(self.settings.data_dir)
        try:
            if self.settings.is_postgres:
                copied = self._load_pg(items, dry, staging.put)
            else:
                copied = self._load_sqlite(items, dry, staging.put)
            staging.commit()
        finally:
            staging.discard()
        return copied

    def _load_sqlite(
        self, items: Iterable[Item], dry: bool, put_document: Callable[[DocumentRow], Any]
    ) -> Copied:
        copied = Copied()
        conn = sqlite3.connect(
            str(self.settings.data_dir / "events.sqlite"), isolation_level=None, timeout=60
        )
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._refuse_unless_empty(
                    conn.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0],
                    conn.execute(f"SELECT COUNT(*) FROM {links.name}").fetchone()[0],
                )
                if not dry:
                    self._copy(
                        items,
                        copied,
                        lambda rows: conn.executemany(
                            f"INSERT INTO {self.table} (rowid, originator_id, originator_version,"
                            " topic, state) VALUES (?, ?, ?, ?, ?)",
                            [(p, u.hex, v, t, s) for p, u, v, t, s in rows],
                        ),
                        lambda rows: conn.executemany(
                            f"INSERT INTO {links.name} (position, org, org_hash, global_hash) "
                            "VALUES (?, ?, ?, ?)",
                            rows,
                        ),
                        put_document,
                    )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()
        return copied

    def _load_pg(
        self, items: Iterable[Item], dry: bool, put_document: Callable[[DocumentRow], Any]
    ) -> Copied:
        import psycopg

        copied = Copied()
        try:
            conn = psycopg.connect(**_pg_conninfo(self.settings))
        except psycopg.OperationalError as exc:
            raise BackupError(f"không kết nối được {self.where()}: {exc}") from exc
        try:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '60s'")
                cur.execute(f"LOCK TABLE {self.table}, {links.name} IN EXCLUSIVE MODE")
                n_events = cur.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()
                n_links = cur.execute(f"SELECT COUNT(*) FROM {links.name}").fetchone()
                self._refuse_unless_empty(n_events[0], n_links[0])  # type: ignore[index]
                if dry:
                    return copied

                def copy_rows(sql: str) -> Callable[[list[Any]], None]:
                    def write(rows: list[Any]) -> None:
                        with cur.copy(sql) as copy:
                            for row in rows:
                                copy.write_row(row)

                    return write

                self._copy(
                    items,
                    copied,
                    copy_rows(
                        f"COPY {self.table} (notification_id, originator_id, "
                        "originator_version, topic, state) FROM STDIN"
                    ),
                    copy_rows(
                        f"COPY {links.name} (position, org, org_hash, global_hash) FROM STDIN"
                    ),
                    put_document,
                )
                if copied.head:
                    # The recorder's ids come from the column's sequence: continue after ours.
                    cur.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                        (self.table.replace('"', ""), copied.head),
                    )
        finally:
            conn.close()
        return copied

    @staticmethod
    def _copy(
        items: Iterable[Item],
        copied: Copied,
        put_events: Callable[[list[EventRow]], Any],
        put_links: Callable[[list[LinkRow]], Any],
        put_document: Callable[[DocumentRow], Any],
    ) -> None:
        events: list[EventRow] = []
        chain: list[LinkRow] = []
        for key, row in items:
            if key == "d":
                put_document(row)
                copied.documents += 1
            elif key == "e":
                events.append(row)
                copied.events += 1
                copied.head = row[0]
                if len(events) >= PAGE:
                    put_events(events)
                    events = []
            else:
                if events:
                    put_events(events)
                    events = []
                chain.append(row)
                copied.links += 1
                copied.chain_head = row[3]
                if len(chain) >= PAGE:
                    put_links(chain)
                    chain = []
        if events:
            put_events(events)
        if chain:
            put_links(chain)


class _Staging:
    """Documents of a restore, written aside until the rows are committed, then moved in."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / DOCUMENTS
        self.dir = data_dir / f".{DOCUMENTS}-restore-{os.getpid()}"
        self.names: list[str] = []

    def put(self, row: DocumentRow) -> None:
        """Write one document aside."""
        name, data = row
        path = document_path(self.dir, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.names.append(name)

    def commit(self) -> None:
        """Move every document into the documents folder (an identical one is left as it is)."""
        for name in self.names:
            target = document_path(self.root, name)
            if target.exists():
                if target.read_bytes() != document_path(self.dir, name).read_bytes():
                    raise BackupError(f"tài liệu {name!r} đã có ở đích với nội dung khác")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(document_path(self.dir, name), target)

    def discard(self) -> None:
        """Remove the staging folder and whatever is left in it."""
        if self.dir.exists():
            shutil.rmtree(self.dir)


def settle(settings: Settings, copied: Copied) -> Copied:
    """After a copy: link any unlinked event, rebuild the read models, recompute the chain."""
    with Runtime(settings) as rt:
        if not getattr(rt, "sealed", False):  # encrypted and no key: only the chain is checked
            rt.chain.extend()
            rt.projector.rebuild()
        copied.check = rt.chain.verify()
    return copied


def restore(settings: Settings, path: Path) -> Copied:
    """Restore a backup file into this (empty) installation and rebuild its read models."""
    path = path.expanduser()
    if not path.is_file():
        raise BackupError(f"không tìm thấy tệp sao lưu {str(path)!r}")
    backup = BackupFile(path)  # a file that is not a backup is refused before touching the store
    try:
        target = Target(settings)
        target.check_empty()
        if any(kept_documents(settings.data_dir / DOCUMENTS)):
            raise BackupError(
                f"thư mục {str(settings.data_dir / DOCUMENTS)!r} của cài đặt đích không trống: "
                "chỉ khôi phục vào một cài đặt mới"
            )
    except BaseException:
        backup.close()
        raise
    copied = target.load(backup.items())
    return settle(settings, copied)
