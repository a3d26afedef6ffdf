"""No read takes a write lock: a report asked while a large import holds its transaction open
(pages written, the store's write lock held) answers in its usual time, on SQLite and
PostgreSQL, with the projector worker running beside it."""

from __future__ import annotations

import sqlite3
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from service.config import Settings
from service.reporting.requests import make_request, run_report
from service.runtime import Runtime
from tests.conftest import SAMPLES
from tests.integration.test_crash import big_file

pytestmark = pytest.mark.slow

TIMES = 7


def settings_of(env: dict[str, str], page: int | None = None) -> Settings:
    return Settings(Path(env["NGOAIVU_DATA"]), env.get("DATABASE_URL"), import_page=page)


def median_seconds(call: Callable[[], object]) -> float:
    """The median wall time of TIMES calls."""
    times = []
    for _ in range(TIMES):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_lock_held(rt: Runtime) -> bool:
    """Whether another writer of events would have to wait now (asked without waiting)."""
    recorder = rt.app.recorder
    if not rt.settings.is_postgres:
        path = rt.settings.data_dir / "events.sqlite"
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(rt.settings.database_url) as conn:  # type: ignore[arg-type]
        try:
            conn.execute("SET lock_timeout = '100ms'")
            conn.execute(f"LOCK TABLE {recorder.events_table_name} IN EXCLUSIVE MODE")  # type: ignore[attr-defined]
            return False
        except psycopg.errors.LockNotAvailable:
            return True


def test_a_report_during_an_open_import_answers_in_its_usual_time(
    env: dict[str, str], tmp_path: Path
) -> None:
    with Runtime(settings_of(env)) as seed:
        for name in ("000_ha_tinh_key_tasks_2020.jsonl", "003_ha_tinh_foreign_affairs_2022.jsonl"):
            seed.import_file(SAMPLES / name, actor="samples", backfill=True)
    big = tmp_path / "big.jsonl"
    lines = big_file(big, "thu-nghiem", tasks=120)
    holding, release = threading.Event(), threading.Event()
    handled = [0]

    def progress(_number: int) -> None:
        handled[0] += 1
        if handled[0] == lines // 2:  # several pages written: the transaction holds the lock
            holding.set()
            release.wait(300)

    outcome: list[object] = []

    def importing() -> None:
        with Runtime(settings_of(env, page=25)) as writer:
            try:
                outcome.append(writer.import_file(big, actor="tester", progress=progress))
            except BaseException as exc:
                outcome.append(exc)
                holding.set()

    reader = Runtime(settings_of(env))
    reader.use_worker("thread")  # as the web process: its worker runs beside the import
    try:

        def report() -> object:
            request = make_request(reader, "foreign-affairs", "ha-tinh", "2022", as_of="2022-12-31")
            return run_report(reader, request)

        expected = report()
        idle = median_seconds(report)
        thread = threading.Thread(target=importing)
        thread.start()
        try:
            assert holding.wait(300), "the import never reached its middle"
            assert not outcome, outcome  # still open, not failed
            assert write_lock_held(reader)
            # The worker's (and the command line's) look at the levels waits for no lock: it
            # took the write lock and waited out its 60 s before failing, each cycle.
            start = time.perf_counter()
            assert reader.chain.levels()[0] > 0
            assert time.perf_counter() - start < 5
            during = median_seconds(report)
            assert report() == expected
        finally:
            release.set()
            thread.join(300)
        assert during < 2 * idle + 0.05, (during, idle)
        result = outcome[0]
        assert not isinstance(result, BaseException), result
        assert reader.worker is not None and reader.worker.sync()
        assert reader.projector.position() >= result.position  # type: ignore[attr-defined]
    finally:
        reader.close()
