"""`ngoaivu verify --read-models` against `ngoaivu verify`: what comparing the read models costs.

    python bench/bench_verify_read_models.py                # key tasks + foreign affairs, SQLite
    python bench/bench_verify_read_models.py --postgres     # the same on PostgreSQL
    python bench/bench_verify_read_models.py --fa-years 0   # gen_history.py's key tasks only

The store holds gen_history.py's key-task history (34 departments × 20 years) and
bench_foreign_affairs.py's history (`--fa-orgs` × `--fa-years` × `--fa-trips` delegations, the
monthly counts with sub-counts, 10 % corrected), imported with `ngoaivu import --backfill`, so
every versions table is filled. Then, `--repeat` times each, interleaved, as subprocesses (start
to exit, CPU of the child): `ngoaivu verify` (the chain and the issued reports) and `ngoaivu verify
--read-models` (the same, then a scratch copy rebuilt and compared table by table). Each run of
the second must say "equal". The medians and the CPU ratio are printed with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_foreign_affairs
from common import PG_ADMIN, fresh_store, generate, ngoaivu, workdir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fa-orgs", type=int, default=34)
    parser.add_argument("--fa-years", type=int, default=5)
    parser.add_argument("--fa-trips", type=int, default=100)
    parser.add_argument("--fa-first", type=int, default=2006, help="its first year")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", nargs="?", const=PG_ADMIN, default=None)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    with workdir(args.workdir) as base, fresh_store(base, args.postgres) as store:
        files = [base / "history.jsonl"]
        generate(files[0])
        if args.fa_years:
            fa = base / "fa"
            fa.mkdir(exist_ok=True)
            files += bench_foreign_affairs.history(
                args.fa_orgs, args.fa_years, args.fa_trips, args.fa_first, fa
            )
        for path in files:
            ngoaivu(store, "import", "--backfill", "--quiet", str(path))
        events = ngoaivu(store, "verify").stdout.splitlines()[0]
        print(f"store: {'PostgreSQL' if args.postgres else 'SQLite'}, {events}")
        print(f"load before: {os.getloadavg()}")
        plain, full = [], []
        for _ in range(args.repeat):
            plain.append(ngoaivu(store, "verify"))
            run = ngoaivu(store, "verify", "--read-models")
            said = [ln for ln in run.stdout.splitlines() if ln.startswith("read models checked")]
            assert said and "(equal," in said[0], run.stdout
            full.append(run)
        print(f"load after: {os.getloadavg()}")
        for name, runs in (("verify", plain), ("verify --read-models", full)):
            wall = statistics.median(r.seconds for r in runs)
            cpu = statistics.median(r.cpu for r in runs)
            peak = max(r.peak_mib for r in runs)
            print(f"{name}: wall {wall:.2f} s, CPU {cpu:.2f} s, peak {peak:.0f} MiB")
        inner = [
            ln.split("(equal, ")[1].rstrip(")")
            for r in full
            for ln in r.stdout.splitlines()
            if ln.startswith("read models checked")
        ]
        print(f"the read-model step alone (as verify prints it): {', '.join(inner)}")
        ratio = statistics.median(f.cpu / p.cpu for f, p in zip(full, plain, strict=True))
        print(f"CPU ratio --read-models / plain: {ratio:.2f}×")


if __name__ == "__main__":
    main()
