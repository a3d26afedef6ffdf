"""Import of JSON Lines: validated line by line, all-or-nothing, idempotent, one stamp per file."""

from __future__ import annotations

import hashlib
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
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from marshmallow import ValidationError

from domain.errors import DomainError
from domain.records import Record, record_id
from domain.text import nfc
from service.application import RecordsApplication
from service.handlers import KINDS, RANKS, conflict, event_fields
from service.import_errors import ImportConflict, ImportRejected, LineError
from service.schemas import schema_for

MAX_LISTED = 100
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
    fact_ids: list[tuple[int, str]] = field(default_factory=list)


class _Workspace:
    """The records of one import: loaded once from the store, changed in memory, saved together."""

    def __init__(self, app: RecordsApplication, awards_of: AwardsOf | None = None) -> None:
        self.app = app
        self.awards_of = awards_of
        self.line = 0
        self.deferred: list[tuple[int, Callable[[], tuple[str, str] | None]]] = []
        self.records: dict[Any, Record | None] = {}
        self.changed: dict[Any, Record] = {}
        self.keys: dict[tuple[str, str], Any] = {}  # (org, target) → record id (uuid5 once)

    def get(self, org: str, target: str) -> Record | None:
        key = self.keys.get((org, target))
        if key is None:
            key = self.keys[(org, target)] = record_id(org, target)
        if key not in self.records:
            self.records[key] = self.app.find(org, target)
        return self.records[key]

    def prefetch(self, pairs: set[tuple[str, str]]) -> None:
        """Learn in a few queries which of these records are not stored (not one lookup each)."""
        wanted = []
        for org, target in pairs:
            key = self.keys.get((org, target))
            if key is None:
                key = self.keys[(org, target)] = record_id(org, target)
            if key not in self.records:
                wanted.append(key)
        stored = stored_ids(self.app, wanted)
        if stored is not None:
            for key in wanted:
                if key not in stored:
                    self.records[key] = None

    def add(self, record: Record) -> None:
        self.records[record.id] = record
        self.changed[record.id] = record

    def defer(self, check: Callable[[], tuple[str, str] | None]) -> None:
        """Run a check of the current line after every line is read: (message, field) or None."""
        self.deferred.append((self.line, check))

    def touch(self, record: Record) -> None:
        self.changed[record.id] = record


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


def stored_ids(app: RecordsApplication, ids: list[UUID]) -> set[UUID] | None:
    """Which of these aggregate ids have events in the store, 500 per query; None if unknown.

    Reads the library's own events table (its name and id format per recorder, eventsourcing
    9.5: SQLite keeps `uuid.hex`, PostgreSQL a `uuid` column), in one read transaction.
    """
    recorder = app.recorder
    if isinstance(recorder, SQLiteApplicationRecorder):
        mark, convert = "?", (lambda u: u.hex)
    elif isinstance(recorder, PostgresApplicationRecorder):
        mark, convert = "%s", (lambda u: u)
    else:
        return None
    found: set[UUID] = set()
    with recorder.datastore.transaction(commit=False) as cursor:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            cursor.execute(
                f"SELECT DISTINCT originator_id FROM {recorder.events_table_name} "
                f"WHERE originator_id IN ({', '.join([mark] * len(chunk))})",
                [convert(u) for u in chunk],
            )
            found.update(UUID(str(row["originator_id"])) for row in cursor.fetchall())
    return found


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
    """Reads a spooled file in rank order (organisations first, corrections last) and saves once."""

    def __init__(
        self,
        app: RecordsApplication,
        *,
        actor: str,
        backfill: bool = False,
        progress: Callable[[int], None] | None = None,
        awards_of: AwardsOf | None = None,
    ) -> None:
        self.app = app
        self.actor = actor
        self.backfill = backfill
        self.progress = progress
        self.awards_of = awards_of

    def run(self, path: Path) -> ImportResult:
        """Validate every line, then store all facts in one transaction, or nothing.

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
        """One attempt of `run`."""
        stamp = datetime.now(UTC)
        ws = _Workspace(self.app, self.awards_of)
        result = ImportResult(recorded_at=stamp)
        errors: list[LineError] = []
        spool = _Spool()
        fact_lines: dict[str, int] = {}
        progressed: dict[Any, Record] = {}

        def reject(number: int, field: str | None, message: str) -> None:
            errors.append(LineError(number, field, message))

        opened: set[tuple[str, str]] = set()
        for number, text in read_lines(path):  # each line parsed once, handled by rank below
            try:
                cmd, digest, rank = parse_line(text, self.backfill)
                spool.put(rank, (number, cmd, digest))
                spec = KINDS[cmd["kind"]]
                if spec.opens:
                    opened.add((cmd["org"], spec.target(cmd)))
            except _Bad as bad:
                reject(number, bad.field, bad.message)
        ws.prefetch(opened)  # the records the file opens are mostly new: no lookup each
        for rank in RANKS:
            for number, cmd, digest in spool.read(rank):
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
                    reject(number, exc.field, exc.message)
                    continue
                changed = ws.get(cmd["org"], fact_id.rpartition("#")[0])
                assert changed is not None
                ws.touch(changed)
                fact_lines[fact_id] = number
                result.fact_ids.append((number, fact_id))
                result.added += 1
                # A further fact (corrections and voids are exempt): its lifecycle is checked below.
                if not spec.opens and cmd["kind"] not in ("record.corrected", "record.voided"):
                    progressed[changed.id] = changed
                if self.progress:
                    self.progress(number)
        spool.close()
        for number, check in ws.deferred:
            problem = check()
            if problem is not None:
                reject(number, problem[1], problem[0])
        for record in progressed.values():
            try:
                record.check_sequence()
            except DomainError as exc:
                line = fact_lines.get(getattr(exc, "fact_id", ""), 0)
                if not line:
                    prefix = record.target + "#"
                    line = min(n for f, n in fact_lines.items() if f.startswith(prefix))
                reject(line, exc.field, exc.message)
        if errors:
            errors.sort(key=lambda e: e.line)
            raise ImportRejected(errors[:MAX_LISTED], len(errors))
        if ws.changed:
            result.position = self.app.save_all(list(ws.changed.values()))
        else:  # nothing new: the store's position is unchanged
            result.position = self.app.head()
        result.fact_ids.sort()
        return result
