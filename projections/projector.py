"""The projector: applies stored events to the read models exactly once, in batches.

This is the runner (catch-up, rebuild, read-ahead, halts and resumes: about 380 lines, one job
whose steps share the batch and its savepoints); decoding (`stored`), rows (`fact_rows`), search
text (`search_text`) and bulk writes (`writers`) are their own modules."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.application import Application
from sqlalchemy import Connection, delete, insert, select, update

from projections import award_versions, fa_versions, versions
from projections.fact_rows import (  # noqa: F401  (fact_row, scope_of: the projector's API)
    FACT_COLUMNS,
    entry_row,
    fact_row,
    issued_row,
    scope_of,
)
from projections.halts import EVERY, Halt, all_halts, halt_key, lift, note, reason
from projections.search_text import (  # noqa: F401  (_strings: tested here)
    SEARCH_COLUMNS,
    _strings,
    searchable,
    title_of,
)
from projections.store import ReadModels
from projections.stored import (
    _AMENDS,
    _ISSUED,
    _OPENED,
    _Decoder,
    _parse,
    _select_rows,
    plain_state,
)
from projections.tables import (
    award_versions as award_versions_table,
)
from projections.tables import (
    fa_counts,
    fa_details,
    facts,
    halts,
    issued,
    search,
    task_versions,
    tracking,
)
from projections.tables import (
    fa_versions as fa_versions_table,
)
from projections.writers import _insert, _unwritable

NAME = "records"
# Bump when the rows a projection writes change: stale read models are rebuilt from zero.
# 2: task versions (rm_task_versions), rm_facts.into_org; 3: foreign-affairs versions
# (rm_fa_versions, rm_fa_counts, rm_fa_details); 4: award case versions (rm_award_versions)
FORMAT = 4
BATCH = 2000

Progress = Callable[[int, int], None]


def _textless(ev: dict[str, Any]) -> bool:
    """A correction that sets only numbers and flags (`people`, `amount_usd`…): the search row,
    made of the record's texts, title and voidedness, cannot change (each corrected key was
    checked against the kind's schema at import: a number stays a number). Most corrections of
    a foreign-affairs history are such: their search refresh was a third of the catch-up."""
    changes = ev.get("changes")
    return (
        isinstance(changes, dict)
        and bool(changes)
        and all(type(value) is int or type(value) is bool for value in changes.values())
    )


@dataclass
class _Batch:
    """One batch of stored events, decoded: the rows to write and the search rows to refresh."""

    start: int
    last: int
    count: int
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    openings: list[tuple[Any, ...]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    touched: dict[tuple[str, str], bool] = field(default_factory=dict)
    failed: bool = False  # an event of it could not be decoded: applied one by one

    def orgs(self) -> set[str]:
        """The departments whose rows the batch holds."""
        return {row[1] for row in self.rows} | {report["org"] for report in self.reports}

    def keeping(self, keep: Callable[[str], bool]) -> _Batch:
        """The same batch with only the rows of the departments `keep` accepts."""
        return _Batch(
            self.start,
            self.last,
            self.count,
            [row for row in self.rows if keep(row[1])],
            [row for row in self.openings if keep(row[0])],
            [report for report in self.reports if keep(report["org"])],
            {key: True for key in self.touched if keep(key[0])},
        )


@contextmanager
def _cycles_uncollected() -> Iterator[None]:
    """The cyclic garbage collector paused (as it was before, after): the batches are acyclic,
    freed by reference counting, but every 700 of their dicts and tuples would start a collection
    that walks the live ones (some 6 % of a rebuild's time, for nothing)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Projector:
    """Keeps the read models level with the event store; one projector at a time."""

    def __init__(self, app: Application, models: ReadModels) -> None:
        self.app = app
        self.models = models
        self.decode = _Decoder(app)
        # PostgreSQL writes in its own process, while a helper thread here decodes the next
        # batch. SQLite's writing is this process's work: a helper would only contend with it
        # for the GIL (no faster with a core free, slower when the machine is busy).
        self.read_ahead = not models.is_sqlite

    def position(self, conn: Connection | None = None) -> int:
        """The notification id of the last event applied."""
        if conn is None:  # no transaction to share: the cheap look (every request makes it)
            return self.models.position(NAME) or 0
        row = conn.execute(select(tracking.c.position).where(tracking.c.name == NAME)).first()
        return row[0] if row else 0

    def is_stale(self) -> bool:
        """Whether the read models were written by another projection format."""
        with self.models.reading() as conn:
            row = conn.execute(select(tracking.c.format).where(tracking.c.name == NAME)).first()
        return row is not None and row[0] != FORMAT

    def catch_up(self, progress: Progress | None = None, until: int | None = None) -> int:
        """Apply every event not yet applied (up to position `until` when given: the last one
        the hash chain links), one transaction per batch; how many applied.

        With `read_ahead`, while one batch is written a helper thread reads and decodes the next
        one (psycopg releases the GIL while it waits for the server). A batch read ahead is used
        only if the position, read again under the projector's lock, is the one it was read from.
        """
        applied = 0
        # `until` comes from a look at the store made just before (the chain's levels, a
        # verification): never past its head, which only grows; reading the head again would be
        # one more round trip per report for the same answer.
        head = until if until is not None else self.app.recorder.max_notification_id() or 0
        if self.position() >= head:  # level already (every report asks): no write lock taken
            return applied
        with (
            _cycles_uncollected(),
            ThreadPoolExecutor(1, thread_name_prefix="projector-read") as reader,
        ):
            ahead: Future[_Batch | None] | None = None
            while True:
                with self.models.writing() as conn:
                    start = self.position(conn)
                    if start >= head:
                        return applied
                    stopped = all_halts(conn)
                    if EVERY in stopped:  # until `projections resume`
                        return applied
                    batch = ahead.result() if ahead is not None else None
                    if batch is None or batch.start != start:
                        batch = self._read(start, head)
                    if batch is None:
                        return applied
                    ahead = None
                    if self.read_ahead and batch.last < head:
                        ahead = reader.submit(self._read, batch.last, head)
                    last = self._apply(conn, batch, stopped)
                    self._track(conn, start, last)
                    if last >= head and self.models.is_sqlite:
                        self.models.restore_indexes(conn)  # those a rebuild dropped, if any
                applied += batch.count
                if progress:
                    progress(batch.last, head)

    def rebuild(self, progress: Progress | None = None, until: int | None = None) -> int:
        """Empty the read models and apply the whole store again.

        On SQLite, the secondary indexes of rm_facts go with the rows and are created once, in
        the transaction of the last batch: kept up row by row, in this process, they cost more
        than they do built at the end. (PostgreSQL keeps them up in its own process while this
        one decodes the next batch: there they stay.) Killed before the end, the read models are
        consistent without them (position and rows agree): the next catch-up to reach the head,
        or the next process to open the read models, creates them (so after an error too).
        """
        tables = (
            facts,
            task_versions,
            fa_versions_table,
            fa_counts,
            fa_details,
            award_versions_table,
            search,
            issued,
            halts,
            tracking,
        )
        with self.models.writing() as conn:
            if self.models.is_sqlite:  # SQLite empties a whole table at once on DELETE
                for table in tables:
                    conn.execute(delete(table))
                self.models.drop_fact_indexes(conn)
            else:  # PostgreSQL would delete row by row, index by index: TRUNCATE (transactional)
                conn.exec_driver_sql(f"TRUNCATE {', '.join(t.name for t in tables)}")
        applied = self.catch_up(progress, until)
        if self.models.is_sqlite:  # an empty store has no last batch to create them with
            with self.models.writing() as conn:
                self.models.restore_indexes(conn)
        return applied

    def _track(self, conn: Connection, start: int, position: int) -> None:
        values = {"position": position, "format": FORMAT}
        if start == 0 and self.position(conn) == 0:
            exists = conn.execute(select(tracking.c.name).where(tracking.c.name == NAME)).first()
            if not exists:
                conn.execute(insert(tracking).values(name=NAME, **values))
                return
        conn.execute(update(tracking).where(tracking.c.name == NAME).values(**values))

    def _read(self, start: int, stop: int) -> _Batch | None:
        """The next batch after `start` (up to `stop`), decoded into rows (no read-model
        connection needed); a batch holding an event that cannot be decoded is marked `failed`."""
        notifications = _select_rows(self.app.recorder, start, BATCH, stop)
        return self._read_from(start, notifications) if notifications else None

    def _apply(self, conn: Connection, batch: _Batch, stopped: dict[str, Halt]) -> int:
        """Write a batch but the rows of halted departments; the position it reaches.

        When an event of it cannot be decoded or written, the batch is applied event by event
        (`_one_by_one`), each in a savepoint, and that event's department halts there.
        """
        if not batch.failed:
            try:
                with conn.begin_nested():
                    self._write(
                        conn, batch.keeping(lambda org: org not in stopped) if stopped else batch
                    )
                return batch.last
            except Exception as exc:
                if not _unwritable(exc):
                    raise
        notifications = _select_rows(self.app.recorder, batch.start, batch.count)
        return self._one_by_one(conn, notifications, stopped)

    def _one_by_one(
        self,
        conn: Connection,
        notifications: Sequence[Any],
        stopped: dict[str, Halt],
        only: str | None = None,
    ) -> int:
        """Apply events one at a time; an event that cannot be decoded or written halts its
        department (noted in `stopped`), whose later events are then left out. `only`: apply
        only that department's events (a resume). The position reached: the last event's, or
        just before an event that halts every department."""
        for notification in notifications:
            position = notification.id
            try:
                one = self._decode(position - 1, [notification])
            except Exception as exc:  # any fault of a pure decoding is the event's
                key = halt_key(self._org_of(notification))
                if only is not None and key != only:
                    continue
                stopped[key] = note(conn, key, position, notification.topic, reason(exc))
                if key == EVERY:
                    return position - 1
                continue
            orgs = one.orgs()
            if not orgs or (only is not None and only not in orgs) or orgs & stopped.keys():
                continue
            try:
                with conn.begin_nested():
                    self._write(conn, one)
            except Exception as exc:
                if not _unwritable(exc):
                    raise
                key = halt_key(next(iter(orgs)))
                stopped[key] = note(conn, key, position, notification.topic, reason(exc))
                if key == EVERY:
                    return position - 1
        return notifications[-1].id if notifications else 0

    def _org_of(self, notification: Any) -> Any:
        """The department of an event that cannot be decoded, if its state shows it."""
        try:
            return _parse(plain_state(self.decode.mapper, notification.state)).get("org")
        except Exception:  # unreadable: the halt is then every department's
            return None

    def halts(self) -> dict[str, Halt]:
        """Every halted department's halt."""
        with self.models.reading() as conn:
            return all_halts(conn)

    def resume(self, org: str | None = None) -> list[tuple[Halt, Halt | None]]:
        """Apply the events each halt held back (all, or one department's), then catch up.

        Each department is resumed in one transaction: its events from the halted one to the
        tracking position, applied as a catch-up would; its halt is lifted, or noted again at
        the event that still cannot be projected. Every department's halt ("*") stopped the
        tracking position itself: it is lifted and the catch-up tries again.
        Returns (the halt, the halt now in force or None) per department resumed.
        """
        outcome: list[tuple[Halt, Halt | None]] = []
        for key, halt in sorted(self.halts().items()):
            if org is not None and key != org:
                continue
            with self.models.writing() as conn:
                lift(conn, key)
                if key != EVERY:
                    self._replay(conn, key, halt.position - 1, self.position(conn))
            if key == EVERY:
                self.catch_up()
            outcome.append((halt, self.halts().get(key)))
        return outcome

    def _replay(self, conn: Connection, org: str, start: int, tracked: int) -> None:
        """Apply one department's events after `start` up to `tracked` (a resume)."""
        stopped: dict[str, Halt] = {}
        while start < tracked and org not in stopped:
            notifications = [
                n for n in _select_rows(self.app.recorder, start, BATCH) if n.id <= tracked
            ]
            if not notifications:
                return
            batch = self._read_from(start, notifications)
            if batch.failed or not self._written(conn, batch.keeping(lambda o: o == org)):
                self._one_by_one(conn, notifications, stopped, only=org)
            start = notifications[-1].id

    def _read_from(self, start: int, notifications: Sequence[Any]) -> _Batch:
        """The notifications decoded, or a `failed` batch when one of them cannot be."""
        try:
            return self._decode(start, notifications)
        except Exception:  # decoding is pure: the fault is in an event, found one by one
            return _Batch(start, notifications[-1].id, len(notifications), failed=True)

    def _written(self, conn: Connection, batch: _Batch) -> bool:
        """Write a batch in a savepoint; False (nothing written) when an event refuses."""
        try:
            with conn.begin_nested():
                self._write(conn, batch)
        except Exception as exc:
            if not _unwritable(exc):
                raise
            return False
        return True

    def _decode(self, start: int, notifications: Sequence[Any]) -> _Batch:
        """The rows of a batch of notifications."""
        batch = _Batch(start, notifications[-1].id, len(notifications))
        decode, kinds = self.decode, self.decode.classes
        rows, openings = batch.rows, batch.openings
        for notification in notifications:
            kind = kinds.get(notification.topic) or decode.kind(notification.topic)
            role = kind.role
            if role >= _ISSUED:
                if role == _ISSUED:
                    issued_event = decode.event(notification)
                    batch.reports.append(issued_row(notification.id, issued_event))
                continue  # other aggregates' events: nothing to project
            ev = decode.attributes(notification, kind.version)
            rows.append(entry_row(notification.id, kind.topic, ev))
            org, target = ev["org"], ev["target"]
            if role == _OPENED:
                data = ev["data"]
                openings.append(
                    (org, target, title_of(data, target), searchable(data, target), False)
                )
            elif target.startswith("draft:"):
                # A draft's search text is its latest version's (a new version is an entry).
                batch.touched[(org, target)] = True
            elif role == _AMENDS:
                # Search holds the opening fact as corrected and whether the record is voided:
                # only a change of the opening fact (or a void of the record) can alter it.
                named = ev.get("target_fact_id")
                if (named is None or named == f"{target}#1") and not _textless(ev):
                    batch.touched[(org, target)] = True
        return batch

    def _write(self, conn: Connection, batch: _Batch) -> None:
        """Write a batch's rows, then refresh the search rows its corrections and voids touch."""
        if batch.rows:
            _insert(conn, facts, FACT_COLUMNS, batch.rows)
            tasks = {(row[1], row[4]) for row in batch.rows if row[2] == "task"}
            if tasks:
                versions.refresh(conn, tasks, batch.rows)
            counted = {(row[1], row[4]) for row in batch.rows if row[2] in fa_versions.RECORD_KINDS}
            if counted:
                fa_versions.refresh(conn, counted, batch.rows)
            awards = {(row[1], row[4]) for row in batch.rows if row[2] == "award"}
            if awards:
                award_versions.refresh(conn, awards, batch.rows)
        if batch.openings:
            _insert(conn, search, SEARCH_COLUMNS, batch.openings)
        if batch.reports:
            conn.execute(insert(issued), batch.reports)
        for org, target in batch.touched:
            self._refresh_search(conn, org, target)

    def _refresh_search(self, conn: Connection, org: str, target: str) -> None:
        """Recompute a record's search text after a correction or void (latest knowledge)."""
        from projections.visibility import current_opening  # late: avoids an import cycle

        opening, voided = current_opening(conn, org, target, latest=target.startswith("draft:"))
        values: dict[str, Any] = {"voided": voided}
        if opening is not None:
            # The opening's own keys, as when it was first projected (not its at, reason, ref).
            data = {k: v for k, v in opening.items() if k not in ("at", "reason", "ref")}
            values["title"] = title_of(data, target)
            values["folded"] = searchable(data, target)
        conn.execute(
            update(search).where(search.c.org == org, search.c.target == target).values(**values)
        )
