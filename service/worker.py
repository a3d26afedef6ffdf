"""The projector worker: keeps the read models level with the store, so that no read catches up.

One loop applies new events (`Runtime.catch_up`: the alarm looked at, then the projector), then
waits for the next write: PostgreSQL's NOTIFY on the events table's channel (the library's
recorder notifies in every writing transaction, ours included), or on SQLite a look at the
store's head every `poll` seconds. It runs as `ngoaivu projections run`, or as a thread of the web
process (`NGOAIVU_WORKER=thread`, the default). Several may run: the projector's lock makes each
event applied once whoever applies it.

Reads never catch up; a user's own write is awaited by position (`wait_for`): the write returns
its position, the next read of that user waits until the read models reach it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from service.config import ConfigError

if TYPE_CHECKING:
    from service.runtime import Runtime

log = logging.getLogger(__name__)

MODES = ("thread", "external")
POLL = 0.05  # SQLite: seconds between looks at the store's head
IDLE = 5.0  # a catch-up at least this often, whatever was (not) notified: a safety net
WAIT = 10.0  # how long a read waits for its user's write before catching up itself


def worker_mode(environ: dict[str, str] | None = None) -> str:
    """NGOAIVU_WORKER: `thread` (default: the web process keeps its read models level itself)
    or `external` (a separate `ngoaivu projections run` does)."""
    env = os.environ if environ is None else environ
    mode = (env.get("NGOAIVU_WORKER") or "thread").strip().lower()
    if mode not in MODES:
        raise ConfigError(f"NGOAIVU_WORKER phải là thread hoặc external, không phải {mode!r}")
    return mode


def read_wait(environ: dict[str, str] | None = None) -> float:
    """NGOAIVU_READ_WAIT: seconds a read waits for its user's own write (default 10)."""
    env = os.environ if environ is None else environ
    text = env.get("NGOAIVU_READ_WAIT") or ""
    try:
        value = float(text) if text else WAIT
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise ConfigError(f"NGOAIVU_READ_WAIT phải là số giây từ 0 đến 3600, không phải {text!r}")
    return value


def wait_for(rt: Runtime, position: int, timeout: float = WAIT) -> bool:
    """Wait until the read models have applied `position` (a write of this user); True when they
    have. After `timeout` (no worker keeps up: stopped, or far behind) the read catches up
    itself, once, rather than show the user a page without their write."""
    if position <= 0 or rt.projector.position() >= position:
        return True
    # A position past the store's head was never written (a client's stale or made-up
    # X-Ngoaivu-Read-After): wait for the head, not for a write that will not come.
    position = min(position, rt.app.head())
    if rt.projector.position() >= position:
        return True
    deadline = time.monotonic() + timeout
    pause = 0.002
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
        if rt.projector.position() >= position:
            return True
    log.warning(
        "read models still before @%d after %.1f s: is a projector worker running "
        "(`ngoaivu projections run`, NGOAIVU_WORKER)? This read catches up itself",
        position,
        timeout,
    )
    rt.catch_up()
    return rt.projector.position() >= position


class ProjectorWorker:
    """The loop that applies new events as they are stored; `start()` runs it in a thread."""

    def __init__(self, rt: Runtime, *, poll: float = POLL, idle: float = IDLE) -> None:
        self.rt = rt
        self.poll = poll
        self.idle = idle
        self.stopping = threading.Event()
        self._woken = threading.Event()
        self._state = threading.Condition()
        self.started = 0  # cycles begun
        self.finished = 0  # cycles ended (in order: a cycle ends before the next begins)
        self.failures = 0
        self.thread: threading.Thread | None = None
        self._listen: Any = None  # PostgreSQL: the LISTENing connection

    def start(self) -> threading.Thread:
        """Run the loop in a daemon thread (the web process's own worker)."""
        self.thread = threading.Thread(target=self.run, name="ngoaivu-projector", daemon=True)
        self.thread.start()
        return self.thread

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to end after its current cycle; wait for its thread."""
        self.stopping.set()
        self._woken.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout)

    def wake(self) -> None:
        """A write of this process: look now rather than at the next poll."""
        self._woken.set()

    def sync(self, timeout: float = 30.0) -> bool:
        """Wait for a cycle that began after this call (every event stored before it applied,
        unless the read models fail); False when none ended within `timeout`."""
        with self._state:
            wanted = self.started + 1
        self.wake()
        with self._state:
            return self._state.wait_for(lambda: self.finished >= wanted, timeout)

    def run(self) -> None:
        """Catch up, wait for a write, again, until `stop()`."""
        log.info("projector worker started (%s)", "PostgreSQL LISTEN" if self._is_pg else "poll")
        with self._listener() as listen:
            self._listen = listen
            while not self.stopping.is_set():
                self.cycle()
                self._wait()
        log.info("projector worker stopped")

    def cycle(self) -> int:
        """One catch-up; how many events it applied (0 after a failure, which is logged and
        retried later: the read models' database may be away for a while)."""
        with self._state:
            self.started += 1
        applied = 0
        try:
            applied = self.rt.catch_up()
            self.failures = 0
        except Exception:
            self.failures += 1
            log.exception("projector worker: catch-up failed (%d in a row)", self.failures)
        finally:
            with self._state:
                self.finished += 1
                self._state.notify_all()
        if self.failures:  # back off: 0.1 s, 0.2 s … at most 5 s
            self.stopping.wait(min(5.0, 0.05 * 2**self.failures))
        return applied

    @property
    def _is_pg(self) -> bool:
        return self.rt.settings.is_postgres

    def _wait(self) -> None:
        """Until a write is stored (notified, or the head moved), a wake, a stop, or `idle`."""
        deadline = time.monotonic() + self.idle
        head = self._head()
        while not self.stopping.is_set() and time.monotonic() < deadline:
            if self._woken.is_set():
                self._woken.clear()
                return
            if self._listen is not None:
                try:
                    for _ in self._listen.notifies(timeout=self.poll * 4, stop_after=1):
                        return
                except Exception:  # the connection dropped: poll the head from now on
                    log.warning("projector worker: LISTEN connection lost; polling the head")
                    self._listen = None
            else:
                self._woken.wait(self.poll)
                if self._head() != head:
                    return

    def _head(self) -> int:
        try:
            return self.rt.app.head()
        except Exception:  # the store away: the next cycle says so
            return -1

    @contextmanager
    def _listener(self) -> Iterator[Any]:
        """PostgreSQL: a connection LISTENing on the events table's channel; else None."""
        if not self._is_pg:
            yield None
            return
        import psycopg

        parts = self.rt.settings._url_parts()
        channel = self.rt.app.recorder.channel_name  # type: ignore[attr-defined]
        try:
            conn = psycopg.connect(
                host=parts["host"],
                port=parts["port"],
                dbname=parts["dbname"],
                user=parts["user"],
                password=parts["password"] or None,
                autocommit=True,
                application_name="ngoaivu-projector",
            )
            conn.execute(f'LISTEN "{channel}"')
        except Exception:
            log.exception("projector worker: cannot LISTEN; polling every %.2f s", self.poll)
            yield None
            return
        try:
            yield conn
        finally:
            with suppress(Exception):
                conn.close()
