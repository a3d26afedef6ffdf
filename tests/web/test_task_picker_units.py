"""A clerk limited to some units picks only the tasks they may write: the task picker and the
records to correct list their units' tasks, never one the write would then refuse."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import csrf_token
from tests.web.test_entry import correct_unit

PROGRESS = "/o/ha-tinh/entry/task-progress"


def options(page: str, name: str) -> list[str]:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [v for v in re.findall(r'<option value="([^"]*)"', select) if v]


def test_unit_clerk_sees_only_their_units_tasks(app: Any, as_user: Any) -> None:
    everyone = options(as_user("clerk").get(PROGRESS).get_data(as_text=True), "task")
    assert "2020/3" in everyone and "2020/21" in everyone and len(everyone) > 20
    clerk = as_user("clerk_unit")  # limited to "Phòng Lãnh sự", which owns no task yet
    page = clerk.get(PROGRESS).get_data(as_text=True)
    assert options(page, "task") == []
    assert "Chỉ hiện nhiệm vụ của đơn vị bạn được ghi: Phòng Lãnh sự." in page
    correct_unit(app, "task:2020/21", "Phòng Lãnh sự")
    page = clerk.get(PROGRESS).get_data(as_text=True)
    assert options(page, "task") == ["2020/21"]
    # what is listed can be written
    data = {"task": "2020/21", "status": "in_progress", "at": "20/12/2020"}
    response = clerk.post(PROGRESS, data={**data, "csrf_token": csrf_token(clerk, PROGRESS)})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_unit_clerk_corrects_only_their_units_tasks(app: Any, as_user: Any) -> None:
    correct_unit(app, "task:2020/21", "Phòng Lãnh sự")
    page = as_user("clerk_unit").get("/o/ha-tinh/entry/correction").get_data(as_text=True)
    assert sorted(options(page, "target")) == ["fact:task:2020/21#1", "task:2020/21"]
    everyone = options(as_user("clerk").get("/o/ha-tinh/entry/correction").text, "target")
    assert "task:2020/3" in everyone
