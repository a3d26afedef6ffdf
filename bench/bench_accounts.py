"""The per-request account read (issue 12): what ending sessions at once costs each request.

    python bench/bench_accounts.py            # SQLite, and PostgreSQL when it answers
    python bench/bench_accounts.py --n 5000

Every request now reads its account's stamp (`AccountStore.get`: one indexed query through a
pooled DBAPI connection; the parsed roles kept per change). Measured in the same run against:
the account kept in a dict (what the former 5-second cache cost on a hit: the floor), and a
SQLAlchemy select of the row with its roles parsed (the obvious per-request read). CPU µs per
call (`time.process_time`) and wall µs, medians of 5 runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select, text

from service.accounts import AccountStore, Grant, accounts

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def measure(call: Callable[[], Any], n: int) -> tuple[float, float]:
    """(CPU µs, wall µs) per call, medians of 5 runs after a warm-up."""
    for _ in range(min(n, 500)):
        call()
    cpu, wall = [], []
    for _ in range(5):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(n):
            call()
        cpu.append((time.process_time() - c0) / n * 1e6)
        wall.append((time.perf_counter() - w0) / n * 1e6)
    return statistics.median(cpu), statistics.median(wall)


def run(name: str, engine: Engine, n: int) -> None:
    store = AccountStore(engine)
    grants = [Grant("ha-tinh", "clerk", ("Phòng Lãnh sự",)), Grant("gia-lai", "inspector")]
    store.add("bench", "mat-khau-do-hieu-nang", grants)
    kept = {"bench": store.get("bench")}

    def sqlalchemy_select() -> Any:
        with engine.connect() as conn:
            row = conn.execute(select(accounts).where(accounts.c.username == "bench")).first()
        return [Grant(g["org"], g["role"], tuple(g["units"])) for g in json.loads(row.grants)]

    rows = [
        ("account kept in a dict (former cache hit: floor)", lambda: kept["bench"]),
        ("SQLAlchemy select + roles parsed", sqlalchemy_select),
        ("AccountStore.get (stamp, roles kept per change)", lambda: store.get("bench")),
    ]
    print(f"\n{name}, {n:,} calls × 5")
    print("| read | CPU µs/call | wall µs/call | CPU vs SQLAlchemy select |")
    print("|---|---|---|---|")
    results = [(label, *measure(call, n)) for label, call in rows]
    base = results[1][1]
    for label, cpu, wall in results:
        print(f"| {label} | {cpu:.1f} | {wall:.1f} | {cpu / base:.2f}× |")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="calls per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'events.sqlite'}")
        run("SQLite", engine, args.n)
        engine.dispose()
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS ngoaivu_bench_accounts"))
            conn.execute(text("CREATE DATABASE ngoaivu_bench_accounts"))
    except Exception as exc:  # no server: SQLite only
        print(f"\nPostgreSQL not measured: {type(exc).__name__}")
        return
    url = PG_ADMIN.rsplit("/", 1)[0] + "/ngoaivu_bench_accounts"
    engine = create_engine(url, pool_pre_ping=True)  # as service.accounts.accounts_engine makes it
    try:
        run("PostgreSQL (loopback)", engine, args.n)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS ngoaivu_bench_accounts WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
