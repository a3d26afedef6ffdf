"""Journeys of issue 15 in a real browser (Debian chromium, headless): clerk, director and
inspector at 390 px and 1,366 px; no page wider than the window, no code shown, every error at
once, the issue confirmation and the refusal of a future signing date. Screenshots go to
test-output/screenshots/journeys/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from domain import labels
from service.reporting.requests import vn_today
from tests.web.conftest import PASSWORD
from tests.web.test_browser import SHOTS, chromium, server  # noqa: F401 (fixtures)

WIDTHS = (390, 1366)
CODES = sorted(
    {c for family in labels.FAMILIES.values() for c in family if re.search(r"[_.\-]", c)},
    key=len,
    reverse=True,
)
PAGES = {
    "clerk": (
        "/o/ha-tinh/",
        "/o/ha-tinh/entry/",
        "/o/ha-tinh/entry/delegation",
        "/o/ha-tinh/entry/activity",
        "/o/ha-tinh/entry/task-progress",
        "/o/ha-tinh/entry/correction",
        "/o/ha-tinh/entry/award",
        "/o/ha-tinh/entry/upload",
        "/o/ha-tinh/entry/support-given",
        "/o/ha-tinh/entry/support-received",
        "/o/ha-tinh/drafts",
    ),
    "director": (
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11",
        "/o/ha-tinh/reports?kind=emulation&period=2020&window=calendar&as_of=2020-12-31",
        "/o/ha-tinh/reports?kind=award-register&period=2021&window=calendar",
        "/o/ha-tinh/issue?kind=key-tasks&period=2020&as_of=2020-12-11",
    ),
    "admin": (
        "/o/ha-tinh/accounts",
        "/o/ha-tinh/accounts/clerk",
        "/o/ha-tinh/accounts/log",
        "/o/ha-tinh/entry/pledge",
        "/o/ha-tinh/entry/movement",
    ),
    "inspector": (
        "/o/ha-tinh/?year=2020",
        "/o/ha-tinh/history",
        "/o/ha-tinh/history?target=task:2020/3",
        "/o/ha-tinh/search?q=a",
        "/o/ha-tinh/issued",
        "/o/ha-tinh/verify",
        "/",
    ),
}
SHOT_DIR = SHOTS / "journeys"


@pytest.fixture
def open_as(chromium: Any, server: str) -> Iterator[Any]:  # noqa: F811
    """open_as("clerk", 390) → a logged-in page in a window that wide."""
    contexts = []

    def make(username: str, width: int = 1366) -> Any:
        context = chromium.new_context(
            base_url=server, locale="vi-VN", viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url
        return page

    yield make
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT_DIR / f"{name}.png"), full_page=True)


def overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def too_wide(page: Any) -> list[str]:
    """The elements reaching past the window's right edge (for the failure message)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1
                         && (!e.parentElement.closest('.scroll')))
          .slice(0, 8)
          .map((e) => e.tagName + '.' + e.className + ' '
                      + Math.round(e.getBoundingClientRect().right))"""
    )


def codes_shown(page: Any) -> list[str]:
    text = page.locator("main").inner_text()
    return [c for c in CODES if re.search(rf"(?<![\w./:-]){re.escape(c)}(?![\w-])", text)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("user", list(PAGES))
def test_every_page_fits_the_window_and_shows_no_code(open_as: Any, user: str, width: int) -> None:
    page = open_as(user, width)
    for number, url in enumerate(PAGES[user]):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert overflow(page) <= 0, (url, width, overflow(page), too_wide(page))
        assert codes_shown(page) == [], (url, codes_shown(page))
        shot(page, f"{user}-{width}-{number:02d}")


def test_clerk_records_a_delegation_with_members_and_vietnamese_dates(open_as: Any) -> None:
    page = open_as("clerk", 390)
    page.goto("/o/ha-tinh/entry/delegation")
    suggested = page.input_value("#f-id")
    assert re.fullmatch(rf"{vn_today().year}-DR-\d\d", suggested)
    page.fill("#f-id", "2021-DR-MEMBERS")
    page.select_option("#f-direction", "outbound")
    page.fill("#f-people", "4")
    page.fill("#f-countries", "Lào")
    page.fill("#f-purpose", "Làm việc với tỉnh Khammouane")
    page.fill("#f-at", "05/03/2021")
    page.fill("#f-leader_level", "Lãnh đạo tỉnh")
    page.select_option("#f-partner_type", "locality")
    rows = page.locator("#f-members tbody tr")
    before = rows.count()
    page.click("#f-members button.add-row")
    assert rows.count() == before + 1
    page.fill("input[name='members-0-name']", "Nguyễn Văn A")
    page.fill("input[name='members-0-position']", "Phó Chủ tịch UBND tỉnh")
    last = rows.nth(before)
    last.locator("input").first.fill("Trần Thị B")
    shot(page, "clerk-delegation-members")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    message = page.locator(".flash.success")
    assert "Đã ghi nhận: Đoàn ra, đoàn vào — đoàn 2021-DR-MEMBERS." in message.inner_text()
    assert "Sự việc ngày 05/03/2021" in page.locator(".flash.info").first.inner_text()
    message.locator("a").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Nguyễn Văn A" in text and "Trần Thị B" in text and "05/03/2021" in text
    assert overflow(page) <= 0
    shot(page, "clerk-history-after-save")


def test_a_bad_form_shows_every_error_at_once(open_as: Any) -> None:
    page = open_as("clerk", 1366)
    page.goto("/o/ha-tinh/entry/delegation")
    page.fill("#f-id", "")
    page.fill("#f-people", "bốn")
    page.fill("#f-at", "31/02/2021")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    shown = page.locator("p.error")
    names = {shown.nth(i).get_attribute("id") for i in range(shown.count())}
    assert {
        "f-id-err",
        "f-direction-err",
        "f-people-err",
        "f-countries-err",
        "f-purpose-err",
        "f-at-err",
    } <= names
    for name in ("direction", "purpose"):
        control = page.locator(f"#f-{name}")
        assert f"f-{name}-err" in (control.get_attribute("aria-describedby") or "")
    assert "--" not in page.locator("main").inner_text()
    shot(page, "clerk-every-error")


def test_director_issues_from_the_report_with_a_confirmation(open_as: Any) -> None:
    page = open_as("director", 390)
    page.goto("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11")
    page.click("text=Ban hành báo cáo này")
    page.wait_for_load_state()
    assert page.input_value("#i-period") == "2020" and page.input_value("#i-signer") == "director"
    tomorrow = vn_today() + timedelta(days=1)
    page.fill("#i-number", "30/BC-SNgV")
    page.fill("#i-signed_on", f"{tomorrow:%d/%m/%Y}")
    page.fill("#i-signer", "Nguyễn Văn B")
    page.fill("#i-signer_title", "Giám đốc")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    assert "ở tương lai" in page.locator("#i-signed_on-err").inner_text()
    shot(page, "director-future-date-refused")
    page.fill("#i-signed_on", "14/12/2020")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    question = page.locator("#confirm-text").inner_text()
    assert (
        question
        == "Ban hành văn bản số 30/BC-SNgV, ngày ký 14/12/2020, người ký Giám đốc Nguyễn Văn B?"
    )
    assert overflow(page) <= 0
    shot(page, "director-confirmation")
    page.click("#confirm-issue")
    page.wait_for_load_state()
    assert (
        "Đã ban hành văn bản số 30/BC-SNgV ngày 14/12/2020"
        in page.locator(".flash.success").first.inner_text()
    )
    assert "In lại khớp mã băm đã ban hành" in page.locator("main").inner_text()
    shot(page, "director-issued")


def test_inspector_finds_history_search_and_switches_knowledge(open_as: Any) -> None:
    page = open_as("inspector", 1366)
    page.click("nav >> text=Lịch sử bản ghi")
    page.wait_for_load_state()
    assert "Các bản ghi thay đổi gần đây" in page.locator("main").inner_text()
    page.goto("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11")
    assert "Như đã biết ngày 11/12/2020" in page.locator(".knowledge").inner_text()
    page.click(".knowledge a")
    page.wait_for_load_state()
    assert "Theo hiểu biết hôm nay" in page.locator(".knowledge").inner_text()
    page.locator("table.grid a", has_text="Lịch sử").first.click()
    page.wait_for_load_state()
    assert "Lịch sử bản ghi: nhiệm vụ số" in page.locator("h1").inner_text()
    back = page.locator("a[data-back]")
    assert back.is_visible() and "/o/ha-tinh/reports?kind=key-tasks" in (
        back.get_attribute("href") or ""
    )
    page.goto("/o/ha-tinh/search?q=covid")
    headers = page.locator("table.results thead").inner_text()
    assert "Loại hồ sơ" in headers and "Ngày" in headers and "Trạng thái" in headers
    shot(page, "inspector-search")


def test_english_mode_speaks_english(open_as: Any) -> None:
    page = open_as("inspector", 1366)
    page.goto(
        "/lang/en?next=/o/ha-tinh/reports%3Fkind%3Dkey-tasks%26period%3D2020%26as_of%3D2020-12-11"
    )
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Key tasks" in text and "As known on 11/12/2020" in text
    assert "Báo cáo" not in page.locator("nav").inner_text()
    shot(page, "inspector-english")


def test_administrator_creates_and_disables_an_account(open_as: Any) -> None:
    page = open_as("admin", 390)
    page.click("nav >> text=Tài khoản")
    page.wait_for_load_state()
    page.fill("#a-username", "tranthib")
    page.fill("#a-full_name", "Trần Thị B")
    page.fill("#a-title", "Phó Giám đốc")
    page.fill("#a-password", "mat-khau-cua-b-1")
    page.select_option("#a-role", "director")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    assert "Đã tạo tài khoản tranthib." in page.locator(".flash.success").inner_text()
    assert overflow(page) <= 0
    page.click("table.grid a >> text=tranthib")
    page.wait_for_load_state()
    page.click("button[value=disable]")
    page.wait_for_load_state()
    assert "Đã khóa tài khoản." in page.locator(".flash.success").inner_text()
    shot(page, "admin-account-disabled")
    log = open_as("inspector", 1366)
    log.click("nav >> text=Nhật ký tài khoản")
    log.wait_for_load_state()
    text = log.locator("main").inner_text()
    assert "Tạo tài khoản" in text and "Khóa tài khoản" in text and "tranthib" in text
    assert codes_shown(log) == []
    shot(log, "inspector-account-log")


DRAFT = "key-tasks-2020"


def draft_with_two_versions(page: Any) -> None:
    """The standard key-tasks draft of 2020, saved twice (the second with a changed sentence and
    a reason), unless an earlier width made it already."""
    if page.goto(f"/o/ha-tinh/drafts/{DRAFT}/versions").status == 200:
        return
    page.goto(f"/o/ha-tinh/drafts/new?kind=key-tasks&period=2020&id={DRAFT}")
    page.click("text=Lưu phiên bản mới")
    page.wait_for_load_state()
    assert "Đã lưu phiên bản 1" in page.locator(".flash.success").inner_text()
    body = page.input_value("#d-body")
    page.fill("#d-body", body + "\n\nĐã hoàn thành {{ kt.summary.completed|count }} nhiệm vụ.")
    page.fill("#d-reason", "Thêm câu tổng kết")
    page.click("text=Lưu phiên bản mới")
    page.wait_for_load_state()
    assert "Đã lưu phiên bản 2" in page.locator(".flash.success").inner_text()


def prose_codes(page: Any) -> list[str]:
    """Codes in the page's words, leaving out what the user types in the template language
    (a draft's expressions in <code>, its body, the diff of its text)."""
    text = page.evaluate(
        """() => { const main = document.querySelector('main').cloneNode(true);
          main.querySelectorAll('code, pre, textarea').forEach((e) => e.remove());
          document.body.appendChild(main); const text = main.innerText; main.remove();
          return text; }"""
    )
    return [c for c in CODES if re.search(rf"(?<![\w./:-]){re.escape(c)}(?![\w-])", text)]


def fits(page: Any, url: str, width: int, name: str) -> None:
    assert overflow(page) <= 0, (url, width, overflow(page), too_wide(page))
    assert prose_codes(page) == [], (url, prose_codes(page))
    shot(page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_draft_editor_versions_and_diff_fit_the_window(open_as: Any, width: int) -> None:
    page = open_as("clerk", width)
    draft_with_two_versions(page)
    pages = (
        "/o/ha-tinh/drafts",
        "/o/ha-tinh/drafts/new?kind=foreign-affairs&period=2021",
        f"/o/ha-tinh/drafts/{DRAFT}",
        f"/o/ha-tinh/drafts/{DRAFT}/versions",
        f"/o/ha-tinh/drafts/{DRAFT}/versions?from=1&to=2",
        f"/o/ha-tinh/drafts/{DRAFT}?version=1",
    )
    for number, url in enumerate(pages):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if page.locator("#preview").count():  # the editor: its preview loaded, then measured
            national = page.frame_locator("#preview").locator("text=CỘNG HÒA XÃ HỘI")
            national.first.wait_for(state="attached")
        fits(page, url, width, f"drafts-{width}-{number:02d}")
    diff = page.goto(f"/o/ha-tinh/drafts/{DRAFT}/versions?from=1&to=2")
    assert diff is not None and diff.status == 200
    added = page.locator("pre.diff .add").all_inner_texts()
    assert any(line.startswith("+Đã hoàn thành {{") for line in added), added
    assert "Thêm câu tổng kết" in page.locator("main table").first.inner_text()
    director = open_as("director", width)
    url = f"/o/ha-tinh/drafts/{DRAFT}/issue"
    response = director.goto(url)
    assert response is not None and response.status == 200, url
    fits(director, url, width, f"drafts-{width}-issue")


@pytest.mark.parametrize("width", WIDTHS)
def test_support_forms_fit_the_window_with_every_error_shown(open_as: Any, width: int) -> None:
    page = open_as("clerk", width)
    for slug, other in (("support-given", "beneficiary"), ("support-received", "donor")):
        url = f"/o/ha-tinh/entry/{slug}"
        page.goto(url)
        page.fill("#f-id", "")
        page.fill("#f-amount_vnd", "nhiều")
        page.fill("#f-at", "31/02/2021")
        page.click("form.entry button[type=submit]")
        page.wait_for_load_state()
        for name in ("id", other, "title", "amount_vnd", "at"):
            assert page.locator(f"#f-{name}-err").is_visible(), (slug, name)
        fits(page, url, width, f"{slug}-{width}-errors")
        page.fill("#f-id", f"2021-HT-{width}-{slug[8]}")
        page.fill(f"#f-{other}", "Tỉnh Khammouane")
        page.fill("#f-title", "Vật tư y tế")
        page.fill("#f-amount_vnd", "1.100.000.000")
        page.fill("#f-at", "15/01/2021")
        page.click("form.entry button[type=submit]")
        page.wait_for_load_state()
        message = page.locator(".flash").first.inner_text()
        assert "Đã ghi nhận: " in message and f"2021-HT-{width}-{slug[8]}" in message, message
        page.locator(".flash a").first.click()
        page.wait_for_load_state()
        assert "/history?target=support" in page.url and "1.100.000.000" in page.content()
        fits(page, page.url, width, f"{slug}-{width}-history")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_page_shows_the_document_and_fits(open_as: Any, width: int) -> None:
    page = open_as("inspector", width)
    url = "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"
    page.goto(url)
    document = page.frame_locator("iframe.document")
    document.locator("text=CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").wait_for(state="attached")
    document.locator("text=đã hoàn thành 12/22 nhiệm vụ").wait_for()
    page.wait_for_function(
        "() => document.querySelector('iframe.document').getBoundingClientRect().height > 600"
    )
    assert page.locator("#so-lieu a[href*='history?target=task']").count() > 0
    fits(page, url, width, f"report-document-{width}")
