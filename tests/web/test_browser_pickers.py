"""In a real browser: the correction form shows the picked record's fields as boxes as soon as
it is picked, the clerk changes one and saves; a unit clerk's task picker holds only their
units' tasks."""

from __future__ import annotations

from typing import Any

from tests.web.test_browser import chromium, page_for, server, shot  # noqa: F401 (fixtures)


def test_clerk_corrects_a_delegation_by_changing_its_box(page_for: Any) -> None:  # noqa: F811
    page = page_for("clerk")
    page.goto("/o/ha-tinh/entry/delegation")
    page.fill("#f-id", "2021-DR-PICK")
    page.select_option("#f-direction", "outbound")
    page.fill("#f-people", "5")
    page.fill("#f-countries", "Lào")
    page.fill("#f-purpose", "Làm việc với tỉnh bạn")
    page.fill("#f-at", "02/04/2021")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    assert "2021-DR-PICK" in page.locator(".flash.success").inner_text()

    page.goto("/o/ha-tinh/entry/correction")
    with page.expect_navigation():  # picking shows the boxes at once (no button to find)
        page.select_option("#f-target", "delegation:2021-DR-PICK")
    assert page.input_value("#f-set-people") == "5"
    assert page.locator("label[for=f-set-people]").inner_text() == "Số người"
    assert page.locator("#f-set-direction option:checked").inner_text() == "Đoàn ra"
    assert "delegation.recorded" not in page.locator("main").inner_text()
    page.fill("#f-set-people", "4")
    page.fill("#f-reason", "Đếm lại theo quyết định cử đoàn")
    shot(page, "20-dinh-chinh-o-truong")
    page.click("form.entry button[type=submit]:not([name=pick])")
    page.wait_for_load_state()
    assert page.locator(".flash.error").count() == 0, page.locator("main").inner_text()
    page.goto("/o/ha-tinh/history?target=delegation:2021-DR-PICK")
    assert "Đếm lại theo quyết định cử đoàn" in page.locator("main").inner_text()


def test_unit_clerk_task_picker_lists_only_their_tasks(page_for: Any) -> None:  # noqa: F811
    page = page_for("clerk_unit")
    page.goto("/o/ha-tinh/entry/task-progress")
    values = page.eval_on_selector_all("#f-task option", "os => os.map(o => o.value)")
    assert [v for v in values if v] == []  # the seed gives Phòng Lãnh sự no task
    assert "Phòng Lãnh sự" in page.locator("#f-task-units").inner_text()
