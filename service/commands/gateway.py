"""The one gateway of writes: commands validated once go to the importer as objects, files and
uploads are read once, and issuing a report goes through the same lock and the same store.

The CLI's `import`, the web's forms, the API, uploads (JSON Lines or a workbook's lines) and
`issue` (command line and web) all come here; nothing else calls the importer or saves a record.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from service.importing.errors import ImportRejected
from service.importing.spool import (
    BadLine,
    ChunkStream,
    MemorySpool,
    SpooledFile,
    Vet,
    spool_file,
    spool_stream,
)
from service.integrity.linker import OutsideWriteError

if TYPE_CHECKING:
    from projections.reports import ReportRequest
    from service.importing.importer import Importer, ImportResult
    from service.reporting.issuing import Signature
    from service.runtime import Runtime

log = logging.getLogger(__name__)

# The importer keeps this many rejected lines (the rest are counted).
MAX_LISTED = 100


@dataclass(frozen=True)
class Command:
    """A command validated once: the schema's result, its line digest (identity of point 10)
    and its rank (the order of kinds within one import)."""

    command: dict[str, Any]
    digest: str
    rank: int


def validate(raw: dict[str, Any], *, backfill: bool = False) -> Command:
    """The one validation of a command given as an object (its strings NFC); BadLine names the
    field at fault, and its `messages` hold the schema's messages for every field."""
    from service.importing.importer import parse_command  # loads every record kind

    command, digest, rank = parse_command(raw, backfill)
    return Command(command, digest, rank)


class CommandGateway:
    """One process's writes, serialised by a lock (a web server's threads share it)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        # Reentrant: a web view that holds it around a whole issue (preview, then issue) may
        # call `issue`, which takes it again.
        self.lock = threading.RLock()

    def submit(
        self, commands: Iterable[Command], *, actor: str, backfill: bool = False
    ) -> ImportResult:
        """Store validated commands (numbered 1, 2, … as lines) in one import, or nothing."""
        from service.importing.importer import RANKS

        spooled = SpooledFile(RANKS, MAX_LISTED)
        memory = MemorySpool(RANKS)
        spooled.parts.append(memory)
        for number, cmd in enumerate(commands, start=1):
            memory.put(cmd.rank, (number, cmd.command, cmd.digest))
        return self._store(spooled, actor=actor, backfill=backfill, name="command")

    def import_file(
        self,
        path: Path,
        *,
        actor: str,
        backfill: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """A JSON Lines file (the CLI's `import`): every line validated once, then stored."""
        from service.importing.importer import RANKS, parse_line

        self._writable()
        spooled = spool_file(path, parse_line, backfill, RANKS, MAX_LISTED)
        return self._store(
            spooled, actor=actor, backfill=backfill, progress=progress, name=path.name
        )

    def import_stream(
        self,
        chunks: Iterable[bytes],
        *,
        actor: str,
        backfill: bool = False,
        vet: Vet | None = None,
        name: str = "upload",
    ) -> ImportResult:
        """JSON Lines read from chunks (an upload, a workbook's rows), validated once as they
        are read. `vet(number, text)` may refuse a line first (a user's permissions): when it
        refused any, ImportRejected lists those, and nothing is imported."""
        from service.importing.importer import RANKS, parse_line

        self._writable()
        spooled, denied = spool_stream(
            ChunkStream(chunks), parse_line, backfill, RANKS, MAX_LISTED, vet
        )
        if denied.total:
            spooled.close()
            raise denied.rejected()
        return self._store(spooled, actor=actor, backfill=backfill, name=name)

    def issue(
        self,
        kind: str,
        org: str,
        period: str,
        sig: Signature,
        *,
        actor: str,
        keep_documents: bool = True,
        request: ReportRequest | None = None,
        **options: Any,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Issue a report under a number (ReportIssued), its DOCX and PDF kept, serialised
        with the imports; options as `issue_report`'s (window, programme, as_of, …)."""
        from service.reporting.documents import keeper
        from service.reporting.issuing import issue_report

        documents = keeper(self.rt) if keep_documents else None
        with self.lock:
            return issue_report(
                self.rt,
                kind,
                org,
                period,
                sig,
                actor=actor,
                documents=documents,
                request=request,
                **options,
            )

    def save(self, *records: Aggregate) -> int:
        """Store the records' new events and their links in one transaction (an issue's
        ReportIssued); the last position. Refused while the installation is in alarm."""
        from service.importing.paged_save import PagedSave

        self._writable()
        try:
            with PagedSave(self.rt.app, self.rt.chain) as saver:
                saver.write(records)  # type: ignore[arg-type]
        except OutsideWriteError as exc:
            raise self.rt.alarms.refused(exc) from None
        self.rt._wrote(saver.position or 0)  # the writer's next read waits for it (worker)
        return saver.position or 0

    def _writable(self) -> None:
        """Refuse before reading anything when nothing may be written."""
        self.rt._unseal()
        self.rt.alarms.refuse_writes()

    def _store(
        self,
        spooled: SpooledFile,
        *,
        actor: str,
        backfill: bool,
        name: str,
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Run the importer on validated commands (their links in the same transaction), then
        bring the read models level (the command line), or leave that to the projector worker
        (the web: the writer's next read waits for this position). Refused while in alarm."""
        from service.importing.importer import PAGE_RECORDS, Importer

        rt = self.rt
        try:
            self._writable()
            importer = Importer(
                rt.app,
                actor=actor,
                backfill=backfill,
                progress=progress,
                awards_of=rt.awards_of,
                page=rt.settings.import_page or PAGE_RECORDS,
                chain=rt.chain,
            )
            with self.lock:
                result = self._run(importer, spooled, actor, name)
                # Committed: what follows must not turn it into a failure.
                rt._wrote(result.position)  # the writer's next read waits for it (worker)
                try:
                    rt.level_after_write()
                except Exception as exc:  # the views lag behind a write that is stored
                    from service.runtime import views_behind

                    log.exception("read models behind after the import at @%s", result.position)
                    result.behind = views_behind(exc)
        finally:
            spooled.close()
        return result

    def _run(self, importer: Importer, spooled: SpooledFile, actor: str, name: str) -> ImportResult:
        try:
            result = importer.run_spooled(spooled)
        except OutsideWriteError as exc:
            log.error("import of %s by %s refused: outside write (%s)", name, actor, exc)
            raise self.rt.alarms.refused(exc) from None
        except ImportRejected as exc:
            first = exc.errors[0] if exc.errors else None
            log.info("import of %s by %s rejected: %d lines (%s)", name, actor, exc.total, first)
            raise
        log.info(
            "import of %s by %s: added %d, skipped %d, position @%s",
            name,
            actor,
            result.added,
            result.skipped,
            result.position,
        )
        return result


__all__ = ["BadLine", "Command", "CommandGateway", "validate"]
