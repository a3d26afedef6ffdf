"""A real browser (Debian's chromium through Playwright, headless) against `ngoaivu serve`.

Skipped loudly when /usr/bin/chromium or Playwright is missing, unless CI=true (then it fails):
`make test` installs chromium first (scripts/browser-deps.sh). Screenshots of the main pages go to
test-output/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
NGOAIVU = Path(sys.executable).with_name("ngoaivu")
REPORT = "kind=foreign-affairs&period=2021-03&window=calendar&as_of=2021-12-31&known_by=now"


def _unavailable(why: str) -> None:
    message = f"browser tests not run: {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: `make test` installs it, scripts/browser-deps.sh)")
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium, driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is absent (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`ngoaivu serve` on 127.0.0.1 and a free port, on a copy of the seeded installation."""
    data = tmp_path_factory.mktemp("browser") / "var"
    shutil.copytree(seeded, data)
    port = free_port()
    env = {**os.environ, "NGOAIVU_DATA": str(data), "NGOAIVU_SECRET_KEY": "browser-test"}
    env.pop("DATABASE_URL", None)
    log = (data / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(NGOAIVU), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/login", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data / "serve.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def page_for(chromium: Any, server: str) -> Iterator[Any]:
    """page_for("clerk") → a logged-in page in a fresh browser context."""
    contexts = []

    def make(username: str) -> Any:
        context = chromium.new_context(
            base_url=server, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url, page.content()
        return page

    yield make
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def outbound_delegations(page: Any) -> int:
    """The figure as the report page shows it: the row "Số đoàn" of the "Đoàn ra" table."""
    cell = page.locator(
        "xpath=//th[normalize-space()='Đoàn ra']/following-sibling::td[1]"
        "/div/table/tbody/tr[th[normalize-space()='Số đoàn']]/td"
    ).first
    return int(cell.inner_text().replace(".", ""))


def test_clerk_records_a_delegation_and_sees_it_in_the_report(page_for: Any) -> None:
    page = page_for("clerk")
    assert page.url.endswith("/o/ha-tinh/")
    assert page.locator("h1").inner_text().startswith("Tổng quan năm")
    page.goto("/o/ha-tinh/?year=2020")  # the year of seed 000's programme
    assert "Hoàn thành" in (page.locator("svg.hbars").first.text_content() or "")
    shot(page, "01-tong-quan")
    page.goto(f"/o/ha-tinh/reports?{REPORT}")
    before = outbound_delegations(page)

    page.goto("/o/ha-tinh/entry/")
    shot(page, "02-nhap-lieu")
    page.click("text=Ghi nhận đoàn ra, đoàn vào")
    page.fill("#f-id", "2021-DR-BROWSER")
    page.select_option("#f-direction", "outbound")
    page.fill("#f-people", "6")
    page.fill("#f-countries", "Hàn Quốc, Nhật Bản")
    page.fill("#f-purpose", "Xúc tiến thương mại và du lịch")
    page.fill("#f-at", "2021-03-22")
    page.select_option("#f-funding", "state_budget")
    shot(page, "03-bieu-mau-doan")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    message = page.locator(".flash.success").inner_text()
    assert "Đã ghi nhận: Đoàn ra, đoàn vào — đoàn 2021-DR-BROWSER." in message

    # The report form, filled as a user would.
    page.goto("/o/ha-tinh/reports")
    page.select_option("select[name=kind]", "foreign-affairs")
    page.fill("input[name=period]", "2021-03")
    page.select_option("select[name=window]", "calendar")
    page.fill("input[name=as_of]", "2021-12-31")
    page.fill("input[name=known_by]", "now")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert outbound_delegations(page) == before + 1
    shot(page, "04-bao-cao-doi-ngoai")

    page.goto("/o/ha-tinh/history?target=delegation:2021-DR-BROWSER")
    text = page.locator("main").inner_text()
    assert "Xúc tiến thương mại và du lịch" in text and "clerk" in text
    shot(page, "05-lich-su-ban-ghi")
    page.goto("/o/ha-tinh/search?q=xuc tien thuong mai")
    assert "2021-DR-BROWSER" in page.locator("main").inner_text()
    shot(page, "06-tim-kiem")


def test_bad_form_shows_the_field_error_and_keeps_the_values(page_for: Any) -> None:
    page = page_for("clerk")
    page.goto("/o/ha-tinh/entry/delegation")
    page.fill("#f-id", "2021-DR-BAD")
    page.select_option("#f-direction", "inbound")
    page.fill("#f-people", "năm")
    page.fill("#f-countries", "Lào")
    page.fill("#f-at", "2021-04-02")
    page.click("form.entry button[type=submit]")
    page.wait_for_load_state()
    error = page.locator("#f-people-err")
    assert error.is_visible() and "phải là số nguyên" in error.inner_text()
    assert "thiếu trường bắt buộc" in page.locator("#f-purpose-err").inner_text()
    assert page.locator("#f-people").get_attribute("aria-invalid") == "true"
    assert page.input_value("#f-people") == "năm" and page.input_value("#f-id") == "2021-DR-BAD"
    assert "Chưa lưu" in page.locator(".flash.error").inner_text()
    shot(page, "07-loi-bieu-mau")
    page.goto("/o/ha-tinh/search?q=2021-DR-BAD")
    assert "2021-DR-BAD" not in page.locator("main").inner_text()


def test_inspector_finds_no_entry_form_and_a_403_on_a_write_url(page_for: Any) -> None:
    page = page_for("inspector")
    assert page.locator("a[href*='/entry/']").count() == 0
    assert page.locator("a[href$='/issue']").count() == 0
    page.goto("/o/ha-tinh/verify")
    shot(page, "08-kiem-tra-toan-ven")
    page.goto("/o/ha-tinh/issued")
    shot(page, "09-van-ban-da-ban-hanh")
    response = page.goto("/o/ha-tinh/entry/delegation")
    assert response is not None and response.status == 403
    assert "Bạn không có quyền" in page.locator("main").inner_text()
    assert page.locator("form.entry").count() == 0
    shot(page, "10-khong-co-quyen")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    posted = page.request.post(
        "/o/ha-tinh/entry/delegation",
        form={"csrf_token": token, "id": "X", "direction": "outbound", "people": "1"},
    )
    assert posted.status == 403


def test_login_page_in_vietnamese(chromium: Any, server: str) -> None:
    context = chromium.new_context(base_url=server, viewport={"width": 1280, "height": 700})
    page = context.new_page()
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("label[for=password]").inner_text() == "Mật khẩu"
    page.fill("#username", "clerk")
    page.fill("#password", "sai-mat-khau")
    page.click("form.card button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.locator(".flash.error").inner_text()
    shot(page, "00-dang-nhap")
    context.close()
