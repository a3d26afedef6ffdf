"""Moving an installation to PostgreSQL: the same positions, bytes and chain; read models rebuilt.

The source (this installation, usually SQLite) is read in one snapshot and streamed, row by row,
into the target inside one transaction: each event keeps its notification id (its position), its
originator id and version, its topic and its state bytes (with the recorded instant inside), and
its chain link is copied as stored (with the event, in the same transaction), each one
recomputed on the way: a chain that does not hold is not migrated. The target's id sequence is
then moved past the last position, so the next import there continues the numbering. Reports
issued before the move are pinned to positions, so they reprint with the same digest afterwards.
"""

from __future__ import annotations

from dataclasses import replace

from service.backups.backup_file import BackupError
from service.backups.restore import Target, settle
from service.backups.snapshot import Checker, Copied, Snapshot
from service.config import Settings


def migrate(source: Settings, to_url: str) -> Copied:
    """Copy the source installation into the empty PostgreSQL database at `to_url`."""
    target_settings = replace(source, database_url=to_url)  # the same cipher key, if any
    target_settings.event_store_env()  # a URL that is not postgresql://db is refused here
    if source.is_postgres and _same_database(source, target_settings):
        raise BackupError("cơ sở dữ liệu đích trùng với nguồn")
    target = Target(target_settings)
    try:
        target.check_empty()  # before reading anything from the source
        checker = Checker(target.chain.keys.load(), target.app.mapper.to_domain_event)
        with Snapshot(source) as snapshot:
            head = snapshot.head()
            snapshot.check_counts()
            copied = target.load(snapshot.items(), checker)  # every link recomputed
    finally:
        target.close()
    if copied.head != head:
        raise BackupError(f"chép thiếu: nguồn đến @{head}, đích đến @{copied.head}")
    return settle(target_settings, copied)


def _same_database(a: Settings, b: Settings) -> bool:
    ea, eb = a.event_store_env(), b.event_store_env()
    keys = ("POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DBNAME")
    return all(ea[k] == eb[k] for k in keys)
