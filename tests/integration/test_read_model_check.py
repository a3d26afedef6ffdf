"""`verify --read-models`: the read models rebuilt apart and compared, on SQLite and PostgreSQL.

Each test changes rows of the read models behind the application's back, as someone with write
access to the database could (the event store untouched, so the chain verifies), and checks that
`verify --read-models` exits 1 and names each row: table, department, record, and what differs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from domain.times import vn_iso
from projections.tables import metadata
from tests.conftest import SAMPLES, Cli

# Key tasks (task versions), monthly activity counts with sub-counts (counts, details) and a
# year of delegations and agreements (foreign-affairs versions): every versions table has rows.
FILES = (
    "000_ha_tinh_key_tasks_2020.jsonl",
    "001_ha_tinh_foreign_affairs_2021_03.jsonl",
    "003_ha_tinh_foreign_affairs_2022.jsonl",
)
VERSIONS = ("rm_task_versions", "rm_fa_versions", "rm_fa_counts", "rm_fa_details")
TABLES = len(metadata.sorted_tables)  # every read-model table is compared


def filled(cli: Cli) -> Cli:
    for name in FILES:
        result = cli("import", "--backfill", "--quiet", str(SAMPLES / name))
        assert result.exit_code == 0, result.output
    return cli


def sql(cli: Cli, statement: str, **params: Any) -> list[dict[str, Any]]:
    """Run one statement on the live read models, committed; its rows as dicts."""
    with cli.runtime() as rt, rt.models.writer.begin() as conn:
        result = conn.execute(text(statement), params)
        return [dict(row._mapping) for row in result] if result.returns_rows else []


def three_records(cli: Cli, table: str) -> list[dict[str, Any]]:
    """A row of each of three different records of a table."""
    rows = sql(cli, f"SELECT * FROM {table} ORDER BY target, known_from, pos_from")
    firsts = {row["target"]: row for row in reversed(rows)}  # each record's first row
    picked = [firsts[target] for target in sorted(firsts)[:3]]
    assert len(picked) == 3, f"{table}: fewer than three records in the samples"
    return picked


def where(row: dict[str, Any]) -> str:
    """The SQL condition naming exactly this row (every column)."""
    return " AND ".join(f'"{c}" IS NULL' if v is None else f'"{c}" = :{c}' for c, v in row.items())


def verified(cli: Cli) -> tuple[int, list[str]]:
    result = cli("verify", "--read-models")
    return result.exit_code, result.output.splitlines()


def line_about(lines: list[str], table: str, row: dict[str, Any], known_from: int) -> str:
    """The one line naming a row of `table`: its department, record and cell."""
    head = f"HỎNG: bảng đọc {table} ({row['org']}, {row['target']},"
    found = [ln for ln in lines if ln.startswith(head) and vn_iso(known_from) in ln]
    assert len(found) == 1, (head, lines)
    return found[0]


def test_untouched_read_models_verify(cli: Cli) -> None:
    code, lines = verified(filled(cli))
    assert code == 0, lines
    assert lines[-1] == "intact"
    [said] = [ln for ln in lines if ln.startswith("read models checked:")]
    assert said.startswith(f"read models checked: {TABLES} tables at @") and "(equal," in said


@pytest.mark.parametrize("table", VERSIONS)
def test_a_row_altered_deleted_or_inserted_is_named(cli: Cli, table: str) -> None:
    filled(cli)
    altered, deleted, copied = three_records(cli, table)
    sql(cli, f"UPDATE {table} SET at_us = at_us + 1 WHERE {where(altered)}", **altered)
    sql(cli, f"DELETE FROM {table} WHERE {where(deleted)}", **deleted)
    inserted = {**copied, "known_from": copied["known_from"] + 1}
    columns = ", ".join(f'"{c}"' for c in inserted)
    values = ", ".join(f":{c}" for c in inserted)
    sql(cli, f"INSERT INTO {table} ({columns}) VALUES ({values})", **inserted)

    code, lines = verified(cli)

    assert code == 1, lines
    said = line_about(lines, table, altered, altered["known_from"])
    assert said.endswith(
        f": at_us là {vn_iso(altered['at_us'] + 1)}, theo sự kiện {vn_iso(altered['at_us'])}"
    )
    said = line_about(lines, table, deleted, deleted["known_from"])
    assert said.endswith(": thiếu dòng mà sự kiện cho ra (bị xóa ngoài ứng dụng)")
    said = line_about(lines, table, inserted, inserted["known_from"])
    assert said.endswith(": có dòng mà sự kiện không cho ra (thêm vào ngoài ứng dụng)")
    problems = [ln for ln in lines if ln.startswith("HỎNG: bảng đọc rm_")]
    assert len(problems) == 3, problems  # nothing else named: the copy equals elsewhere
    assert "ngoaivu projections rebuild" in lines[-1]

    # A rebuild puts the rows back as the events say; the check then passes.
    assert cli("projections", "rebuild").exit_code == 0
    code, lines = verified(cli)
    assert code == 0, lines


def test_a_duplicated_row_of_a_table_without_a_key_is_named(cli: Cli) -> None:
    filled(cli)
    [row, *_] = three_records(cli, "rm_task_versions")
    columns = ", ".join(f'"{c}"' for c in row)
    values = ", ".join(f":{c}" for c in row)
    sql(cli, f"INSERT INTO rm_task_versions ({columns}) VALUES ({values})", **row)

    code, lines = verified(cli)

    assert code == 1, lines
    said = line_about(lines, "rm_task_versions", row, row["known_from"])
    assert said.endswith(": có dòng mà sự kiện không cho ra (thêm vào ngoài ứng dụng)")


def test_other_tables_and_the_scratch_copy_removed(cli: Cli, env: dict[str, str]) -> None:
    filled(cli)
    sql(cli, "DELETE FROM rm_facts WHERE pos = 20")
    sql(cli, "UPDATE rm_search SET title = 'Sửa tay' WHERE target = 'task:2020/1'")

    code, lines = verified(cli)

    assert code == 1, lines
    assert any(
        ln.startswith("HỎNG: bảng đọc rm_facts (ha-tinh, ") and "pos @20" in ln for ln in lines
    ), lines
    assert any(
        ln.startswith("HỎNG: bảng đọc rm_search (ha-tinh, task:2020/1)")
        and "title là 'Sửa tay'" in ln
        for ln in lines
    ), lines
    # No scratch copy is left behind: no folder beside the live read models, no schema.
    if "DATABASE_URL" in env:
        schemas = sql(
            cli,
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ngoaivu_verify_%'",
        )
        assert schemas == []
    else:
        assert not list(Path(env["NGOAIVU_DATA"]).glob(".verify-*"))


def test_without_the_option_verify_does_not_compare(cli: Cli) -> None:
    filled(cli)
    sql(cli, "DELETE FROM rm_facts WHERE pos = 20")
    result = cli("verify")
    assert result.exit_code == 0, result.output
    assert "read models checked" not in result.output


@pytest.mark.postgres
def test_a_halted_department_is_compared_as_the_events_halt_it(pg_url: str, tmp_path: Path) -> None:
    from tests.integration.test_halts import poison

    env = {"NGOAIVU_DATA": str(tmp_path / "var"), "NGOAIVU_ACTOR": "tester", "DATABASE_URL": pg_url}
    cli = filled(Cli(env))
    with cli.runtime() as rt:
        position = poison(rt, "ha-tinh", "Hội\x00nghị")  # PostgreSQL's text takes no NUL

    code, lines = verified(cli)

    assert code == 0, lines  # the copy halts at the same event, with the same error
    assert any(f"@{position}" in ln and ln.startswith("CẢNH BÁO") for ln in lines), lines
    assert any(ln.startswith("read models checked") and "(equal," in ln for ln in lines), lines
    sql(cli, "DELETE FROM rm_halts")
    code, lines = verified(cli)
    assert code == 1, lines
    # Its halt removed, the department's reports would read a read model missing events.
    assert "HỎNG: bảng đọc rm_halts (ha-tinh): thiếu dòng mà sự kiện cho ra" in "\n".join(lines)


def test_a_table_changed_throughout_is_named_in_part_then_counted(sqlite_cli: Cli) -> None:
    from service.integrity.read_models import SHOWN

    cli = filled(sqlite_cli)
    sql(cli, "UPDATE rm_facts SET actor = 'ai đó' WHERE pos <= :n", n=SHOWN + 5)
    sql(cli, "UPDATE rm_task_versions SET title = 'ai đó' WHERE title IS NOT NULL")

    code, lines = verified(cli)

    assert code == 1, lines
    facts = [ln for ln in lines if ln.startswith("HỎNG: bảng đọc rm_facts")]
    assert len(facts) == SHOWN + 1, facts
    assert facts[-1] == "HỎNG: bảng đọc rm_facts: còn 5 dòng nữa khác với sự kiện"
    assert all("actor là 'ai đó', theo sự kiện " in ln for ln in facts[:-1])
    tasks = [ln for ln in lines if ln.startswith("HỎNG: bảng đọc rm_task_versions")]
    assert len(tasks) == SHOWN + 1, tasks


def test_the_copy_follows_read_models_that_move_on_meanwhile(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from projections.projector import Projector

    cli = filled(sqlite_cli)
    late = tmp_path / "late.jsonl"
    late.write_text(
        (SAMPLES / "002_ha_tinh_key_tasks_2021.jsonl").read_text("utf-8"), encoding="utf-8"
    )
    rebuild = Projector.rebuild
    written: list[int | None] = []

    def and_a_write_meanwhile(self: Projector, *args: Any, **kwargs: Any) -> int:
        applied = rebuild(self, *args, **kwargs)
        if not written and ".verify-" in self.models.url:  # the scratch copy, once
            with cli.runtime() as rt:  # another process's import, its read models caught up
                written.append(rt.import_file(late, actor="tester", backfill=True).position)
        return applied

    monkeypatch.setattr(Projector, "rebuild", and_a_write_meanwhile)

    code, lines = verified(cli)

    assert code == 0, lines
    assert (
        written
        and f"read models checked: {TABLES} tables at @{written[0]} (equal," in "\n".join(lines)
    )


def test_read_models_that_never_stand_still_are_not_compared(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.integrity import read_models

    cli = filled(sqlite_cli)
    monkeypatch.setattr(read_models, "ATTEMPTS", 0)  # as if each try found them moved on
    result = cli("verify", "--read-models")
    assert result.exit_code == 3, result.output
    assert "Lỗi: bảng đọc liên tục thay đổi" in result.output


def test_read_models_halted_for_every_department_compare_as_the_events_halt_them(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Their tracking stops just before the event (test_halts): the copy must halt there too.
    from projections import projector
    from tests.integration.test_halts import poison

    cli = filled(sqlite_cli)
    entry_row = projector.entry_row

    def refuses(position: int, topic: str, ev: dict[str, Any]) -> tuple[Any, ...]:
        if ev["org"] == "Sở lạ":
            raise ValueError("tổ chức không đọc được")
        return entry_row(position, topic, ev)

    monkeypatch.setattr(projector, "entry_row", refuses)
    with cli.runtime() as rt:
        position = poison(rt, "Sở lạ", "Hội nghị")

    code, lines = verified(cli)

    assert code == 0, lines
    assert f"read models checked: {TABLES} tables at @{position - 1} (equal," in "\n".join(lines)

    # An upgrade that can project the event, not yet resumed: the copy goes past the halt.
    monkeypatch.setattr(projector, "entry_row", entry_row)
    code, lines = verified(cli)
    assert code == 1, lines
    said = "\n".join(lines)
    assert "HỎNG: bảng đọc rm_halts (*): có dòng mà sự kiện không cho ra" in said
    assert (
        f"HỎNG: bảng đọc rm_tracking (records): position là @{position - 1}, theo sự kiện "
        f"@{position}" in said
    )
    assert lines[-1].endswith("`ngoaivu projections resume` cũng đưa chúng về như sự kiện)")
    assert cli("projections", "resume").exit_code == 0
    code, lines = verified(cli)
    assert code == 0, lines
