"""Benchmark (issue 4): import of a synthetic foreign-affairs history and the `foreign-affairs`
report's latency as of any date, first year against last, with a raw-library baseline.

    python bench/bench_foreign_affairs.py                 # 34 departments x 20 years x 300 trips
    python bench/bench_foreign_affairs.py --orgs 4 --years 5 --trips 100   # a quick run

Prints the import rate against the raw library (one event per transaction, same recorder, same
run), and the p95 latency of the report for the first and the last year (ratio last/first).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

ROOT = Path(__file__).resolve().parent.parent
FUNDING = ["state_budget", "self_funded", "central", "partner", None]
APPROVAL = ["province", "central", None]


def history(orgs: int, years: int, trips: int, first: int, out: Path) -> list[Path]:
    """One JSON Lines file per year: delegations, 12 monthly counts, 10 % corrected."""
    rnd = random.Random(7)
    files = []
    slugs = [f"so-{n:02d}" for n in range(orgs)]
    for y in range(first, first + years):
        path = out / f"fa-{y}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for slug in slugs:
                if y == first:
                    f.write(
                        json.dumps(
                            {
                                "kind": "org.registered",
                                "org": slug,
                                "at": f"{first - 1}-01-01",
                                "name": f"Sở {slug}",
                            }
                        )
                        + "\n"
                    )
                for t in range(trips):
                    day = f"{y}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                    line = {
                        "kind": "delegation.recorded",
                        "org": slug,
                        "at": day,
                        "id": f"{y}-{t}",
                        "direction": rnd.choice(["outbound", "inbound"]),
                        "people": rnd.randint(1, 30),
                        "countries": ["Lào"],
                        "purpose": "Làm việc",
                        "received_by_leaders": rnd.random() < 0.2,
                    }
                    if (funding := rnd.choice(FUNDING)) is not None:
                        line["funding"] = funding
                    if (approval := rnd.choice(APPROVAL)) is not None:
                        line["approval"] = approval
                    f.write(json.dumps(line, ensure_ascii=False) + "\n")
                    if rnd.random() < 0.1:
                        f.write(
                            json.dumps(
                                {
                                    "kind": "record.corrected",
                                    "org": slug,
                                    "target": f"delegation:{y}-{t}",
                                    "set": {"people": rnd.randint(1, 30)},
                                    "reason": "đính chính số người",
                                    "known_since": f"{y}-12-20",
                                },
                                ensure_ascii=False,
                            )
                            + "\n"
                        )
                for m in range(1, 13):
                    a, b = rnd.randint(0, 300), rnd.randint(0, 300)
                    f.write(
                        json.dumps(
                            {
                                "kind": "activity.counted",
                                "org": slug,
                                "at": f"{y}-{m:02d}-14",
                                "metric": "translation.pages",
                                "month": f"{y}-{m:02d}",
                                "value": a + b,
                                "detail": {"certified": a, "content": b},
                            }
                        )
                        + "\n"
                    )
        files.append(path)
    return files


class Raw(Aggregate):
    """A bare aggregate for the baseline."""

    class Noted(Aggregate.Event):
        """A bare event."""

    def note(self) -> None:
        self.trigger_event(self.Noted)


def raw_rate(data: Path, events: int) -> float:
    """Events per second of the raw library: one event per transaction, same SQLite recorder."""
    app = Application(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(data / "raw.sqlite"),
        }
    )
    agg = Raw()
    app.save(agg)
    start = time.perf_counter()
    for _ in range(events):
        agg.note()
        app.save(agg)
    return events / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=34)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--trips", type=int, default=300)
    parser.add_argument("--first", type=int, default=2006)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--raw-events", type=int, default=5000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-fa-"))
    env = {**os.environ, "NGOAIVU_DATA": str(work / "var"), "NGOAIVU_ACTOR": "bench"}
    env.pop("DATABASE_URL", None)
    files = history(args.orgs, args.years, args.trips, args.first, work)
    lines = sum(sum(1 for _ in p.open()) for p in files)
    ngoaivu = str(Path(sys.executable).with_name("ngoaivu"))
    start = time.perf_counter()
    for path in files:
        subprocess.run(
            [ngoaivu, "import", "--backfill", "--quiet", str(path)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    imported = lines / (time.perf_counter() - start)
    raw = raw_rate(work, args.raw_events)
    print(
        f"import: {lines} facts, {imported:,.0f} facts/s; raw library one event per "
        f"transaction: {raw:,.0f} ev/s; ratio {imported / raw:.2f}x (floor 2x)"
    )

    os.environ.update({"NGOAIVU_DATA": env["NGOAIVU_DATA"]})
    sys.path.insert(0, str(ROOT))
    from service.reporting.requests import make_request, run_report
    from service.runtime import Runtime

    rt = Runtime()
    rnd = random.Random(11)
    p95 = {}
    # The first year has no year before it (its comparisons are empty): the second is the first
    # year that reads as much as any later one, so it is the fair "first" to compare with.
    years = (args.first, args.first + 1, args.first + args.years - 1)
    for year in years:
        times = []
        for _ in range(args.requests):
            org = f"so-{rnd.randrange(args.orgs):02d}"
            start = time.perf_counter()
            request = make_request(rt, "foreign-affairs", org, str(year), as_of=f"{year}-12-14")
            run_report(rt, request)
            times.append(time.perf_counter() - start)
        p95[year] = statistics.quantiles(times, n=20)[18] * 1000
        print(
            f"foreign-affairs {year}: p95 {p95[year]:.1f} ms, median "
            f"{statistics.median(times) * 1000:.1f} ms over {args.requests} requests"
        )
    first, last = p95[years[1]], p95[years[2]]
    print(f"last/second-year p95 ratio: {last / first:.2f} (ceiling 1.5); p95 floor 100 ms")
    rt.close()


if __name__ == "__main__":
    main()
