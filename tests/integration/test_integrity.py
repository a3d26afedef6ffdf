"""Issued reports reprint exactly after later corrections and a rebuild; `diff` names the events
that change them; the audit export holds every event of a department with its chain link.

Each test runs on SQLite and on PostgreSQL (the `cli` fixture) unless it says otherwise.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from click.testing import Result

from tests.conftest import SAMPLES, Cli

ORG = "ha-tinh"
SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
SEED_004 = SAMPLES / "004_gia_lai_assigned_tasks_2020.jsonl"
NUMBER = "849/SNgV-VP"


def write_lines(path: Path, lines: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return str(path)


def fact_ids(result: Result) -> dict[int, str]:
    """`dòng N: FACT_ID` lines printed by `import`."""
    return {int(n): f for n, f in re.findall(r"dòng (\d+): (\S+)", result.output)}


def issue(cli: Cli) -> Result:
    result = cli(
        "issue",
        "key-tasks",
        "--org",
        ORG,
        "--period",
        "2020",
        "--number",
        NUMBER,
        "--signed-on",
        "2020-12-11",
        "--signer",
        "Lê Thị Khánh Cẩm",
        "--signing-form",
        "KT. GIÁM ĐỐC",
    )
    assert result.exit_code == 0, result.output
    return result


def diff_json(cli: Cli) -> dict[str, Any]:
    result = cli("diff", ORG, NUMBER, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def changes_by_path(diff: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["path"]: c for c in diff["changes"]}


CORRECTION = {
    "kind": "record.corrected",
    "org": ORG,
    "target": "task:2020/3",
    "set": {"status": "completed"},
    "reason": "Báo cáo nhầm: hợp tác với tỉnh Tula đã được ký kết",
    # Known before the issue's knowledge cut-off, but recorded after it: the pin keeps it out.
    "known_since": "2020-12-01",
    "by": "Nguyễn Thị Hồng",
    "ref": "12/SNgV-VP",
}


def test_reprint_survives_corrections_and_rebuild_and_diff_names_them(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    issued = issue(cli)
    issued_bytes = issued.stdout_bytes
    assert diff_json(cli)["changes"] == []  # nothing known yet that the issue did not see

    imported = cli("import", write_lines(tmp_path / "fix.jsonl", [CORRECTION]))
    assert imported.exit_code == 0, imported.output
    correction_id = fact_ids(imported)[1]
    assert correction_id.startswith("task:2020/3#")

    # What we know today about 11/12/2020 has changed...
    today = cli(
        "report", "key-tasks", "--org", ORG, "--period", "2020", "--as-of", "2020-12-11",
        "--known-by", "now",
    )  # fmt: skip
    assert json.loads(today.output)["summary"]["completed"] == 13
    # ...but the issued report reprints byte for byte, before and after a rebuild.
    reprinted = cli("reprint", ORG, NUMBER)
    assert reprinted.exit_code == 0, reprinted.output
    assert reprinted.stdout_bytes == issued_bytes
    rebuilt = cli("projections", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    again = cli("reprint", ORG, NUMBER)
    assert again.exit_code == 0, again.output
    assert again.stdout_bytes == issued_bytes
    verified = cli("verify")
    assert verified.exit_code == 0, verified.output

    diff = diff_json(cli)
    assert diff["issued"]["reprint_matches"] is True
    assert diff["issued"]["digest"] == json.loads(issued_bytes)["digest"]
    assert diff["today"]["recorded_by"] == "@51"  # everything stored, known now
    found = changes_by_path(diff)
    assert set(found) == {"tasks[no=3].status", "summary.completed", "summary.not_carried_out"}
    status = found["tasks[no=3].status"]
    assert (status["before"], status["after"]) == ("not_carried_out", "completed")
    assert (found["summary.completed"]["before"], found["summary.completed"]["after"]) == (12, 13)
    for change in found.values():
        assert [c["fact_id"] for c in change["causes"]] == [correction_id]
    cause = status["causes"][0]
    assert cause["kind"] == "record.corrected"
    assert cause["nature"] == "đính chính"
    assert cause["actor"] == "Nguyễn Thị Hồng"
    assert cause["reason"] == CORRECTION["reason"]
    assert cause["ref"] == "12/SNgV-VP"
    assert cause["position"] == 51
    assert cause["known"].startswith("2020-12-01T00:00:00")
    assert "sau vị trí @49" in cause["why"]

    text = cli("diff", ORG, NUMBER)
    assert text.exit_code == 0, text.output
    assert 'tasks[no=3].status: "not_carried_out" → "completed"' in text.output
    assert f"@51 {correction_id} record.corrected" in text.output
    assert "Nguyễn Thị Hồng" in text.output


def test_diff_names_voids_late_records_and_a_correction_of_a_correction(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    cli = sqlite_cli
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    issue(cli)
    first = cli("import", write_lines(tmp_path / "a.jsonl", [CORRECTION]))
    assert first.exit_code == 0, first.output
    lines = [
        # A second correction, over the first: task 3 was in fact still in progress.
        {
            "kind": "record.corrected",
            "org": ORG,
            "target": "task:2020/3",
            "set": {"status": "in_progress"},
            "reason": "Đính chính lại: chưa ký kết",
            "known_since": "2020-12-05",
        },
        {"kind": "record.voided", "org": ORG, "target": "task:2020/19", "reason": "Trùng lặp"},
        # A task of the programme migrated from paper after the issue.
        {
            "kind": "task.added",
            "org": ORG,
            "at": "2020-02-04",
            "programme": "2020",
            "no": 23,
            "title": "Tiếp đoàn Lào",
            "unit": "Văn phòng",
        },
        # Progress reported after D: outside both versions, so it causes nothing.
        {
            "kind": "task.progressed",
            "org": ORG,
            "at": "2020-12-30",
            "programme": "2020",
            "no": 21,
            "status": "completed",
        },
    ]
    second = cli("import", "--backfill", write_lines(tmp_path / "b.jsonl", lines))
    assert second.exit_code == 0, second.output
    ids = fact_ids(second)
    found = changes_by_path(diff_json(cli))
    assert found["tasks[no=3].status"]["after"] == "in_progress"
    # Only the latest correction explains today's figure.
    assert [c["fact_id"] for c in found["tasks[no=3].status"]["causes"]] == [ids[1]]
    removed = found["tasks[no=19]"]
    assert removed["after"] is None and removed["before"]["status"] == "cancelled"
    assert [c["fact_id"] for c in removed["causes"]] == [ids[2]]
    assert removed["causes"][0]["nature"] == "hủy"
    added = found["tasks[no=23]"]
    assert added["before"] is None and added["after"]["status"] == "unreported"
    assert [c["fact_id"] for c in added["causes"]] == [ids[3]]
    assert added["causes"][0]["nature"].startswith("hồ sơ nhập bổ sung")
    assert found["summary.cancelled"]["after"] == 0
    assert [c["fact_id"] for c in found["summary.cancelled"]["causes"]] == [ids[2]]
    assert found["summary.in_progress"]["after"] == 2  # task 21 and task 3
    assert not any(c["fact_id"] == ids[4] for ch in found.values() for c in ch["causes"])
    assert cli("reprint", ORG, NUMBER).exit_code == 0


def test_diff_of_an_unknown_number_is_bad_input(sqlite_cli: Cli) -> None:
    assert sqlite_cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    result = sqlite_cli("diff", ORG, "1/XX")
    assert result.exit_code == 2
    assert "1/XX" in result.output


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a UTF-8 BOM, for spreadsheets"
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_audit_export_holds_every_event_of_the_department(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    assert cli("import", "--backfill", "--quiet", str(SEED_004)).exit_code == 0
    issue(cli)
    tricky = 'Sai số liệu, "đính chính"\nlần 2; Đoàn Hội nghị'
    fix = dict(CORRECTION, reason=tricky)
    assert cli("import", write_lines(tmp_path / "fix.jsonl", [fix])).exit_code == 0
    out = tmp_path / "audit.csv"
    result = cli("audit", "export", "--org", ORG, "-o", str(out))
    assert result.exit_code == 0, result.output

    raw = out.read_bytes()
    assert b"\r\n" in raw
    rows = read_csv(raw)
    sample = [json.loads(line) for line in SEED_000.read_text("utf-8").splitlines()]
    # Every line of the seed, the issued report and the correction; nothing of gia-lai.
    assert len(rows) == len(sample) + 2
    assert {r["org"] for r in rows} == {ORG}
    positions = [int(r["position"]) for r in rows]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    titles = {r["fact_id"]: json.loads(r["data"]).get("title") for r in rows}
    for line in sample:
        if line["kind"] == "task.added":
            assert titles[f"task:{line['programme']}/{line['no']}#1"] == line["title"]
    fixed = next(r for r in rows if r["kind"] == "record.corrected")
    assert fixed["reason"] == tricky
    assert fixed["actor"] == "Nguyễn Thị Hồng"
    assert fixed["ref"] == "12/SNgV-VP"
    assert fixed["known"].startswith("2020-12-01T00:00:00")
    assert fixed["recorded_at"] > fixed["known"]
    issued_row = next(r for r in rows if r["kind"] == "report.issued")
    assert issued_row["ref"] == NUMBER
    assert json.loads(issued_row["data"])["signer"] == "Lê Thị Khánh Cẩm"
    first_task = next(r for r in rows if r["kind"] == "task.added")
    assert first_task["at"] == "2020-02-04" and first_task["known_since"] == "2020-02-04"
    assert all(re.fullmatch(r"[0-9a-f]{64}", r["org_hash"]) for r in rows)
    # The last row's department hash is the department head `verify` prints.
    verified = cli("verify")
    heads = json.loads(verified.output.split("department heads: ", 1)[1].splitlines()[0])
    assert rows[-1]["org_hash"] == heads[ORG]

    jsonl = cli("audit", "export", "--org", ORG, "--format", "jsonl")
    assert jsonl.exit_code == 0
    events = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [e["position"] for e in events] == positions
    assert events[-1]["reason"] == tricky

    stdout_csv = cli("audit", "export", "--org", "gia-lai")
    gia_lai = read_csv(stdout_csv.stdout_bytes)
    sample_004 = SEED_004.read_text("utf-8").splitlines()
    assert len(gia_lai) == len(sample_004)
    assert {r["org"] for r in gia_lai} == {"gia-lai"}


def test_audit_export_selects_by_recorded_day(sqlite_cli: Cli) -> None:
    cli = sqlite_cli
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    rows = read_csv(cli("audit", "export", "--org", ORG).stdout_bytes)
    day = rows[0]["recorded_at"][:10]
    same = cli("audit", "export", "--org", ORG, "--from", day, "--to", day, "--format", "jsonl")
    assert len(same.stdout.splitlines()) == len(rows)
    # Backfilled facts are effective in 2020 but recorded today: none was recorded in 2020.
    old = cli("audit", "export", "--org", ORG, "--from", "2020-01-01", "--to", "2020-12-31")
    assert read_csv(old.stdout_bytes) == []
    bad = cli("audit", "export", "--org", ORG, "--from", "2020-13-01")
    assert bad.exit_code == 2
    unknown = cli("audit", "export", "--org", "khong-co")
    assert unknown.exit_code == 2


FORMULA_TASK = {
    "kind": "task.added",
    "org": ORG,
    "programme": "2020",
    "no": 60,
    "title": '=HYPERLINK("http://evil.example","x")',
    "unit": "Phòng",
    "source": "programme",
    "at": "2020-03-01",
    "ref": "@SUM(1+1)",
    "reason": "+1+cmd|' /C calc'!A0",
}


def test_audit_csv_is_exact_unless_made_spreadsheet_safe(sqlite_cli: Cli, tmp_path: Path) -> None:
    cli = sqlite_cli
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    lines = [FORMULA_TASK, {**FORMULA_TASK, "no": 61, "ref": "-2+3", "reason": "\t=1+1"}]
    assert cli("import", "--backfill", write_lines(tmp_path / "f.jsonl", lines)).exit_code == 0
    every = read_csv(cli("audit", "export", "--org", ORG).stdout_bytes)
    exact = every[-2:]
    safe = read_csv(cli("audit", "export", "--org", ORG, "--spreadsheet-safe").stdout_bytes)
    assert len(safe) == len(every)
    assert [r["fact_id"] for r in exact] == ["task:2020/60#1", "task:2020/61#1"]
    for before, after in zip(every[:-2], safe[:-2], strict=True):
        assert after == before, before["fact_id"]  # the seed has no cell like a formula
    safe = safe[-2:]
    assert [r["ref"] for r in exact] == ["@SUM(1+1)", "-2+3"]
    assert [r["reason"] for r in exact] == ["+1+cmd|' /C calc'!A0", "\t=1+1"]
    assert [r["ref"] for r in safe] == ["'@SUM(1+1)", "'-2+3"]
    assert [r["reason"] for r in safe] == ["'+1+cmd|' /C calc'!A0", "'\t=1+1"]
    for before, after in zip(exact, safe, strict=True):  # nothing else changes
        for column, value in before.items():
            if not value.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert after[column] == value, column
        assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in after.values())
    refused = cli("audit", "export", "--org", ORG, "--format", "jsonl", "--spreadsheet-safe")
    assert refused.exit_code == 2
