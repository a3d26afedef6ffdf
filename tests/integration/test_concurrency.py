"""Several `ngoaivu` processes writing one store at once, on SQLite and PostgreSQL.

An import validates against the store as it read it, then saves in one transaction; a record that
another process changed meanwhile makes the store refuse the save (a second version n of the
record). The import is then validated again against the store as it now is, as if it had run
after the other one: it succeeds when still valid, is rejected (exit 2, the rule named) when not,
and after a few lost races ends with a clear message and exit 3, having stored nothing.

On PostgreSQL the tests hold the events table's write lock until both importers have validated
and wait to write, so the race is certain, not likely.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from service.importing import paged_save
from tests.conftest import SAMPLES, Cli
from tests.integration.test_crash import (
    Store,
    assert_projected_once,
    big_file,
    kill,
    run,
    spawn,
)

# Real processes racing on a shared 2-core machine: a run starved of CPU can miss a window the
# test waits for; such a run is repeated (up to twice) and every attempt must still hold.
pytestmark = [pytest.mark.slow, pytest.mark.flaky(reruns=2, reruns_delay=5)]

SHARED = (SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl").read_text("utf-8").splitlines()[0]
TASKS = 300


@contextmanager
def writes_held(env: dict[str, str]) -> Iterator[Callable[[int], None]]:
    """PostgreSQL: hold the events table's write lock; `wait(n)` returns once n processes wait
    for it (they have read and validated everything). SQLite: nothing held, `wait` returns."""
    url = env.get("DATABASE_URL")
    if not url:
        yield lambda n: None
        return
    import time

    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("LOCK TABLE ngoaivu_events IN EXCLUSIVE MODE")

        def wait(n: int) -> None:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                with psycopg.connect(url, autocommit=True) as probe:
                    waiting = probe.execute(
                        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        "WHERE c.relname = 'ngoaivu_events' AND NOT l.granted"
                    ).fetchone()
                if waiting and waiting[0] >= n:
                    return
                time.sleep(0.05)
            raise AssertionError(f"{n} importers never came to write")

        yield wait
        conn.rollback()


def write_lines(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ),
        "utf-8",
    )
    return path


def added_skipped(stdout: str) -> tuple[int, int]:
    head = stdout.split(",")
    return int(head[0].split()[-1]), int(head[1].split()[-1])


def progress(org: str, no: int, at: str, status: str, **more: Any) -> dict[str, Any]:
    return {
        "kind": "task.progressed",
        "org": org,
        "at": at,
        "programme": "2020",
        "no": no,
        "status": status,
        **more,
    }


def programme_with_tasks(tmp_path: Path, env: dict[str, str], org: str, tasks: int) -> None:
    """A store holding `tasks` tasks of one organisation, each in progress since March."""
    path = tmp_path / f"base-{org}.jsonl"
    big_file(path, org, tasks=tasks)
    lines = path.read_text("utf-8").splitlines()[: 2 + tasks]  # the org, programme and tasks
    lines += [
        json.dumps(progress(org, no, "2020-03-01", "in_progress")) for no in range(1, tasks + 1)
    ]
    write_lines(path, lines)
    done = run(env, "import", "--quiet", "--backfill", str(path))
    assert done.returncode == 0, done.stderr


def test_two_imports_of_different_files_at_once_both_succeed(
    env: dict[str, str], tmp_path: Path
) -> None:
    store = Store(env)
    # The store exists (PostgreSQL: a table to hold locked), holding one unrelated file.
    base = run(env, "import", "--quiet", "--backfill", str(SAMPLES / "004_gia_lai_qd70_2020.jsonl"))
    assert base.returncode == 0, base.stderr
    before = store.count()
    paths, lines = [], 0
    for org in ("so-a", "so-b"):
        path = tmp_path / f"{org}.jsonl"
        lines += big_file(path, org, tasks=TASKS)
        # both files also carry the same registration of ha-tinh: one record both would create
        write_lines(path, [SHARED, *path.read_text("utf-8").splitlines()])
        paths.append(path)

    with writes_held(env) as wait:
        procs = [spawn(env, "import", "--backfill", "--quiet", str(p)) for p in paths]
        wait(2)
    outs = [proc.communicate(timeout=600) for proc in procs]
    for proc, (_out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    counts = sorted(added_skipped(out) for out, _ in outs)
    # one stored the shared line, the other found it stored (it had lost the race, retried)
    assert counts == [(lines // 2, 1), (lines // 2 + 1, 0)]

    assert store.count() == before + lines + 1
    assert_projected_once(store)  # each event exactly once in rm_facts, none missing
    if env.get("DATABASE_URL"):
        ids = store.event_ids()
        assert ids != list(range(1, len(ids) + 1)), "no save was refused: the race did not happen"
    for org in ("so-a", "so-b"):
        shown = run(
            env, "report", "key-tasks", "--org", org, "--period", "2020", "--as-of", "2020-12-31"
        )
        assert shown.returncode == 0, shown.stderr
        content = json.loads(shown.stdout)
        assert len(content["tasks"]) == TASKS
        assert content["recorded_by"] == f"@{store.event_ids()[-1]}"


def test_processes_starting_together_on_a_fresh_store(env: dict[str, str], tmp_path: Path) -> None:
    """Four imports at once on an empty database: tables created once, nothing lost."""
    store = Store(env)
    paths, lines = [], 0
    for n in range(4):
        path = tmp_path / f"so-{n}.jsonl"
        lines += big_file(path, f"so-{n}", tasks=10)
        paths.append(path)
    procs = [spawn(env, "import", "--backfill", "--quiet", str(p)) for p in paths]
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert store.count() == lines
    assert_projected_once(store)


def test_the_same_task_changed_twice_at_once_one_wins_the_other_is_told_why(
    env: dict[str, str], tmp_path: Path
) -> None:
    org, tasks = "so-thu", 150
    programme_with_tasks(tmp_path, env, org, tasks)
    store = Store(env)
    before = store.count()
    completed = write_lines(
        tmp_path / "completed.jsonl",
        [progress(org, no, "2020-12-10", "completed") for no in range(1, tasks + 1)],
    )
    cancelled = write_lines(
        tmp_path / "cancelled.jsonl",
        [progress(org, no, "2020-12-12", "cancelled", reason="Hủy") for no in range(1, tasks + 1)],
    )
    with writes_held(env) as wait:
        procs = {p: spawn(env, "import", "--quiet", str(p)) for p in (completed, cancelled)}
        wait(2)
    outs = {p: proc.communicate(timeout=600) for p, proc in procs.items()}
    codes = sorted(proc.returncode for proc in procs.values())
    assert codes == [0, 2], outs
    winner = next(p for p, proc in procs.items() if proc.returncode == 0)
    loser = completed if winner == cancelled else cancelled
    err = outs[loser][1]
    # the loser's file was validated again after the winner's save: each line breaks the rule
    # that nothing leaves a final status, and the message says so, line by line, in Vietnamese
    assert "Traceback" not in err and "IntegrityError" not in err
    # Validation reads each record as it stands: when the winner commits in the middle of the
    # loser's reading, the loser may name only the lines read after it. Nothing is stored.
    assert err.startswith("dòng "), err
    assert re.search(r"tệp bị từ chối: \d+ dòng lỗi; không lưu gì", err), err
    assert store.count() == before + tasks
    assert_projected_once(store)
    status = "completed" if winner == completed else "cancelled"
    shown = run(
        env,
        "report",
        "key-tasks",
        "--org",
        org,
        "--period",
        "2020",
        "--as-of",
        "2020-12-31",
        "--known-by",
        "now",
    )
    assert json.loads(shown.stdout)["summary"][status] == tasks
    # run again, the loser gets the same answer: the refusal is about the records, not the race
    again = run(env, "import", "--quiet", str(loser))
    assert again.returncode == 2 and again.stderr == err


def test_compatible_changes_of_the_same_tasks_at_once_both_succeed(
    env: dict[str, str], tmp_path: Path
) -> None:
    org, tasks = "so-thu", 150
    programme_with_tasks(tmp_path, env, org, tasks)
    store = Store(env)
    before = store.count()
    files = [
        write_lines(
            tmp_path / f"{month}.jsonl",
            [
                progress(org, no, f"2020-{month}-01", "in_progress", ref=f"BC-{month}")
                for no in range(1, tasks + 1)
            ],
        )
        for month in ("06", "09")
    ]
    with writes_held(env) as wait:
        procs = [spawn(env, "import", "--quiet", str(p)) for p in files]
        wait(2)
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert store.count() == before + 2 * tasks
    assert_projected_once(store)
    shown = run(env, "history", org, "task:2020/7", "--format", "json")
    refs = [ev["ref"] for ev in json.loads(shown.stdout)]
    assert sorted(r for r in refs if r) == ["BC-06", "BC-09"]


def test_an_import_losing_every_race_stores_nothing_and_says_to_run_again(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = "so-thu"
    programme_with_tasks(tmp_path, cli.env, org, 3)
    store = Store(cli.env)
    mine = write_lines(tmp_path / "mine.jsonl", [progress(org, 2, "2020-05-01", "in_progress")])
    write = paged_save.PagedSave.write
    rival = cli.runtime()
    races = []

    def racing(self: Any, records: Any) -> Any:
        """Before each write of the import, another writer changes task 2 (and wins)."""
        if self.app is not rival.app and not self.is_open:
            day = f"2020-04-{len(races) + 1:02d}"
            other = write_lines(
                tmp_path / f"rival-{day}.jsonl", [progress(org, 2, day, "in_progress")]
            )
            rival.import_file(other, actor="nguoi-khac")
            races.append(day)
        return write(self, records)

    monkeypatch.setattr(paged_save.PagedSave, "write", racing)
    before = store.count()
    try:
        result = cli("import", str(mine))
    finally:
        monkeypatch.undo()
        rival.close()
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and "IntegrityError" not in result.output
    assert "Lỗi: xung đột ghi đồng thời" in result.stderr
    assert "không lưu gì" in result.stderr and "chạy lại" in result.stderr
    assert len(races) == 5
    assert store.count() == before + len(races)  # the rival's facts only
    again = cli("import", str(mine))
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("added 1, skipped 0")


def test_a_killed_writer_does_not_block_the_others(env: dict[str, str], tmp_path: Path) -> None:
    """An import killed while it holds the write lock: the next import proceeds and completes."""
    store = Store(env)
    path = tmp_path / "big.jsonl"
    # Large enough that the single write lasts long on a loaded machine (SQLite writes fast).
    lines = big_file(path, "so-lon", tasks=2_000)
    from tests.integration.test_crash import wait_until

    proc = spawn(env, "import", "--backfill", "--quiet", str(path))
    seen = wait_until(proc, store.writing, limit=600)
    assert seen, f"the import ended before it wrote (exit {proc.poll()})"
    assert kill(proc)
    assert store.count() == 0
    done = run(env, "import", "--backfill", "--quiet", str(path), timeout=300)
    assert done.returncode == 0, done.stderr
    assert store.count() == lines
    assert_projected_once(store)
