"""Rebuild throughput (issue 3): `ngoaivu projections rebuild` against a raw scan of the same store.

    python bench/bench_rebuild.py                       # the 34 × 20 history (~47,000 events)
    python bench/bench_rebuild.py --copies 3            # three times as many events
    python bench/bench_rebuild.py --postgres            # on PostgreSQL
    python bench/bench_rebuild.py --fa-years 4          # and 4 years of foreign affairs

The store is filled with the synthetic history (gen_history.py) by `ngoaivu import --backfill`
(`--copies N` imports N histories with different seeds and department names; `--fa-years N` adds
bench_foreign_affairs.py's history of N years: 34 departments × 300 delegations a year, 10 %
corrected, monthly counts with sub-counts, so that the foreign-affairs versions are rebuilt too).
The raw side pages through the notification log with `recorder.select_notifications` (pages of
the projector's batch size) without decoding anything; ours is the `ngoaivu projections rebuild`
command in a subprocess, timed from start to exit, and the same rebuild in process
(`Projector.rebuild()`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gen_history
from common import (
    PG_ADMIN,
    Store,
    fresh_store,
    machine,
    median,
    ngoaivu,
    verdict,
    workdir,
)

from projections.projector import BATCH
from service.config import Settings
from service.runtime import Runtime

FLOOR = 0.20


def fill(store: Store, base: Path, copies: int, fa_years: int = 0) -> int:
    """Import `copies` synthetic histories (and `fa_years` of foreign affairs); the store's head
    position."""
    for copy in range(copies):
        path = base / f"history-{copy}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            gen_history.write(handle, seed=copy + 1)
        if copy:  # another set of departments: rename the slugs
            text = path.read_text(encoding="utf-8")
            for org in gen_history.ORGS:
                text = text.replace(f'"org":"{org}"', f'"org":"{org}-{copy}"')
            path.write_text(text, encoding="utf-8")
        ngoaivu(store, "import", "--backfill", "--quiet", str(path))
    if fa_years:
        from bench_foreign_affairs import history

        for part in history(34, fa_years, 300, 2006, base):  # a file a year, in order
            ngoaivu(store, "import", "--backfill", "--quiet", str(part))
    with Runtime(Settings(store.data_dir, store.database_url)) as rt:
        return rt.app.head()


def raw_scan(store: Store) -> tuple[int, float, float]:
    """Page through every notification without decoding it; (events, wall s, CPU s)."""
    with Runtime(Settings(store.data_dir, store.database_url)) as rt:
        recorder = rt.app.recorder
        start, cpu = time.perf_counter(), time.process_time()
        count, after = 0, 0
        while True:
            page = recorder.select_notifications(  # type: ignore[attr-defined]
                start=after, limit=BATCH, inclusive_of_start=False
            )
            if not page:
                break
            count += len(page)
            after = page[-1].id
        return count, time.perf_counter() - start, time.process_time() - cpu


def in_process(store: Store) -> tuple[int, float, float]:
    """`Projector.rebuild()` in this process (no process start); (events, wall s, CPU s)."""
    with Runtime(Settings(store.data_dir, store.database_url)) as rt:
        start, cpu = time.perf_counter(), time.process_time()
        applied = rt.projector.rebuild()
        return applied, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1, help="histories imported (default 1)")
    parser.add_argument(
        "--fa-years", type=int, default=0, help="years of foreign affairs imported too (default 0)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", nargs="?", const=PG_ADMIN, default=None)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    print(f"machine: {machine()}; store: {'PostgreSQL' if args.postgres else 'SQLite'}")
    with workdir(args.workdir) as base, fresh_store(base, args.postgres) as store:
        head = fill(store, base, args.copies, args.fa_years)
        print(f"store: {head:,} events")
        raws, cmds, procs, cpus = [], [], [], {"raw": [], "cmd": [], "proc": []}
        for i in range(args.repeat):
            count, seconds, cpu = raw_scan(store)
            raws.append(count / seconds)
            cpus["raw"].append(count / cpu)
            run = ngoaivu(store, "projections", "rebuild")
            applied = int(run.stdout.split("rebuilt: ", 1)[1].split(" ", 1)[0])
            assert applied == count == head, (applied, count, head)
            cmds.append(applied / run.seconds)
            cpus["cmd"].append(applied / run.cpu)
            applied, seconds, cpu = in_process(store)
            procs.append(applied / seconds)
            cpus["proc"].append(applied / cpu)
            print(
                f"  run {i + 1}: raw scan {raws[-1]:,.0f} ev/s; rebuild command {cmds[-1]:,.0f} "
                f"ev/s ({run.seconds:.2f} s, peak {run.peak_mib:.0f} MiB); "
                f"in process {procs[-1]:,.0f} ev/s; per CPU second: raw {cpus['raw'][-1]:,.0f}, "
                f"command {cpus['cmd'][-1]:,.0f}, in process {cpus['proc'][-1]:,.0f}"
            )
    raw, cmd, proc = median(raws), median(cmds), median(procs)
    print(f"raw scan (select_notifications, no decoding): {raw:,.0f} events/s")
    print(f"ngoaivu projections rebuild (command):        {cmd:,.0f} events/s")
    print(f"Projector.rebuild() in process:               {proc:,.0f} events/s")
    print(f"ratio, command:    {cmd / raw:.1%} (floor {FLOOR:.0%}) {verdict(cmd / raw, FLOOR)}")
    print(f"ratio, in process: {proc / raw:.1%} (floor {FLOOR:.0%}) {verdict(proc / raw, FLOOR)}")
    raw_cpu = median(cpus["raw"])
    print(
        f"events per CPU second (waiting for a core not counted): command "
        f"{median(cpus['cmd']) / raw_cpu:.1%}, in process {median(cpus['proc']) / raw_cpu:.1%} "
        f"of the raw scan's"
    )


if __name__ == "__main__":
    main()
