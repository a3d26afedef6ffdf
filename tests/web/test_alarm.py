"""An event written from outside the application: every page shows the alarm, every write is
refused with 503 and a message (nothing stored), the verify page names the position and links
nothing; after the administrator's acknowledgement, writes work again."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from service.integrity.alarm import Alarms
from tests.web.conftest import csrf_token, https_client
from tests.web.test_api import CONFERENCE, bearer


def append_outside(app: Any) -> int:
    """A copy of a later fact of a record (not an opening) at the next position, written with
    sqlite3 directly."""
    path = Path(app.extensions["ngoaivu"].settings.data_dir) / "events.sqlite"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO stored_events (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version + 1000, topic, state FROM stored_events "
            "WHERE rowid = (SELECT MAX(rowid) FROM stored_events WHERE originator_version > 1)"
        )
        conn.commit()
        return int(conn.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0])


def links(app: Any) -> int:
    return app.extensions["ngoaivu"].chain.levels()[1]


def test_pages_show_the_alarm_and_writes_are_refused(app: Any, as_user: Any) -> None:
    before = links(app)
    position = append_outside(app)
    assert app.extensions["ngoaivu"].worker.sync()  # the projector worker meets it, not a read
    inspector = as_user("inspector")
    page = inspector.get("/o/ha-tinh/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "BÁO ĐỘNG" in text and f"@{position}" in text
    verify = inspector.get("/o/ha-tinh/verify").get_data(as_text=True)
    assert f"HỎNG tại vị trí @{position}" in verify
    assert links(app) == before  # neither the page nor the verify page linked it

    api = https_client(app).post("/api/v1/commands", json=CONFERENCE, headers=bearer(app, "clerk"))
    assert api.status_code == 503
    assert "BÁO ĐỘNG" in api.get_json()["error"]
    clerk = as_user("clerk")
    token = csrf_token(clerk, "/o/ha-tinh/")
    session = clerk.post("/api/v1/commands", json=CONFERENCE, headers={"X-CSRFToken": token})
    assert session.status_code == 503
    assert app.extensions["ngoaivu"].app.head() == position  # nothing stored

    count, first, last = Alarms(app.extensions["ngoaivu"].chain).acknowledge("admin", "đã kiểm tra")
    assert (count, first, last) == (1, position, position)
    page = inspector.get("/o/ha-tinh/").get_data(as_text=True)
    assert "BÁO ĐỘNG" not in page
    again = https_client(app).post(
        "/api/v1/commands", json=CONFERENCE, headers=bearer(app, "clerk")
    )
    assert again.status_code == 201, again.get_json()
    verify = inspector.get("/o/ha-tinh/verify").get_data(as_text=True)
    assert "Nguyên vẹn" in verify and "đã được xác nhận" in verify
