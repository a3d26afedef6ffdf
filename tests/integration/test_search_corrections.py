"""The search rows follow every correction: one that sets only numbers and flags leaves them as
they are (no refresh), one that sets a text refreshes them; either way they are what the
record's opening, corrected, gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from projections.projector import searchable, title_of
from projections.tables import search
from projections.visibility import current_opening
from tests.conftest import Cli

LINES: list[dict[str, Any]] = [
    {"kind": "org.registered", "org": "ha-tinh", "at": "2019-01-01", "name": "Sở Ngoại vụ"},
    {
        "kind": "delegation.recorded",
        "org": "ha-tinh",
        "at": "2021-03-10",
        "id": "D1",
        "direction": "outbound",
        "people": 3,
        "countries": ["Lào"],
        "purpose": "Khảo sát thị trường",
    },
]
LATER: list[list[dict[str, Any]]] = [
    [{"kind": "record.corrected", "org": "ha-tinh", "target": "delegation:D1",
      "set": {"people": 5, "received_by_leaders": True}, "reason": "đính chính số người"}],
    [{"kind": "record.corrected", "org": "ha-tinh", "target": "delegation:D1",
      "set": {"purpose": "Xúc tiến đầu tư"}, "reason": "đính chính mục đích"}],
    [{"kind": "record.corrected", "org": "ha-tinh", "target": "delegation:D1",
      "set": {"people": 6}, "reason": "đính chính lần nữa"}],
]  # fmt: skip


def _import(cli: Cli, path: Path, lines: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output


def _rows(cli: Cli) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The stored search rows, and the rows the corrected openings give (the folded words as a
    sorted list: a search matches words in any order)."""
    with cli.runtime() as rt, rt.models.reading() as conn:
        stored = [
            (r.org, r.target, r.title, sorted(r.folded.split()), r.voided)
            for r in conn.execute(select(search).order_by(search.c.target))
        ]
        expected = []
        for org, target, *_ in stored:
            opening, voided = current_opening(conn, org, target)
            assert opening is not None
            data = {k: v for k, v in opening.items() if k not in ("at", "reason", "ref")}
            words = sorted(searchable(data, target).split())
            expected.append((org, target, title_of(data, target), words, voided))
    return stored, expected


def test_search_rows_after_number_and_text_corrections(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path / "a.jsonl", LINES)
    for i, lines in enumerate(LATER):
        _import(cli, tmp_path / f"c{i}.jsonl", lines)
        stored, expected = _rows(cli)
        assert stored == expected
    found = cli("search", "ha-tinh", "xuc tien dau tu")
    assert [r["target"] for r in json.loads(found.output)] == ["delegation:D1"]
    assert json.loads(cli("search", "ha-tinh", "khao sat").output) == []
