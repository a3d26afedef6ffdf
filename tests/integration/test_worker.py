"""The projector worker keeps the read models level without any read catching up, on SQLite and
PostgreSQL: a write by another process shows up (NOTIFY wakes it on PostgreSQL, a look at the
head on SQLite), `ngoaivu projections run` stops cleanly on SIGTERM, and a read waiting for a
position the worker never reaches catches up itself after its timeout."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from service.config import Settings
from service.reporting.requests import make_request, run_report
from service.runtime import Runtime
from service.worker import ProjectorWorker, wait_for
from tests.conftest import SAMPLES
from tests.integration.test_crash import run, spawn

pytestmark = pytest.mark.slow

FA_2022 = SAMPLES / "003_ha_tinh_foreign_affairs_2022.jsonl"


def settings_of(env: dict[str, str]) -> Settings:
    return Settings(Path(env["NGOAIVU_DATA"]), env.get("DATABASE_URL"))


def position_of(output: str) -> int:
    return int(output.rsplit("position @", 1)[1].split()[0])


def eventually(check: Callable[[], bool], timeout: float = 20.0) -> float:
    """Seconds until `check()` held (fails after `timeout`)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, "not within the time allowed"
        time.sleep(0.01)
    return time.monotonic() - start


@pytest.fixture
def reader(env: dict[str, str]) -> Iterator[Runtime]:
    """A web-like runtime on a seeded installation whose reads never catch up (any catch-up
    called on it fails the test): only a worker may bring its read models level."""
    done = run(
        env, "import", "--backfill", "--quiet", str(SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl")
    )
    assert done.returncode == 0, done.stderr
    rt = Runtime(settings_of(env))
    rt.use_worker("external", wait=5.0)

    def no_catch_up(*_a: Any, **_k: Any) -> int:
        raise AssertionError("a read caught up")

    rt.catch_up = no_catch_up  # type: ignore[method-assign]
    yield rt
    rt.close()


def outbound_2022(rt: Runtime) -> int:
    request = make_request(rt, "foreign-affairs", "ha-tinh", "2022", as_of="2022-12-31")
    return int(run_report(rt, request)["outbound"]["delegations"])


def test_a_write_by_another_process_shows_up_through_the_worker_process(
    env: dict[str, str], reader: Runtime
) -> None:
    assert outbound_2022(reader) == 0
    worker = spawn(env, "projections", "run", "--poll", "0.05")
    try:
        done = run(env, "import", "--backfill", "--quiet", str(FA_2022))
        assert done.returncode == 0, done.stderr
        position = position_of(done.stdout)
        eventually(lambda: reader.projector.position() >= position)
        assert outbound_2022(reader) > 0  # read without catching up
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "bộ chiếu dừng tại @" in err and "Traceback" not in err


def test_a_write_wakes_the_worker_without_waiting_for_its_idle_look(
    env: dict[str, str], reader: Runtime
) -> None:
    """With an idle period of a minute, only the write's own signal (PostgreSQL's NOTIFY; on
    SQLite the head looked at every 50 ms) can wake the worker within seconds."""
    rt = Runtime(settings_of(env))
    worker = ProjectorWorker(rt, poll=0.05, idle=60.0)
    worker.start()
    try:
        assert worker.sync(timeout=30)
        cycles = worker.finished
        done = run(env, "import", "--backfill", "--quiet", str(FA_2022))
        assert done.returncode == 0, done.stderr
        position = position_of(done.stdout)
        assert eventually(lambda: reader.projector.position() >= position, timeout=15) < 15
        assert worker.finished > cycles
        if env.get("DATABASE_URL"):
            assert worker._listen is not None  # LISTENing, not polling
    finally:
        worker.stop()
        rt.close()
    assert not worker.thread or not worker.thread.is_alive()


def test_a_read_waiting_for_a_position_no_worker_reaches_catches_up_after_its_timeout(
    env: dict[str, str],
) -> None:
    with Runtime(settings_of(env)) as rt:
        rt.use_worker("external", wait=0.2)  # no worker runs
        result = rt.import_file(FA_2022, actor="tester", backfill=True)
        assert result.position and rt.projector.position() < result.position  # not caught up
        start = time.monotonic()
        assert wait_for(rt, result.position, timeout=0.2)
        assert time.monotonic() - start >= 0.2
        assert rt.projector.position() >= result.position
