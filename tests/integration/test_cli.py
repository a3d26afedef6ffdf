"""CONTRACT.md, "The command line" and "Time": import, history, search, projections, cut-offs.

Each test runs on SQLite and on PostgreSQL (the `cli` fixture).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.conftest import SAMPLES

ORG = "ha-tinh"
SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
ORG_LINE = {
    "kind": "org.registered",
    "org": ORG,
    "at": "2019-01-01",
    "name": "Sở Ngoại vụ tỉnh Hà Tĩnh",
    "parent": "UBND tỉnh Hà Tĩnh",
    "place": "Hà Tĩnh",
}
PROGRAMME_LINE = {
    "kind": "programme.adopted",
    "org": ORG,
    "at": "2020-02-04",
    "programme": "2020",
    "title": "Chương trình công tác trọng tâm năm 2020",
}


def task(no: int, **extra: Any) -> dict[str, Any]:
    """A `task.added` line of programme 2020."""
    return {
        "kind": "task.added",
        "org": ORG,
        "at": "2020-02-04",
        "programme": "2020",
        "no": no,
        "title": f"Tổ chức đoàn công tác số {no}",
        "unit": "Hợp tác quốc tế",
        **extra,
    }


def progress(no: int, status: str, at: str, **extra: Any) -> dict[str, Any]:
    """A `task.progressed` line (programme 2020 unless given)."""
    return {
        "kind": "task.progressed",
        "org": ORG,
        "at": at,
        "programme": "2020",
        "no": no,
        "status": status,
        **extra,
    }


BASE = [ORG_LINE, PROGRAMME_LINE, *(task(no) for no in (1, 2, 3))]


def jsonl(lines: list[dict[str, Any]]) -> str:
    """A JSON Lines text."""
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def write(path: Path, lines: list[dict[str, Any]]) -> str:
    """Write a UTF-8 import file; its path for the CLI."""
    path.write_text(jsonl(lines), encoding="utf-8")
    return str(path)


def ok(result: Result) -> Result:
    """A command that succeeded, without a traceback."""
    assert result.exit_code == 0, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result


def summary(result: Result) -> tuple[int, int, str, int]:
    """(added, skipped, recorded instant, position) of an import."""
    found = re.search(
        r"added (\d+), skipped (\d+), recorded (\S+), position @(\d+)", ok(result).stdout
    )
    assert found, result.output
    return int(found[1]), int(found[2]), found[3], int(found[4])


def report(cli: Any, kind: str, *options: str, org: str = ORG) -> dict[str, Any]:
    """A report's JSON."""
    return json.loads(ok(cli("report", kind, "--org", org, *options)).stdout)


def key_tasks(cli: Any, *options: str, org: str = ORG) -> dict[int, str]:
    """Task number → status in the key-tasks report of 2020."""
    content = report(cli, "key-tasks", "--period", "2020", *options, org=org)
    return {t["no"]: t["status"] for t in content["tasks"]}


def head(cli: Any) -> int:
    """The store's head position."""
    with cli.runtime() as rt:
        return rt.app.head()


def bad_input(result: Result, *words: str) -> None:
    """Exit 2, a message naming the option or rule, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr


# --- import: idempotence, encodings, stdin --------------------------------------------------


def test_reimporting_a_file_adds_nothing(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", [*BASE, progress(1, "completed", "2020-06-01")])
    added, skipped, _, position = summary(cli("import", "--backfill", path))
    assert (added, skipped) == (6, 0)
    before = report(cli, "key-tasks", "--period", "2020", "--as-of", "2020-12-11")
    again = ok(cli("import", "--backfill", path))
    assert "added 0, skipped 6" in again.stdout
    assert head(cli) == position
    after = report(cli, "key-tasks", "--period", "2020", "--as-of", "2020-12-11")
    assert after["digest"] == before["digest"]


def test_the_samples_reimported_add_nothing(cli: Any) -> None:
    first = summary(cli("import", "--backfill", str(SEED_000)))
    assert first[:2] == (49, 0)
    assert summary(cli("import", "--backfill", str(SEED_000)))[:2] == (0, 49)
    assert head(cli) == first[3]


def test_nfd_copy_of_an_nfc_file_is_skipped(cli: Any, tmp_path: Path) -> None:
    text = jsonl(BASE)
    nfc = tmp_path / "nfc.jsonl"
    nfd = tmp_path / "nfd.jsonl"
    nfc.write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
    nfd.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    assert nfc.read_bytes() != nfd.read_bytes()
    assert summary(cli("import", str(nfd)))[:2] == (5, 0)
    assert summary(cli("import", str(nfc)))[:2] == (0, 5)
    titles = [e["data"]["title"] for e in history(cli, "task:2020/1")]
    assert titles == [unicodedata.normalize("NFC", task(1)["title"])]


def test_a_bom_is_tolerated(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl(BASE).encode("utf-8"))
    assert summary(cli("import", str(path)))[:2] == (5, 0)
    assert history(cli, "org")[0]["data"]["name"] == "Sở Ngoại vụ tỉnh Hà Tĩnh"
    assert report(cli, "key-tasks", "--period", "2020")["summary"]["unreported"] == 3


def test_import_from_stdin(cli: Any) -> None:
    result = cli("import", "--backfill", "-", input=jsonl(BASE).encode("utf-8"))
    assert summary(result)[:2] == (5, 0)
    again = cli("import", "--backfill", "-", input=jsonl(BASE).encode("utf-8"))
    assert summary(again)[:2] == (0, 5)


def test_missing_file_is_bad_input(cli: Any, tmp_path: Path) -> None:
    bad_input(cli("import", str(tmp_path / "none.jsonl")), "none.jsonl")


# --- --backfill: the honest default ---------------------------------------------------------


def test_backfill_makes_past_reports_see_facts(cli: Any, tmp_path: Path) -> None:
    """Without `known_since` or `--backfill`, a fact imported today is invisible in the past."""
    honest = [*BASE, progress(1, "completed", "2020-06-01")]
    paper = [
        {**line, "org": "nghe-an"} | ({"name": "Sở Ngoại vụ tỉnh Nghệ An"} if i == 0 else {})
        for i, line in enumerate(honest)
    ]
    ok(cli("import", write(tmp_path / "honest.jsonl", honest)))
    ok(cli("import", "--backfill", write(tmp_path / "paper.jsonl", paper)))
    assert key_tasks(cli, "--as-of", "2020-12-11") == {}
    assert key_tasks(cli, "--as-of", "2020-12-11", org="nghe-an") == {
        1: "completed",
        2: "unreported",
        3: "unreported",
    }
    # What we know today about 11/12/2020: the honest import is visible with --known-by now.
    assert key_tasks(cli, "--as-of", "2020-12-11", "--known-by", "now") == {
        1: "completed",
        2: "unreported",
        3: "unreported",
    }
    # Backfill fills known_since from `at`: known on 1/6/2020, not on 31/5/2020.
    assert key_tasks(cli, "--as-of", "2020-06-01", org="nghe-an")[1] == "completed"
    assert key_tasks(cli, "--as-of", "2020-05-31", org="nghe-an")[1] == "unreported"


# --- history: actor, by, corrections beside the original ------------------------------------


def history(cli: Any, target: str, org: str = ORG) -> list[dict[str, Any]]:
    """`history --format json`."""
    return json.loads(ok(cli("history", org, target, "--format", "json")).stdout)


def search(cli: Any, text: str, org: str = ORG) -> list[dict[str, str]]:
    """`search`'s JSON list."""
    return json.loads(ok(cli("search", org, text)).stdout)


def test_actor_and_by_in_history(cli: Any, tmp_path: Path) -> None:
    lines = [*BASE, progress(1, "completed", "2020-06-01", by="tran.thi.b")]
    ok(cli("import", "--backfill", "--actor", "nguyen.van.a", write(tmp_path / "a.jsonl", lines)))
    events = history(cli, "task:2020/1")
    assert [(e["kind"], e["actor"]) for e in events] == [
        ("task.added", "nguyen.van.a"),
        ("task.progressed", "tran.thi.b"),
    ]
    assert history(cli, "org")[0]["actor"] == "nguyen.van.a"
    text = ok(cli("history", ORG, "task:2020/1")).stdout
    assert "nguyen.van.a" in text and "tran.thi.b" in text


def test_actor_defaults_to_the_user(cli: Any, tmp_path: Path) -> None:
    ok(cli("import", write(tmp_path / "a.jsonl", BASE)))
    assert history(cli, "task:2020/1")[0]["actor"] == cli.env["NGOAIVU_ACTOR"]


def test_history_shows_corrections_beside_the_original(cli: Any, tmp_path: Path) -> None:
    lines = [*BASE, progress(1, "completed", "2020-06-01", ref="12/SNgV-VP")]
    ok(cli("import", "--backfill", write(tmp_path / "a.jsonl", lines)))
    fix = {
        "kind": "record.corrected",
        "org": ORG,
        "target": "task:2020/1",
        "set": {"at": "2020-06-03"},
        "reason": "Ngày hoàn thành ghi nhầm",
        "ref": "15/SNgV-VP",
    }
    title = {
        "kind": "record.corrected",
        "org": ORG,
        "target": "fact:task:2020/1#1",
        "set": {"title": "Tổ chức đoàn công tác sang Lào"},
        "reason": "Sai tên nhiệm vụ",
    }
    result = ok(cli("import", "--actor", "thanh.tra", write(tmp_path / "b.jsonl", [fix, title])))
    assert "task:2020/1#3" in result.stdout and "task:2020/1#4" in result.stdout
    events = history(cli, "task:2020/1")
    assert [e["fact_id"] for e in events] == [f"task:2020/1#{v}" for v in (1, 2, 3, 4)]
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    _original, done, corrected, retitled = events
    assert done["kind"] == "task.progressed" and done["ref"] == "12/SNgV-VP"
    assert corrected["kind"] == "record.corrected"
    assert corrected["target_fact_id"] == "task:2020/1#2"
    assert corrected["reason"] == "Ngày hoàn thành ghi nhầm"
    assert corrected["ref"] == "15/SNgV-VP"
    assert corrected["actor"] == "thanh.tra"
    assert retitled["target_fact_id"] == "task:2020/1#1"
    for event in events:
        assert {"at", "known", "recorded_at"} <= event.keys()
    text = ok(cli("history", ORG, "task:2020/1")).stdout
    assert "task:2020/1#3" in text and "→ task:2020/1#2" in text
    # The correction is within the cut-offs from today on, and its title reaches the report.
    listed = report(
        cli, "key-tasks", "--period", "2020", "--as-of", "2020-12-11", "--known-by", "now"
    )
    assert listed["tasks"][0]["title"] == "Tổ chức đoàn công tác sang Lào"


def test_history_of_an_unknown_target_is_bad_input(cli: Any, tmp_path: Path) -> None:
    ok(cli("import", write(tmp_path / "a.jsonl", BASE)))
    bad_input(cli("history", ORG, "task:2020/99"), "task:2020/99")


# --- search ---------------------------------------------------------------------------------


def test_search_ignores_case_and_diacritics(cli: Any, tmp_path: Path) -> None:
    ok(cli("import", "--backfill", str(SEED_000)))
    found = search(cli, "hoi nghi")
    targets = {f["target"] for f in found}
    assert {"task:2020/16", "task:2020/17", "task:2020/18", "task:2020/19"} <= targets
    assert all("hội nghị" in f["title"].lower() for f in found)
    assert any(f["title"].startswith("Hội nghị") for f in found)
    assert search(cli, "HỘI NGHỊ") == found
    assert search(cli, "nghi hoi") == found  # every word, in any order
    # Every word, in any text field: task 21's unit is "Văn phòng - Thanh tra".
    inspection = {f["target"]: f["title"] for f in search(cli, "thanh tra doi ngoai")}
    assert set(inspection) == {"task:2020/11", "task:2020/21"}
    assert inspection["task:2020/11"].startswith("Thanh tra đối ngoại")
    narrow = search(cli, "Thanh tra đối ngoại Vũ Quang hương khê")
    assert [f["target"] for f in narrow] == ["task:2020/11"]
    assert search(cli, "doi ngoai xyz") == []
    assert search(cli, "hoi nghi", org="gia-lai") == []


def test_search_leaves_voided_records_out(cli: Any, tmp_path: Path) -> None:
    ok(cli("import", "--backfill", str(SEED_000)))
    assert "task:2020/11" in {f["target"] for f in search(cli, "thanh tra doi ngoai")}
    void = {
        "kind": "record.voided",
        "org": ORG,
        "target": "task:2020/11",
        "reason": "Nhập trùng",
    }
    ok(cli("import", write(tmp_path / "void.jsonl", [void])))
    assert "task:2020/11" not in {f["target"] for f in search(cli, "thanh tra doi ngoai")}
    assert search(cli, "vu quang huong khe") == []
    assert "task:2020/19" in {f["target"] for f in search(cli, "hoi nghi")}


# --- projections rebuild ----------------------------------------------------------------------


def test_rebuild_gives_the_same_digest(cli: Any, tmp_path: Path) -> None:
    ok(cli("import", "--backfill", str(SEED_000)))
    fix = {
        "kind": "record.corrected",
        "org": ORG,
        "target": "task:2020/21",
        "set": {"status": "completed"},
        "reason": "Đã tổ chức ngày 23/12/2020",
        "known_since": "2020-12-24",
    }
    ok(cli("import", write(tmp_path / "fix.jsonl", [fix])))
    options = [
        ("key-tasks", "--period", "2020", "--as-of", "2020-12-11"),
        ("key-tasks", "--period", "2020", "--as-of", "2020-12-31"),
        ("assigned-tasks", "--period", "2020", "--as-of", "2020-12-11"),
    ]
    before = [report(cli, *o)["digest"] for o in options]
    result = ok(cli("projections", "rebuild"))
    assert f"@{head(cli)}" in result.stdout
    assert [report(cli, *o)["digest"] for o in options] == before
    assert key_tasks(cli, "--as-of", "2020-12-31")[21] == "completed"


# --- the three cut-offs ---------------------------------------------------------------------


def test_as_of(cli: Any) -> None:
    """As of 8/9/2020 only task 19 is cancelled (609/SNgV-HTQT); the others are unreported."""
    ok(cli("import", "--backfill", str(SEED_000)))
    early = key_tasks(cli, "--as-of", "2020-09-08")
    assert early[19] == "cancelled"
    assert {n for n, s in early.items() if s != "unreported"} == {19}
    assert key_tasks(cli, "--as-of", "2020-09-07")[19] == "unreported"
    late = report(cli, "key-tasks", "--period", "2020", "--as-of", "2020-12-11")
    assert late["as_of"] == "2020-12-11" and late["known_by"] == "2020-12-11"
    assert late["summary"]["completed"] == 12


def test_known_by_now_shows_a_correction_known_later(cli: Any, tmp_path: Path) -> None:
    """Task 21 was in progress on 11/12/2020; the mistake was found on 5/1/2021."""
    ok(cli("import", "--backfill", str(SEED_000)))
    fix = {
        "kind": "record.corrected",
        "org": ORG,
        "target": "task:2020/21",
        "set": {"status": "completed"},
        "reason": "Báo cáo nhầm: đã hoàn thành",
        "known_since": "2021-01-05",
    }
    ok(cli("import", write(tmp_path / "fix.jsonl", [fix])))
    as_of = ("--as-of", "2020-12-11")
    assert key_tasks(cli, *as_of)[21] == "in_progress"
    assert key_tasks(cli, *as_of, "--known-by", "2021-01-04")[21] == "in_progress"
    assert key_tasks(cli, *as_of, "--known-by", "2021-01-05")[21] == "completed"
    now = report(cli, "key-tasks", "--period", "2020", *as_of, "--known-by", "now")
    assert {t["no"]: t["status"] for t in now["tasks"]}[21] == "completed"
    assert now["summary"]["completed"] == 13 and now["summary"]["in_progress"] == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+07:00", now["known_by"])
    # K before D: on 11/12 as known by 10/12, nothing dated 11/12 is known yet.
    before = key_tasks(cli, *as_of, "--known-by", "2020-12-10")
    assert before[21] == "unreported" and before[19] == "cancelled"


def test_recorded_by_position_and_instant(cli: Any, tmp_path: Path) -> None:
    first = summary(cli("import", "--backfill", write(tmp_path / "a.jsonl", BASE)))
    later = [progress(1, "completed", "2020-06-01"), progress(2, "cancelled", "2020-07-01")]
    second = summary(cli("import", "--backfill", write(tmp_path / "b.jsonl", later)))
    assert second[3] == first[3] + 2
    options = ("--as-of", "2020-12-11")
    everything = report(cli, "key-tasks", "--period", "2020", *options)
    assert everything["recorded_by"] == f"@{second[3]}"
    assert {t["no"]: t["status"] for t in everything["tasks"]} == {
        1: "completed",
        2: "cancelled",
        3: "unreported",
    }
    cut = report(cli, "key-tasks", "--period", "2020", *options, "--recorded-by", f"@{first[3]}")
    assert cut["recorded_by"] == f"@{first[3]}"
    assert set({t["no"]: t["status"] for t in cut["tasks"]}.values()) == {"unreported"}
    one_more = key_tasks(cli, *options, "--recorded-by", f"@{first[3] + 1}")
    assert one_more == {1: "completed", 2: "unreported", 3: "unreported"}
    # The instants the two imports were stamped with.
    assert key_tasks(cli, *options, "--recorded-by", first[2]) == {
        1: "unreported",
        2: "unreported",
        3: "unreported",
    }
    assert key_tasks(cli, *options, "--recorded-by", second[2])[2] == "cancelled"
    # Before the first import nothing is visible at all.
    assert key_tasks(cli, *options, "--recorded-by", "2020-01-01T00:00:00+07:00") == {}
    assert key_tasks(cli, *options, "--recorded-by", "@0") == {}


@pytest.mark.parametrize("value", ["12", "@x", "@-1", "yesterday", "2020-13-01T00:00:00Z"])
def test_bad_recorded_by(cli: Any, tmp_path: Path, value: str) -> None:
    ok(cli("import", write(tmp_path / "a.jsonl", BASE)))
    result = cli("report", "key-tasks", "--org", ORG, "--period", "2020", "--recorded-by", value)
    bad_input(result, "--recorded-by")


def test_recorded_by_past_the_head_is_refused(cli: Any, tmp_path: Path) -> None:
    """A position not yet written would change its answer with the next import: a report read
    there and an issue pinned there are refused (an issue at @99999 was "broken" by the next
    import); nothing is stored."""
    last = summary(cli("import", "--backfill", write(tmp_path / "a.jsonl", BASE)))[3]
    options = ("--org", ORG, "--period", "2020", "--as-of", "2020-12-11")
    assert report(cli, "key-tasks", *options[2:], "--recorded-by", f"@{last}")["recorded_by"] == (
        f"@{last}"
    )
    past = cli("report", "key-tasks", *options, "--recorded-by", f"@{last + 1}")
    bad_input(past, "--recorded-by")
    signature = ("--number", "2/TEST", "--signed-on", "2020-12-11", "--signer", "X Y")
    result = cli("issue", "key-tasks", *options, "--recorded-by", "@99999", *signature)
    bad_input(result, "--recorded-by", "@99999", f"@{last}")
    assert head(cli) == last
    bad_input(cli("reprint", ORG, "2/TEST"), "2/TEST")


@pytest.mark.parametrize(
    ("option", "value"),
    [("--as-of", "11/12/2020"), ("--as-of", "2020-02-30"), ("--known-by", "tomorrow")],
)
def test_bad_dates(cli: Any, tmp_path: Path, option: str, value: str) -> None:
    ok(cli("import", write(tmp_path / "a.jsonl", BASE)))
    result = cli("report", "key-tasks", "--org", ORG, "--period", "2020", option, value)
    bad_input(result, option)


# --- bad report options -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["key-tasks", "assigned-tasks"])
def test_report_for_an_unregistered_org(cli: Any, tmp_path: Path, kind: str) -> None:
    ok(cli("import", write(tmp_path / "a.jsonl", BASE)))
    result = cli("report", kind, "--org", "ha-tinhh", "--period", "2020")
    bad_input(result, "ha-tinhh")
    assert result.stdout == ""


def test_report_on_an_empty_store(cli: Any) -> None:
    bad_input(cli("report", "key-tasks", "--org", ORG, "--period", "2020"), ORG)


@pytest.mark.parametrize("period", ["2021-H3", "2021-Q5", "2021-13", "2021-00", "20x1", "2021-9m"])
def test_bad_period(cli: Any, tmp_path: Path, period: str) -> None:
    ok(cli("import", write(tmp_path / "a.jsonl", BASE)))
    result = cli("report", "key-tasks", "--org", ORG, "--period", period)
    bad_input(result, "--period")


def test_unknown_report_kind(cli: Any, tmp_path: Path) -> None:
    ok(cli("import", write(tmp_path / "a.jsonl", BASE)))
    result = cli("report", "key-task", "--org", ORG, "--period", "2020")
    assert result.exit_code == 2 and "Traceback" not in result.output


# --- Vietnam days: a fact at 2020-12-14T17:30Z happens on 15/12 ------------------------------


UBND = {
    "kind": "programme.adopted",
    "org": ORG,
    "at": "2020-01-01",
    "programme": "UBND-2020",
    "title": "Chương trình khung năm 2020 của UBND tỉnh",
}


def assigned(no: int, at: str, deadline: str | None = "2020-12-14") -> dict[str, Any]:
    """A task assigned by the UBND tỉnh."""
    line = task(no, programme="UBND-2020", at=at, source="ubnd")
    return line | ({"deadline": deadline} if deadline else {})


def test_an_instant_after_17h_utc_falls_on_the_next_vietnam_day(cli: Any, tmp_path: Path) -> None:
    """Deadline 14/12: done at 14/12 16:59:59Z (23:59:59 in Hà Tĩnh) is on time; at 17:30Z late."""
    lines = [
        ORG_LINE,
        UBND,
        assigned(1, "2020-11-01"),
        assigned(2, "2020-11-01"),
        assigned(3, "2020-11-01"),
        progress(1, "completed", "2020-12-14T16:59:59Z", programme="UBND-2020"),
        progress(2, "completed", "2020-12-14T17:30:00Z", programme="UBND-2020"),
        progress(3, "completed", "2020-12-14", programme="UBND-2020"),
    ]
    ok(cli("import", "--backfill", write(tmp_path / "a.jsonl", lines)))
    content = report(cli, "assigned-tasks", "--period", "2021", "--as-of", "2020-12-20")
    assert content["total"] == 0  # added in the nd09 year 2020 (15/12/2019–14/12/2020)
    content = report(cli, "assigned-tasks", "--period", "2020", "--as-of", "2020-12-20")
    rows = {t["no"]: t for t in content["tasks"]}
    assert rows[1]["completed_on"] == "2020-12-14" and rows[1]["outcome"] == "completed_on_time"
    assert rows[2]["completed_on"] == "2020-12-15" and rows[2]["outcome"] == "completed_late"
    assert rows[3]["completed_on"] == "2020-12-14" and rows[3]["outcome"] == "completed_on_time"
    assert (content["completed_on_time"], content["completed_late"]) == (2, 1)
    # As of 14/12 the 17:30Z completion has not happened yet: the deadline day is not over.
    on_the_day = report(cli, "assigned-tasks", "--period", "2020", "--as-of", "2020-12-14")
    rows = {t["no"]: t for t in on_the_day["tasks"]}
    assert rows[1]["status"] == "completed" and rows[3]["status"] == "completed"
    assert rows[2]["status"] == "unreported" and rows[2]["outcome"] == "in_progress"
    assert key_tasks(cli, "--as-of", "2020-12-14", "--programme", "UBND-2020")[2] == "unreported"
    assert key_tasks(cli, "--as-of", "2020-12-15", "--programme", "UBND-2020")[2] == "completed"


def test_a_task_added_at_the_period_boundary(cli: Any, tmp_path: Path) -> None:
    """nd09 year 2020 ends with 14/12/2020 (Vietnam day); 17:30Z on the 14th is the 15th."""
    lines = [
        ORG_LINE,
        UBND,
        assigned(1, "2020-12-14", deadline=None),
        assigned(2, "2020-12-14T16:59:59Z", deadline=None),
        assigned(3, "2020-12-14T17:30:00Z", deadline=None),
        assigned(4, "2020-12-15", deadline=None),
    ]
    ok(cli("import", "--backfill", write(tmp_path / "a.jsonl", lines)))
    year_2020 = report(cli, "assigned-tasks", "--period", "2020", "--as-of", "2020-12-31")
    year_2021 = report(cli, "assigned-tasks", "--period", "2021", "--as-of", "2020-12-31")
    assert [t["no"] for t in year_2020["tasks"]] == [1, 2]
    assert [t["no"] for t in year_2021["tasks"]] == [3, 4]
    calendar = report(
        cli, "assigned-tasks", "--period", "2020", "--window", "calendar", "--as-of", "2020-12-31"
    )
    assert [t["no"] for t in calendar["tasks"]] == [1, 2, 3, 4]
    assert calendar["period"] == {
        "label": "2020",
        "window": "calendar",
        "from": "2020-01-01",
        "to": "2020-12-31",
    }
