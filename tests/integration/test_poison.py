"""Poison cannot enter: a NUL (or any control character but tab and newline) in any text of any
import kind is refused with its line and field named, through `import` and through the API,
nothing stored, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.accounts import AccountStore, Grant, accounts_engine
from service.config import Settings
from tests.conftest import SAMPLES, Cli
from web import create_app

AT = "2020-05-01"
# (command, the field the refusal must name): top-level texts, list items, nested objects,
# objects in lists, mapping keys, corrected values.
CASES: list[tuple[dict[str, Any], str]] = [
    (
        {"kind": "conference.recorded", "id": "C1", "title": "Hội\x00nghị"},
        "title",
    ),
    (
        {
            "kind": "delegation.recorded",
            "id": "D1",
            "direction": "inbound",
            "people": 3,
            "countries": ["Lào", "Nhật\x00Bản"],
            "purpose": "Thăm",
        },
        "countries.1",
    ),
    (
        {
            "kind": "award.proposed",
            "id": "A1",
            "form": "bang_khen",
            "grantor": "ubnd_tinh",
            "recipient": {"type": "individual", "name": "Nguyễn\x00An"},
            "category": "cong_trang",
        },
        "recipient.name",
    ),
    (
        {
            "kind": "outbound_plan.approved",
            "year": 2020,
            "items": [{"id": "K1", "title": "Đi\x00Lào"}],
        },
        "items.0.title",
    ),
    (
        {
            "kind": "activity.counted",
            "metric": "translation.pages",
            "month": "2020-05",
            "value": 2,
            "detail": {"en\x00": 2},
        },
        "detail",
    ),
    (
        {"kind": "record.corrected", "target": "task:2020/1", "set": {"title": "Sửa\x00"}},
        "set.title",
    ),
    ({"kind": "conference.recorded", "id": "C\x002", "title": "Hội nghị"}, "id"),
    ({"kind": "conference.recorded", "id": "C3", "title": "Hội nghị", "ref": "1\x7f"}, "ref"),
    ({"kind": "conference.recorded", "id": "C4", "title": "Hội nghị \x85"}, "title"),
    ({"kind": "conference.recorded", "id": "C5\n", "title": "Hội nghị"}, "id"),
]


def command(case: dict[str, Any]) -> dict[str, Any]:
    """The case as a whole command of ha-tinh (corrections carry their reason, no `at`)."""
    cmd = {"org": "ha-tinh", **case}
    if cmd["kind"] == "record.corrected":
        cmd["reason"] = "sai chính tả"
    else:
        cmd["at"] = AT
    return cmd


def head(cli: Cli) -> int:
    with cli.runtime() as rt:
        return rt.app.head() or 0


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    assert cli("import", "--backfill", "--quiet", str(SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"))
    return cli


@pytest.mark.parametrize(("case", "field"), CASES, ids=[f for _c, f in CASES])
def test_import_refuses_control_characters_naming_line_and_field(
    seeded: Cli, tmp_path: Path, case: dict[str, Any], field: str
) -> None:
    before = head(seeded)
    path = tmp_path / "poison.jsonl"
    good = command({"kind": "conference.recorded", "id": "OK", "title": "Tab\tvà\nxuống dòng"})
    path.write_text(json.dumps(good) + "\n" + json.dumps(command(case)) + "\n", encoding="utf-8")
    result = seeded("import", "--quiet", str(path))
    assert result.exit_code == 2, result.output
    assert f"dòng 2, trường '{field}'" in result.output, result.output
    assert "Traceback" not in result.output
    assert head(seeded) == before  # nothing stored, not even the good line


def test_tab_and_newline_stay_allowed_in_texts(seeded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ok.jsonl"
    ok = command({"kind": "conference.recorded", "id": "OK", "title": "Tab\tvà\nxuống dòng"})
    path.write_text(json.dumps(ok) + "\n", encoding="utf-8")
    assert seeded("import", "--quiet", str(path)).exit_code == 0
    shown = seeded("history", "ha-tinh", "conference:OK", "--format", "json")
    assert json.loads(shown.output)[0]["data"]["title"] == "Tab\tvà\nxuống dòng"


def test_api_refuses_control_characters_with_422_naming_the_field(
    seeded: Cli, env: dict[str, str]
) -> None:
    settings = Settings(Path(env["NGOAIVU_DATA"]), env.get("DATABASE_URL"))
    accounts = AccountStore(accounts_engine(settings))
    accounts.add("clerk", "mat-khau-thu-nghiem", [Grant("ha-tinh", "clerk")])
    token = accounts.new_token("clerk")
    accounts.engine.dispose()
    app = create_app({"TESTING": True, "NGOAIVU_SETTINGS": settings, "SECRET_KEY": "x"})
    try:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        before = head(seeded)
        for case, field in CASES:
            response = client.post("/api/v1/commands", json=command(case), headers=headers)
            assert response.status_code == 422, (field, response.get_data(as_text=True))
            errors = response.get_json()["errors"]
            # The schema names nested fields by their path; a corrected value is named by the
            # import's rules (`set.title`); a mapping key by its mapping.
            assert any(key == field or key.startswith(f"{field}.") for key in errors), errors
        assert head(seeded) == before
    finally:
        app.extensions["ngoaivu"].close()
        app.extensions["ngoaivu_accounts"].engine.dispose()


def test_reads_naming_a_control_character_answer_plainly(seeded: Cli, env: dict[str, str]) -> None:
    # A NUL in a query would make PostgreSQL refuse it (a 500, an exit 3); a lone surrogate (a
    # command-line argument that is not UTF-8) cannot be sent to either database.
    for args, code in [
        (("history", "ha-tinh", "task:2020/1\x00"), 2),
        (("history", "ha-tinh", "task:\udcff"), 2),
        (("search", "ha-tinh", "h\x00i"), 0),
        (("report", "key-tasks", "--org", "ha\udcff", "--period", "2020"), 2),
        (
            ("report", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--programme", "2\x00"),
            2,
        ),
        (("reprint", "ha-tinh", "849/\udcff"), 2),
        (("audit", "export", "--org", "ha-tinh\x00"), 2),
    ]:
        result = seeded(*args)
        assert result.exit_code == code, (args, result.output)
        assert "Lỗi hệ thống" not in result.output, (args, result.output)
    settings = Settings(Path(env["NGOAIVU_DATA"]), env.get("DATABASE_URL"))
    accounts = AccountStore(accounts_engine(settings))
    accounts.add("thanhtra", "mat-khau-thu-nghiem", [Grant("*", "inspector")])
    token = accounts.new_token("thanhtra")
    accounts.engine.dispose()
    app = create_app({"TESTING": True, "NGOAIVU_SETTINGS": settings, "SECRET_KEY": "x"})
    try:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        for url, code in [
            ("/api/v1/orgs/ha-tinh/history?target=task:2020/1%00", 404),
            ("/api/v1/orgs/ha-tinh/search?q=h%00i", 200),
            ("/api/v1/orgs/ha%00tinh/reports/key-tasks?period=2020", 422),
            ("/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&programme=2%00", 422),
        ]:
            response = client.get(url, headers=headers)
            assert response.status_code == code, (url, response.get_data(as_text=True))
    finally:
        app.extensions["ngoaivu"].close()
        app.extensions["ngoaivu_accounts"].engine.dispose()
