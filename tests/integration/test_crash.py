"""Crash safety: `ngoaivu` processes killed with SIGKILL, on SQLite and PostgreSQL.

An import killed at any moment (while reading, while validating, during the write itself, while
projecting) leaves the store holding nothing of its file or all of it, never a part; a normal
import then completes and a re-import adds nothing. A `projections rebuild` killed halfway is
resumed by the next command and ends with the read models of an uninterrupted rebuild, every event
applied exactly once.

The helpers here (processes, store and read-model probes, generated files) serve
test_concurrency.py too.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Real processes racing on a shared 2-core machine: a run starved of CPU can miss a window the
# test waits for; such a run is repeated (up to twice) and every attempt must still hold.
pytestmark = [pytest.mark.slow, pytest.mark.flaky(reruns=2, reruns_delay=5)]

# 2,000 tasks, 22,002 lines: validation takes seconds and the write itself a noticeable time.
TASKS = 2_000
POLL = 0.002


# --- processes ---------------------------------------------------------------------------------


def ngoaivu(*args: str) -> list[str]:
    """The command line of `ngoaivu ARGS` in a new process (the venv's script, or the module)."""
    script = Path(sys.executable).with_name("ngoaivu")
    if script.exists():
        return [str(script), *args]
    main = "import sys; from cli import main; sys.exit(main())"
    return [sys.executable, "-c", main, *args]


def process_env(env: dict[str, str]) -> dict[str, str]:
    """The OS environment with one installation's settings (no stray DATABASE_URL or key)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "NGOAIVU_DATA", "NGOAIVU_CIPHER_KEY", "NGOAIVU_CHAIN_KEY")
    }
    return {**base, **env}


def spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start `ngoaivu ARGS` on an installation; output captured as text."""
    return subprocess.Popen(
        ngoaivu(*args),
        env=process_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def run(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `ngoaivu ARGS` to its end."""
    return subprocess.run(
        ngoaivu(*args),
        env=process_env(env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def kill(proc: subprocess.Popen[str]) -> bool:
    """SIGKILL a process; True when it was still running (so the kill interrupted it)."""
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return alive


def wait_until(proc: subprocess.Popen[str], condition: Callable[[], bool], limit: float) -> bool:
    """Poll `condition` while the process runs; True when it held before the process ended."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if condition():
                return True
        except (sqlite3.OperationalError, OSError):
            pass  # a file not created yet, a table not there yet
        time.sleep(POLL)
    return False


# --- the store and the read models, read directly ---------------------------------------------


class Store:
    """Raw reads of one installation's event store and read models (no `ngoaivu` code)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.url = env.get("DATABASE_URL")
        self.data = Path(env["NGOAIVU_DATA"])

    def _query(self, sql: str, *, events: bool) -> list[tuple[Any, ...]]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return [tuple(r) for r in conn.execute(sql).fetchall()]
        path = self.data / ("events.sqlite" if events else "readmodels.sqlite")
        if not path.exists():
            raise sqlite3.OperationalError(f"no database yet: {path}")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    @property
    def events_table(self) -> str:
        return "ngoaivu_events" if self.url else "stored_events"

    def event_ids(self) -> list[int]:
        """Notification ids of every stored event, in order."""
        column = "notification_id" if self.url else "rowid"  # SQLite: the rowid is the id
        try:
            rows = self._query(
                f"SELECT {column} FROM {self.events_table} ORDER BY {column}", events=True
            )
        except Exception as exc:  # no table yet: nothing stored
            if (
                "does not exist" in str(exc)
                or "no such table" in str(exc)
                or "no database" in str(exc)
            ):
                return []
            raise
        return [r[0] for r in rows]

    def count(self) -> int:
        """How many events are stored."""
        return len(self.event_ids())

    def positions(self) -> list[int]:
        """The positions of the rows in rm_facts (one per projected record event)."""
        return [r[0] for r in self._query("SELECT pos FROM rm_facts ORDER BY pos", events=False)]

    def tracked(self) -> int:
        """The projector's position (0 when nothing is tracked)."""
        rows = self._query("SELECT position FROM rm_tracking WHERE name = 'records'", events=False)
        return rows[0][0] if rows else 0

    def read_models(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the read models, in a stable order."""
        return {
            "rm_facts": self._query("SELECT * FROM rm_facts ORDER BY pos", events=False),
            "rm_search": self._query(
                "SELECT org, target, title, folded, voided FROM rm_search ORDER BY org, target",
                events=False,
            ),
            "rm_tracking": self._query(
                "SELECT name, position, format FROM rm_tracking ORDER BY name", events=False
            ),
        }

    def fact_indexes(self) -> set[str]:
        """The names of rm_facts's indexes (a rebuild drops its secondary ones meanwhile)."""
        if self.url:
            sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'rm_facts'"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rm_facts'"
        return {row[0] for row in self._query(sql, events=False)}

    def writing(self) -> bool:
        """Whether a transaction is writing events right now (an import holding its transaction)."""
        if self.url:
            rows = self._query(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                f"WHERE c.relname = '{self.events_table}' AND l.mode = 'ExclusiveLock' "
                "AND l.granted",
                events=True,
            )
            return rows[0][0] > 0
        path = self.data / "events.sqlite"
        if not path.exists():
            return False
        conn = sqlite3.connect(str(path), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        else:
            conn.execute("ROLLBACK")
            return False
        finally:
            conn.close()


# --- generated import files --------------------------------------------------------------------


def big_file(path: Path, org: str, tasks: int = TASKS, *, programme: str = "2020") -> int:
    """An import file of one organisation: a programme, its tasks, monthly progress; lines.

    Ten progress lines per task (in progress from March, a final status in December): tens of
    thousands of lines, over few enough records that validation is not all round trips.
    """
    lines = [
        {
            "kind": "org.registered",
            "org": org,
            "at": "2019-01-01",
            "name": f"Sở Ngoại vụ thử nghiệm {org}",
            "place": "Hà Tĩnh",
        },
        {
            "kind": "programme.adopted",
            "org": org,
            "at": "2020-02-04",
            "programme": programme,
            "title": f"Chương trình công tác trọng tâm {programme}",
        },
    ]
    count = len(lines)
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        for no in range(1, tasks + 1):
            task = {
                "kind": "task.added",
                "org": org,
                "at": "2020-02-04",
                "programme": programme,
                "no": no,
                "title": f"Nhiệm vụ số {no}: đón đoàn, hội nghị hợp tác quốc tế",
                "unit": "Phòng Hợp tác quốc tế",
            }
            out.write(json.dumps(task, ensure_ascii=False) + "\n")
            count += 1
        for month in range(3, 13):
            for no in range(1, tasks + 1):
                status = "in_progress"
                if month == 12:
                    status = ("in_progress", "completed", "not_carried_out")[no % 3]
                progress = {
                    "kind": "task.progressed",
                    "org": org,
                    "at": f"2020-{month:02d}-{1 + no % 28:02d}",
                    "programme": programme,
                    "no": no,
                    "status": status,
                }
                out.write(json.dumps(progress, ensure_ascii=False) + "\n")
                count += 1
    return count


def assert_projected_once(store: Store) -> None:
    """Every stored event is in rm_facts exactly once, and nothing else is."""
    ids = store.event_ids()
    positions = store.positions()
    assert len(positions) == len(set(positions)), "an event was applied twice"
    assert positions == ids, (
        f"rm_facts and the store differ: {len(positions)} rows for {len(ids)} events; "
        f"missing {sorted(set(ids) - set(positions))[:5]}, extra "
        f"{sorted(set(positions) - set(ids))[:5]}"
    )
    assert store.tracked() == (ids[-1] if ids else 0)


# --- the tests ---------------------------------------------------------------------------------


def test_an_import_killed_at_any_moment_stores_all_or_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    seed = int(os.environ.get("NGOAIVU_CRASH_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    note = f"(seed {seed}: NGOAIVU_CRASH_SEED={seed} replays it)"
    path = tmp_path / "big.jsonl"
    lines = big_file(path, "thu-nghiem")
    store = Store(env)
    args = ("import", "--backfill", "--quiet", str(path))

    def outcome() -> int:
        stored = store.count()
        assert stored in (0, lines), f"a killed import left {stored} of {lines} events {note}"
        return stored

    # 1. Killed inside its transaction: its first pages written (2,000 records each), later lines
    #    still being handled, the events table held.
    proc = spawn(env, *args)
    started = time.monotonic()
    caught = wait_until(proc, store.writing, limit=600)
    write_began = time.monotonic() - started
    interrupted = kill(proc)
    assert caught and interrupted, f"the import ended before its write could be caught {note}"
    assert outcome() == 0, f"killed inside its transaction, the import stored events {note}"

    # 2. Killed at random moments: reading and validating, writing, or projecting afterwards.
    delays = [rng.uniform(0.05, write_began), rng.uniform(write_began * 0.9, write_began * 1.3)]
    for delay in delays:
        proc = spawn(env, *args)
        time.sleep(delay)
        kill(proc)
        outcome()

    # 3. A normal import completes (adding what the killed ones did not), then adds nothing.
    before = store.count()
    done = run(env, *args)
    assert done.returncode == 0, done.stderr
    assert f"added {lines - before}, skipped {before}," in done.stdout, done.stdout
    assert store.count() == lines
    assert_projected_once(store)
    again = run(env, *args)
    assert again.returncode == 0, again.stderr
    assert f"added 0, skipped {lines}," in again.stdout, again.stdout
    assert store.count() == lines


def test_a_killed_rebuild_resumes_and_ends_as_an_uninterrupted_one(
    env: dict[str, str], tmp_path: Path
) -> None:
    seed = int(os.environ.get("NGOAIVU_CRASH_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    note = f"(seed {seed})"
    store = Store(env)
    for org in ("thu-nghiem", "thu-nghiem-2"):  # two imports: two stamps, several batches
        path = tmp_path / f"{org}.jsonl"
        big_file(path, org, tasks=TASKS // 4)
        done = run(env, "import", "--backfill", "--quiet", str(path))
        assert done.returncode == 0, done.stderr
    head = store.event_ids()[-1]

    full = run(env, "projections", "rebuild")
    assert full.returncode == 0, full.stderr
    expected = store.read_models()
    assert len(expected["rm_facts"]) == store.count()
    indexes = store.fact_indexes()
    assert {"ix_rm_facts_scope", "ix_rm_facts_target", "ix_rm_facts_day"} <= indexes

    # Killed once the rebuild has applied some batches but not all of them.
    proc = spawn(env, "projections", "rebuild")
    caught = wait_until(proc, lambda: 0 < store.tracked() < head, limit=600)
    assert kill(proc) and caught, f"the rebuild ended before it could be killed halfway {note}"
    position = store.tracked()
    assert 0 < position < head
    assert store.positions() == [i for i in store.event_ids() if i <= position], (
        "a killed rebuild left rows that its tracking position does not account for"
    )

    # Killed again at a random moment (perhaps before it deleted anything), then resumed.
    proc = spawn(env, "projections", "rebuild")
    time.sleep(rng.uniform(0.0, 1.0))
    kill(proc)
    resumed = run(env, "projections", "catch-up")
    assert resumed.returncode == 0, resumed.stderr
    assert store.read_models() == expected, f"resumed read models differ from a rebuild {note}"
    assert store.fact_indexes() == indexes, f"indexes dropped by the rebuild not back {note}"
    assert_projected_once(store)

    # Any command resumes, not only catch-up: a report after a rebuild killed halfway.
    proc = spawn(env, "projections", "rebuild")
    caught = wait_until(proc, lambda: 0 < store.tracked() < head, limit=600)
    kill(proc)
    options = ("--org", "thu-nghiem", "--period", "2020", "--as-of", "2020-12-11")
    report = run(env, "report", "key-tasks", *options)
    assert report.returncode == 0, report.stderr
    content = json.loads(report.stdout)
    assert content["recorded_by"] == f"@{head}"
    assert len(content["tasks"]) == TASKS // 4
    assert store.read_models() == expected
    assert store.fact_indexes() == indexes
    assert_projected_once(store)
