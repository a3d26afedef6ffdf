"""Import of JSON Lines: validated line by line, all-or-nothing, idempotent, one stamp per file.

Over 300 lines as one module: the import's workspace and its runner share one transaction and
one scratch file; the per-kind rules are in `handlers`, the first pass in `spool`.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from marshmallow import ValidationError

from domain.errors import DomainError
from domain.records import Record, record_id
from domain.text import nfc
from service.application import RecordsApplication
from service.importing.errors import FieldErrors, ImportConflict, field_errors
from service.importing.fastload import fast_load
from service.importing.handlers import KINDS, RANKS, conflict, event_fields
from service.importing.paged_save import PagedSave
from service.importing.schemas import schema_for
from service.importing.scratch import Check, FactIds, Scratch
from service.importing.spool import (
    BadLine,
    LongLine,
    Rejections,
    SpooledFile,
    spool_file,
)
from service.integrity.chain import Chain
from service.limits import LimitError, loads, too_long

MAX_LISTED = 100
# Records one import keeps in memory before writing their events into its open transaction, and
# lines read together (their records fetched in a few queries). NGOAIVU_IMPORT_PAGE overrides.
PAGE_RECORDS = 2000
CHUNK_LINES = 500
# Attempts of an import whose records another process changed meanwhile (see Importer.run).
CONFLICT_ATTEMPTS = 5
# The stored granted awards of a registered person or unit: (form, for_year or decision date).
AwardsOf = Callable[[str, str, str], list[tuple[str, Any]]]


@dataclass
class ImportResult:
    """What an import stored."""

    added: int = 0
    skipped: int = 0
    recorded_at: datetime | None = None
    position: int | None = None
    # (line, fact id) in line order, read from the import's scratch file (not held in memory).
    fact_ids: FactIds = field(default_factory=FactIds)
    # Set when the facts were stored but the read models could not follow (Runtime.import_file).
    behind: str | None = None


class _Workspace:
    """The records of one import: read from the store, changed in memory, saved a page at a time.

    At most about `page` records stay in memory: when more are held, the changed ones are written
    into the import's open transaction (`PagedSave`) and all are dropped; a later line reads its
    record back through that transaction.
    """

    def __init__(
        self,
        saver: PagedSave,
        scratch: Scratch,
        awards_of: AwardsOf | None = None,
        page: int = PAGE_RECORDS,
    ) -> None:
        self.saver = saver
        self.scratch = scratch
        self.awards_of = awards_of
        self.page = page
        self.line = 0
        self.records: dict[UUID, Record | None] = {}
        self.changed: dict[UUID, Record] = {}
        self.unchecked: set[UUID] = set()  # changed records whose lifecycle is to be checked
        self.keys: dict[tuple[str, str], UUID] = {}  # (org, target) → record id (uuid5 once)

    def _key(self, org: str, target: str) -> UUID:
        key = self.keys.get((org, target))
        if key is None:
            key = self.keys[(org, target)] = record_id(org, target)
        return key

    def get(self, org: str, target: str) -> Record | None:
        key = self._key(org, target)
        if key not in self.records:
            self.records[key] = self.saver.load([key]).get(key)
        return self.records[key]

    def prefetch(self, pairs: set[tuple[str, str]]) -> None:
        """Read these records (and learn which are not stored) in a few queries, not one each."""
        wanted = [key for key in {self._key(*pair) for pair in pairs} if key not in self.records]
        found = self.saver.load(wanted)
        for key in wanted:
            self.records[key] = found.get(key)

    def add(self, record: Record) -> None:
        self.records[record.id] = record
        self.changed[record.id] = record

    def defer(self, check: Check, cmd: dict[str, Any], terms: dict[str, Any]) -> None:
        """Run `check(ws, cmd, terms)` for the current line once every line is read."""
        self.scratch.defer(self.line, check, cmd, terms)

    def touch(self, record: Record) -> None:
        self.changed[record.id] = record

    def granted_in_file(
        self, org: str, key: str, value: str, other_than: str | None
    ) -> list[tuple[str, Any]]:
        """Awards granted by this file's lines to a person or unit (prerequisites).

        Asked by the checks deferred to the end, once every line has been handled: the records
        in memory are noted first (`_check_at_end`), the others were as they left memory.
        """
        return self.scratch.granted(org, key, value, other_than)

    def save_if_full(self) -> None:
        """Write the changed records and forget every record once more than a page is held."""
        if len(self.records) >= self.page:
            self.save()

    def check(self) -> None:
        """Check the lifecycle of the page's progressed records; note the ones that break it.

        A record that breaks it is named at the end, unless a later line (a correction)
        changes it again and it then passes: the check is of the record as the file leaves it.
        """
        for key in self.unchecked:
            try:
                self.changed[key].check_sequence()
            except DomainError:
                self.scratch.settle(key, ok=False)
            else:
                self.scratch.settle(key, ok=True)
        self.unchecked.clear()

    def save(self) -> None:
        """Write the changed records' new events into the open transaction; forget all."""
        self.check()
        self.scratch.note_awards(self.changed.values())
        self.scratch.flush()
        self.saver.write(self.changed.values())
        self.records.clear()
        self.changed.clear()
        self.keys.clear()


def line_digest(command: dict[str, Any]) -> str:
    """Two lines are identical when kind, org and every key are equal after NFC (point 10)."""
    text = json.dumps(command, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_line(text: str | LongLine | None, backfill: bool) -> tuple[dict[str, Any], str, int]:
    """A line's validated command, its digest and its rank; BadLine names what is wrong."""
    if text is None:
        raise BadLine(None, "dòng không phải UTF-8")
    if isinstance(text, LongLine):
        raise BadLine(None, too_long(text.size))
    try:
        raw = loads(text)
    except json.JSONDecodeError as exc:
        raise BadLine(None, f"JSON không hợp lệ: {exc.msg} (cột {exc.colno})") from exc
    except LimitError as exc:
        raise BadLine(exc.path, exc.message) from exc
    if not isinstance(raw, dict):
        raise BadLine(None, "mỗi dòng phải là một đối tượng JSON")
    # An ASCII line, or one whose text is NFC already (a C check of the whole line), holds NFC
    # strings only, unless an escape (`\u0301`) makes a character JSON decodes.
    if "\\u" in text or not (text.isascii() or unicodedata.is_normalized("NFC", text)):
        raw = nfc(raw)
    return parse_command(raw, backfill)


def parse_command(raw: dict[str, Any], backfill: bool) -> tuple[dict[str, Any], str, int]:
    """A command's one validation (its strings NFC already): the validated command, its digest
    and its rank; BadLine names every field at fault and keeps the schema's messages."""
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        known = ", ".join(KINDS)
        raise BadLine("kind", f"loại không hợp lệ {kind!r}; phải là một trong: {known}")
    if backfill and "at" in raw and "known_since" not in raw:
        raw["known_since"] = raw["at"]
    schema = schema_for(kind)
    try:
        command = fast_load(schema, raw) or schema.load(raw)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        problems = field_errors(messages)
        raise BadLine(*problems[0], messages, problems) from exc
    return command, line_digest(raw), KINDS[kind].rank


class Importer:
    """Reads a spooled file in rank order (organisations first, corrections last), commits once.

    Memory stays bounded whatever the file's size: validated lines wait on disk by rank, changed
    records are written a page at a time into one open transaction (`PagedSave`), and what must
    be remembered per line until the end (fact ids, checks, granted awards) is kept in `Scratch`.
    Nothing is visible to anyone until the commit; a rejected file or a killed process leaves
    the store as it was.
    """

    def __init__(
        self,
        app: RecordsApplication,
        *,
        actor: str,
        backfill: bool = False,
        progress: Callable[[int], None] | None = None,
        awards_of: AwardsOf | None = None,
        page: int = PAGE_RECORDS,
        chain: Chain | None = None,
    ) -> None:
        self.app = app
        self.chain = chain
        self.actor = actor
        self.backfill = backfill
        self.progress = progress
        self.awards_of = awards_of
        self.page = max(1, page)

    def run(self, path: Path) -> ImportResult:
        """Validate every line of a file and store all its facts in one transaction, or nothing."""
        spool = spool_file(path, parse_line, self.backfill, RANKS, MAX_LISTED)  # read once
        try:
            return self.run_spooled(spool)
        finally:
            spool.close()

    def run_spooled(self, spool: SpooledFile) -> ImportResult:
        """Store the facts of commands validated once (a file's lines, or commands handed over
        as objects by the gateway) in one transaction, or nothing; the caller closes `spool`.

        When another process saved events of the same records meanwhile (the store refuses a
        second version n of a record), nothing was stored: the commands are applied again
        against the store as it now is, as if run after the other, a few times at most.
        """
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            head = self.app.head()
            try:
                return self._run_once(spool)
            except IntegrityError:
                if self.app.head() == head:  # nobody else wrote: not a race, a real fault
                    raise
                if attempt == CONFLICT_ATTEMPTS:
                    raise ImportConflict(attempt) from None
                time.sleep(random.uniform(0.05, 0.25) * attempt)
        raise AssertionError("unreachable")

    def _run_once(self, spool: SpooledFile) -> ImportResult:
        """One attempt of `run`: rank by rank, a chunk of lines at a time, one transaction."""
        stamp = datetime.now(UTC)
        result = ImportResult(recorded_at=stamp)
        errors = spool.errors.copy()  # the lines that failed validation, and this attempt's
        scratch = Scratch()
        try:
            with PagedSave(self.app, self.chain) as saver:
                ws = _Workspace(saver, scratch, self.awards_of, self.page)
                for rank in RANKS:
                    for chunk in _chunks(spool.read(rank), CHUNK_LINES):
                        self._handle(ws, chunk, stamp, result, errors)
                        ws.save_if_full()
                self._check_at_end(ws, scratch, errors)
                if errors.total:  # rolls back the pages written so far
                    raise errors.rejected()
                ws.save()  # the last page; the transaction commits as the block ends
                result.position = saver.position or self.app.head()
            result.fact_ids = scratch.fact_ids()
        except BaseException:
            scratch.close()
            raise
        return result

    def _handle(
        self,
        ws: _Workspace,
        chunk: list[tuple[int, dict[str, Any], str]],
        stamp: datetime,
        result: ImportResult,
        errors: Rejections,
    ) -> None:
        """Apply a chunk of lines of one rank to their records (fetched together first)."""
        wanted: set[tuple[str, str]] = set()
        for _number, cmd, _digest in chunk:
            wanted.add((cmd["org"], "org"))
            wanted.add((cmd["org"], KINDS[cmd["kind"]].target(cmd)))
        ws.prefetch(wanted)
        for number, cmd, digest in chunk:
            spec = KINDS[cmd["kind"]]
            try:
                record = ws.get(cmd["org"], spec.target(cmd))
                if record is not None and record.knows_line(digest):
                    result.skipped += 1
                    continue
                if spec.opens and record is not None:
                    raise conflict(cmd["kind"], record.target)
                fields = event_fields(cmd, self.actor, digest, stamp)
                ws.line = number
                fact_id = spec.handle(ws, cmd, fields)
            except FieldErrors as exc:  # several fields at fault at once (a correction's set)
                errors.add_line(number, exc.problems)
                continue
            except DomainError as exc:
                errors.add(number, exc.field, exc.message)
                continue
            changed = ws.get(cmd["org"], fact_id.rpartition("#")[0])
            assert changed is not None
            ws.touch(changed)
            ws.scratch.fact(number, cmd["org"], fact_id)
            result.added += 1
            # A further fact: the record's lifecycle is checked (with the page, and at the end
            # if it then failed). Corrections and voids alone are exempt; after a progress in
            # this file, the record is checked again as they leave it.
            if not spec.opens and cmd["kind"] not in ("record.corrected", "record.voided"):
                ws.scratch.progressed(changed.id)
                ws.unchecked.add(changed.id)
            elif cmd["kind"] in ("record.corrected", "record.voided") and (
                changed.id in ws.unchecked or ws.scratch.was_progressed(changed.id)
            ):
                ws.unchecked.add(changed.id)
            if self.progress:
                self.progress(number)

    def _check_at_end(self, ws: _Workspace, scratch: Scratch, errors: Rejections) -> None:
        """The checks that need the whole file: deferred rules, then each record's lifecycle."""
        scratch.note_awards(ws.changed.values())  # the last page's awards, as the file leaves them
        for number, check, cmd, terms in scratch.deferred():
            problem = check(ws, cmd, terms)
            if problem is not None:
                errors.add(number, problem[1], problem[0])
            ws.save_if_full()
        ws.check()  # the records of the last page, still in memory
        for ids in scratch.unsettled_ids(CHUNK_LINES):
            held = [ws.changed[i] for i in ids if i in ws.changed]  # the last page, not written
            written = ws.saver.load([i for i in ids if i not in ws.changed])
            for record in (*held, *written.values()):
                try:
                    record.check_sequence()
                except DomainError as exc:
                    fact_id = getattr(exc, "fact_id", "")
                    line = scratch.line_of(record.org, fact_id) or scratch.first_line_of(
                        record.org, record.target
                    )
                    errors.add(line, exc.field, exc.message)


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
