"""A restore's documents, committed together with its events (all or nothing).

The documents of a backup are written into a staging folder while the rows go in; the row that
names that folder is inserted in the rows' own transaction. Killed before the commit: nothing
is stored, and the next restore removes the stale folder. Killed after it: the row says which
folder holds the documents still to move, and the next command on the installation (or the
next restore) moves them into place before anything else. The row stays (done) as the record of
which backup the installation was restored from: restoring the same file again completes and
checks it rather than refusing a store that is no longer empty.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sqlalchemy import Boolean, Column, Integer, String, Table, select, update
from sqlalchemy.engine import Engine

from service.integrity.chain import chain_meta

DOCUMENTS = "documents"  # the folder under NGOAIVU_DATA (service.reporting.documents.Archive)
STAGING = f".{DOCUMENTS}-restore-"

pending = Table(
    "ngoaivu_restore",
    chain_meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("staging", String(200), nullable=False),  # the folder's name under NGOAIVU_DATA
    Column("backup", String(64), nullable=False),  # the SHA-256 of the backup's header line
    Column("done", Boolean, nullable=False, default=False),  # its documents are in place
)


def finish(engine: Engine, data_dir: Path) -> None:
    """Complete a restore that was committed but whose documents were not all moved in."""
    with engine.connect() as conn:
        rows = conn.execute(select(pending).where(pending.c.done.is_(False))).all()
    for row in rows:
        move_in(data_dir / row.staging, data_dir / DOCUMENTS)
        with engine.begin() as conn:
            conn.execute(update(pending).where(pending.c.id == row.id).values(done=True))


def restored_from(engine: Engine) -> str | None:
    """The id of the backup this installation was restored from, if it was."""
    with engine.connect() as conn:
        row = conn.execute(select(pending.c.backup).order_by(pending.c.id.desc())).first()
    return row.backup if row else None


def move_in(staging: Path, root: Path) -> None:
    """Move every staged document into the documents folder (an identical one stays as it is)."""
    if not staging.is_dir():
        return
    for path in sorted(staging.rglob("*")):
        if not path.is_file():
            continue
        target = root / path.relative_to(staging)
        if target.exists():
            if target.read_bytes() != path.read_bytes():
                raise RuntimeError(f"tài liệu {target} đã có ở đích với nội dung khác")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(staging)


def remove_stale(data_dir: Path, keep: set[str]) -> None:
    """Remove staging folders no committed restore names (left by a restore killed before)."""
    if not data_dir.is_dir():
        return
    for path in data_dir.glob(f"{STAGING}*"):
        if path.is_dir() and path.name not in keep:
            shutil.rmtree(path)
