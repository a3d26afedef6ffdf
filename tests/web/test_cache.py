"""The in-process caches never show a report older than the read models: every worker sees every
write once the projector worker has applied it, and its writer at once (read-your-writes)."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask

from tests.web.conftest import csrf_token, https_client, login

MAIN = '<main id="main" tabindex="-1">'  # base.html: the skip link's target
PAGE = "/o/ha-tinh/reports?kind=foreign-affairs&period=2021-03&window=calendar&as_of=2021-12-31"
DELEGATION = {
    "kind": "delegation.recorded",
    "org": "ha-tinh",
    "direction": "outbound",
    "people": 3,
    "countries": ["Lào"],
    "purpose": "Khảo sát",
    "at": "2021-03-10",
    "known_since": "2021-03-10",  # known at the time: within the page's cut-offs
}


def outbound(client: Any) -> int:
    content = client.get(PAGE + "&format=json").get_json()
    return content["outbound"]["delegations"]


def token(app: Flask, user: str = "clerk") -> dict[str, str]:
    return {"Authorization": f"Bearer {app.extensions['ngoaivu_accounts'].new_token(user)}"}


def test_a_write_in_another_worker_is_seen_once_projected(
    app: Flask, second_worker: Flask, as_user: Any
) -> None:
    reader = as_user("inspector")
    before = outbound(reader)
    page = reader.get(PAGE).get_data(as_text=True)
    assert reader.get(PAGE).get_data(as_text=True) == page  # kept
    writer = second_worker.test_client()
    response = writer.post(
        "/api/v1/commands", json={**DELEGATION, "id": "CACHE-1"}, headers=token(second_worker)
    )
    assert response.status_code == 201
    # Another user's read never waits for it: it is seen once a projector worker applied it.
    assert app.extensions["ngoaivu"].worker.sync()
    assert outbound(reader) == before + 1
    again = reader.get(PAGE).get_data(as_text=True)
    assert again != page and response.get_json()["fact_ids"] == ["delegation:CACHE-1#1"]
    dashboard = reader.get("/o/ha-tinh/?year=2021").get_data(as_text=True)
    writer.post(
        "/api/v1/commands",
        json={**DELEGATION, "id": "CACHE-2", "at": "2021-07-01", "known_since": "2021-07-01"},
        headers=token(second_worker),
    )
    assert app.extensions["ngoaivu"].worker.sync()
    assert reader.get("/o/ha-tinh/?year=2021").get_data(as_text=True) != dashboard


def test_known_by_now_is_never_kept(as_user: Any) -> None:
    reader = as_user("inspector")
    first = reader.get(PAGE + "&known_by=now&format=json").get_json()["known_by"]
    time.sleep(0.01)
    second = reader.get(PAGE + "&known_by=now&format=json").get_json()["known_by"]
    assert first != second


def test_the_page_is_the_same_whoever_asks_but_the_header_is_theirs(as_user: Any) -> None:
    clerk = as_user("clerk").get(PAGE).get_data(as_text=True)
    inspector = as_user("inspector").get(PAGE).get_data(as_text=True)
    assert "/o/ha-tinh/entry/" in clerk and "/o/ha-tinh/entry/" not in inspector
    assert ">clerk" in clerk and ">inspector" in inspector
    body = clerk.split(MAIN)[1].split("</main>")[0]
    assert body.split("</h1>")[1] == inspector.split(MAIN)[1].split("</main>")[0].split("</h1>")[1]


def test_an_account_changed_elsewhere_is_seen_at_the_next_request(
    app: Flask, second_worker: Flask
) -> None:
    client = https_client(app)
    assert login(client, "clerk").status_code == 302
    assert client.get("/o/ha-tinh/").status_code == 200
    second_worker.extensions["ngoaivu_accounts"].set_active("clerk", False)
    response = client.get("/o/ha-tinh/")
    assert response.status_code == 302 and "/login" in response.location


def test_the_session_cookie_is_not_signed_again_on_every_request(as_user: Any) -> None:
    client = as_user("clerk")
    client.get("/o/ha-tinh/")  # the first page after login may write the last-seen time
    response = client.get("/o/ha-tinh/")
    assert "Set-Cookie" not in response.headers
    with client.session_transaction() as session:
        session["seen"] = time.time() - 40  # more than 30 s ago: written again
    assert "ngoaivu_session=" in client.get("/o/ha-tinh/").headers.get("Set-Cookie", "")


def test_a_kept_page_is_never_served_after_logout(as_user: Any) -> None:
    client = as_user("inspector")
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200  # kept
    client.post("/logout", data={"csrf_token": csrf_token(client, PAGE)})
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.location


def test_a_pending_message_is_shown_once_and_never_kept(as_user: Any) -> None:
    client = as_user("inspector")
    client.get(PAGE)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Thông báo thử")]
    assert "Thông báo thử" in client.get(PAGE).get_data(as_text=True)
    assert "Thông báo thử" not in client.get(PAGE).get_data(as_text=True)


def test_kept_pages_carry_the_security_headers(as_user: Any) -> None:
    client = as_user("inspector")
    built = client.get(PAGE)
    response = client.get(PAGE)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"  # HTTPS
    # the kept page's headers (built once) are the built page's, whatever their order (the
    # first page of a session also sends its cookie: its CSRF secret)
    assert sorted(response.headers.items()) == sorted(
        (name, value) for name, value in built.headers.items() if name != "Set-Cookie"
    )
    assert response.get_data() == built.get_data()


def test_a_second_session_of_the_same_user_gets_its_own_forms_token(app: Flask) -> None:
    """The first page of a session makes its CSRF secret: it is never another session's page."""
    first, second = https_client(app), https_client(app)
    assert login(first, "inspector").status_code == 302
    assert login(second, "inspector").status_code == 302
    token = csrf_token(first, PAGE)
    assert csrf_token(second, PAGE) != token
    second_token = csrf_token(second, PAGE)
    response = second.post("/logout", data={"csrf_token": second_token})
    assert response.status_code == 302 and "/login" in response.location
