"""Sessions end for good: a session cookie saved before a logout, a new password, a disabled
account or new roles neither reads nor writes again, in the worker that made the change, in
another worker, and in another process (a server and the CLI), from the very next request."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text

from service.accounts import AccountStore, Grant
from service.config import Settings
from tests.conftest import PG_ADMIN, Cli
from tests.web.conftest import PASSWORD, TOKEN, csrf_token, https_client, login

COOKIE = "ngoaivu_session"
DASHBOARD = "/o/ha-tinh/"
NGOAIVU = Path(sys.executable).with_name("ngoaivu")
SECRET = "session-test-secret"
CONFERENCE = {
    "kind": "conference.recorded",
    "org": "ha-tinh",
    "at": "2023-05-01",
    "id": "PHIEN-1",
    "title": "Hội thảo",
}


def saved_cookie(client: FlaskClient) -> str:
    """The browser's session cookie as an attacker would copy it."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def replay(app: Flask, cookie: str) -> FlaskClient:
    """A fresh browser carrying a copied session cookie."""
    client = https_client(app)
    client.set_cookie(COOKIE, cookie, domain="localhost", secure=True)
    return client


def head(app: Flask) -> int:
    return app.extensions["ngoaivu"].app.head() or 0


def assert_ended(app: Flask, cookie: str, token: str) -> None:
    """The copied cookie reads nothing and writes nothing."""
    client = replay(app, cookie)
    page = client.get(DASHBOARD)
    assert page.status_code == 302 and "/login" in page.location
    assert client.get("/api/v1/me").status_code == 401
    before = head(app)
    api = client.post("/api/v1/commands", json=CONFERENCE, headers={"X-CSRFToken": token})
    assert api.status_code == 401
    form = {
        "csrf_token": token,
        "id": "PHIEN-2",
        "direction": "inbound",
        "people": "2",
        "countries": "Lào",
        "purpose": "Thăm",
        "at": "2023-05-02",
    }
    entry = client.post("/o/ha-tinh/entry/delegation", data=form)
    assert entry.status_code == 302 and "/login" in entry.location
    assert head(app) == before


def logged_in(app: Flask, user: str = "clerk") -> tuple[FlaskClient, str, str]:
    """A browser logged in, its cookie and its forms' CSRF token (both still good)."""
    client = https_client(app)
    assert login(client, user).status_code == 302
    token = csrf_token(client, DASHBOARD)
    return client, saved_cookie(client), token


def test_a_saved_cookie_opens_the_session_before_it_ends(app: Flask) -> None:
    _client, cookie, token = logged_in(app)
    copy = replay(app, cookie)
    assert copy.get(DASHBOARD).status_code == 200
    response = copy.post("/api/v1/commands", json=CONFERENCE, headers={"X-CSRFToken": token})
    assert response.status_code == 201  # the test below can fail: the copy did work before


def test_logout_ends_the_saved_cookie_in_this_and_another_worker(
    app: Flask, second_worker: Flask
) -> None:
    client, cookie, token = logged_in(app)
    assert replay(second_worker, cookie).get(DASHBOARD).status_code == 200  # warmed there
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert_ended(app, cookie, token)
    assert_ended(second_worker, cookie, token)


def test_logout_ends_every_session_of_the_account(app: Flask) -> None:
    _office, office_cookie, _ = logged_in(app)
    home, _cookie, token = logged_in(app)
    assert home.post("/logout", data={"csrf_token": token}).status_code == 302
    assert replay(app, office_cookie).get(DASHBOARD).status_code == 302
    assert logged_in(app)[0].get(DASHBOARD).status_code == 200  # a new login works


def test_a_new_password_ends_the_saved_cookie_everywhere(app: Flask, second_worker: Flask) -> None:
    _client, cookie, token = logged_in(app)
    assert replay(second_worker, cookie).get(DASHBOARD).status_code == 200
    second_worker.extensions["ngoaivu_accounts"].set_password("clerk", "mat-khau-moi-12345")
    assert_ended(app, cookie, token)
    assert_ended(second_worker, cookie, token)


def test_disabling_ends_the_saved_cookie(app: Flask, second_worker: Flask) -> None:
    _client, cookie, token = logged_in(app)
    second_worker.extensions["ngoaivu_accounts"].set_active("clerk", False)
    assert_ended(app, cookie, token)
    app.extensions["ngoaivu_accounts"].set_active("clerk", True)
    assert_ended(app, cookie, token)  # enabled again: the old session stays over


def test_new_roles_end_the_saved_cookie(app: Flask, second_worker: Flask) -> None:
    _client, cookie, token = logged_in(app)
    store = second_worker.extensions["ngoaivu_accounts"]
    store.set_grants("clerk", [Grant("ha-tinh", "clerk"), Grant("gia-lai", "inspector")])
    assert_ended(app, cookie, token)
    fresh = https_client(app)
    assert login(fresh, "clerk").status_code == 302
    assert fresh.get("/o/gia-lai/").status_code == 200  # the new roles, on a new login


def test_a_new_api_token_leaves_sessions_alone(app: Flask) -> None:
    _client, cookie, _token = logged_in(app)
    app.extensions["ngoaivu_accounts"].new_token("clerk")
    assert replay(app, cookie).get(DASHBOARD).status_code == 200


def test_a_session_without_the_accounts_number_is_over(app: Flask) -> None:
    """A session made before sessions carried the number (an upgrade) logs in again."""
    client, _cookie, _token = logged_in(app)
    with client.session_transaction() as session:
        del session["sv"]
    assert client.get(DASHBOARD).status_code == 302


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The event store's database, where accounts live: SQLite, or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url").replace("postgresql://", "postgresql+psycopg://")
    made = create_engine(url)
    yield made
    made.dispose()


def test_an_accounts_table_from_before_gets_the_column(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE ngoaivu_accounts (username VARCHAR(64) PRIMARY KEY, "
                "password_hash TEXT NOT NULL, active BOOLEAN NOT NULL, grants TEXT NOT NULL, "
                "token_hash VARCHAR(64), changed_us BIGINT NOT NULL)"
            )
        )
    store = AccountStore(engine)
    store.add("cu", PASSWORD, [Grant("ha-tinh", "clerk")])
    assert store.get("cu").session_version == 0
    store.end_sessions("cu")
    assert store.get("cu").session_version == 1
    again = AccountStore(engine)  # a second start (another worker) finds the column there
    assert again.authenticate("cu", PASSWORD) is not None
    assert again.get("cu").session_version == 1
    store.close()
    again.close()


def test_every_change_is_read_at_once_by_another_store(engine: Engine) -> None:
    """Two stores on one database, as two gunicorn workers: nothing is kept stale."""
    one, two = AccountStore(engine), AccountStore(engine)
    one.add("b", PASSWORD, [Grant("ha-tinh", "clerk")])
    token = one.new_token("b")
    assert two.get("b").grants == [Grant("ha-tinh", "clerk")]
    assert two.by_token(token).username == "b"
    one.set_grants("b", [Grant("ha-tinh", "director")])
    assert two.get("b").grants == [Grant("ha-tinh", "director")]
    assert two.get("b").session_version == 1
    one.set_password("b", "mat-khau-moi-12345")
    assert two.get("b").session_version == 2
    assert two.by_token(token).username == "b"  # a new password leaves the token alone
    fresh = one.new_token("b")
    assert two.by_token(token) is None and two.by_token(fresh).username == "b"
    one.set_active("b", False)
    assert two.get("b").active is False and two.by_token(fresh) is None
    assert two.get("nobody") is None
    one.close()
    two.close()


def test_user_roles_and_passwd_on_the_command_line_end_sessions(app: Flask) -> None:
    data = app.extensions["ngoaivu"].settings.data_dir
    cli = Cli({"NGOAIVU_DATA": str(data)})
    _client, cookie, token = logged_in(app)
    roles = cli("user", "roles", "clerk", "--org", "ha-tinh", "--role", "director")
    assert roles.exit_code == 0, roles.output
    assert_ended(app, cookie, token)
    director = https_client(app)
    assert login(director, "clerk").status_code == 302
    assert director.get("/o/ha-tinh/issue").status_code == 200  # a director's page now
    _client, cookie, token = logged_in(app)
    passwd = cli("user", "passwd", "clerk", "--password-stdin", input="mat-khau-moi-12345\n")
    assert passwd.exit_code == 0, passwd.output
    assert_ended(app, cookie, token)
    assert cli("user", "roles", "nobody", "--org", "ha-tinh", "--role", "clerk").exit_code == 2
    bad = cli("user", "roles", "clerk", "--org", "*", "--role", "clerk")
    assert bad.exit_code == 2 and "thanh tra" in bad.output


@pytest.mark.postgres
def test_a_connection_the_server_closed_is_replaced(pg_url: str) -> None:
    import psycopg

    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    store = AccountStore(engine)
    store.add("c", PASSWORD, [Grant("ha-tinh", "clerk")])
    assert store.get("c") is not None  # a pooled connection now exists
    name = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
    assert store.get("c").username == "c"
    store.close()


# --- another process: a server (gunicorn with two workers when installed) and the CLI


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Browser:
    """A plain HTTP client of the server process that keeps the session cookie."""

    def __init__(self, base: str, cookie: str = "") -> None:
        self.base, self.cookie = base, cookie

    def send(self, path: str, data: dict[str, str] | None = None, **headers: str) -> Any:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        if self.cookie:
            request.add_header("Cookie", f"{COOKIE}={self.cookie}")
        try:
            response = _OPENER.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        found = re.search(COOKIE + r"=([^;]*)", response.headers.get("Set-Cookie") or "")
        if found:
            self.cookie = found.group(1)
        response.text = response.read().decode("utf-8", "replace")
        return response

    def login(self, user: str) -> None:
        page = self.send("/login")
        token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
        form = {"username": user, "password": PASSWORD, "csrf_token": token}
        assert self.send("/login", form).status == 302


def _server_command(port: int) -> list[str]:
    try:
        import gunicorn  # noqa: F401
    except ImportError:  # `make test` installs '.[dev]': one process, the Flask server
        return [str(NGOAIVU), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]


@pytest.fixture
def server(seeded: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The application in another process on a copy of the seeded installation, and its data."""
    from tests.web.test_browser import free_port

    data = tmp_path / "served"
    shutil.copytree(seeded, data)
    port = free_port()
    env = {
        **os.environ,
        "NGOAIVU_DATA": str(data),
        "NGOAIVU_SECRET_KEY": SECRET,
        "NGOAIVU_COOKIE_SECURE": "0",
    }
    env.pop("DATABASE_URL", None)
    command = _server_command(port)
    if "gunicorn" in command:
        command.append("web:create_app()")
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Browser(base).send("/login").status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "server.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield base, data
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _pages(browser: Browser, count: int = 12) -> list[int]:
    """The status of the dashboard asked `count` times (served by either worker)."""
    return [browser.send(DASHBOARD).status for _ in range(count)]


def test_logout_in_one_process_ends_the_cookie_in_another(server: tuple[str, Path]) -> None:
    from web import create_app

    base, data = server
    browser = Browser(base)
    browser.login("clerk")
    assert _pages(browser) == [200] * 12  # the session is open in the server (both workers)
    saved = browser.cookie  # with the forms' CSRF secret the first page put in it
    app = create_app({"TESTING": True, "NGOAIVU_SETTINGS": Settings(data), "SECRET_KEY": SECRET})
    try:  # the logout goes through this process's own application
        client = replay(app, saved)
        token = csrf_token(client, DASHBOARD)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
        before = head(app)
        copy = Browser(base, saved)
        assert _pages(copy) == [302] * 12
        form = {"csrf_token": token, "id": "X", "direction": "inbound", "people": "1"}
        write = copy.send("/o/ha-tinh/entry/delegation", form)
        assert write.status == 302 and "/login" in write.headers["Location"]
        assert head(app) == before
    finally:
        app.extensions["ngoaivu"].close()
        app.extensions["ngoaivu_accounts"].engine.dispose()


def test_a_password_changed_by_the_cli_ends_the_cookie_in_the_server(
    server: tuple[str, Path],
) -> None:
    base, data = server
    browser = Browser(base)
    browser.login("clerk")
    page = browser.send(DASHBOARD)
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    saved = browser.cookie
    assert _pages(browser) == [200] * 12
    env = {**os.environ, "NGOAIVU_DATA": str(data)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [str(NGOAIVU), "user", "passwd", "clerk", "--password-stdin"],
        input="mat-khau-moi-12345\n",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    copy = Browser(base, saved)
    assert _pages(copy) == [302] * 12
    api = copy.send("/api/v1/me")
    assert api.status == 401
    request = urllib.request.Request(
        base + "/api/v1/commands",
        data=json.dumps(CONFERENCE).encode(),
        headers={
            "Content-Type": "application/json",
            "X-CSRFToken": token,
            "Cookie": f"{COOKIE}={saved}",
        },
    )
    try:
        status = _OPENER.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 401
