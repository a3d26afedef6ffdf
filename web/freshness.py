"""Read-your-writes on the web: a write's position goes back to its user, whose next request
waits until the read models reach it; nobody else's request waits, and none catches up.

The position travels three ways: in the session (a browser, across gunicorn workers and hosts),
in this process's memory of each account's last write (an API client), and in the request header
`X-Ngoaivu-Read-After: N` (an API client on several workers sends back the `X-Ngoaivu-Position`
of its write).
"""

from __future__ import annotations

from flask import Response, current_app, request, session
from flask_login import current_user

from service.runtime import Runtime
from web.cache import Lru

SESSION_KEY = "read_after"
HEADER_IN = "X-Ngoaivu-Read-After"
HEADER_OUT = "X-Ngoaivu-Position"


def _runtime() -> Runtime:
    return current_app.extensions["ngoaivu"]


def _recent() -> Lru:
    """Each account's last write in this process (bounded)."""
    extensions = current_app.extensions
    found = extensions.get("ngoaivu_recent_writes")  # made at the first use, not at every look
    return (
        found if found is not None else extensions.setdefault("ngoaivu_recent_writes", Lru(10_000))
    )


def _username() -> str | None:
    user = current_user._get_current_object()  # once: each use of the proxy loads it again
    return user.username if user and user.is_authenticated else None


def _header() -> int:
    text = (request.headers.get(HEADER_IN) or "").strip().lstrip("@")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0


def await_own_writes() -> None:
    """before_request: wait for the position of this user's last write, if the read models have
    not reached it yet (one indexed read when they have)."""
    rt = _runtime()
    if request.path.startswith("/static/"):
        return
    kept = session.get(SESSION_KEY)
    name = _username()
    wanted = max(
        kept if isinstance(kept, int) else 0,
        _header(),
        (_recent().peek(name) or 0) if name else 0,
        rt.written(),  # this thread's own write outside any request (a test, an embedding)
    )
    if wanted and rt.await_position(wanted):
        if kept is not None:
            session.pop(SESSION_KEY, None)
        if name and _recent().peek(name) == wanted:
            _recent().put(name, 0)


def hand_back_position(response: Response) -> Response:
    """after_request: a request that wrote tells its position (header; session of a browser;
    this process's memory of the account)."""
    position = _runtime().written()
    if not position:
        return response
    response.headers[HEADER_OUT] = str(position)
    if session.get("_user_id") is not None:  # a logged-in browser, not a bearer token
        kept = session.get(SESSION_KEY)
        session[SESSION_KEY] = max(position, kept if isinstance(kept, int) else 0)
    name = _username()
    if name:
        _recent().put(name, max(position, _recent().peek(name) or 0))
    return response


def forget_writes(_exc: BaseException | None = None) -> None:
    """teardown_request: the next request of this thread starts with no write of its own."""
    _runtime().forget_written()
