"""Import of JSON Lines: validated line by line, all-or-nothing, idempotent, one stamp per file."""

from __future__ import annotations

import hashlib
import heapq
import json
import pickle
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from marshmallow import ValidationError

from domain.errors import DomainError
from domain.records import Record, record_id
from domain.text import nfc
from service.application import RecordsApplication
from service.handlers import KINDS, RANKS, conflict, event_fields
from service.import_errors import ImportConflict, ImportRejected, LineError
from service.import_scratch import Check, FactIds, Scratch
from service.paged_save import PagedSave
from service.schemas import schema_for

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


class _Workspace:
    """The records of one import: read from the store, changed in memory, saved a page at a time.

    At most about `page` records stay in memory: when more are held, the changed ones are written
    into the import's open transaction (`PagedSave`) and all are dropped; a later line reads its
    record back through that transaction.
    """

    def __init__(
        self,
        app: RecordsApplication,
        saver: PagedSave,
        scratch: Scratch,
        awards_of: AwardsOf | None = None,
        page: int = PAGE_RECORDS,
    ) -> None:
        self.app = app
        self.saver = saver
        self.scratch = scratch
        self.awards_of = awards_of
        self.page = page
        self.line = 0
        self.records: dict[UUID, Record | None] = {}
        self.changed: dict[UUID, Record] = {}
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
        """Awards granted by this file's lines to a person or unit (prerequisites)."""
        self.scratch.note_awards(self.changed.values())
        return self.scratch.granted(org, key, value, other_than)

    def save_if_full(self) -> None:
        """Write the changed records and forget every record once more than a page is held."""
        if len(self.records) >= self.page:
            self.save()

    def save(self) -> None:
        """Write the changed records' new events into the open transaction; forget all."""
        self.scratch.note_awards(self.changed.values())
        self.scratch.flush()
        self.saver.write(self.changed.values())
        self.records.clear()
        self.changed.clear()
        self.keys.clear()


def read_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """Numbered lines as text (None when not UTF-8), a leading BOM dropped, blanks skipped."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                yield number, None
                continue
            if text:
                yield number, text


def line_digest(command: dict[str, Any]) -> str:
    """Two lines are identical when kind, org and every key are equal after NFC (point 10)."""
    text = json.dumps(command, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_line(text: str | None, backfill: bool) -> tuple[dict[str, Any], str, int]:
    """A line's validated command, its digest and its rank; raises LineError-shaped errors."""
    if text is None:
        raise _Bad(None, "dòng không phải UTF-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(None, f"JSON không hợp lệ: {exc.msg} (cột {exc.colno})") from exc
    if not isinstance(raw, dict):
        raise _Bad(None, "mỗi dòng phải là một đối tượng JSON")
    raw = nfc(raw)
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        known = ", ".join(KINDS)
        raise _Bad("kind", f"loại không hợp lệ {kind!r}; phải là một trong: {known}")
    if backfill and "at" in raw and "known_since" not in raw:
        raw["known_since"] = raw["at"]
    try:
        command = schema_for(kind).load(raw)
    except ValidationError as exc:
        key, messages = next(iter(exc.normalized_messages().items()))
        if isinstance(messages, dict):
            messages = [f"{k}: {v}" for k, v in messages.items()]
        name = None if key == "_schema" else key
        raise _Bad(name, "; ".join(map(str, messages))) from exc
    return command, line_digest(raw), KINDS[kind].rank


class _Bad(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class _Spool:
    """Validated lines set aside by rank on disk (pickled), so a file is parsed only once."""

    def __init__(self) -> None:
        self.files: dict[int, IO[bytes]] = {}

    def put(self, rank: int, item: tuple[int, dict[str, Any], str]) -> None:
        """Keep one validated line for its rank's turn."""
        handle = self.files.get(rank)
        if handle is None:
            handle = tempfile.TemporaryFile(prefix="ngoaivu-import-")  # noqa: SIM115
            self.files[rank] = handle
        pickle.dump(item, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def read(self, rank: int) -> Iterator[tuple[int, dict[str, Any], str]]:
        """The lines of one rank, in file order."""
        handle = self.files.get(rank)
        if handle is None:
            return
        handle.seek(0)
        while True:
            try:
                # A fresh unpickler per item: each item was dumped with its own memo, and a
                # shared unpickler would resolve later memo references to earlier items' objects.
                yield pickle.load(handle)
            except EOFError:
                return

    def close(self) -> None:
        """Drop the spooled lines (the files are unnamed: closing deletes them)."""
        for handle in self.files.values():
            handle.close()


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
    ) -> None:
        self.app = app
        self.actor = actor
        self.backfill = backfill
        self.progress = progress
        self.awards_of = awards_of
        self.page = max(1, page)

    def run(self, path: Path) -> ImportResult:
        """Validate every line and store all facts in one transaction, or nothing.

        When another process saved events of the same records meanwhile (the store refuses a
        second version n of a record), nothing of this file was stored: it is validated again
        against the store as it now is, as if run after the other, a few times at most.
        """
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            head = self.app.head()
            try:
                return self._run_once(path)
            except IntegrityError:
                if self.app.head() == head:  # nobody else wrote: not a race, a real fault
                    raise
                if attempt == CONFLICT_ATTEMPTS:
                    raise ImportConflict(attempt) from None
                time.sleep(random.uniform(0.05, 0.25) * attempt)
        raise AssertionError("unreachable")

    def _run_once(self, path: Path) -> ImportResult:
        """One attempt of `run`: rank by rank, a chunk of lines at a time, one transaction."""
        stamp = datetime.now(UTC)
        result = ImportResult(recorded_at=stamp)
        errors = _Errors()
        spool = _Spool()
        scratch = Scratch()
        try:
            for number, text in read_lines(path):  # each line parsed once, handled by rank below
                try:
                    cmd, digest, rank = parse_line(text, self.backfill)
                    spool.put(rank, (number, cmd, digest))
                except _Bad as bad:
                    errors.add(number, bad.field, bad.message)
            with PagedSave(self.app) as saver:
                ws = _Workspace(self.app, saver, scratch, self.awards_of, self.page)
                for rank in RANKS:
                    for chunk in _chunks(spool.read(rank), CHUNK_LINES):
                        self._handle(ws, chunk, stamp, result, errors)
                        ws.save_if_full()
                self._check_at_end(ws, scratch, errors)
                if errors.total:  # rolls back the pages written so far
                    raise ImportRejected(errors.first(), errors.total)
                ws.save()  # the last page; the transaction commits as the block ends
                result.position = saver.position or self.app.head()
            result.fact_ids = scratch.fact_ids()
        except BaseException:
            scratch.close()
            raise
        finally:
            spool.close()
        return result

    def _handle(
        self,
        ws: _Workspace,
        chunk: list[tuple[int, dict[str, Any], str]],
        stamp: datetime,
        result: ImportResult,
        errors: _Errors,
    ) -> None:
        """Apply a chunk of lines of one rank to their records (fetched together first)."""
        wanted: set[tuple[str, str]] = set()
        for _number, cmd, _digest in chunk:
            wanted.add((cmd["org"], "org"))
            wanted.add((cmd["org"], _record_target(KINDS[cmd["kind"]].target(cmd))))
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
            except DomainError as exc:
                errors.add(number, exc.field, exc.message)
                continue
            changed = ws.get(cmd["org"], fact_id.rpartition("#")[0])
            assert changed is not None
            ws.touch(changed)
            ws.scratch.fact(number, cmd["org"], fact_id)
            result.added += 1
            # A further fact (corrections and voids exempt): its lifecycle is checked at the end.
            if not spec.opens and cmd["kind"] not in ("record.corrected", "record.voided"):
                ws.scratch.progressed(changed.id)
            if self.progress:
                self.progress(number)

    def _check_at_end(self, ws: _Workspace, scratch: Scratch, errors: _Errors) -> None:
        """The checks that need the whole file: deferred rules, then each record's lifecycle."""
        for number, check, cmd, terms in scratch.deferred():
            problem = check(ws, cmd, terms)
            if problem is not None:
                errors.add(number, problem[1], problem[0])
            ws.save_if_full()
        for ids in scratch.progressed_ids(CHUNK_LINES):
            held = [r for r in map(ws.records.get, ids) if r is not None]  # not yet written
            written = ws.saver.load([i for i in ids if ws.records.get(i) is None])
            for record in (*held, *written.values()):
                try:
                    record.check_sequence()
                except DomainError as exc:
                    fact_id = getattr(exc, "fact_id", "")
                    line = scratch.line_of(record.org, fact_id) or scratch.first_line_of(
                        record.org, record.target
                    )
                    errors.add(line, exc.field, exc.message)


def _record_target(target: str) -> str:
    """The record a line's target names (`fact:ID` names one of its facts)."""
    if target.startswith("fact:"):
        return target[len("fact:") :].rpartition("#")[0]
    return target


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


class _Errors:
    """Rejected lines: the MAX_LISTED first by line number kept, the rest only counted."""

    def __init__(self) -> None:
        self.total = 0
        self._kept: list[tuple[int, int, LineError]] = []  # a max-heap by line (negated)

    def add(self, line: int, field: str | None, message: str) -> None:
        self.total += 1
        item = (-line, -self.total, LineError(line, field, message))
        if len(self._kept) < MAX_LISTED:
            heapq.heappush(self._kept, item)
        elif item > self._kept[0]:
            heapq.heapreplace(self._kept, item)

    def first(self) -> list[LineError]:
        """The kept errors in line order (the order of finding within a line)."""
        return [error for *_, error in sorted(self._kept, key=lambda k: (-k[0], -k[1]))]
