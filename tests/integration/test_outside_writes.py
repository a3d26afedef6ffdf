"""Writes from outside the application are never linked: named by `verify`, alarm raised, writes
stopped until an administrator acts; on SQLite and PostgreSQL.

Each test writes to the database behind the application's back, as someone with database access
could, then runs the ordinary commands that used to link whatever they found.
"""

from __future__ import annotations

import re

import pytest
from click.testing import Result

from tests.conftest import SAMPLES, Cli
from tests.integration.test_tampering import Store

SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
SEED_004 = SAMPLES / "004_gia_lai_assigned_tasks_2020.jsonl"
REPORT = ("report", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--as-of", "2020-12-11")


def links(store: Store) -> int:
    return int(store.run("SELECT COUNT(*) FROM ngoaivu_chain")[0][0])


def named(result: Result) -> int:
    """`verify`'s first bad position: exit 1, never a traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Lỗi hệ thống" not in result.output
    found = re.search(r"HỎNG tại vị trí @(\d+)", result.output)
    assert found is not None, result.output
    return int(found.group(1))


def append_copy(store: Store, of: int = 10) -> int:
    """A copy of an event under a new version of its aggregate, at the next position."""
    new_id = store.max_id() + 1
    if store.url:
        store.run(
            f"INSERT INTO {store.table} (originator_id, originator_version, topic, state) "
            f"SELECT originator_id, originator_version + 1000, topic, state FROM {store.table} "
            f"WHERE {store.id} = ?",
            of,
        )
    else:
        store.run(
            f"INSERT INTO {store.table} (rowid, originator_id, originator_version, topic, state) "
            f"SELECT ?, originator_id, originator_version + 1000, topic, state FROM {store.table} "
            "WHERE rowid = ?",
            new_id,
            of,
        )
    return store.max_id()


def forged_opening(store: Store) -> int:
    """A new record's first event whose state the application could never have written."""
    state = b'{"org": 5, "target": null, "originator_topic": "nowhere:Nothing"}'
    topic = "domain.organisations:Organisation.Registered"
    uid = "3f0c8c5e-2d3a-4b7e-9a55-0c1d2e3f4a5b"
    if store.url:
        store.run(
            f"INSERT INTO {store.table} (originator_id, originator_version, topic, state) "
            "VALUES (?, 1, ?, ?)",
            uid,
            topic,
            state,
        )
    else:
        store.run(
            f"INSERT INTO {store.table} (originator_id, originator_version, topic, state) "
            "VALUES (?, 1, ?, ?)",
            uid.replace("-", ""),
            topic,
            state,
        )
    return store.max_id()


def imported(cli: Cli) -> Store:
    result = cli("import", "--backfill", "--quiet", str(SEED_000))
    assert result.exit_code == 0, result.output
    return Store(cli.env)


def assert_writes_stopped(cli: Cli) -> None:
    """An import is refused with the alarm's message (exit 3), nothing stored."""
    store = Store(cli.env)
    before = store.max_id()
    result = cli("import", "--backfill", "--quiet", str(SEED_004))
    assert result.exit_code == 3, result.output
    assert "BÁO ĐỘNG" in result.output and "Traceback" not in result.output
    assert store.max_id() == before


def test_an_appended_row_is_never_linked_and_raises_the_alarm(cli: Cli) -> None:
    store = imported(cli)
    position = append_copy(store)
    assert position == 50
    # Every ordinary command used to link it; now none does, and the read models skip it.
    report = cli(*REPORT)
    assert report.exit_code == 0, report.output
    assert cli("history", "ha-tinh", "task:2020/1").exit_code == 0
    assert links(store) == 49
    assert named(cli("verify")) == 50
    assert named(cli("verify")) == 50  # still: nothing linked it meanwhile
    alarm = cli("alarm")
    assert alarm.exit_code == 1 and "@50" in alarm.output and "BÁO ĐỘNG" in alarm.output
    assert_writes_stopped(cli)
    assert links(store) == 49


def test_the_administrator_acknowledges_and_verify_keeps_naming_them(cli: Cli) -> None:
    store = imported(cli)
    append_copy(store, of=49)  # a progress fact: projected like any once acknowledged
    assert cli(*REPORT).exit_code == 0
    refused = cli("alarm", "acknowledge", "--reason", "")
    assert refused.exit_code == 2
    reason = "Kỹ thuật viên sửa tay, đã lập biên bản"
    done = cli("alarm", "acknowledge", "--reason", reason, "--by", "an")
    assert done.exit_code == 0, done.output
    assert "@50–@50" in done.output
    verified = cli("verify")
    assert verified.exit_code == 0, verified.output
    assert "ghi ngoài ứng dụng đã xác nhận: @50 (1 sự kiện; an," in verified.output
    assert "Kỹ thuật viên sửa tay" in verified.output
    assert cli("alarm").exit_code == 0
    later = cli("import", "--backfill", "--quiet", str(SEED_004))
    assert later.exit_code == 0, later.output
    assert cli("verify").exit_code == 0
    # The acknowledgement is inside the link: changing the note breaks the chain there.
    store.run("UPDATE ngoaivu_chain SET note = REPLACE(note, 'an', 'bo') WHERE position = 50")
    assert named(cli("verify")) == 50


def test_an_edited_event_with_an_emptied_chain_is_never_relinked(cli: Cli) -> None:
    store = imported(cli)
    topic, state = store.event(10)
    store.set_event(10, topic, state.replace(b'"actor":"', b'"actor":"x', 1))
    store.run("DELETE FROM ngoaivu_chain")
    assert cli(*REPORT).exit_code == 0
    assert cli("history", "ha-tinh", "task:2020/1").exit_code == 0
    assert links(store) == 0
    assert named(cli("verify")) == 1
    assert_writes_stopped(cli)
    assert links(store) == 0


def test_a_forged_opening_event_stops_no_command_but_every_write(cli: Cli) -> None:
    store = imported(cli)
    position = forged_opening(store)
    for args in (REPORT, ("history", "ha-tinh", "task:2020/1"), ("search", "ha-tinh", "hop tac")):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
    assert named(cli("verify")) == position
    assert_writes_stopped(cli)


def test_a_state_stored_with_another_sql_type_is_named(cli: Cli) -> None:
    store = imported(cli)
    if store.url:  # a column's type is the table's: the whole column, from the first event
        store.run(
            f"ALTER TABLE {store.table} ALTER COLUMN state TYPE text USING encode(state, 'escape')"
        )
        expected = 1
    else:
        store.run(f"UPDATE {store.table} SET state = CAST(state AS TEXT) WHERE rowid = 10")
        expected = 10
    result = cli("verify")
    assert named(result) == expected
    assert "kiểu dữ liệu SQL" in result.output


def test_links_without_their_events_stop_writes(cli: Cli) -> None:
    store = imported(cli)
    store.run(f"DELETE FROM {store.table} WHERE {store.id} = 49")
    assert cli(*REPORT).exit_code == 0
    assert named(cli("verify")) == 49
    assert cli("alarm").exit_code == 1
    assert_writes_stopped(cli)
    refused = cli("alarm", "acknowledge", "--reason", "thử")
    assert refused.exit_code == 3 and "khôi phục" in refused.output
    assert cli("alarm").exit_code == 1


def test_a_legacy_style_link_appended_after_the_keyed_chain_does_not_verify(cli: Cli) -> None:
    """Someone who can write the database appends an event with an unkeyed (first-version)
    link: no legacy boundary admits it."""
    import hashlib

    store = imported(cli)
    position = append_copy(store)
    last = store.run("SELECT global_hash, org_hash FROM ngoaivu_chain WHERE position = 49")[0]
    payload = b"whatever the forger computes"
    forged = hashlib.sha256(bytes.fromhex(last[0]) + payload).hexdigest()
    store.run(
        "INSERT INTO ngoaivu_chain (position, org, org_hash, global_hash) VALUES (?, ?, ?, ?)",
        position,
        "ha-tinh",
        forged,
        forged,
    )
    assert named(cli("verify")) == position


@pytest.mark.parametrize("what", ["key_id", "global_hash"])
def test_a_link_with_another_key_or_hash_is_named(cli: Cli, what: str) -> None:
    store = imported(cli)
    value = "k9" if what == "key_id" else "f" * 64
    store.run(f"UPDATE ngoaivu_chain SET {what} = ? WHERE position = 20", value)
    assert named(cli("verify")) == 20


def test_verify_checks_the_anchors_noted_elsewhere(cli: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    imported(cli)
    anchor = cli("anchor")
    assert anchor.exit_code == 0, anchor.output
    line = anchor.output.splitlines()[-1]
    assert re.fullmatch(r"@49 sha256:[0-9a-f]{64}", line), anchor.output
    good = tmp_path / "anchors.txt"
    good.write_text(anchor.output, encoding="utf-8")
    checked = cli("verify", "--anchors", str(good))
    assert checked.exit_code == 0 and "anchors checked: 1" in checked.output
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(f"@20 sha256:{'a' * 64}\n", encoding="utf-8")
    assert named(cli("verify", "--anchors", str(wrong))) == 20
    beyond = tmp_path / "beyond.txt"
    beyond.write_text(line.replace("@49", "@60") + "\n", encoding="utf-8")
    assert named(cli("verify", "--anchors", str(beyond))) == 60
    bad = tmp_path / "bad.txt"
    bad.write_text("# ok\n@x sha256:zz\n", encoding="utf-8")
    result = cli("verify", "--anchors", str(bad))
    assert result.exit_code == 2 and "dòng 2" in result.output
