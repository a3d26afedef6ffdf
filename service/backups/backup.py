"""Backup of the event store with its hash chain.

`backup` reads the events with their links in one snapshot (`service.backups.snapshot`),
recomputes every link as it goes (a broken or unlinked chain is refused, not sealed into a file)
and writes the file of `service.backups.backup_file`, sealed with an HMAC under the chain key. The
documents kept at issue are listed after the events are read: a document is written before the
event that names it is saved, so every document the copied events name is in the file.
"""

from __future__ import annotations

import base64
import hmac
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.backups.backup_file import (
    FORMAT,
    VERSION,
    BackupError,
    BackupRefused,
    DocumentRow,
    event_line,
    line,
    sealing_key,
)
from service.backups.restore_journal import (
    DOCUMENTS,
)
from service.backups.snapshot import Checker, Copied, Snapshot
from service.config import Settings

__all__ = ["BackupError", "BackupRefused", "Copied", "write_backup"]


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
