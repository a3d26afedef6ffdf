"""CONTRACT.md, "The import file", Rules: a line that breaks a rule rejects the whole file.

Every rejection must exit 2, name the line and the field (or the rule) on stderr, show no
traceback, and leave the store exactly as it was: same head position, same report digest.
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

from service.importing.handlers import KINDS

ORG = "ha-tinh"
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
    "ref": "53/SNgV-VP",
}


def task(no: int, **extra: Any) -> dict[str, Any]:
    """A `task.added` line of programme 2020."""
    return {
        "kind": "task.added",
        "org": ORG,
        "at": "2020-02-04",
        "programme": "2020",
        "no": no,
        "title": f"Nhiệm vụ số {no}",
        "unit": "Văn phòng - Thanh tra",
        **extra,
    }


def progress(no: int, status: str, at: str, **extra: Any) -> dict[str, Any]:
    """A `task.progressed` line of programme 2020."""
    return {
        "kind": "task.progressed",
        "org": ORG,
        "at": at,
        "programme": "2020",
        "no": no,
        "status": status,
        **extra,
    }


def correction(target: str, changes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A `record.corrected` line."""
    return {
        "kind": "record.corrected",
        "org": ORG,
        "target": target,
        "set": changes,
        "reason": "Nhập nhầm",
        **extra,
    }


def void(target: str, **extra: Any) -> dict[str, Any]:
    """A `record.voided` line."""
    return {"kind": "record.voided", "org": ORG, "target": target, "reason": "Trùng", **extra}


# The store every test starts from: task 1 completed on 1/6/2020, task 2 unreported, task 3
# in progress, task 4 voided as a whole, and task 5's progress fact voided alone.
BASE = [
    ORG_LINE,
    PROGRAMME_LINE,
    *(task(no) for no in range(1, 6)),
    progress(1, "completed", "2020-06-01"),
    progress(3, "in_progress", "2020-05-01"),
    progress(5, "in_progress", "2020-05-01"),
    void("task:2020/4"),
    void("fact:task:2020/5#2"),
]
# A good line placed before every bad one: it must not be stored either.
GOOD = task(10)


def jsonl(lines: list[Any]) -> bytes:
    """A JSON Lines file: dicts as JSON, str and bytes written verbatim."""
    out = []
    for line in lines:
        if isinstance(line, dict):
            out.append(json.dumps(line, ensure_ascii=False).encode("utf-8"))
        elif isinstance(line, str):
            out.append(line.encode("utf-8"))
        else:
            out.append(line)
    return b"\n".join(out) + b"\n"


@pytest.fixture
def store(cli: Any, tmp_path: Path) -> Any:
    """The `cli` with BASE imported (backfilled, so past reports see it)."""
    base = tmp_path / "base.jsonl"
    base.write_bytes(jsonl(BASE))
    result = cli("import", "--backfill", str(base))
    assert result.exit_code == 0, result.output
    return cli


def snapshot(cli: Any) -> tuple[int, str, str]:
    """The store's head position and two report digests (past as-of, and known by now)."""
    with cli.runtime() as rt:
        head = rt.app.head()
    digests = []
    for cut in (("--as-of", "2020-12-11"), ("--as-of", "2020-12-11", "--known-by", "2099-01-01")):
        result = cli("report", "key-tasks", "--org", ORG, "--period", "2020", *cut)
        assert result.exit_code == 0, result.output
        digests.append(json.loads(result.stdout)["digest"])
    return head, digests[0], digests[1]


def run(cli: Any, tmp_path: Path, lines: list[Any], *options: str) -> Result:
    """Import a file made of `lines`."""
    path = tmp_path / "input.jsonl"
    path.write_bytes(jsonl(lines))
    return cli("import", *options, str(path))


def assert_rejected(
    cli: Any, tmp_path: Path, lines: list[Any], line: int, field: str, *options: str
) -> Result:
    """Exit 2, stderr names `line` with `field` (a key, or words of the rule), store unchanged."""
    before = snapshot(cli)
    result = run(cli, tmp_path, lines, *options)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    named = [ln for ln in result.stderr.splitlines() if re.match(rf"dòng {line}\b", ln)]
    assert named, f"line {line} not named:\n{result.stderr}"
    assert any(field in ln for ln in named), f"{field!r} not named:\n{result.stderr}"
    assert "added" not in result.stdout
    assert snapshot(cli) == before
    return result


def assert_accepted(cli: Any, tmp_path: Path, lines: list[Any], added: int) -> Result:
    """Exit 0 with `added` facts stored, the head moved by as many events."""
    with cli.runtime() as rt:
        head = rt.app.head()
    result = run(cli, tmp_path, lines, "--backfill")
    assert result.exit_code == 0, result.output
    assert f"added {added}, skipped 0" in result.stdout
    with cli.runtime() as rt:
        assert rt.app.head() == head + added
    return result


# --- unknown kind or key value -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["task.finished", "Task.Added", "", 7, None])
def test_unknown_kind(store: Any, tmp_path: Path, kind: Any) -> None:
    line = {**progress(2, "completed", "2020-07-01"), "kind": kind}
    assert_rejected(store, tmp_path, [GOOD, line], 2, "kind")


def test_missing_kind(store: Any, tmp_path: Path) -> None:
    line = progress(2, "completed", "2020-07-01")
    del line["kind"]
    assert_rejected(store, tmp_path, [GOOD, line], 2, "kind")


@pytest.mark.parametrize("status", ["done", "unreported", "COMPLETED", "hoàn thành"])
def test_unknown_status(store: Any, tmp_path: Path, status: str) -> None:
    """`unreported` is a status no fact may carry: it means "no progress yet"."""
    assert_rejected(store, tmp_path, [GOOD, progress(2, status, "2020-07-01")], 2, "status")


def test_unknown_source(store: Any, tmp_path: Path) -> None:
    assert_rejected(store, tmp_path, [GOOD, task(11, source="tinh_uy")], 2, "source")


# --- missing key, wrong type, extra key ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (task(11), "title"),
        (task(11), "unit"),
        (task(11), "no"),
        (task(11), "programme"),
        (task(11), "org"),
        (task(11), "at"),
        (progress(2, "completed", "2020-07-01"), "status"),
        (ORG_LINE | {"org": "nghe-an"}, "name"),
        (PROGRAMME_LINE | {"programme": "2021"}, "title"),
        (correction("task:2020/1", {"at": "2020-06-02"}), "target"),
        (correction("task:2020/1", {"at": "2020-06-02"}), "set"),
        (void("task:2020/2"), "target"),
    ],
)
def test_missing_key(store: Any, tmp_path: Path, line: dict[str, Any], key: str) -> None:
    line = {k: v for k, v in line.items() if k != key}
    assert_rejected(store, tmp_path, [GOOD, GOOD | {"no": 12}, line], 3, key)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("no", "5"),
        ("no", 5.5),
        ("no", True),
        ("no", None),
        ("title", 5),
        ("title", ["Nhiệm vụ"]),
        ("title", ""),
        ("at", 20200204),
        ("at", "04/02/2020"),
        ("at", "2020-02-30"),
        ("at", "2020-02-04T10:00:00"),
        ("deadline", "2020-12-31T00:00:00+07:00"),
        ("no_inferred", "true"),
        ("no_inferred", 1),
        ("org", "Hà Tĩnh"),
    ],
)
def test_wrong_type(store: Any, tmp_path: Path, key: str, value: Any) -> None:
    """Numbers as JSON numbers, flags as JSON booleans, dates as dates: never a look-alike."""
    assert_rejected(store, tmp_path, [GOOD, task(11) | {key: value}], 2, key)


def test_wrong_type_of_set(store: Any, tmp_path: Path) -> None:
    line = correction("task:2020/1", {"at": "2020-06-02"}) | {"set": ["at", "2020-06-02"]}
    assert_rejected(store, tmp_path, [GOOD, line], 2, "set")


@pytest.mark.skipif("delegation.recorded" not in KINDS, reason="delegation.recorded not built yet")
@pytest.mark.parametrize(
    ("key", "value"),
    [("people", "5"), ("people", True), ("people", 0), ("unplanned", "no"), ("countries", "Lào")],
)
def test_wrong_type_delegation(store: Any, tmp_path: Path, key: str, value: Any) -> None:
    line = {
        "kind": "delegation.recorded",
        "org": ORG,
        "at": "2020-03-01",
        "id": "D-2020-01",
        "direction": "outbound",
        "people": 5,
        "countries": ["Lào"],
        "purpose": "Làm việc với tỉnh Khăm Muộn",
        "unplanned": False,
    }
    assert_rejected(store, tmp_path, [GOOD, line | {key: value}], 2, key)


@pytest.mark.parametrize(
    "line",
    [task(11, colour="đỏ"), progress(2, "completed", "2020-07-01", colour="đỏ")],
    ids=["task.added", "task.progressed"],
)
def test_extra_unknown_key(store: Any, tmp_path: Path, line: dict[str, Any]) -> None:
    """Only the kind's keys (and declared extensions such as no_inferred) are accepted."""
    assert_rejected(store, tmp_path, [GOOD, line], 2, "colour")


# --- lines that are not JSON objects -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['{"kind": "task.added", "org": "ha-tinh"', "{'kind': 'task.added'}", "task.added ha-tinh"],
)
def test_malformed_json(store: Any, tmp_path: Path, text: str) -> None:
    assert_rejected(store, tmp_path, [GOOD, text], 2, "JSON")


@pytest.mark.parametrize("text", ["[1, 2]", '"task.added"', "42", "null", "true"])
def test_not_an_object(store: Any, tmp_path: Path, text: str) -> None:
    assert_rejected(store, tmp_path, [GOOD, text], 2, "đối tượng JSON")


def test_not_utf8(store: Any, tmp_path: Path) -> None:
    """A line saved in the Vietnamese Windows code page (cp1258) instead of UTF-8."""
    text = json.dumps(task(11, title="Hà Tĩnh", unit="Thanh tra"), ensure_ascii=False)
    cp1258 = b"".join(
        ch.encode("cp1258")
        if ch.isascii() or ch == "à"
        else unicodedata.normalize("NFD", ch).encode("cp1258")
        for ch in text
    )
    assert b"H\xe0 Ti\xdenh" in cp1258
    assert_rejected(store, tmp_path, [GOOD, cp1258], 2, "UTF-8")


# --- status changes ------------------------------------------------------------------------


def test_nothing_leaves_completed(store: Any, tmp_path: Path) -> None:
    """Task 1 is completed on 1/6/2020 in the store; a later deferral proposal is refused."""
    line = progress(1, "deferral_proposed", "2020-07-01")
    assert_rejected(store, tmp_path, [GOOD, line], 2, "status")


def test_nothing_leaves_completed_within_one_file(store: Any, tmp_path: Path) -> None:
    lines = [GOOD, progress(2, "completed", "2020-05-01"), progress(2, "cancelled", "2020-06-01")]
    assert_rejected(store, tmp_path, lines, 3, "status")


@pytest.mark.parametrize("status", ["deferred"])
def test_deferred_needs_a_proposal(store: Any, tmp_path: Path, status: str) -> None:
    """Task 2 has no progress (unreported): it cannot be deferred without a proposal first."""
    assert_rejected(store, tmp_path, [GOOD, progress(2, status, "2020-07-01")], 2, "status")


def test_new_fact_before_a_stored_one_is_checked_in_effective_order(
    store: Any, tmp_path: Path
) -> None:
    """Cancelled on 1/3 would be followed by the stored completion of 1/6: not allowed."""
    assert_rejected(store, tmp_path, [GOOD, progress(1, "cancelled", "2020-03-01")], 2, "status")


def test_out_of_file_order_but_valid_in_effective_order_is_accepted(
    store: Any, tmp_path: Path
) -> None:
    """Completed (Oct) written before in progress (Mar): effective order is allowed."""
    lines = [progress(2, "completed", "2020-10-01"), progress(2, "in_progress", "2020-03-01")]
    assert_accepted(store, tmp_path, lines, 2)
    content = json.loads(
        store(
            "report", "key-tasks", "--org", ORG, "--period", "2020", "--as-of", "2020-12-11"
        ).stdout
    )
    assert {t["no"]: t["status"] for t in content["tasks"]}[2] == "completed"


def test_new_fact_before_a_stored_one_valid_in_effective_order_is_accepted(
    store: Any, tmp_path: Path
) -> None:
    """In progress on 10/2, before the stored completion of 1/6: in_progress → completed."""
    assert_accepted(store, tmp_path, [progress(1, "in_progress", "2020-02-10")], 1)


def test_deferral_chain_is_accepted(store: Any, tmp_path: Path) -> None:
    lines = [
        progress(2, "deferred", "2020-12-01"),
        progress(2, "deferral_proposed", "2020-11-01"),
        progress(2, "in_progress", "2020-03-01"),
    ]
    assert_accepted(store, tmp_path, lines, 3)


# --- targets that do not exist -------------------------------------------------------------


def test_progress_of_unknown_task(store: Any, tmp_path: Path) -> None:
    assert_rejected(store, tmp_path, [GOOD, progress(99, "completed", "2020-07-01")], 2, "no")


@pytest.mark.parametrize(
    "target",
    ["task:2020/99", "programme:2019", "fact:task:2020/1#9", "fact:task:2020/99#1", "fact:xyz"],
)
def test_correction_of_unknown_target(store: Any, tmp_path: Path, target: str) -> None:
    line = correction(target, {"title": "Nhiệm vụ khác"})
    assert_rejected(store, tmp_path, [GOOD, line], 2, "target")


@pytest.mark.parametrize("target", ["task:2020/99", "fact:task:2020/1#9"])
def test_void_of_unknown_target(store: Any, tmp_path: Path, target: str) -> None:
    assert_rejected(store, tmp_path, [GOOD, void(target)], 2, "target")


def test_carried_from_unknown_task(store: Any, tmp_path: Path) -> None:
    lines = [GOOD, task(11, carried_from="2019/4")]
    assert_rejected(store, tmp_path, lines, 2, "carried_from")


# --- organisation registered, programme adopted --------------------------------------------


def test_org_not_registered(store: Any, tmp_path: Path) -> None:
    """A typo in `org` must not create a department."""
    line = task(11, org="ha-tinhh")
    assert_rejected(store, tmp_path, [GOOD, line], 2, "org")


def test_org_registered_later_in_the_same_file_is_accepted(store: Any, tmp_path: Path) -> None:
    lines = [
        PROGRAMME_LINE | {"org": "nghe-an"},
        task(1, org="nghe-an"),
        ORG_LINE | {"org": "nghe-an", "name": "Sở Ngoại vụ tỉnh Nghệ An", "place": "Nghệ An"},
    ]
    assert_accepted(store, tmp_path, lines, 3)


def test_merged_into_an_unregistered_org(store: Any, tmp_path: Path) -> None:
    line = {"kind": "org.merged", "org": ORG, "at": "2025-07-01", "into": "ha-tinh-moi"}
    assert_rejected(store, tmp_path, [GOOD, line], 2, "into")


def test_programme_not_adopted(store: Any, tmp_path: Path) -> None:
    assert_rejected(store, tmp_path, [GOOD, task(1, programme="2021")], 2, "programme")


def test_programme_adopted_later_in_the_same_file_is_accepted(store: Any, tmp_path: Path) -> None:
    lines = [
        task(1, programme="2021", at="2021-01-05"),
        progress(1, "in_progress", "2021-02-01") | {"programme": "2021"},
        PROGRAMME_LINE | {"programme": "2021", "at": "2021-01-05"},
    ]
    assert_accepted(store, tmp_path, lines, 3)


# --- an id already used with other content -------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (task(1, title="Một nhiệm vụ khác"), "no"),
        (task(1, unit="Hợp tác quốc tế"), "no"),
        (task(1, at="2020-02-05"), "no"),
        (ORG_LINE | {"name": "Sở Ngoại vụ Hà Tĩnh"}, "org"),
        (PROGRAMME_LINE | {"title": "Chương trình khác"}, "programme"),
    ],
    ids=["task-title", "task-unit", "task-at", "org-name", "programme-title"],
)
def test_id_used_with_other_content(
    store: Any, tmp_path: Path, line: dict[str, Any], key: str
) -> None:
    assert_rejected(store, tmp_path, [GOOD, line], 2, key, "--backfill")


def test_id_used_twice_in_one_file(store: Any, tmp_path: Path) -> None:
    lines = [GOOD, task(11), task(11, title="Nhiệm vụ khác")]
    result = assert_rejected(store, tmp_path, lines, 3, "no")
    assert not re.search(r"^dòng 2\b", result.stderr, re.M)


# --- knowledge time ------------------------------------------------------------------------


@pytest.mark.parametrize("known", ["2999-01-01", "2999-01-01T00:00:00+07:00"])
def test_known_since_in_the_future(store: Any, tmp_path: Path, known: str) -> None:
    line = progress(2, "completed", "2020-07-01", known_since=known)
    assert_rejected(store, tmp_path, [GOOD, line], 2, "known_since")


# --- corrections and voids -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [correction("task:2020/1", {"at": "2020-06-02"}), void("task:2020/2")],
    ids=["correction", "void"],
)
def test_correction_or_void_without_reason(
    store: Any, tmp_path: Path, line: dict[str, Any]
) -> None:
    without = {k: v for k, v in line.items() if k != "reason"}
    assert_rejected(store, tmp_path, [GOOD, without], 2, "reason")
    assert_rejected(store, tmp_path, [GOOD, without | {"reason": ""}], 2, "reason")


@pytest.mark.parametrize("target", ["task:2020/4", "fact:task:2020/4#1", "fact:task:2020/5#2"])
def test_correction_of_a_voided_record(store: Any, tmp_path: Path, target: str) -> None:
    """Task 4 is voided as a whole; task 5's progress fact was voided alone."""
    line = correction(target, {"at": "2020-05-02"})
    assert_rejected(store, tmp_path, [GOOD, line], 2, "target")


def test_progress_of_a_voided_task(store: Any, tmp_path: Path) -> None:
    assert_rejected(store, tmp_path, [GOOD, progress(4, "completed", "2020-07-01")], 2, "bị hủy")


@pytest.mark.parametrize(
    ("changes", "key"),
    [({"status": "done"}, "status"), ({"no": 7}, "no"), ({"colour": "đỏ"}, "colour")],
)
def test_correction_with_a_bad_key(
    store: Any, tmp_path: Path, changes: dict[str, Any], key: str
) -> None:
    line = correction("task:2020/1", changes)
    assert_rejected(store, tmp_path, [GOOD, line], 2, key)


def test_a_correction_names_every_bad_key_of_its_set(store: Any, tmp_path: Path) -> None:
    """A key no correction may set, a status unknown and a date that does not exist: three
    messages, each naming `set.KEY`; nothing stored."""
    changes = {"no": 7, "status": "done", "at": "2020-06-31"}
    result = assert_rejected(store, tmp_path, [GOOD, correction("task:2020/1", changes)], 2, "no")
    named = re.findall(r"^dòng 2, trường '([\w.]+)': (.*)$", result.stderr, re.M)
    assert sorted(field for field, _m in named) == ["set.at", "set.no", "set.status"]
    said = dict(named)
    assert "không đính chính được trường 'no'" in said["set.no"]
    assert "'done'" in said["set.status"]
    assert "ngày không tồn tại: '2020-06-31'" in said["set.at"]
    assert "tệp bị từ chối: 1 dòng lỗi" in result.stderr


def test_status_rules_apply_to_facts_as_corrected(store: Any, tmp_path: Path) -> None:
    """Fine point 4: a correction is exempt, and later changes are checked against it.

    Task 3: in progress (May), completed (Jul). Nothing leaves `completed` except by a
    correction: correcting July to `deferral_proposed` is accepted; then `deferred` (Aug)
    is allowed and `cancelled` (Aug) is not.
    """
    assert_accepted(store, tmp_path, [progress(3, "completed", "2020-07-01")], 1)
    assert_rejected(store, tmp_path, [GOOD, progress(3, "deferred", "2020-08-01")], 2, "status")
    fix = correction("task:2020/3", {"status": "deferral_proposed"})
    assert_accepted(store, tmp_path, [fix], 1)
    assert_rejected(store, tmp_path, [GOOD, progress(3, "cancelled", "2020-08-01")], 2, "status")
    assert_accepted(store, tmp_path, [progress(3, "deferred", "2020-08-01")], 1)


# --- many bad lines ------------------------------------------------------------------------


def test_the_first_hundred_errors_then_how_many_more(store: Any, tmp_path: Path) -> None:
    """150 bad lines: lines 2..101 listed, then "… và 50 dòng lỗi khác"."""
    lines: list[Any] = [GOOD] + [progress(100 + i, "completed", "2020-07-01") for i in range(150)]
    result = assert_rejected(store, tmp_path, lines, 2, "no")
    listed = [int(n) for n in re.findall(r"^dòng (\d+)\b", result.stderr, re.M)]
    assert listed == list(range(2, 102))
    assert "… và 50 dòng lỗi khác" in result.stderr
    assert "150" in result.stderr


def test_every_bad_line_is_listed(store: Any, tmp_path: Path) -> None:
    lines = [
        GOOD,
        task(11) | {"no": "11"},
        "{not json",
        task(12),
        progress(2, "finished", "2020-07-01"),
    ]
    result = assert_rejected(store, tmp_path, lines, 2, "no")
    listed = [int(n) for n in re.findall(r"^dòng (\d+)\b", result.stderr, re.M)]
    assert listed == [2, 3, 5]


def test_every_bad_field_of_a_line_is_listed(store: Any, tmp_path: Path) -> None:
    """A line with three bad fields: three messages, each naming the line and its field, in the
    schema's order; the file still counts one bad line, and nothing is stored."""
    bad = progress(2, "finished", "2020-02-31") | {"no": "hai"}
    result = assert_rejected(store, tmp_path, [GOOD, bad], 2, "status")
    named = [ln for ln in result.stderr.splitlines() if ln.startswith("dòng ")]
    fields = [re.findall(r"^dòng 2, trường '([\w.]+)': ", ln) for ln in named]
    assert fields == [["at"], ["no"], ["status"]]
    assert "ngày không tồn tại: '2020-02-31'" in named[0]
    assert "phải là số nguyên" in named[1]
    assert "'finished'" in named[2]
    assert "tệp bị từ chối: 1 dòng lỗi" in result.stderr
    assert "dòng lỗi khác" not in result.stderr


def test_every_bad_field_of_a_nested_key_is_listed(store: Any, tmp_path: Path) -> None:
    """Fields inside a list or an object are named by their path, each once."""
    award = {
        "kind": "award.proposed",
        "org": ORG,
        "at": "2021-01-05",
        "id": "KT-1",
        "form": "bang_khen",
        "grantor": "ubnd_tinh",
        "category": "chuyen_de",
        "recipient": {"type": "team", "name": 7},
    }
    result = assert_rejected(store, tmp_path, [GOOD, award], 2, "recipient.type")
    named = re.findall(r"^dòng 2, trường '([\w.]+)'", result.stderr, re.M)
    assert sorted(named) == ["recipient.name", "recipient.type"]


def test_a_hundred_lines_are_listed_whatever_their_fields(store: Any, tmp_path: Path) -> None:
    """The first hundred bad lines with every field at fault, then how many more lines."""
    lines: list[Any] = [GOOD] + [progress(2, "finished", "2020-02-31") for _ in range(120)]
    result = assert_rejected(store, tmp_path, lines, 2, "status")
    listed = [int(n) for n in re.findall(r"^dòng (\d+)\b", result.stderr, re.M)]
    assert listed == [n for n in range(2, 102) for _field in ("at", "status")]
    assert "… và 20 dòng lỗi khác" in result.stderr
    assert "120 dòng lỗi" in result.stderr


@pytest.mark.parametrize("target", ["task:2020/4", "fact:task:2020/5#2"])
def test_void_of_a_voided_record_or_fact(store: Any, tmp_path: Path, target: str) -> None:
    """The same void again is an identical line (skipped); another one is refused."""
    line = void(target, reason="Hủy lần hai")
    assert_rejected(store, tmp_path, [GOOD, line], 2, "target")
