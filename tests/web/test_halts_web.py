"""The web when a department's read model is halted (a NUL written past validation on
PostgreSQL): its pages and reports say so (503, with the position), never a 500; the other
department's pages work; a write that was stored never answers 500, even when the read models
cannot follow it (a web write does not wait for them: the projector worker applies it)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from service.accounts import AccountStore, Grant, accounts_engine
from service.config import Settings
from service.runtime import Runtime
from tests.conftest import SAMPLES
from tests.integration.test_halts import poison
from tests.web.conftest import PASSWORD, csrf_token, https_client, login
from web import create_app

CONFERENCE = {
    "kind": "conference.recorded",
    "org": "ha-tinh",
    "at": "2023-05-01",
    "id": "API-9",
    "title": "Hội thảo quốc tế",
}


@pytest.fixture
def pg_app(pg_url: str, tmp_path: Path) -> Iterator[Flask]:
    settings = Settings(tmp_path / "var", pg_url)
    with Runtime(settings) as rt:
        for name in ("000_ha_tinh_key_tasks_2020.jsonl", "004_gia_lai_assigned_tasks_2020.jsonl"):
            rt.import_file(SAMPLES / name, actor="samples", backfill=True)
    accounts = AccountStore(accounts_engine(settings))
    accounts.add("thanhtra", PASSWORD, [Grant("*", "inspector")])
    accounts.engine.dispose()
    app = create_app({"TESTING": True, "NGOAIVU_SETTINGS": settings, "SECRET_KEY": "x"})
    yield app
    app.extensions["ngoaivu"].close()
    app.extensions["ngoaivu_accounts"].engine.dispose()


@pytest.mark.postgres
def test_a_halted_department_answers_503_with_its_position_and_others_work(
    pg_app: Flask,
) -> None:
    client = https_client(pg_app)
    assert login(client, "thanhtra").status_code == 302
    assert client.get("/o/ha-tinh/").status_code == 200
    position = poison(pg_app.extensions["ngoaivu"], "ha-tinh", "Hội\x00nghị")

    for url in (
        "/o/ha-tinh/",
        "/o/ha-tinh/reports?kind=key-tasks&period=2020",
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&format=json",
    ):
        page = client.get(url)
        assert page.status_code == 503, (url, page.status_code)
        assert f"@{position}" in page.get_data(as_text=True), url
    api = client.get("/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020")
    assert api.status_code == 503
    assert api.get_json()["halted"] == {"org": "ha-tinh", "position": position}

    # The department's history still reads (with the alarm); the other department is whole.
    history = client.get("/o/ha-tinh/history?target=task:2020/1")
    assert history.status_code == 200 and f"@{position}" in history.get_data(as_text=True)
    events = client.get("/api/v1/orgs/ha-tinh/history?target=task:2020/1")
    assert events.status_code == 200 and f"@{position}" in events.headers["Warning"]
    assert client.get("/o/gia-lai/").status_code == 200
    other = client.get("/o/gia-lai/reports?kind=assigned-tasks&period=2020&programme=UBND-2020")
    assert other.status_code == 200 and "đã dừng" not in other.get_data(as_text=True)
    assert client.get("/api/v1/orgs/gia-lai/history?target=org").headers.get("Warning") is None


def test_a_stored_write_answers_success_when_the_views_cannot_follow(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A web write never waits for the read models (the projector worker applies it): it
    answers 201 with its position while they are away, and the writer's next read waits for
    that position once they answer again."""
    rt = app.extensions["ngoaivu"]
    before = rt.app.head()

    def unreachable(*_args: Any, **_kwargs: Any) -> int:
        raise ConnectionError("máy chủ bảng đọc không trả lời")

    monkeypatch.setattr(rt.projector, "catch_up", unreachable)
    token = app.extensions["ngoaivu_accounts"].new_token("clerk")
    client = https_client(app)
    response = client.post(
        "/api/v1/commands", json=CONFERENCE, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["fact_ids"] == ["conference:API-9#1"] and body["position"] == before + 1
    assert response.headers["X-Ngoaivu-Position"] == str(before + 1)
    assert rt.app.head() == before + 1  # stored, once

    monkeypatch.undo()  # the read models answer again: the worker applies the write
    events = client.get(
        "/api/v1/orgs/ha-tinh/history?target=conference:API-9",
        headers={"Authorization": f"Bearer {token}", "X-Ngoaivu-Read-After": str(before + 1)},
    )
    assert events.status_code == 200 and events.get_json()[0]["fact_id"] == "conference:API-9#1"


def test_a_stored_upload_is_confirmed_while_the_views_are_away(
    app: Any, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = app.extensions["ngoaivu"]
    clerk = as_user("clerk")
    token = csrf_token(clerk, "/o/ha-tinh/entry/upload")
    before = rt.app.head()

    def unreachable(*_args: Any, **_kwargs: Any) -> int:
        raise ConnectionError("máy chủ bảng đọc không trả lời")

    monkeypatch.setattr(rt.projector, "catch_up", unreachable)
    lines = [json.dumps({**CONFERENCE, "id": f"UP-{i}"}, ensure_ascii=False) for i in range(2)]
    response = clerk.post(
        "/o/ha-tinh/entry/upload",
        data={"csrf_token": token, "file": (io.BytesIO("\n".join(lines).encode()), "a.jsonl")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert rt.app.head() == before + 2
    monkeypatch.undo()
    page = clerk.get("/o/ha-tinh/history?target=conference:UP-1")  # waits for the clerk's write
    assert page.status_code == 200 and "conference:UP-1#1" in page.get_data(as_text=True)
