"""The running service: the event store application, the read models and their projector."""

from __future__ import annotations

import logging
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
        """Release connections."""
        self.models.dispose()
        self.chain.dispose()
        self.app.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
