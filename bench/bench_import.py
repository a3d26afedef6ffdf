"""Import throughput (issue 3): `ngoaivu import` against the raw library, one save per event.

    python bench/bench_import.py --facts 20000
    python bench/bench_import.py --facts 20000 --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python bench/bench_import.py --memory 10000 40000      # peak memory of two file sizes
    python bench/bench_import.py --foreign-affairs --facts 23000   # delegations, corrections

Both sides read the same synthetic JSONL file (gen_history.py: key tasks; with
`--foreign-affairs`, bench_foreign_affairs.py's history: 300 delegations a department-year, 10 %
of them corrected, twelve monthly counts with sub-counts) into a fresh store on the same
recorder (`eventsourcing.sqlite`, or `eventsourcing.postgres`). The raw side is an eventsourcing
Application that parses each line and saves one aggregate event per `app.save()`; ours is the
`ngoaivu import --backfill` command in a subprocess, timed from start to exit (process start,
validation, the one transaction, and the projection catch-up that follows it, all included).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PG_ADMIN,
    Run,
    Store,
    fresh_store,
    generate,
    machine,
    median,
    ngoaivu,
    verdict,
    workdir,
)
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

FLOOR = 2.0


class Line(Aggregate):
    """The raw side's record: one aggregate per (org, target), one event per line."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.count = 0

    @event("Recorded")
    def record(self, fact: dict[str, Any]) -> None:
        """One fact, its parsed line as the event's state."""
        self.count += 1


class RawApp(Application):
    """The raw library: no validation, no read models."""

    name = "raw"


def _key(fact: dict[str, Any]) -> str:
    if "target" in fact:
        return f"{fact['org']}|{fact['target']}"
    if "id" in fact:
        return f"{fact['org']}|{fact['kind']}|{fact['id']}"
    if "metric" in fact:
        return f"{fact['org']}|{fact['metric']}|{fact['month']}"
    return f"{fact['org']}|{fact.get('programme')}|{fact.get('no')}"


def foreign_affairs_file(path: Path, facts: int) -> int:
    """A foreign-affairs history of whole department-years, about `facts` lines: 34
    departments' years in turn (bench_foreign_affairs.history); the number of lines."""
    from bench_foreign_affairs import history

    per_year = 34 * (300 * 1.1 + 12) + 34
    years = max(1, round(facts / per_year))
    parts = history(34, years, 300, 2006, path.parent)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for part in parts:
            text = part.read_text(encoding="utf-8")
            count += text.count("\n")
            out.write(text)
            part.unlink()
    return count


def raw_import(store: Store, path: Path) -> tuple[int, float, float]:
    """Save every line as one event, one `app.save()` (one transaction) each.

    Returns (facts, wall seconds, CPU seconds of this process)."""
    app = RawApp(env=store.event_store_env("raw"))
    lines: dict[str, Line] = {}
    count = 0
    start, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            fact = json.loads(text)
            key = _key(fact)
            line = lines.get(key)
            if line is None:
                line = lines[key] = Line(key)
            line.record(fact)
            app.save(line)
            count += 1
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    app.close()
    return count, seconds, cpu


def ours(store: Store, path: Path) -> tuple[int, Run]:
    """`ngoaivu import --backfill` in a subprocess; (facts added, the run)."""
    run = ngoaivu(store, "import", "--backfill", "--quiet", str(path))
    return int(run.stdout.split("added ", 1)[1].split(",", 1)[0]), run


def throughput(
    base: Path, postgres: str | None, facts: int, repeat: int, foreign: bool = False
) -> float:
    """Print the rates and the ratio (median of `repeat` runs each); the ratio."""
    if foreign:
        path = base / f"foreign-affairs-{facts}.jsonl"
        lines = foreign_affairs_file(path, facts)
    else:
        path = base / f"history-{facts}.jsonl"
        lines = generate(path, facts=facts)
    print(f"file: {lines} facts ({path.stat().st_size / 1e6:.1f} MB)")
    raw_rates, our_rates, raw_cpu, our_cpu = [], [], [], []
    for i in range(repeat):
        with fresh_store(base, postgres) as store:
            n, seconds, cpu = raw_import(store, path)
            raw_rates.append(n / seconds)
            raw_cpu.append(n / cpu)
        with fresh_store(base, postgres) as store:
            added, run = ours(store, path)
            assert added == lines, (added, lines)
            our_rates.append(added / run.seconds)
            our_cpu.append(added / run.cpu)
        print(
            f"  run {i + 1}: raw {raw_rates[-1]:,.0f} facts/s (CPU {raw_cpu[-1]:,.0f}); "
            f"ngoaivu import {our_rates[-1]:,.0f} facts/s (CPU {our_cpu[-1]:,.0f}; "
            f"{run.seconds:.2f} s, peak {run.peak_mib:.0f} MiB)"
        )
    raw, our = median(raw_rates), median(our_rates)
    ratio = our / raw
    print(f"raw library, one save per event: {raw:,.0f} facts/s (median of {repeat})")
    print(f"ngoaivu import --backfill:       {our:,.0f} facts/s (median of {repeat})")
    print(f"ratio, wall clock: {ratio:.2f}x (floor {FLOOR}x) {verdict(ratio, FLOOR)}")
    cpu_ratio = median(our_cpu) / median(raw_cpu)
    print(f"ratio, facts per CPU second (no waiting counted): {cpu_ratio:.2f}x")
    return ratio


def memory(base: Path, postgres: str | None, sizes: list[int]) -> None:
    """Peak resident memory of `ngoaivu import` for files of several sizes."""
    print("peak memory of ngoaivu import --backfill (fresh store each):")
    for size in sizes:
        path = base / f"history-{size}.jsonl"
        # 34 departments × 20 years of 25 tasks give ~47,000 facts: more tasks a year beyond
        tasks = max(25, -(-size * 25 // 45_000))
        generate(path, facts=size, tasks=tasks)
        with fresh_store(base, postgres) as store:
            added, run = ours(store, path)
        mb = path.stat().st_size / 1e6
        print(
            f"  {added:>7,} facts ({mb:5.1f} MB file): peak {run.peak_mib:6.0f} MiB, "
            f"{run.seconds:6.2f} s, {added / run.seconds:,.0f} facts/s"
        )


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory", type=int, nargs="*", metavar="FACTS", help="file sizes")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=PG_ADMIN,
        default=None,
        help=f"admin URL; a database is created and dropped per store (default {PG_ADMIN})",
    )
    parser.add_argument("--workdir", default=None, help="keep files here (default: temporary)")
    parser.add_argument(
        "--foreign-affairs",
        action="store_true",
        help="a foreign-affairs-heavy file (delegations, corrections, monthly counts)",
    )
    args = parser.parse_args()
    kind = "foreign affairs" if args.foreign_affairs else "key tasks"
    print(f"machine: {machine()}; store: {'PostgreSQL' if args.postgres else 'SQLite'}; {kind}")
    with workdir(args.workdir) as base:
        if args.memory:
            memory(base, args.postgres, args.memory)
        else:
            throughput(base, args.postgres, args.facts, args.repeat, args.foreign_affairs)


if __name__ == "__main__":
    main()
