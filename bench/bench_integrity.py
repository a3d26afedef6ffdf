"""Integrity (issues 6 and 12): import with its links, `verify`, `reprint` of a 10-year-old report.

    python bench/bench_integrity.py                                   # the full history, SQLite
    python bench/bench_integrity.py --events 1000000                  # 1,000,000 events
    python bench/bench_integrity.py --workdir /var/tmp/integrity      # keep the store ...
    python bench/bench_integrity.py --workdir /var/tmp/integrity --reuse   # ... and measure again
    python bench/bench_integrity.py --postgres                        # on PostgreSQL

First (issue 12), import throughput with each event's keyed chain link written in the same
transaction: `ngoaivu import --backfill` of `--import-facts` facts against the raw library saving
one event per transaction, on fresh stores (bench_import.py's measurement; floor 2×).

Then the store is built with the product's importer: the synthetic key-task history of
gen_history.py (34 departments × 2006–2025), copied under other department names until it
holds `--events` facts, written to files of `--lines` lines and imported with `ngoaivu import
--backfill`. The years up to `--split-year` are imported first; then a key-task report of that
year is issued (`ngoaivu issue`, signed on 14/12 of that year, pinned to the store position at
that moment); then the ten later years. One run then measures, on the same store:

- raw scan: the library's notification log (`recorder.select_notifications`, pages of 5,000),
  nothing decoded, in this process;
- `ngoaivu verify` (a subprocess, timed from start to exit: it recomputes the whole chain, and
  reprints the issued report), and `Chain.verify()` in this process;
- `ngoaivu reprint ORG NUMBER` (a subprocess, start to exit; exit 0 = the digest matched), and
  the same reprint in this process.

Verify's floor: 30 % of the raw scan's rate. Reprint's ceiling: 1 s. `--events` defaults to the
full synthetic history (47,106 facts, one copy).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_history
from bench_import import throughput
from common import PG_ADMIN, Run, Store, fresh_store, machine, median, ngoaivu, workdir

from service.config import Settings
from service.reporting.issuing import find_issued, reprint
from service.runtime import Runtime

VERIFY_FLOOR = 0.30
REPRINT_CEILING = 1.0
FIRST_YEAR, YEARS = 2006, 20
FULL_HISTORY = 47_106  # gen_history's 34 departments × 20 years, one copy
ORG, NUMBER = "ha-noi", "215/BC-SNgV"
PAGE = 5000


def chunks(events: int, split_year: int) -> Iterator[tuple[bool, list[str]]]:
    """(early, lines) per department-year (registration first), copies renamed, up to `events`."""
    written, copy = 0, 0
    while written < events:
        year = FIRST_YEAR - 1
        for org, lines in gen_history.history(34, YEARS, FIRST_YEAR, 25, 0.10, seed=copy + 1):
            if written >= events:
                return
            if copy:
                renamed = f"{org}-{copy}"
                lines = [ln.replace(f'"org":"{org}"', f'"org":"{renamed}"') for ln in lines]
            first = lines[0]
            year = FIRST_YEAR - 1 if '"org.registered"' in first else year + 1
            written += len(lines)
            yield year <= split_year, lines
        copy += 1


class Files:
    """Import files of about `size` lines each, whole department-years."""

    def __init__(self, base: Path, stem: str, size: int) -> None:
        self.base, self.stem, self.size = base, stem, size
        self.paths: list[Path] = []
        self.handle: TextIO | None = None
        self.lines = 0

    def write(self, lines: list[str]) -> None:
        """Append one chunk, starting a new file when the current one is full."""
        if self.handle is None or self.lines >= self.size:
            self.close()
            path = self.base / f"{self.stem}-{len(self.paths) + 1:03d}.jsonl"
            self.paths.append(path)
            self.handle = path.open("w", encoding="utf-8")
            self.lines = 0
        self.handle.write("\n".join(lines) + "\n")
        self.lines += len(lines)

    def close(self) -> None:
        """Finish the current file."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def build(store: Store, base: Path, events: int, size: int, split_year: int) -> dict[str, object]:
    """Generate the files, import them around the issue; what was built and how long it took."""
    early, late = Files(base, "early", size), Files(base, "late", size)
    total = 0
    for is_early, lines in chunks(events, split_year):
        (early if is_early else late).write(lines)
        total += len(lines)
    early.close()
    late.close()
    print(f"generated {total:,} facts: {len(early.paths)} + {len(late.paths)} files of ~{size:,}")
    seconds = 0.0
    for i, path in enumerate(early.paths + late.paths):
        if path == (late.paths[0] if late.paths else None):
            issued = ngoaivu(
                store,
                *("issue", "key-tasks", "--org", ORG, "--period", str(split_year)),
                *("--number", NUMBER, "--signed-on", f"{split_year}-12-14"),
                *("--signer", "Nguyễn Văn An", "--signing-form", "KT. GIÁM ĐỐC"),
                *("-o", str(base / "issued.json")),
            )
            print(f"  issued {NUMBER} ({ORG}, {split_year}) in {issued.seconds:.2f} s")
        run = ngoaivu(store, "import", "--backfill", "--quiet", str(path))
        seconds += run.seconds
        print(
            f"  import {i + 1}/{len(early.paths) + len(late.paths)} {path.name}: "
            f"{run.stdout.strip()} ({run.seconds:.1f} s, peak {run.peak_mib:.0f} MiB)",
            flush=True,
        )
        path.unlink()
    print(f"import: {total:,} facts in {seconds:.0f} s ({total / seconds:,.0f} facts/s)")
    return {"facts": total, "import_seconds": seconds}


def timed(store: Store, *args: str) -> tuple[Run, float]:
    """`ngoaivu` as a subprocess: its run (wall seconds, peak memory) and its CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = ngoaivu(store, *args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return run, cpu


def raw_scan(settings: Settings) -> tuple[int, float]:
    """Page through the notification log without decoding anything; (events, seconds)."""
    with Runtime(settings) as rt:
        recorder = rt.app.recorder
        start = time.perf_counter()
        count, after = 0, 0
        while True:
            page = recorder.select_notifications(  # type: ignore[attr-defined]
                start=after, limit=PAGE, inclusive_of_start=False
            )
            if not page:
                break
            count += len(page)
            after = page[-1].id
        return count, time.perf_counter() - start


def verify_in_process(settings: Settings) -> tuple[int, float]:
    """`Chain.verify()` alone; (events, seconds)."""
    with Runtime(settings) as rt:
        start = time.perf_counter()
        check = rt.chain.verify()
        seconds = time.perf_counter() - start
        assert check.broken is None and not check.unchained, check
        return check.events, seconds


def reprint_in_process(settings: Settings) -> float:
    """Find the issued report and reprint it in an open runtime; seconds."""
    with Runtime(settings) as rt:
        start = time.perf_counter()
        _content, matches = reprint(rt, find_issued(rt, ORG, NUMBER, None))
        seconds = time.perf_counter() - start
        assert matches
        return seconds


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=FULL_HISTORY)
    parser.add_argument(
        "--import-facts", type=int, default=20_000, help="import throughput file (0: skip)"
    )
    parser.add_argument("--lines", type=int, default=50_000, help="lines per import file")
    parser.add_argument("--split-year", type=int, default=2015)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", nargs="?", const=PG_ADMIN, default=None)
    parser.add_argument("--workdir", default=None, help="keep the store here")
    parser.add_argument("--reuse", action="store_true", help="measure the store in --workdir")
    args = parser.parse_args()
    if args.reuse and (not args.workdir or args.postgres):
        parser.error("--reuse needs --workdir (SQLite)")
    print(f"machine: {machine()}; store: {'PostgreSQL' if args.postgres else 'SQLite'}")
    with workdir(args.workdir) as base:
        if args.import_facts:
            print("import with the links in the same transaction, against the raw library:")
            throughput(base, args.postgres, args.import_facts, args.repeat)
        marker = base / "built.json"
        if args.reuse and marker.exists():
            built = json.loads(marker.read_text())
            measure(Store(Path(built["data_dir"])), built, args.repeat)
            return
        with fresh_store(base, args.postgres) as store:
            built = build(store, base, args.events, args.lines, args.split_year)
            built["data_dir"] = str(store.data_dir)
            if not args.postgres:
                marker.write_text(json.dumps(built))
            measure(store, built, args.repeat)


def measure(store: Store, built: dict[str, object], repeat: int = 3) -> None:
    """Raw scan, verify and reprint on the same store, `repeat` times each; the ratios."""
    settings = Settings(store.data_dir, store.database_url)
    raws, cmds, procs, reprints, reprint_cpus, reprints_in = [], [], [], [], [], []
    events = 0
    for i in range(repeat):
        count, seconds = raw_scan(settings)
        raws.append(count / seconds)
        run, cpu = timed(store, "verify")
        events = int(run.stdout.split("events: ", 1)[1].split()[0])
        assert events == count and "intact" in run.stdout, run.stdout
        cmds.append(events / run.seconds)
        checked, seconds = verify_in_process(settings)
        procs.append(checked / seconds)
        again, again_cpu = timed(store, "reprint", ORG, NUMBER)  # exit 0: the digest matched
        reprints.append(again.seconds)
        reprint_cpus.append(again_cpu)
        reprints_in.append(reprint_in_process(settings))
        print(
            f"  run {i + 1}: raw scan {raws[-1]:,.0f} ev/s; verify command {cmds[-1]:,.0f} ev/s "
            f"({run.seconds:.1f} s wall, {cpu:.1f} s CPU, peak {run.peak_mib:.0f} MiB); "
            f"in process {procs[-1]:,.0f} ev/s; reprint command {again.seconds:.2f} s wall, "
            f"{again_cpu:.2f} s CPU (peak {again.peak_mib:.0f} MiB), "
            f"in process {reprints_in[-1]:.3f} s",
            flush=True,
        )
    raw, cmd, proc = median(raws), median(cmds), median(procs)
    print(f"store: {events:,} events ({built['facts']:,} imported facts + the issue)")
    print(f"raw scan (select_notifications, no decoding): {raw:,.0f} events/s")
    print(f"ngoaivu verify (command):                     {cmd:,.0f} events/s")
    print(f"Chain.verify() in process:                    {proc:,.0f} events/s")
    for label, rate in (("command", cmd), ("in process", proc)):
        ratio = rate / raw
        verdict = "PASS" if ratio >= VERIFY_FLOOR else "FAIL"
        print(f"verify ratio, {label}: {ratio:.0%} of the raw scan (floor 30 %) {verdict}")
    worst = max(reprints)
    verdict = "PASS" if worst < REPRINT_CEILING else "FAIL"
    print(
        f"reprint {NUMBER} (issued 10 years earlier): command median {median(reprints):.2f} s "
        f"wall, worst {worst:.2f} s (ceiling 1 s) {verdict}; CPU median "
        f"{median(reprint_cpus):.2f} s; in process {median(reprints_in):.3f} s"
    )


if __name__ == "__main__":
    main()
