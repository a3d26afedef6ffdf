"""Restore of a backup into an empty store (and migration's writing side).

`restore` refuses a file it cannot open with its own keys, then writes every row into an empty
store in one transaction while recomputing each link (keyed: a forged link cannot match), and
before committing checks the file's HMAC, every issued report against the backup's own chain
(its recorded head, and its DOCX/PDF against their SHA-256), and the anchors given. Documents go
to a staging folder committed with the rows (`service.backups.restore_journal`): a restore
killed at any moment leaves the target as it was, or complete after the next command.

Over 300 lines as one module: the target's checks, the two backends' bulk loads and the checks
before the commit are one transaction's steps.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

from domain.chain import GENESIS
from service.application import RecordsApplication
from service.backups.backup import kept_documents
from service.backups.backup_file import (
    BackupError,
    BackupFile,
    BackupRefused,
    DocumentRow,
    Item,
    LinkedRow,
    document_path,
)
from service.backups.restore_journal import (
    DOCUMENTS,
    STAGING,
    finish,
    pending,
    remove_stale,
    restored_from,
)
from service.backups.snapshot import PAGE, Checker, Copied, events_table, open_store, pg_conninfo
from service.config import Settings
from service.integrity.anchors import anchor_problems
from service.integrity.chain import key_checks, links
from service.runtime import Runtime

__all__ = ["Target", "restore", "settle"]


class Target:
    """An installation to fill: it must hold no event and no chain link."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        app, chain = open_store(settings)  # creates the recorder's tables and the chain's
        self.app, self.chain = app, chain
        self.table = events_table(app)
        finish(chain.engine, settings.data_dir)  # a restore killed after its commit

    def close(self) -> None:
        """Release the store."""
        self.chain.dispose()
        self.app.close()

    def where(self) -> str:
        """The installation, for messages."""
        if self.settings.is_postgres:
            info = pg_conninfo(self.settings)
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
            self.conn = psycopg.connect(**pg_conninfo(target.settings))
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
