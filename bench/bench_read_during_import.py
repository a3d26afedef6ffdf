"""Reports while a large import runs (issue 16): p95 within 2× of idle, and no read takes a lock.

    python bench/bench_read_during_import.py                     # a 186,274-line import, SQLite
    python bench/bench_read_during_import.py --density 1         # a 47,106-line one (quicker)

The store holds gen_history.py's 34 × 20 key-task history and `--fa-years` years of
bench_foreign_affairs.py's history. A reader in this process, set up as the web's (`use_worker`:
its projector worker thread keeps the read models level, reads never catch up), builds reports
(`make_request` + `run_report`, key-tasks and foreign-affairs alternately, random department,
year, D and K) first on an idle store, then while `ngoaivu import --backfill` of gen_history's
history at `--density` × the tasks (other department names) runs in another process: the import
holds the event store's write lock from its first page to its commit, checked between reports
(SQLite: `BEGIN IMMEDIATE` refused at once). Printed: wall and CPU p50/p95/max of both, the
ratios (bar: during / idle p95 <= 2×), and every statement the reporting thread ran that takes a
write lock or writes (traced on each SQLite connection this process opens): the bar is none.
The import uses the machine's two cores (its validation forks a child), so the wall p95 during
it also holds waiting for a core; a lock wait shows as seconds in the maximum, not in CPU time.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_history
from common import NGOAIVU, Store, fresh_store, machine, ngoaivu, percentile, workdir

BAR = 2.0
FIRST, YEARS = 2006, 20
_WRITING = re.compile(
    r"^\s*(BEGIN\s+(IMMEDIATE|EXCLUSIVE)|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP)", re.I
)
_traced: list[tuple[int, str]] = []  # (thread id, statement) of every writing statement
_connect = sqlite3.connect


def _tracing_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
    """sqlite3.connect, with each writing statement noted with its thread."""
    conn = _connect(*args, **kwargs)

    def trace(statement: str) -> None:
        if _WRITING.match(statement):
            _traced.append((threading.get_ident(), statement[:120]))

    conn.set_trace_callback(trace)
    return conn


def fill(store: Store, base: Path, fa_years: int) -> None:
    """The store before: the key-task history and `fa_years` of foreign affairs."""
    path = base / "history.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        count = gen_history.write(handle, first_year=FIRST, years=YEARS)
    run = ngoaivu(store, "import", "--backfill", "--quiet", str(path))
    print(f"store: {count:,} key-task facts ({run.seconds:.1f} s)", end="")
    if fa_years:
        from bench_foreign_affairs import history

        lines = 0
        for part in history(34, fa_years, 300, FIRST, base):
            lines += part.read_text(encoding="utf-8").count("\n")
            ngoaivu(store, "import", "--backfill", "--quiet", str(part))
        print(f", {lines:,} foreign-affairs facts ({fa_years} years)", end="")
    print()


def big_file(base: Path, density: int) -> tuple[Path, int]:
    """gen_history's history at `density` × the tasks, under other department names."""
    path = base / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        count = gen_history.write(handle, first_year=FIRST, years=YEARS, tasks=25 * density)
    text = path.read_text(encoding="utf-8")
    for org in gen_history.ORGS:
        text = text.replace(f'"org":"{org}"', f'"org":"{org}-moi"')
    path.write_text(text, encoding="utf-8")
    return path, count


def asks(count: int, seed: int, fa_years: int) -> list[tuple[str, str, int, date, date]]:
    """Random (kind, department, year, D, K), key-tasks and foreign-affairs alternately."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = "foreign-affairs" if fa_years and i % 2 else "key-tasks"
        if kind == "key-tasks":
            org, year = rng.choice(gen_history.ORGS[:34]), FIRST + rng.randrange(YEARS)
        else:
            org, year = f"so-{rng.randrange(34):02d}", FIRST + rng.randrange(fa_years)
        as_of = date(year, 2, 4) + timedelta(days=rng.randrange(500))
        known = as_of + timedelta(days=rng.randrange(-60, 400))
        out.append((kind, org, year, as_of, known))
    return out


def write_lock_held(store: Store) -> bool:
    """Whether another writer of events would have to wait now (asked without waiting)."""
    conn = _connect(store.data_dir / "events.sqlite", timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc)
    finally:
        conn.close()


def one(rt: Any, ask: tuple[str, str, int, date, date]) -> tuple[float, float]:
    """One report as the web builds it; (wall ms, CPU ms of this thread)."""
    from service.reporting.requests import make_request, run_report

    kind, org, year, as_of, known = ask
    cpu, start = time.thread_time(), time.perf_counter()
    request = make_request(
        rt, kind, org, str(year), as_of=as_of.isoformat(), known_by=known.isoformat()
    )
    run_report(rt, request)
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000


def summary(label: str, wall: list[float], cpu: list[float]) -> None:
    print(
        f"  {label:7s} {len(wall):5d} reports: wall p50 {percentile(wall, 50):7.2f} p95 "
        f"{percentile(wall, 95):7.2f} max {max(wall):8.2f} ms; CPU p50 {percentile(cpu, 50):6.2f}"
        f" p95 {percentile(cpu, 95):6.2f} ms"
    )


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--density", type=int, default=4, help="× the tasks of the big file")
    parser.add_argument("--fa-years", type=int, default=2, help="foreign affairs in the store")
    parser.add_argument("--idle", type=int, default=300, help="reports on the idle store")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()}; store: SQLite")
    # Every connection from now: the event library's (sqlite3.connect) and SQLAlchemy's
    # (sqlite3.dbapi2.connect, another name for the same function).
    sqlite3.connect = _tracing_connect  # type: ignore[assignment]
    sqlite3.dbapi2.connect = _tracing_connect  # type: ignore[assignment]
    from service.config import Settings
    from service.runtime import Runtime

    with workdir(args.workdir) as base, fresh_store(base, None) as store:
        fill(store, base, args.fa_years)
        path, lines = big_file(base, args.density)
        print(f"import file: {lines:,} lines ({path.stat().st_size / 1e6:.1f} MB)")
        rt = Runtime(Settings(store.data_dir, None))
        rt.use_worker("thread")  # as the web process
        me = threading.get_ident()
        try:
            todo = asks(args.idle + 100_000, args.seed, args.fa_years)
            for ask in todo[:100]:  # warm-up
                one(rt, ask)
            _traced.clear()
            idle_wall, idle_cpu = [], []
            for ask in todo[100 : 100 + args.idle]:
                wall, cpu = one(rt, ask)
                idle_wall.append(wall)
                idle_cpu.append(cpu)
            print(f"idle: load {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
            command = [str(NGOAIVU), "import", "--backfill", "--quiet", str(path)]
            started = time.perf_counter()
            importing = subprocess.Popen(
                command, env=store.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            while importing.poll() is None and not write_lock_held(store):
                time.sleep(0.05)
            held_after = time.perf_counter() - started
            during_wall, during_cpu, unlocked = [], [], 0
            rest = iter(todo[100 + args.idle :])
            while importing.poll() is None:
                if not write_lock_held(store):
                    unlocked += 1  # validating before its first page, or committing: not counted
                    time.sleep(0.01)
                    continue
                wall, cpu = one(rt, next(rest))
                if write_lock_held(store):  # the lock held before and after the report
                    during_wall.append(wall)
                    during_cpu.append(cpu)
            took = time.perf_counter() - started
            if importing.returncode != 0:
                _, err = importing.communicate()
                raise SystemExit(f"import failed: {err.decode()[-2000:]}")
            print(
                f"import: {lines:,} lines in {took:.1f} s ({lines / took:,.0f} lines/s), the "
                f"write lock first seen held after {held_after:.1f} s; load "
                f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
            )
            assert rt.worker is not None and rt.worker.sync()
        finally:
            rt.close()
    print("reports (key-tasks and foreign-affairs alternately), ms:")
    summary("idle", idle_wall, idle_cpu)
    summary("during", during_wall, during_cpu)
    if not during_wall:
        raise SystemExit("no report ran while the import held the write lock")
    ratio = percentile(during_wall, 95) / percentile(idle_wall, 95)
    cpu_ratio = percentile(during_cpu, 95) / percentile(idle_cpu, 95)
    print(
        f"during / idle p95, wall: {ratio:.2f}× (bar <= {BAR:.0f}×) "
        f"{'PASS' if ratio <= BAR else 'FAIL'}"
    )
    print(f"during / idle p95, CPU:  {cpu_ratio:.2f}×")
    mine = [statement for thread, statement in _traced if thread == me]
    print(
        f"writing statements run by the reporting thread: {len(mine)} "
        f"({'PASS' if not mine else 'FAIL'}; the worker thread's own: "
        f"{sum(1 for thread, _ in _traced if thread != me)})"
    )
    for statement in sorted(set(mine))[:10]:
        print(f"    {statement}")
    print(f"machine after: {machine()}")


if __name__ == "__main__":
    main()
