"""The running service: the event store application, the read models and their projector."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from projections.halts import Halt, halt_of, require_level
from projections.projector import Progress, Projector
from projections.store import ReadModels
from service.application import RecordsApplication
from service.backups.restore_journal import finish as finish_restore
from service.commands.gateway import CommandGateway
from service.config import CipherKeyError, Settings, probe_cipher
from service.integrity.alarm import Alarms
from service.integrity.chain import Chain
from service.worker import WAIT, ProjectorWorker, wait_for

if TYPE_CHECKING:
    from service.importing.importer import ImportResult

log = logging.getLogger(__name__)


def views_behind(exc: BaseException) -> str:
    """The note of a write stored while the read models could not follow it."""
    return (
        f"đã lưu, nhưng bảng đọc chưa cập nhật ({type(exc).__name__}: {str(exc)[:200]}); "
        "báo cáo và trang sẽ cập nhật ở lần đọc sau, hoặc chạy `ngoaivu projections catch-up`"
    )


class Runtime:
    """One process's handle on the records: write through the store, read from read models."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.app = RecordsApplication(env=self.settings.event_store_env())
        self.models = ReadModels(self.settings.read_model_url())
        self.projector = Projector(self.app, self.models)
        self.chain = Chain(self.app, self.settings)
        self.alarms = Alarms(self.chain)
        self.commands = CommandGateway(self)  # every write goes through it
        # With a projector worker (the web), reads never catch up and writes do not wait for
        # the read models: `use_worker`.
        self.reads_wait = False
        self.read_wait = WAIT
        self.worker: ProjectorWorker | None = None
        self._writes = threading.local()  # the last position each thread wrote
        finish_restore(self.chain.engine, self.settings.data_dir)  # one killed after its commit
        # Encrypted events and no key: only the hash chain can be checked (`verify`).
        try:
            self.sealed = probe_cipher(self.app.recorder, self.app.mapper.cipher)
        except CipherKeyError:
            self.close()
            raise
        if not self.sealed and self.projector.is_stale():
            self.projector.rebuild(until=self.alarms.check())

    def _unseal(self) -> None:
        if self.sealed:
            raise CipherKeyError("kho sự kiện được mã hóa: cần NGOAIVU_CIPHER_KEY để đọc hoặc ghi")

    def import_file(
        self,
        path: Path,
        *,
        actor: str,
        backfill: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Import a JSON Lines file through the command gateway (`commands.import_file`)."""
        return self.commands.import_file(path, actor=actor, backfill=backfill, progress=progress)

    def save(self, *records: Aggregate) -> int:
        """Store the records' new events through the command gateway (`commands.save`)."""
        return self.commands.save(*records)

    def use_worker(self, mode: str, *, wait: float = WAIT) -> None:
        """Reads no longer catch up: a projector worker keeps the read models level, its thread
        started here (`mode` "thread") or run apart (`ngoaivu projections run`, "external").
        A user's own write is awaited by position (`await_position`), for `wait` seconds."""
        self.reads_wait = True
        self.read_wait = wait
        if mode == "thread" and self.worker is None:
            try:  # the process starts level; then its thread keeps it so
                self.catch_up()
            except Exception:  # the read models away: the worker retries, reads show the rest
                log.exception("read models not caught up at start")
            self.worker = ProjectorWorker(self)
            self.worker.start()

    def ready(self) -> None:
        """Before a read. The command line catches up (its own writes, and others', visible).
        With a worker, a read waits only for this thread's own last write (a user's earlier
        writes were awaited by position before the request): it never waits for others' writes
        and never takes the projector's lock."""
        if not self.reads_wait:
            self.catch_up()
        elif self.written():
            self.await_position(self.written())

    def await_level(self) -> bool:
        """Wait until the read models reach the last linked event: for a check that must not
        rely on stale read models (a unit clerk's rights before a write)."""
        if not self.reads_wait:
            self.catch_up()
            return True
        events, linked = self.chain.levels()
        return self.await_position(min(events, linked))

    def await_position(self, position: int) -> bool:
        """Wait until the read models reach a position this user wrote (read-your-writes)."""
        return wait_for(self, position, self.read_wait)

    def level_after_write(self) -> None:
        """After a committed write: catch up (command line), or wake this process's worker."""
        if not self.reads_wait:
            self.catch_up()
        elif self.worker is not None:
            self.worker.wake()

    def written(self) -> int:
        """The position of the last write of this thread since `forget_written` (0: none)."""
        return getattr(self._writes, "position", 0)

    def forget_written(self) -> None:
        """Start a new request: no write of this thread yet."""
        self._writes.position = 0

    def _wrote(self, position: int | None) -> None:
        if position:
            self._writes.position = max(self.written(), position)

    def awards_of(self, org: str, key: str, value: str) -> list[tuple[str, Any]]:
        """The stored granted awards of a person or unit (`key` is `person` or `unit`)."""
        from projections.reports.emulation import granted_to

        with self.models.reading() as conn:
            require_level(conn, org)  # a halted read model may lack the awards that count
            return granted_to(conn, org, key, value)

    def halt_of(self, org: str) -> Halt | None:
        """The halt that stops this department's reports, if any (`projections.halts`)."""
        with self.models.reading() as conn:
            return halt_of(conn, org)

    def require_level(self, org: str) -> None:
        """Raise ReadModelHalted when this department's read model is halted."""
        with self.models.reading() as conn:
            require_level(conn, org)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply new events to the read models, up to the last one the chain links.

        Nothing here links an event: one stored without a link was written from outside, and
        raises the alarm (service.integrity.alarm) instead of being read."""
        self._unseal()
        return self.projector.catch_up(progress, until=self.alarms.check())

    def close(self) -> None:
        """Stop this process's worker; release connections."""
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        self.models.dispose()
        self.chain.dispose()
        self.app.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
