"""The session cookie verified once per distinct cookie (web.sessions): what Flask refuses is
still refused, a kept cookie still expires, and a kept payload is never shared with a request."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, flash, session

from tests.web.conftest import https_client
from web.sessions import KeptSessionInterface

COOKIE = "ngoaivu_session"
DASHBOARD = "/o/ha-tinh/"


def _sign(app: Flask, payload: dict[str, Any]) -> str:
    interface = app.session_interface
    assert isinstance(interface, KeptSessionInterface)
    signer = interface.get_signing_serializer(app)
    assert signer is not None
    return signer.dumps(payload)


def _plain_app(lifetime: int = 1800) -> Flask:
    app = Flask("plain")
    app.secret_key = "session-cookie-test"
    app.config["PERMANENT_SESSION_LIFETIME"] = lifetime
    app.config["SESSION_COOKIE_NAME"] = COOKIE
    app.session_interface = KeptSessionInterface(size=4)

    @app.route("/read")
    def read() -> Any:
        return {"data": dict(session)}

    @app.route("/flash")
    def add_message() -> Any:
        flash("một tin")
        return {"data": dict(session)}

    return app


def test_a_tampered_cookie_is_refused_after_the_good_one_was_kept() -> None:
    app = _plain_app()
    good = _sign(app, {"_user_id": "clerk", "sv": 0})
    client = app.test_client()
    client.set_cookie(COOKIE, good)
    assert client.get("/read").json == {"data": {"_user_id": "clerk", "sv": 0}}
    payload, stamp, signature = good.rsplit(".", 2)
    # the signature's first character changed (its last one carries padding bits: may not
    # change the bytes), and the payload changed
    other_first = "B" if signature[0] == "A" else "A"
    for forged in (
        f"{payload}.{stamp}.{other_first}{signature[1:]}",
        f"{payload}x.{stamp}.{signature}",
    ):
        other = app.test_client()
        other.set_cookie(COOKIE, forged)
        assert other.get("/read").json == {"data": {}}


def test_a_kept_cookie_expires_like_any_other(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _plain_app(lifetime=60)
    cookie = _sign(app, {"_user_id": "clerk"})
    client = app.test_client()
    client.set_cookie(COOKIE, cookie)
    assert client.get("/read").json == {"data": {"_user_id": "clerk"}}  # verified and kept
    import web.sessions

    now = web.sessions.time.time()
    monkeypatch.setattr(web.sessions.time, "time", lambda: now + 61)
    assert client.get("/read").json == {"data": {}}
    monkeypatch.setattr(web.sessions.time, "time", lambda: now - 120)  # signed in the future
    assert client.get("/read").json == {"data": {}}


def test_a_kept_payload_is_not_changed_by_a_request() -> None:
    app = _plain_app()
    interface = app.session_interface
    assert isinstance(interface, KeptSessionInterface)
    cookie = _sign(app, {"_user_id": "clerk", "_flashes": [["message", "cũ"]]})
    plain = _sign(app, {"_user_id": "clerk"})
    for value in (cookie, plain):
        client = app.test_client()
        client.set_cookie(COOKIE, value)
        first = client.get("/flash").json
        assert first is not None and first["data"]["_flashes"][-1] == ["message", "một tin"]
        again = app.test_client()
        again.set_cookie(COOKIE, value)
        assert again.get("/read").json == {"data": _without_new_flash(first["data"])}
    # only the payload of plain values was kept; the bound holds
    assert [key[1] for key in interface._verified.entries] == [plain]


def _without_new_flash(data: dict[str, Any]) -> dict[str, Any]:
    flashes = data["_flashes"][:-1]
    return {k: v for k, v in data.items() if k != "_flashes"} | (
        {"_flashes": flashes} if flashes else {}
    )


def test_the_kept_cookies_are_bounded() -> None:
    app = _plain_app()
    interface = app.session_interface
    assert isinstance(interface, KeptSessionInterface)
    for n in range(10):
        client = app.test_client()
        client.set_cookie(COOKIE, _sign(app, {"n": n}))
        assert client.get("/read").json == {"data": {"n": n}}
    assert len(interface._verified.entries) == 4


def test_a_new_secret_key_does_not_accept_a_cookie_kept_under_the_old(app: Flask) -> None:
    client = https_client(app)
    from tests.web.conftest import login

    login(client, "clerk")
    assert client.get(DASHBOARD).status_code == 200  # the cookie verified and kept
    app.secret_key = "another-secret-key"
    assert client.get(DASHBOARD).status_code == 302  # to the login page
