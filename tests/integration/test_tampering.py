"""Tampering with the stored events or their chain is found by `verify`, on SQLite and PostgreSQL.

Each test changes the store behind the application's back, as someone with database access
could, and checks that `verify` exits 1 and names the first position that differs.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import SAMPLES, Cli

SAMPLE = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
MIDDLE = 10  # a position well inside the store (49 facts, then ReportIssued at @50)


class Store:
    """Raw access to an installation's event table and chain table, SQLite or PostgreSQL."""

    def __init__(self, env: dict[str, str]) -> None:
        self.url = env.get("DATABASE_URL")
        self.path = Path(env["NGOAIVU_DATA"]) / "events.sqlite"
        if self.url:
            self.table, self.id = "ngoaivu_events", "notification_id"
        else:
            self.table, self.id = "stored_events", "rowid"

    @contextmanager
    def connect(self) -> Iterator[Any]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=False) as conn:
                yield conn
                conn.commit()
        else:
            with closing(sqlite3.connect(self.path)) as conn:
                yield conn
                conn.commit()

    def sql(self, text: str) -> str:
        """`?` placeholders in the backend's own style."""
        return text.replace("?", "%s") if self.url else text

    def run(self, text: str, *params: Any) -> list[tuple[Any, ...]]:
        with self.connect() as conn:
            cur = conn.execute(self.sql(text), params)
            return list(cur.fetchall()) if cur.description else []

    def event(self, position: int) -> tuple[str, bytes]:
        rows = self.run(f"SELECT topic, state FROM {self.table} WHERE {self.id} = ?", position)
        topic, state = rows[0]
        return topic, bytes(state)

    def set_event(self, position: int, topic: str, state: bytes) -> None:
        self.run(
            f"UPDATE {self.table} SET topic = ?, state = ? WHERE {self.id} = ?",
            topic,
            state,
            position,
        )

    def max_id(self) -> int:
        return int(self.run(f"SELECT MAX({self.id}) FROM {self.table}")[0][0])


def change_byte(store: Store) -> int:
    topic, state = store.event(MIDDLE)
    flipped = bytearray(state)
    flipped[len(flipped) // 2] ^= 0x01
    store.set_event(MIDDLE, topic, bytes(flipped))
    return MIDDLE


def delete_event(store: Store) -> int:
    store.run(f"DELETE FROM {store.table} WHERE {store.id} = ?", MIDDLE)
    return MIDDLE


def insert_event(store: Store) -> int:
    """A copy of an event under a new version of its aggregate: it gets the next position."""
    new_id = store.max_id() + 1
    if store.url:
        store.run(
            f"INSERT INTO {store.table} (originator_id, originator_version, topic, state) "
            f"SELECT originator_id, originator_version + 1000, topic, state FROM {store.table} "
            f"WHERE {store.id} = ?",
            MIDDLE,
        )
    else:
        store.run(
            f"INSERT INTO {store.table} (rowid, originator_id, originator_version, topic, state) "
            f"SELECT ?, originator_id, originator_version + 1000, topic, state FROM {store.table} "
            f"WHERE rowid = ?",
            new_id,
            MIDDLE,
        )
    assert store.max_id() == new_id
    return new_id


def reorder_events(store: Store) -> int:
    """Swap the contents of two neighbouring events (their topics and states)."""
    first, second = store.event(MIDDLE), store.event(MIDDLE + 1)
    assert first != second
    store.set_event(MIDDLE, *second)
    store.set_event(MIDDLE + 1, *first)
    return MIDDLE


def change_chain_entry(store: Store) -> int:
    store.run("UPDATE ngoaivu_chain SET org_hash = ? WHERE position = ?", "0" * 64, MIDDLE)
    return MIDDLE


def change_global_link(store: Store) -> int:
    store.run("UPDATE ngoaivu_chain SET global_hash = ? WHERE position = ?", "f" * 64, MIDDLE + 5)
    return MIDDLE + 5


TAMPERING: dict[str, Callable[[Store], int]] = {
    "changed-byte": change_byte,
    "deleted-event": delete_event,
    "inserted-event": insert_event,
    "reordered-events": reorder_events,
    "changed-chain-org-hash": change_chain_entry,
    "changed-chain-global-hash": change_global_link,
}


@pytest.fixture
def issued(cli: Cli) -> Cli:
    """An installation with the seed-000 records and one issued report."""
    assert cli("import", "--backfill", "--quiet", str(SAMPLE)).exit_code == 0
    result = cli(
        "issue",
        "key-tasks",
        "--org",
        "ha-tinh",
        "--period",
        "2020",
        "--number",
        "849/SNgV-VP",
        "--signed-on",
        "2020-12-11",
        "--signer",
        "Lê Thị Khánh Cẩm",
    )
    assert result.exit_code == 0, result.output
    return cli


def test_intact_store_verifies_and_prints_its_head(issued: Cli) -> None:
    result = issued("verify")
    assert result.exit_code == 0, result.output
    rt = issued.runtime()
    try:
        position, head = rt.chain.head()
    finally:
        rt.close()
    assert position == 50
    assert f"chain head: sha256:{head}\n" in result.output
    assert "events: 50" in result.output
    assert "issued reports checked: 1" in result.output
    assert result.output.rstrip().endswith("intact")


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_tampering_is_found_at_its_position(issued: Cli, kind: str) -> None:
    before = issued("verify")
    assert before.exit_code == 0, before.output
    position = TAMPERING[kind](Store(issued.env))
    result = issued("verify")
    assert result.exit_code == 1, result.output
    found = re.search(r"HỎNG tại vị trí @(\d+)", result.output)
    assert found is not None, result.output
    assert int(found.group(1)) == position
    assert "intact" not in result.output
    assert "Traceback" not in result.output


def test_a_changed_issued_report_record_is_found(issued: Cli) -> None:
    """The issued report's own event (@50) is chained like any other."""
    store = Store(issued.env)
    topic, state = store.event(50)
    assert b"849/SNgV-VP" in state
    store.set_event(50, topic, state.replace(b"849/SNgV-VP", b"850/SNgV-VP"))
    result = issued("verify")
    assert result.exit_code == 1
    assert "HỎNG tại vị trí @50" in result.output


def test_an_issued_report_left_out_of_the_read_models_is_still_reprinted(issued: Cli) -> None:
    """The read models' list of issued reports is derived: a database writer who deletes the
    row and changes a figure the report counts must not hide it from `verify`, which lists the
    issued reports from the (chained) event store."""
    with issued.runtime() as rt, rt.models.writer.begin() as conn:
        conn.execute(text("DELETE FROM rm_issued"))
        changed = conn.execute(text("UPDATE rm_task_versions SET title = 'Sửa tay'")).rowcount
    assert changed > 0
    result = issued("verify")
    assert result.exit_code == 1, result.output
    assert "issued reports checked: 1" in result.output
    assert "849/SNgV-VP (2020): digest không khớp" in result.output
