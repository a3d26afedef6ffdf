"""The per-request reads on a thread's own SQLite connection (projections.thread_reads) see every
commit made since, by any connection, and each thread reads on its own connection."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import create_engine

from projections.store import ReadModels
from projections.thread_reads import ThreadReads
from service.accounts import AccountStore, Grant


def test_a_kept_connection_sees_each_later_commit(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    other.execute("INSERT INTO t VALUES ('a', 1)")
    reads = ThreadReads(f"sqlite:///{path}")
    sql = "SELECT v FROM t WHERE k = ?"
    assert reads.one(sql, ("a",)) == (1,)
    for value in (2, 3):
        other.execute("UPDATE t SET v = ? WHERE k = 'a'", (value,))
        assert reads.one(sql, ("a",)) == (value,)  # no snapshot left open by the last read
    assert reads.one(sql, ("b",)) is None
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(reads.one(sql, ("a",))))
    worker.start()
    worker.join()
    assert seen == [(3,)]  # another thread, its own connection (sqlite3 refuses to share one)
    reads.dispose()
    other.close()


def test_a_database_in_memory_is_not_read_this_way() -> None:
    assert not ThreadReads.suit("sqlite://")
    assert not ThreadReads.suit("sqlite:///:memory:")
    assert not ThreadReads.suit("postgresql://localhost/x")
    assert ThreadReads.suit("sqlite:////var/lib/ngoaivu/events.sqlite")


def test_the_position_and_an_account_as_committed_now(tmp_path: Path) -> None:
    models = ReadModels(f"sqlite:///{tmp_path / 'readmodels.sqlite'}")
    assert models.position("facts") is None
    with models.writing() as conn:
        conn.exec_driver_sql(
            "INSERT INTO rm_tracking (name, position, format) VALUES ('facts', 7, 1)"
        )
    assert models.position("facts") == 7
    with models.writing() as conn:
        conn.exec_driver_sql("UPDATE rm_tracking SET position = 9 WHERE name = 'facts'")
    assert models.position("facts") == 9
    models.dispose()

    store = AccountStore(create_engine(f"sqlite:///{tmp_path / 'events.sqlite'}"))
    store.add("clerk", "mat-khau-du-dai", [Grant("ha-tinh", "clerk")])
    assert store.get("clerk") is not None
    before = store.get("clerk")
    store.end_sessions("clerk")
    after = store.get("clerk")
    assert before is not None and after is not None
    assert after.session_version == before.session_version + 1
    store.set_active("clerk", False)
    disabled = store.get("clerk")
    assert disabled is not None and not disabled.active
    store.close()
