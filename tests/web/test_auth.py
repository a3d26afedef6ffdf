"""Login, logout, throttling, sessions, CSRF and security headers."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import unquote, urlencode

import pytest

from tests.web.conftest import PASSWORD, csrf_token, https_client, login

SAME_MESSAGE = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_login_then_logout(client: Any) -> None:
    response = login(client, "clerk")
    assert response.status_code == 302
    assert client.get("/o/ha-tinh/").status_code == 200
    token = csrf_token(client, "/o/ha-tinh/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/o/ha-tinh/").status_code == 302


def test_no_user_enumeration(app: Any) -> None:
    wrong = login(https_client(app), "clerk", "not-the-password")
    unknown = login(https_client(app), "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert SAME_MESSAGE in wrong.get_data(as_text=True)
    assert SAME_MESSAGE in unknown.get_data(as_text=True)


def test_unknown_user_costs_a_password_check(app: Any) -> None:
    store = app.extensions["ngoaivu_accounts"]

    def timed(name: str) -> float:
        start = time.perf_counter()
        assert store.authenticate(name, "not-the-password") is None
        return time.perf_counter() - start

    known = min(timed("clerk") for _ in range(3))
    unknown = min(timed("nobody-here") for _ in range(3))
    assert unknown > known / 3  # both verify an argon2 hash


def test_login_is_throttled_per_address_and_name(app: Any) -> None:
    client = https_client(app)
    for _ in range(5):
        assert login(client, "clerk", "wrong-password").status_code == 401
    blocked = login(client, "clerk", PASSWORD)
    assert blocked.status_code == 429
    assert login(https_client(app), "admin").status_code == 302  # other names still log in


def test_disabled_account_is_logged_out(app: Any, as_user: Any) -> None:
    client = as_user("clerk")
    app.extensions["ngoaivu_accounts"].set_active("clerk", False)
    assert client.get("/o/ha-tinh/").status_code == 302
    again = login(https_client(app), "clerk")
    assert again.status_code == 401 and SAME_MESSAGE in again.get_data(as_text=True)


def test_idle_session_expires(as_user: Any) -> None:
    client = as_user("clerk")
    with client.session_transaction() as session:
        session["seen"] = time.time() - 31 * 60
    response = client.get("/o/ha-tinh/")
    assert response.status_code == 302 and "/login" in response.location


def test_csrf_is_enforced_on_forms(as_user: Any, client: Any) -> None:
    anonymous = client.post("/login", data={"username": "clerk", "password": PASSWORD})
    assert anonymous.status_code == 400
    clerk = as_user("clerk")
    response = clerk.post("/o/ha-tinh/entry/task-progress", data={"programme": "2020", "no": "1"})
    assert response.status_code == 400
    assert "tải lại trang" in response.get_data(as_text=True)  # what to do, not the CSRF jargon


def test_session_cookie_is_secure_and_headers_are_set(client: Any) -> None:
    response = login(client, "clerk")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/o/ha-tinh/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" in page.headers


def test_pages_load_no_external_resource(as_user: Any) -> None:
    page = as_user("clerk").get("/o/ha-tinh/").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page
    assert "<svg" in page


def test_english_is_available(as_user: Any) -> None:
    client = as_user("clerk")
    client.get("/lang/en")
    page = client.get("/o/ha-tinh/").get_data(as_text=True)
    assert 'lang="en"' in page and "Log out" in page and "Đăng xuất" not in page


def test_english_catalogue_is_complete_and_compiled() -> None:
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    web = Path(__file__).resolve().parents[2] / "web"
    here = web / "translations"
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "N_": None}  # N_: texts marked for the catalogue (web.locale)
    wanted = {m[2] for m in extract_from_dir(web, method_map, keywords=keywords)}

    def tupled(text: Any) -> Any:  # a plural message's forms (lists in the .mo)
        return tuple(text) if isinstance(text, list | tuple) else text

    with (here / "en/LC_MESSAGES/messages.po").open("rb") as f:
        po = {tupled(m.id): tupled(m.string) for m in read_po(f) if m.id}
    with (here / "en/LC_MESSAGES/messages.mo").open("rb") as f:
        mo = {tupled(m.id): tupled(m.string) for m in read_mo(f) if m.id}
    translated = {k for k, v in po.items() if v and all(v if isinstance(v, tuple) else (v,))}
    assert {tupled(w) for w in wanted} <= translated
    assert mo == po


# Each would lead a browser off the site (tabs and line breaks are dropped from URLs, a
# backslash reads as a slash), or put a line break into the Location header (a 500 before).
OFF_SITE = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "/%00/evil.example",
    "/%E2%80%A8/evil.example",  # U+2028 LINE SEPARATOR
    "/%C2%A0/evil.example",  # no-break space
    " /evil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_goes_only_to_a_path_of_this_site(app: Any, target: str) -> None:
    client = https_client(app)
    token = csrf_token(client, "/login")
    response = client.post(
        f"/login?next={target}",
        data={"username": "clerk", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_goes_only_to_a_path_of_this_site(client: Any, target: str) -> None:
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize(
    "target",
    [
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11",
        "/o/ha-tinh/search?q=l%C3%A3nh%20s%E1%BB%B1",
        "/o/ha-tinh/history?target=task:2020/11",
    ],
)
def test_a_path_of_this_site_is_kept(app: Any, target: str) -> None:
    client = https_client(app)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?" + urlencode({"next": target}),
        data={"username": "clerk", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.location == target
    assert client.get(response.location).status_code == 200


def test_after_login_the_page_asked_for_opens(client: Any) -> None:
    page = "/o/ha-tinh/search?q=l%C3%A3nh%20s%E1%BB%B1"
    sent = client.get(page)
    assert sent.status_code == 302 and sent.location.startswith("/login?next=")
    token = csrf_token(client, sent.location)
    response = client.post(
        sent.location, data={"username": "clerk", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302 and unquote(response.location) == unquote(page)
