"""As-of latency (issue 3): the `key-tasks` report in process over 34 departments × 20 years.

    python bench/bench_asof.py                     # 300 reports per year bucket
    python bench/bench_asof.py --requests 500 --postgres

The store is filled with the synthetic history (gen_history.py: 34 departments × programme years
2006–2025, ~25 tasks each, progress, ~10 % corrections) by `ngoaivu import --backfill` (timed:
the import of a reasonably sized file). Then, in one process, `key-tasks` reports are built as
the CLI builds them (`make_request` + `run_report`: catch-up check, organisation check, the
temporal query, the fold, the digest) for a random department and a random as-of day inside the
year, alternating between the buckets (first, middle, 20th year). The floor: p95 under 50 ms and
the 20th year's p95 within 1.5× of the first's (cost follows the answer, not the history).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_history
from common import (
    PG_ADMIN,
    Store,
    fresh_store,
    machine,
    ngoaivu,
    percentile,
    workdir,
)

from service.config import Settings
from service.reporting.requests import make_request, run_report
from service.runtime import Runtime

FIRST, YEARS = 2006, 20
P95_FLOOR_MS = 50.0
GROWTH_FLOOR = 1.5


def fill(store: Store, base: Path) -> int:
    """Import the 34 × 20 history with --backfill; the number of facts."""
    path = base / "history.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        facts = gen_history.write(handle, first_year=FIRST, years=YEARS)
    run = ngoaivu(store, "import", "--backfill", "--quiet", str(path))
    mb = path.stat().st_size / 1e6
    print(
        f"import of the history: {facts:,} facts ({mb:.1f} MB) in {run.seconds:.1f} s "
        f"({facts / run.seconds:,.0f} facts/s, peak {run.peak_mib:.0f} MiB)"
    )
    return facts


def one_report(rt: Runtime, org: str, year: int, as_of: date) -> tuple[float, float, dict]:
    """Build one key-tasks report as the CLI does; (wall ms, CPU ms, content)."""
    start, cpu = time.perf_counter(), time.thread_time()
    request = make_request(rt, "key-tasks", org, str(year), as_of=as_of.isoformat())
    content = run_report(rt, request)
    return (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000, content


def measure(
    store: Store, requests: int, seed: int
) -> tuple[dict[int, list[float]], dict[int, list[float]]]:
    """Wall and CPU latencies per year bucket, the buckets interleaved."""
    rng = random.Random(seed)
    orgs = gen_history.ORGS[:34]
    buckets = [FIRST, FIRST + YEARS // 2, FIRST + YEARS - 1]
    times: dict[int, list[float]] = {year: [] for year in buckets}
    cpus: dict[int, list[float]] = {year: [] for year in buckets}
    with Runtime(Settings(store.data_dir, store.database_url)) as rt:
        for _ in range(20):  # warm-up: connections, caches, imports
            one_report(rt, orgs[0], FIRST, date(FIRST, 12, 11))
        for _ in range(requests):
            for year in buckets:
                as_of = date(year, 3, 1) + timedelta(days=rng.randrange(300))
                ms, cpu, content = one_report(rt, rng.choice(orgs), year, as_of)
                assert content["tasks"], (year, as_of)
                times[year].append(ms)
                cpus[year].append(cpu)
    return times, cpus


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="reports per year bucket")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", nargs="?", const=PG_ADMIN, default=None)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()}; store: {'PostgreSQL' if args.postgres else 'SQLite'}")
    with workdir(args.workdir) as base, fresh_store(base, args.postgres) as store:
        fill(store, base)
        times, cpus = measure(store, args.requests, args.seed)
    print(f"key-tasks report latency, in process, {args.requests} reports per bucket:")
    for year, values in times.items():
        print(
            f"  programme {year}: p50 {percentile(values, 50):6.2f} ms  "
            f"p95 {percentile(values, 95):6.2f} ms  p99 {percentile(values, 99):6.2f} ms  "
            f"max {max(values):6.2f} ms; CPU p50 {percentile(cpus[year], 50):5.2f} ms "
            f"p95 {percentile(cpus[year], 95):5.2f} ms"
        )
    first, last = times[FIRST], times[FIRST + YEARS - 1]
    p95 = max(percentile(first, 95), percentile(last, 95))
    growth = percentile(last, 95) / percentile(first, 95)
    print(f"p95, worst bucket: {p95:.2f} ms (floor < {P95_FLOOR_MS:.0f} ms) ", end="")
    print("PASS" if p95 < P95_FLOOR_MS else "FAIL")
    print(f"p95 20th year / 1st year: {growth:.2f}x (floor <= {GROWTH_FLOOR}x) ", end="")
    print("PASS" if growth <= GROWTH_FLOOR else "FAIL")


if __name__ == "__main__":
    main()
