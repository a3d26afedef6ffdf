"""Web fixtures: a seeded installation copied per test, users of every role, logged-in clients."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.accounts import AccountStore, Grant, accounts_engine
from service.config import Settings
from tests.conftest import SAMPLES
from web import create_app

PASSWORD = "mat-khau-thu-nghiem"
SEED_FILES = (
    "000_ha_tinh_key_tasks_2020.jsonl",
    "002_ha_tinh_emulation.jsonl",
    "004_gia_lai_assigned_tasks_2020.jsonl",
)
# name → grants; "own" department is ha-tinh, "other" is gia-lai.
USERS: dict[str, list[Grant]] = {
    "admin": [Grant("ha-tinh", "admin")],
    "clerk": [Grant("ha-tinh", "clerk")],
    "director": [Grant("ha-tinh", "director")],
    "inspector": [Grant("ha-tinh", "inspector")],
    "thanhtra": [Grant("*", "inspector")],
    "clerk_gl": [Grant("gia-lai", "clerk")],
    "clerk_unit": [Grant("ha-tinh", "clerk", ("Phòng Lãnh sự",))],
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One installation with the samples and the users, built once and copied per test."""
    from service.runtime import Runtime

    data = tmp_path_factory.mktemp("seeded") / "var"
    settings = Settings(data)
    with Runtime(settings) as rt:
        for name in SEED_FILES:
            rt.import_file(SAMPLES / name, actor="samples", backfill=True)
    accounts = AccountStore(accounts_engine(settings))
    for name, grants in USERS.items():
        accounts.add(name, PASSWORD, grants)
    accounts.engine.dispose()
    return data


@pytest.fixture
def app(seeded: Path, tmp_path: Path) -> Iterator[Flask]:
    """The application on a private copy of the seeded installation."""
    data = tmp_path / "var"
    shutil.copytree(seeded, data)
    flask_app = create_app({"TESTING": True, "NGOAIVU_SETTINGS": Settings(data)})
    yield flask_app
    flask_app.extensions["ngoaivu"].close()
    flask_app.extensions["ngoaivu_accounts"].engine.dispose()


@pytest.fixture
def second_worker(app: Flask) -> Iterator[Flask]:
    """Another application on the same installation (as another gunicorn worker)."""
    settings = app.extensions["ngoaivu"].settings
    other = create_app({"TESTING": True, "NGOAIVU_SETTINGS": Settings(settings.data_dir)})
    yield other
    other.extensions["ngoaivu"].close()
    other.extensions["ngoaivu_accounts"].engine.dispose()


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form on a page."""
    page = client.get(url)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {url} ({page.status_code})"
    return found.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    """Log in through the form."""
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


class HttpsClient(FlaskClient):
    """A test client whose requests come over HTTPS (as behind the production proxy)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], str):
            kwargs.setdefault("base_url", "https://localhost")
            # Over HTTPS, Flask-WTF also checks that the Referer is this site, as browsers send.
            kwargs["headers"] = {"Referer": "https://localhost/", **(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)


def https_client(app: Flask) -> FlaskClient:
    """A fresh HTTPS browser on the application."""
    app.test_client_class = HttpsClient
    return app.test_client()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An anonymous browser over HTTPS (the session cookie is Secure)."""
    return https_client(app)


@pytest.fixture
def as_user(app: Flask) -> Any:
    """as_user("clerk") → a client logged in as that user."""

    def make(name: str) -> FlaskClient:
        c = https_client(app)
        response = login(c, name)
        assert response.status_code == 302, response.get_data(as_text=True)
        return c

    return make
