"""What the benchmarks share: fresh stores (SQLite or PostgreSQL), the CLI as a subprocess."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import gen_history

ROOT = Path(__file__).resolve().parent.parent
NGOAIVU = Path(sys.executable).with_name("ngoaivu")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Store:
    """One installation: a data directory, and a PostgreSQL URL when the store is PostgreSQL."""

    data_dir: Path
    database_url: str | None = None

    def env(self) -> dict[str, str]:
        """The environment of `ngoaivu` for this store."""
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["NGOAIVU_DATA"] = str(self.data_dir)
        env["NGOAIVU_ACTOR"] = "bench"
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def event_store_env(self, name: str) -> dict[str, str]:
        """An eventsourcing Application's env on the same recorder as `ngoaivu` uses."""
        from service.config import Settings

        env = Settings(self.data_dir, self.database_url).event_store_env()
        if "SQLITE_DBNAME" in env:
            env["SQLITE_DBNAME"] = str(self.data_dir / f"{name}.sqlite")
        return env


@contextmanager
def workdir(keep: str | None = None) -> Iterator[Path]:
    """A scratch directory (removed afterwards unless given)."""
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    path = Path(tempfile.mkdtemp(prefix="ngoaivu-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def fresh_store(base: Path, postgres: str | None) -> Iterator[Store]:
    """An empty installation: a new SQLite directory, or a new PostgreSQL database dropped after."""
    data = base / f"store-{uuid.uuid4().hex[:8]}"
    data.mkdir(parents=True)
    if not postgres:
        yield Store(data)
        return
    import psycopg

    name = f"ngoaivu_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Store(data, f"{postgres.rsplit('/', 1)[0]}/{name}")
    finally:
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate(path: Path, facts: int = 0, orgs: int = 34, years: int = 20, tasks: int = 25) -> int:
    """Write a synthetic history (see gen_history.py); the number of facts."""
    with path.open("w", encoding="utf-8") as handle:
        return gen_history.write(handle, orgs=orgs, years=years, facts=facts, tasks=tasks)


@dataclass
class Run:
    """A finished subprocess: wall seconds, CPU seconds (user + sys), peak memory (MiB), output."""

    seconds: float
    cpu: float
    peak_mib: float
    stdout: str


def ngoaivu(store: Store, *args: str) -> Run:
    """Run the `ngoaivu` console script on a store; its wall time and peak memory."""
    command = ["/usr/bin/time", "-f", "%M %U %S", str(NGOAIVU), *args]
    start = time.perf_counter()
    done = subprocess.run(command, env=store.env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"ngoaivu {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    peak_kib, user, system = done.stderr.strip().splitlines()[-1].split()
    return Run(seconds, float(user) + float(system), int(peak_kib) / 1024, done.stdout)


def self_peak_mib() -> float:
    """This process's peak resident memory so far (MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def machine() -> str:
    """What the numbers were measured on."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, load {load}"


def verdict(ratio: float, floor: float) -> str:
    """PASS or FAIL against the issue's floor."""
    return "PASS" if ratio >= floor else "FAIL"
