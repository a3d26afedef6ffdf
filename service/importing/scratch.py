"""One import's bookkeeping on disk, so that its memory does not grow with the file.

A private temporary SQLite database (SQLite deletes it when the connection closes) holds what
an import must remember about every line until its end: the fact id stored for each line, the
records whose lifecycle is checked once every line is read, the checks deferred to the end
(award catalogue rules), and the awards granted in the file (prerequisites of later awards).
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

from domain.emulation import Award
from domain.times import Moment

_SCHEMA = """
CREATE TABLE facts (
    org TEXT, fact_id TEXT, line INTEGER NOT NULL, PRIMARY KEY (org, fact_id)
) WITHOUT ROWID;
CREATE INDEX facts_by_line ON facts (line);
CREATE TABLE progressed (id BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE unsettled (id BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE deferred (seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, item BLOB NOT NULL);
CREATE TABLE granted (
    award TEXT PRIMARY KEY, org TEXT, id TEXT, person TEXT, unit TEXT, value BLOB
) WITHOUT ROWID;
CREATE INDEX granted_by_person ON granted (org, person);
CREATE INDEX granted_by_unit ON granted (org, unit);
"""

Check = Callable[[Any, dict[str, Any], dict[str, Any]], "tuple[str, str] | None"]


class Scratch:
    """What one import remembers until it ends; `fact_ids` outlives it for the caller."""

    def __init__(self) -> None:
        # "" opens a private on-disk temporary database: only its page cache is in memory.
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self._facts: list[tuple[str, str, int]] = []
        self._progressed: list[bytes] = []
        self._unsettled = False
        self.count = 0

    # Fact ids, by line.
    def fact(self, line: int, org: str, fact_id: str) -> None:
        """Note the fact stored for a line (fact ids are unique within an organisation)."""
        self._facts.append((org, fact_id, line))
        self.count += 1

    def progressed(self, record_id: UUID) -> None:
        """Note a record progressed by this file (its lifecycle is checked)."""
        self._progressed.append(record_id.bytes)

    def was_progressed(self, record_id: UUID) -> bool:
        """Whether this file progressed the record (in any line read so far)."""
        self.flush()
        row = self.db.execute("SELECT 1 FROM progressed WHERE id = ?", (record_id.bytes,))
        return row.fetchone() is not None

    def settle(self, record_id: UUID, ok: bool) -> None:
        """Note the outcome of a record's latest lifecycle check (failed ones: named at the end)."""
        if ok:
            if self._unsettled:  # nothing to forget in the usual case
                self.db.execute("DELETE FROM unsettled WHERE id = ?", (record_id.bytes,))
        else:
            self.db.execute("INSERT OR IGNORE INTO unsettled VALUES (?)", (record_id.bytes,))
            self._unsettled = True

    def flush(self) -> None:
        """Write the noted facts and records out of memory."""
        if self._facts:
            self.db.executemany("INSERT INTO facts VALUES (?, ?, ?)", self._facts)
            self._facts.clear()
        if self._progressed:
            self.db.executemany(
                "INSERT OR IGNORE INTO progressed VALUES (?)", ((b,) for b in self._progressed)
            )
            self._progressed.clear()

    def line_of(self, org: str, fact_id: str) -> int | None:
        """The line that stored this fact, if this import stored it."""
        self.flush()
        row = self.db.execute(
            "SELECT line FROM facts WHERE org = ? AND fact_id = ?", (org, fact_id)
        ).fetchone()
        return row[0] if row else None

    def first_line_of(self, org: str, target: str) -> int:
        """The first line of this import that stored a fact of the record (0 if none)."""
        self.flush()
        prefix = target + "#"
        row = self.db.execute(
            "SELECT min(line) FROM facts WHERE org = ? AND fact_id >= ? AND fact_id < ?",
            (org, prefix, target + "$"),  # "$" follows "#": every id starting with the prefix
        ).fetchone()
        return row[0] or 0

    def unsettled_ids(self, page: int) -> Iterator[list[UUID]]:
        """The records whose latest lifecycle check failed, a page at a time."""
        cursor = self.db.execute("SELECT id FROM unsettled")
        while rows := cursor.fetchmany(page):
            yield [UUID(bytes=row[0]) for row in rows]

    # Checks deferred to the end of the file.
    def defer(self, line: int, check: Check, cmd: dict[str, Any], terms: dict[str, Any]) -> None:
        """Keep a check (a module-level function, pickled by name) and what it checks."""
        item = pickle.dumps((check, cmd, terms), protocol=pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT INTO deferred (line, item) VALUES (?, ?)", (line, item))

    def deferred(self) -> Iterator[tuple[int, Check, dict[str, Any], dict[str, Any]]]:
        """The deferred checks in the order they were made."""
        cursor = self.db.execute("SELECT line, item FROM deferred ORDER BY seq")
        while rows := cursor.fetchmany(500):
            for line, item in rows:
                check, cmd, terms = pickle.loads(item)
                yield line, check, cmd, terms

    # Awards granted in the file, as they stand at its end.
    def note_awards(self, records: Iterable[Any]) -> None:
        """Keep the granted awards among records about to leave memory; forget ungranted ones."""
        for record in records:
            if not isinstance(record, Award):
                continue
            key = f"{record.org}\x1f{record.target}"
            self.db.execute("DELETE FROM granted WHERE award = ?", (key,))
            if record.stage() != "granted":
                continue
            terms = record.terms()
            recipient = terms.get("recipient") or {}
            decided = Moment.parse(terms["at"]).day
            value = pickle.dumps((terms["form"], terms.get("for_year") or decided))
            self.db.execute(
                "INSERT INTO granted VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    record.org,
                    terms.get("id"),
                    recipient.get("person"),
                    recipient.get("unit"),
                    value,
                ),
            )

    def granted(
        self, org: str, key: str, value: str, other_than: str | None
    ) -> list[tuple[str, int | date]]:
        """Awards granted in this file to a person or unit (`key`), except award `other_than`."""
        column = {"person": "person", "unit": "unit"}[key]
        rows = self.db.execute(
            f"SELECT id, value FROM granted WHERE org = ? AND {column} = ?", (org, value)
        ).fetchall()
        return [pickle.loads(v) for award_id, v in rows if award_id != other_than]

    def fact_ids(self) -> FactIds:
        """The stored fact ids by line, readable after the import ended."""
        self.flush()
        return FactIds(self.db, self.count)

    def close(self) -> None:
        """Delete the database now (after a rejected import; else `fact_ids` keeps it)."""
        self.db.close()


class FactIds:
    """(line, fact id) of every fact an import stored, in line order, read from disk."""

    def __init__(self, db: sqlite3.Connection | None = None, count: int = 0) -> None:
        self._db = db
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[int, str]]:
        if self._db is None:
            return
        cursor = self._db.execute("SELECT line, fact_id FROM facts ORDER BY line")
        while rows := cursor.fetchmany(1000):
            yield from rows

    def __repr__(self) -> str:
        return f"FactIds({self._count})"
