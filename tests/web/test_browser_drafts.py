"""The draft editor in a real browser (Debian's chromium through Playwright, as test_browser):
the standard draft, the live preview following the text, a figure inserted, a version saved."""

from __future__ import annotations

import re
from typing import Any

from tests.web.test_browser import chromium, page_for, server, shot  # noqa: F401 (fixtures)


def preview_text(page: Any) -> str:
    return page.frame_locator("#preview").locator("body").inner_text()


def test_clerk_writes_a_draft_with_a_live_preview(page_for: Any) -> None:  # noqa: F811
    page = page_for("clerk")
    page.goto("/o/ha-tinh/drafts")
    page.select_option("#n-kind", "key-tasks")
    page.fill("#n-period", "2020")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    assert "Thực hiện Chương trình công tác trọng tâm" in page.input_value("#d-body")
    # The preview is loaded without a click (the script submits the form into the frame).
    frame = page.frame_locator("#preview")
    frame.locator("text=CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").wait_for()
    completed = page.locator(
        "xpath=//td[code[normalize-space()='kt.summary.completed']]/following-sibling::td[1]"
    ).inner_text()
    page.fill("#d-body", "Đã hoàn thành {{ kt.summary.completed }} nhiệm vụ. ")
    frame.locator(f"text=Đã hoàn thành {completed} nhiệm vụ.").wait_for()
    # "Chèn" puts the figure at the cursor, and the preview follows.
    page.locator("#d-body").press("End")
    page.locator("xpath=//tr[td/code[normalize-space()='kt.org']]//button[@data-insert]").click()
    assert page.input_value("#d-body").endswith("{{ kt.org }}")
    frame.locator("text=nhiệm vụ. ha-tinh").wait_for()
    shot(page, "20-du-thao-xem-truoc")
    # A name the source does not have: the preview says why, the save shows it beside the field.
    page.fill("#d-body", "{{ kt.khong_co }}")
    frame.locator("text=khong_co").first.wait_for()
    page.click("text=Lưu phiên bản mới")
    page.wait_for_load_state()
    assert "khong_co" in page.locator("#e-body").inner_text()
    page.fill("#d-body", "Đã hoàn thành {{ kt.summary.completed|count }} nhiệm vụ.")
    page.click("text=Lưu phiên bản mới")
    page.wait_for_load_state()
    assert re.search(r"Đã lưu phiên bản 1", page.locator(".flash.success").inner_text())
    assert page.url.endswith("/o/ha-tinh/drafts/key-tasks-2020")
    shot(page, "21-du-thao-da-luu")
    # The director issues it: the signature, then the document as it will be issued and a
    # confirmation naming number, day and signer, then the issued report's page.
    director = page_for("director")
    director.goto("/o/ha-tinh/drafts/key-tasks-2020/issue")
    director.fill("#i-number", "77/SNgV-VP")
    director.fill("#i-signed_on", "2020-12-11")
    director.fill("#i-signer", "Lê Thị Khánh Cẩm")
    director.fill("#i-signer_title", "CHÁNH VĂN PHÒNG")
    director.click("text=Xem trước khi ban hành")
    director.wait_for_load_state()
    confirm = director.locator("p.confirm").inner_text()
    assert "77/SNgV-VP" in confirm and "11/12/2020" in confirm and "Lê Thị Khánh Cẩm" in confirm
    issued = director.frame_locator("#issue-preview")
    issued.locator("text=Số:\u00a077/SNgV-VP").wait_for()
    shot(director, "22-ban-hanh-xac-nhan")
    director.click("text=Xác nhận ban hành")
    director.wait_for_load_state()
    assert "/o/ha-tinh/issued/2020/77/SNgV-VP" in director.url
    assert "Đã ban hành 77/SNgV-VP" in director.locator(".flash.success").first.inner_text()
    assert "In lại khớp" in director.locator("main").inner_text()  # the reprint matches
