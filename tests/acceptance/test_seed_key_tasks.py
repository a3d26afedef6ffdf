"""Acceptance: the sample files reproduce every figure of seeds 000, 002 and 004.

The samples are imported with `--backfill` (records migrated from paper: each fact known on its
own `at`), as samples/README.md says; the expected figures are the seeds' own sentences.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import SAMPLES

SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
SEED_002 = SAMPLES / "002_ha_tinh_key_tasks_2021.jsonl"
SEED_004 = SAMPLES / "004_gia_lai_assigned_tasks_2020.jsonl"

STATUSES = (
    "unreported",
    "in_progress",
    "completed",
    "deferral_proposed",
    "deferred",
    "not_carried_out",
    "cancelled",
)


def run(cli: Any, *args: str) -> str:
    """A command's stdout; it must succeed without a traceback."""
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def load(cli: Any, *paths: Any) -> None:
    """Import sample files as paper records."""
    for path in paths:
        assert "added" in run(cli, "import", "--backfill", "--quiet", str(path))


def report(cli: Any, kind: str, org: str, period: str, as_of: str, *more: str) -> dict[str, Any]:
    """A report's JSON."""
    args = ("report", kind, "--org", org, "--period", period, "--as-of", as_of, *more)
    return json.loads(run(cli, *args))


def by_status(content: dict[str, Any]) -> dict[str, set[int]]:
    """Status → the task numbers in it."""
    found: dict[str, set[int]] = {status: set() for status in STATUSES}
    for line in content["tasks"]:
        found[line["status"]].add(line["no"])
    return found


@pytest.fixture
def seed_000(sqlite_cli: Any) -> Any:
    """A fresh SQLite installation with the 000 sample imported."""
    load(sqlite_cli, SEED_000)
    return sqlite_cli


@pytest.fixture
def key_tasks_2020(seed_000: Any) -> dict[str, Any]:
    """Report 849/SNgV-VP regenerated: key tasks of 2020 as of 11/12/2020."""
    return report(seed_000, "key-tasks", "ha-tinh", "2020", "2020-12-11")


def tasks_by_no(content: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Task number → its line in a key-tasks report."""
    return {line["no"]: line for line in content["tasks"]}


# --- seed 000: Hà Tĩnh, report 849/SNgV-VP of 11/12/2020 ------------------------------------


def test_000_programme_and_period(key_tasks_2020: dict[str, Any]) -> None:
    """ "…rà soát kết quả thực hiện Chương trình trọng tâm năm 2020 của Sở Ngoại vụ (ban hành kèm
    theo công văn số 53/SNgV-VP ngày 04/02/2020 …" — Hà Tĩnh, ngày 11 tháng 12 năm 2020.
    """
    content = key_tasks_2020
    assert content["report"] == "key-tasks"
    assert content["org"] == "ha-tinh"
    assert content["programme"] == "2020"
    assert content["as_of"] == "2020-12-11" and content["known_by"] == "2020-12-11"
    assert content["period"] == {
        "label": "2020",
        "window": "nd09",
        "from": "2019-12-15",
        "to": "2020-12-14",
    }
    assert [line["no"] for line in content["tasks"]] == list(range(1, 23))
    assert content["digest"].startswith("sha256:")


def test_000_completed(key_tasks_2020: dict[str, Any]) -> None:
    """ "Tính đến thời điểm này, các phòng, đơn vị đã hoàn thành xuất sắc các nhiệm vụ trong
    Chương trình theo số thứ tự: 1, 2, 5, 6, 8, 9, 10, 12, 13, 14, 15, 20."
    """
    assert by_status(key_tasks_2020)["completed"] == {1, 2, 5, 6, 8, 9, 10, 12, 13, 14, 15, 20}
    assert key_tasks_2020["summary"]["completed"] == 12


def test_000_in_progress(key_tasks_2020: dict[str, Any]) -> None:
    """ "Nhiệm vụ đang triển khai (nhiệm vụ 21): Tổ chức tổng kết công tác đối ngoại, biên giới
    và công tác phi chính phủ năm 2020 đã đưa vào lịch công tác tháng 12 của UBND tỉnh tổ chức
    vào chiều ngày 23/12/2020."
    """
    assert by_status(key_tasks_2020)["in_progress"] == {21}
    line = tasks_by_no(key_tasks_2020)[21]
    assert line["title"].startswith("Tổ chức tổng kết công tác đối ngoại, biên giới")
    assert "23/12/2020" in line["reason"]


def test_000_deferral_proposed(key_tasks_2020: dict[str, Any]) -> None:
    """ "Do ảnh hưởng của đại dịch Covid-19 và ảnh hưởng của đợt thiên tai, lũ lụt tháng 10 vừa
    qua … một số nhiệm vụ không thể triển khai trong năm 2020, Văn phòng-Thanh tra đã tham mưu
    văn bản chuyển nhiệm vụ sang năm 2021 đó là: thanh tra đối ngoại tại UBND huyện Vũ Quang và
    UBND huyện Hương Khê (nhiệm vụ 11), tổ chức Chương trình gặp mặt, kết nối kiều bào nhân dịp
    Tết cổ truyền (nhiệm vụ 22)."
    """
    assert by_status(key_tasks_2020)["deferral_proposed"] == {11, 22}
    assert by_status(key_tasks_2020)["deferred"] == set()
    lines = tasks_by_no(key_tasks_2020)
    assert lines[11]["title"].startswith("Thanh tra đối ngoại tại UBND huyện Vũ Quang")
    assert lines[22]["title"].startswith("Tổ chức Chương trình gặp mặt, kết nối kiều bào")
    for no in (11, 22):
        reason = lines[no]["reason"]
        assert "Covid-19" in reason and "lũ lụt" in reason and "2021" in reason


def test_000_not_carried_out(key_tasks_2020: dict[str, Any]) -> None:
    """ "… do ảnh hưởng của đại dịch covid-19 nên không tổ chức được các đoàn đi cũng như đón các
    đoàn vào để triển khai, cụ thể: ký kết quan hệ hợp tác hữu nghị giữa tỉnh Hà Tĩnh và tỉnh
    Tula/Liên bang Nga (nhiệm vụ 3), thiết lập hợp tác với 01 địa phương của Nhật Bản (nhiệm vụ
    4), thiết lập quan hệ hợp tác với thành phố Sun-Cheon Hàn Quốc (nhiệm vụ 7), tổ chức hội nghị
    cấp cao Hà Tĩnh - Bolykhămxay (nhiệm vụ 16), tổ chức hội nghị cấp cao Hà Tĩnh - Khăm Muộn
    (nhiệm vụ 17), tham dự Hội nghị cấp cao 9 tỉnh 03 nước tại Thái Lan."
    """
    assert by_status(key_tasks_2020)["not_carried_out"] == {3, 4, 7, 16, 17, 18}
    lines = tasks_by_no(key_tasks_2020)
    for no in (3, 4, 7, 16, 17, 18):
        assert "Covid-19" in lines[no]["reason"]
    assert "Tula" in lines[3]["title"]
    assert "Nhật Bản" in lines[4]["title"]
    assert "Sun-Cheon" in lines[7]["title"]
    assert "Bolykhămxay" in lines[16]["title"]
    assert "Khăm Muộn" in lines[17]["title"]
    assert lines[18]["title"] == "Tham dự Hội nghị cấp cao 9 tỉnh 03 nước tại Thái Lan"


def test_000_cancelled(key_tasks_2020: dict[str, Any]) -> None:
    """ "Riêng hội nghị tổng kết Chương trình 274/CTr-UBND … ngày 8/9/2020 phòng Hợp tác quốc tế
    tham mưu lãnh đạo văn bản số 609/SNgV-HTQT báo cáo Ủy ban nhân dân tỉnh xin phép không tổ
    chức riêng hội nghị tổng kết Chương trình 274/CTr-UBND mà sẽ gắn với tổng kết ngành đối ngoại
    trong tháng 12 năm 2020 và đã được sự đồng ý của đồng chí Phó Chủ tịch Thường trực UBND tỉnh"
    """
    assert by_status(key_tasks_2020)["cancelled"] == {19}
    line = tasks_by_no(key_tasks_2020)[19]
    assert line["title"] == "Hội nghị tổng kết Chương trình 274/CTr-UBND"
    assert line["ref"] == "609/SNgV-HTQT"
    assert "không tổ chức riêng" in line["reason"].lower()


def test_000_summary(key_tasks_2020: dict[str, Any]) -> None:
    """The whole of part I of 849/SNgV-VP: "… theo số thứ tự: 1, 2, 5, 6, 8, 9, 10, 12, 13, 14,
    15, 20", "(nhiệm vụ 21)", "(nhiệm vụ 11) … (nhiệm vụ 22)", "(nhiệm vụ 3) … (nhiệm vụ 17),
    tham dự Hội nghị cấp cao 9 tỉnh 03 nước tại Thái Lan", "Riêng hội nghị tổng kết Chương trình
    274/CTr-UBND": 22 tasks, each counted once.
    """
    assert key_tasks_2020["summary"] == {
        "unreported": 0,
        "in_progress": 1,
        "completed": 12,
        "deferral_proposed": 2,
        "deferred": 0,
        "not_carried_out": 6,
        "cancelled": 1,
    }
    assert sum(key_tasks_2020["summary"].values()) == len(key_tasks_2020["tasks"]) == 22


@pytest.mark.parametrize("no", [18, 19])
def test_000_inferred_numbers_are_marked_in_history(seed_000: Any, no: int) -> None:
    """The report never numbers "tham dự Hội nghị cấp cao 9 tỉnh 03 nước tại Thái Lan" nor
    "Riêng hội nghị tổng kết Chương trình 274/CTr-UBND": 18 and 19 are the two numbers it never
    names, and their `task.added` lines say so (no_inferred, no_note).
    """
    events = json.loads(run(seed_000, "history", "ha-tinh", f"task:2020/{no}", "--format", "json"))
    added = events[0]
    assert added["kind"] == "task.added" and added["fact_id"] == f"task:2020/{no}#1"
    assert added["data"]["no_inferred"] is True
    assert "18, 19" in added["data"]["no_note"]
    assert added["ref"] == "53/SNgV-VP"
    text = run(seed_000, "history", "ha-tinh", f"task:2020/{no}")
    assert '"no_inferred": true' in text
    # The tasks whose number the report states carry no such marker.
    plain = json.loads(run(seed_000, "history", "ha-tinh", "task:2020/17", "--format", "json"))
    assert "no_inferred" not in plain[0]["data"]


def test_000_ubnd_item(seed_000: Any) -> None:
    """ "Đặc biệt phòng Lãnh sự - Biên giới đã hoàn thành nội dung đăng ký trong Chương trình
    khung của UBND tỉnh là đã ban hành Quy chế phối hợp xử lý các vấn đề về lãnh sự liên quan đến
    người nước ngoài trên địa bàn tỉnh (Quyết định số 39/2020/QĐ-UBND ngày 8/12/2020)."
    """
    content = report(seed_000, "assigned-tasks", "ha-tinh", "2020", "2020-12-11")
    counts = {k: content[k] for k in ("completed_on_time", "completed_late", "cancelled")}
    assert content["total"] == 1
    assert counts == {"completed_on_time": 1, "completed_late": 0, "cancelled": 0}
    assert (content["not_completed_on_time"], content["in_progress"]) == (0, 0)
    (line,) = content["tasks"]
    assert line["programme"] == "UBND-2020" and line["no"] == 1
    assert line["unit"] == "Lãnh sự - Biên giới"
    assert line["title"].startswith("Quy chế phối hợp xử lý các vấn đề về lãnh sự")
    assert line["status"] == "completed" and line["completed_on"] == "2020-12-08"
    # The decision that completed it: in the key-task listing of the UBND programme, and history.
    ubnd = report(
        seed_000, "key-tasks", "ha-tinh", "2020", "2020-12-11", "--programme", "UBND-2020"
    )
    assert [(t["no"], t["status"], t["ref"]) for t in ubnd["tasks"]] == [
        (1, "completed", "39/2020/QĐ-UBND")
    ]
    events = json.loads(run(seed_000, "history", "ha-tinh", "task:UBND-2020/1", "--format", "json"))
    assert [(e["kind"], e["at"], e["ref"]) for e in events][-1] == (
        "task.progressed",
        "2020-12-08",
        "39/2020/QĐ-UBND",
    )
    # The UBND task is no key task of the department's own programme 2020.
    own = report(seed_000, "key-tasks", "ha-tinh", "2020", "2020-12-11")
    assert not any(t["title"] == line["title"] for t in own["tasks"])


def test_000_earlier_days(seed_000: Any) -> None:
    """ "… ngày 8/9/2020 phòng Hợp tác quốc tế tham mưu lãnh đạo văn bản số 609/SNgV-HTQT …" and
    "(Quyết định số 39/2020/QĐ-UBND ngày 8/12/2020)": on 8/9/2020 only task 19 had an outcome;
    on 10/12/2020 the UBND item was done and every status dated 11/12 still unreported.
    """
    september = report(seed_000, "key-tasks", "ha-tinh", "2020", "2020-09-08")
    assert by_status(september)["cancelled"] == {19}
    assert by_status(september)["unreported"] == set(range(1, 23)) - {19}
    december = report(seed_000, "key-tasks", "ha-tinh", "2020", "2020-12-10")
    assert december["summary"]["unreported"] == 21
    assigned = report(seed_000, "assigned-tasks", "ha-tinh", "2020", "2020-12-10")
    assert assigned["completed_on_time"] == 1
    before = report(seed_000, "assigned-tasks", "ha-tinh", "2020", "2020-12-07")
    assert (before["completed_on_time"], before["in_progress"]) == (0, 1)


def test_000_without_backfill_the_past_sees_nothing(sqlite_cli: Any) -> None:
    """The honest default (CONTRACT "Time"): without `--backfill`, a fact imported today is
    invisible to any past as-of, so 849/SNgV-VP cannot be regenerated from such an import.
    """
    run(sqlite_cli, "import", "--quiet", str(SEED_000))
    content = report(sqlite_cli, "key-tasks", "ha-tinh", "2020", "2020-12-11")
    assert content["tasks"] == [] and sum(content["summary"].values()) == 0
    known_now = report(
        sqlite_cli, "key-tasks", "ha-tinh", "2020", "2020-12-11", "--known-by", "now"
    )
    assert known_now["summary"]["completed"] == 12


# --- seed 002: Hà Tĩnh, first half of 2021 --------------------------------------------------


def test_002_ten_of_twenty_four(sqlite_cli: Any) -> None:
    """ "Sở cũng đã ban hành khung nhiệm vụ trọng tâm tại đơn vị với 24 nội dung, hiện nay đã
    hoàn thành 10/24 nhiệm vụ." (as of 14/6/2021, the last day of the nd09 first half)
    """
    load(sqlite_cli, SEED_000, SEED_002)  # the shared org.registered line is skipped
    content = report(sqlite_cli, "key-tasks", "ha-tinh", "2021", "2021-06-14")
    assert content["programme"] == "2021"
    assert len(content["tasks"]) == 24
    assert content["summary"] == {
        "unreported": 14,
        "in_progress": 0,
        "completed": 10,
        "deferral_proposed": 0,
        "deferred": 0,
        "not_carried_out": 0,
        "cancelled": 0,
    }
    half = report(
        sqlite_cli, "key-tasks", "ha-tinh", "2021-H1", "2021-06-14", "--programme", "2021"
    )
    assert half["period"] == {
        "label": "2021-H1",
        "window": "nd09",
        "from": "2020-12-15",
        "to": "2021-06-14",
    }
    assert half["summary"] == content["summary"]
    # The completions are dated 14/6/2021: the day before, none is done.
    day_before = report(sqlite_cli, "key-tasks", "ha-tinh", "2021", "2021-06-13")
    assert day_before["summary"]["completed"] == 0
    # 2020's programme is untouched by the 2021 file.
    assert (
        report(sqlite_cli, "key-tasks", "ha-tinh", "2020", "2020-12-11")["summary"]["completed"]
        == 12
    )


def test_002_alone(sqlite_cli: Any) -> None:
    """ "… hiện nay đã hoàn thành 10/24 nhiệm vụ." — the 002 file also stands on its own."""
    load(sqlite_cli, SEED_002)
    content = report(sqlite_cli, "key-tasks", "ha-tinh", "2021", "2021-06-14")
    assert (content["summary"]["completed"], len(content["tasks"])) == (10, 24)


# --- seed 004: Gia Lai, assigned tasks of 2020 ----------------------------------------------


@pytest.mark.parametrize("as_of", ["2020-11-20", "2020-09-18", "2020-12-14"])
def test_004_forty_eight_assigned_tasks(sqlite_cli: Any, as_of: str) -> None:
    """ "Từ đầu năm đến này, Sở Ngoại vụ được giao tổng cộng 48 nhiệm vụ, trong đó có 44 nhiệm
    vụ hoàn thành trong hạn, 02 nhiệm vụ chưa hoàn thành trong hạn, 02 nhiệm vụ hoàn thành quá
    hạn." (report date assumed 20/11/2020; the same figures hold from 18/9 to 14/12/2020)
    """
    load(sqlite_cli, SEED_004)
    content = report(sqlite_cli, "assigned-tasks", "gia-lai", "2020", as_of)
    assert content["total"] == 48
    assert {
        key: content[key]
        for key in (
            "completed_on_time",
            "completed_late",
            "not_completed_on_time",
            "in_progress",
            "cancelled",
        )
    } == {
        "completed_on_time": 44,
        "completed_late": 2,
        "not_completed_on_time": 2,
        "in_progress": 0,
        "cancelled": 0,
    }
    outcome = {t["no"]: t["outcome"] for t in content["tasks"]}
    assert len(outcome) == 48
    assert {n for n, o in outcome.items() if o == "completed_late"} == {45, 46}
    assert {n for n, o in outcome.items() if o == "not_completed_on_time"} == {47, 48}


def test_004_before_the_last_deadline(sqlite_cli: Any) -> None:
    """ "… 02 nhiệm vụ chưa hoàn thành trong hạn …": task 48's deadline is 17/9/2020, so on that
    day it is still in progress, and overdue only from 18/9.
    """
    load(sqlite_cli, SEED_004)
    content = report(sqlite_cli, "assigned-tasks", "gia-lai", "2020", "2020-09-17")
    assert (content["not_completed_on_time"], content["in_progress"]) == (1, 1)
