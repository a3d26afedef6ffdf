"""Read-your-writes without a read-side catch-up: a write answers with its position; the writer's
next request waits until the read models reach it (the session of a browser, the header
`X-Ngoaivu-Read-After` of an API client on another worker); nobody else's request waits.

The applications here run with NGOAIVU_WORKER=external and no worker at first, so that nothing
projects the write until the test starts a worker: what waits, and what does not, is seen."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from service.config import Settings
from service.worker import ProjectorWorker
from tests.web.conftest import csrf_token, https_client
from tests.web.test_api import bearer
from tests.web.test_cache import DELEGATION, outbound
from web import create_app

LATE = 0.5  # seconds before the worker starts


def external_app(data: Path) -> Flask:
    return create_app(
        {"TESTING": True, "NGOAIVU_SETTINGS": Settings(data), "NGOAIVU_WORKER": "external"}
    )


@pytest.fixture
def app(seeded: Path, tmp_path: Path) -> Iterator[Flask]:
    """The seeded installation, its web process without a worker of its own."""
    data = tmp_path / "var"
    shutil.copytree(seeded, data)
    flask_app = external_app(data)
    assert flask_app.extensions["ngoaivu"].worker is None
    yield flask_app
    flask_app.extensions["ngoaivu"].close()
    flask_app.extensions["ngoaivu_accounts"].engine.dispose()


def late_worker(app: Flask) -> ProjectorWorker:
    """A worker on the installation that starts LATE seconds from now."""
    worker = ProjectorWorker(app.extensions["ngoaivu"])
    threading.Timer(LATE, worker.start).start()
    return worker


def timed(call: Any) -> tuple[Any, float]:
    start = time.monotonic()
    value = call()
    return value, time.monotonic() - start


def test_the_writer_waits_for_its_write_and_nobody_else_waits(app: Flask, as_user: Any) -> None:
    rt = app.extensions["ngoaivu"]
    clerk, inspector = as_user("clerk"), as_user("inspector")
    before = outbound(inspector)
    token = csrf_token(clerk, "/o/ha-tinh/")
    response = clerk.post(
        "/api/v1/commands",
        json={**DELEGATION, "id": "RYW-1"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.get_json()
    position = response.get_json()["position"]
    assert response.headers["X-Ngoaivu-Position"] == str(position)
    with clerk.session_transaction() as session:
        assert session["read_after"] == position
    assert rt.projector.position() < position  # the write did not catch the read models up

    seen, seconds = timed(lambda: outbound(inspector))
    assert seen == before and seconds < 2  # another user's read neither waits nor catches up
    assert rt.projector.position() < position

    worker = late_worker(app)
    try:
        seen, seconds = timed(lambda: outbound(clerk))
        assert seen == before + 1  # the writer's next read shows the write...
        assert seconds >= LATE * 0.8  # ...having waited for the worker to apply it
        with clerk.session_transaction() as session:
            assert "read_after" not in session  # reached: later reads do not look again
        assert outbound(inspector) == before + 1
    finally:
        worker.stop()


def test_an_api_client_on_another_worker_sends_its_position_back(
    app: Flask, tmp_path: Path
) -> None:
    other = external_app(tmp_path / "var")  # another gunicorn worker on the same installation
    try:
        writer = https_client(app)
        response = writer.post(
            "/api/v1/commands", json={**DELEGATION, "id": "RYW-2"}, headers=bearer(app, "clerk")
        )
        assert response.status_code == 201
        position = response.headers["X-Ngoaivu-Position"]
        reader = https_client(other)
        headers = bearer(other, "clerk")
        url = "/api/v1/orgs/ha-tinh/reports/foreign-affairs?period=2021-03&window=calendar"
        url += "&as_of=2021-12-31"
        before, seconds = timed(lambda: reader.get(url, headers=headers).get_json())
        assert seconds < 2  # without its position, another worker does not know to wait
        worker = late_worker(app)
        try:
            after, seconds = timed(
                lambda: reader.get(
                    url, headers={**headers, "X-Ngoaivu-Read-After": position}
                ).get_json()
            )
        finally:
            worker.stop()
        assert seconds >= LATE * 0.8
        assert after["outbound"]["delegations"] == before["outbound"]["delegations"] + 1
        assert after["recorded_by"] == f"@{position}"
    finally:
        other.extensions["ngoaivu"].close()
        other.extensions["ngoaivu_accounts"].engine.dispose()


def test_a_position_past_the_head_is_not_waited_for(app: Flask) -> None:
    """A made-up or stale X-Ngoaivu-Read-After (never written here) does not hold a worker for
    the read wait: the request waits for the store's head at most."""
    client = https_client(app)
    headers = bearer(app, "clerk")
    url = "/api/v1/orgs/ha-tinh/reports/foreign-affairs?period=2021-03&window=calendar"
    plain = client.get(url, headers=headers).get_json()
    far = {**headers, "X-Ngoaivu-Read-After": "999999999999"}
    answer, seconds = timed(lambda: client.get(url, headers=far))
    assert answer.status_code == 200 and seconds < 2
    assert answer.get_json()["digest"] == plain["digest"]


def test_the_openapi_document_names_both_headers(app: Flask) -> None:
    doc = https_client(app).get("/api/v1/openapi.json").get_json()
    created = doc["paths"]["/api/v1/commands"]["post"]["responses"]["201"]
    assert "X-Ngoaivu-Position" in created["headers"]
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            names = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
            assert ("header", "X-Ngoaivu-Read-After") in names, (method, path)
