"""The projector's fast path (JSON state read directly, rows written in batches) changes nothing.

It must write the rows the library's own decoding (`mapper.to_domain_event`) gives, keep search
rows level with corrections and voids, and give the same read models whether events arrive one
import at a time or in one rebuild.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.utils import get_topic
from sqlalchemy import select

from domain.times import Moment, to_us
from projections.projector import (
    FACT_COLUMNS,
    _Decoder,
    _parse,
    _select_rows,
    entry_row,
    fact_row,
)
from projections.store import KEPT_IN_REBUILD
from projections.tables import facts, search
from tests.conftest import SAMPLES, Cli

FIXES = [
    # the opening fact of task 1 corrected (its title: search must follow)
    {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "fact:task:2020/1#1",
        "set": {"title": "Đón đoàn Đại sứ Nhật Bản"},
        "reason": "sai tên",
        "known_since": "2020-03-01",
    },
    # task 2 voided (search must drop it), a progress fact of task 3 voided, task 5 corrected
    {"kind": "record.voided", "org": "ha-tinh", "target": "task:2020/2", "reason": "nhầm"},
    {"kind": "record.voided", "org": "ha-tinh", "target": "fact:task:2020/3#2", "reason": "nhầm"},
    {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "task:2020/5",
        "set": {"ref": "12/SNgV"},
        "reason": "sai số văn bản",
    },
]


def _import(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "--backfill", str(SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"))
    assert result.exit_code == 0, result.output
    fixes = tmp_path / "fixes.jsonl"
    fixes.write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in FIXES) + "\n")
    result = cli("import", str(fixes))
    assert result.exit_code == 0, result.output


def _tables(cli: Cli) -> tuple[list[Any], list[Any]]:
    with cli.runtime() as rt, rt.models.reading() as conn:
        rows = [tuple(r) for r in conn.execute(select(facts).order_by(facts.c.pos))]
        found = [tuple(r) for r in conn.execute(select(search).order_by(search.c.target))]
    return rows, found


def test_rows_from_json_state_equal_rows_from_domain_events(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    _import(sqlite_cli, tmp_path)
    with sqlite_cli.runtime() as rt:
        decode = _Decoder(rt.app)
        assert decode.plain
        notifications = rt.app.recorder.select_notifications(start=1, limit=1000)
        assert len(notifications) > 50
        for n in notifications:
            cls, topic, attributes = decode(n)
            event = rt.app.mapper.to_domain_event(n)
            assert cls is type(event)
            row = dict(zip(FACT_COLUMNS, entry_row(n.id, topic, attributes), strict=True))
            assert row == fact_row(n.id, event)
            # and each time as the domain computes it
            assert row["known_us"] == event.knowledge_us()
            assert row["recorded_us"] == to_us(event.timestamp)
            at = getattr(event, "at", None)
            assert row["at_us"] == (Moment.parse(at).us if at else None)
            assert row["at_day"] == (Moment.parse(at).day.isoformat() if at else None)
            assert row["topic"] == get_topic(type(event))
            data = getattr(event, "data", None) or getattr(event, "changes", {})
            assert json.loads(row["data"]) == data


def test_search_follows_corrections_and_voids_of_the_record(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    by_target = {row[1]: row for row in _tables(cli)[1]}
    assert by_target["task:2020/1"][2] == "Đón đoàn Đại sứ Nhật Bản"
    assert "don doan dai su nhat ban" in by_target["task:2020/1"][3]
    assert by_target["task:2020/2"][4]  # voided
    assert not by_target["task:2020/3"][4]  # one progress fact voided: the record stays
    found = cli("search", "ha-tinh", "dai su nhat ban")
    assert [r["target"] for r in json.loads(found.output)] == ["task:2020/1"]


def test_a_rebuild_writes_what_the_imports_wrote(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)  # SQLite: executemany; PostgreSQL: COPY, TRUNCATE
    before = _tables(cli)
    assert len(before[0]) > 50 and before[1]
    result = cli("projections", "rebuild")
    assert result.exit_code == 0, result.output
    assert _tables(cli) == before


def test_catch_up_in_small_batches_reads_ahead_and_misses_nothing(
    sqlite_cli: Cli, tmp_path: Path, monkeypatch: Any
) -> None:
    _import(sqlite_cli, tmp_path)
    before = _tables(sqlite_cli)
    monkeypatch.setattr("projections.projector.BATCH", 7)  # many batches, each read ahead
    with sqlite_cli.runtime() as rt:
        rt.projector.read_ahead = True  # PostgreSQL's way, here on SQLite
        applied = rt.projector.rebuild()
        assert applied == rt.app.head()
    assert _tables(sqlite_cli) == before


def test_rows_read_from_the_events_table_are_the_notifications(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    _import(sqlite_cli, tmp_path)
    with sqlite_cli.runtime() as rt:
        decode = _Decoder(rt.app)
        rows = _select_rows(rt.app.recorder, 3, 40)
        notifications = rt.app.recorder.select_notifications(
            start=3, limit=40, inclusive_of_start=False
        )
        assert [r.id for r in rows] == [n.id for n in notifications] == list(range(4, 44))
        for row, n in zip(rows, notifications, strict=True):
            assert (row.topic, row.state, row.originator_version) == (
                n.topic,
                n.state,
                n.originator_version,
            )
            assert decode.event(row) == rt.app.mapper.to_domain_event(n)


def test_stored_json_is_read_as_the_json_module_reads_it() -> None:
    # orjson reads most states; what it would read otherwise (integers beyond 64 bits become
    # floats) or refuses (NaN, 1e400, lone surrogates) goes to `json`.
    states: list[Any] = [
        {"no": 4, "title": "Rà soát các thỏa thuận", "amount_usd": 0, "detail": {"a": [1, 2.5]}},
        {"amount_usd": 18446744073709551615, "value": -9223372036854775808},
        {"amount_usd": 18446744073709551616, "value": -9223372036854775809},
        {"amount_usd": 10**40, "digest": "0123456789012345678901234"},
        {"x": float("nan"), "y": float("inf"), "z": -0.0, "w": 1e-320},
        {"s": "\ud800 lone", "t": 'tab\tquote"', "u": None, "v": True},
    ]
    for state in states:
        for text in (json.dumps(state), json.dumps(state, ensure_ascii=False)):
            raw = text.encode("utf-8", "surrogatepass")
            expected = json.loads(raw.decode("utf-8", "surrogatepass"))
            got = _parse(raw) if "\ud800" not in text else expected
            assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
            assert _types(got) == _types(expected)
    assert _parse(b'{"a": 1e400}') == {"a": float("inf")}
    assert _parse(b'{"s": "\\ud800"}') == {"s": "\ud800"}


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def test_a_rebuild_leaves_every_index_and_a_killed_one_gets_them_back(
    sqlite_cli: Cli, tmp_path: Path, monkeypatch: Any
) -> None:
    _import(sqlite_cli, tmp_path)
    with sqlite_cli.runtime() as rt, rt.models.reading() as conn:
        names = rt.models._fact_index_names(conn)
    assert {str(ix.name) for ix in facts.indexes} <= names
    before = _tables(sqlite_cli)
    monkeypatch.setattr("projections.projector.BATCH", 7)
    with sqlite_cli.runtime() as rt:
        # A rebuild that fails after some batches (or is killed): its indexes are still dropped...
        calls = [0]
        write = rt.projector._write

        def dying(conn: Any, batch: Any) -> None:
            calls[0] += 1
            if calls[0] == 3:
                raise SystemExit("killed")
            write(conn, batch)

        monkeypatch.setattr(rt.projector, "_write", dying)
        with pytest.raises(SystemExit):
            rt.projector.rebuild()
        with rt.models.reading() as conn:
            dropped = {str(ix.name) for ix in facts.indexes} - {KEPT_IN_REBUILD}
            assert not dropped & rt.models._fact_index_names(conn)
            assert 0 < rt.projector.position(conn) < rt.app.head()
        monkeypatch.undo()
        monkeypatch.setattr("projections.projector.BATCH", 7)
        # ...and the catch-up that reaches the head creates them again.
        assert rt.projector.catch_up() > 0
        with rt.models.reading() as conn:
            assert {str(ix.name) for ix in facts.indexes} <= rt.models._fact_index_names(conn)
    assert _tables(sqlite_cli) == before


def test_search_text_folded_field_by_field_is_the_whole_text_folded() -> None:
    from domain.text import fold
    from projections.projector import _strings, searchable

    records: list[dict[str, Any]] = [
        {"title": "Đón đoàn Đại sứ Nhật Bản", "unit": "Người Việt Nam ở nước ngoài"},
        {"a": "", "b": "  ", "c": "\u0301", "d": ["Hà  Tĩnh", {"x": "ĐÀ\tNẴNG\n"}]},
        {"t": "x\u00a0y", "u": "a\u2003b", "n": 3, "none": None},
        {},
    ]
    for data in records * 2:  # the second time from the memo
        whole = " ".join(["task:2020/1", *_strings(data)])
        assert searchable(data, "task:2020/1") == fold(whole)
