"""In-process caches of what depends only on the store's position (and the day).

A report under given options is a function of the events stored: the options name the as-of day,
the knowledge cut-off and the recorded cut-off; the defaults are today, the end of that day and
the whole store. So its content is kept by (department, options, today, store head): a new event
moves the head and the next request builds it again. `known_by=now` is never kept (the instant
moves). The rendered body of a report is kept by its digest and the page's language; a whole
report page or dashboard by its URL, the user and their roles, the session's CSRF secret, the
language, the day and the store head. Each gunicorn worker keeps its own entries (bounded LRU).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Response, current_app, g, request, session
from flask_login import current_user

from service.reporting.requests import vn_today
from service.runtime import Runtime
from web.locale import page_language
from web.security import SECURED, kept_page_headers


class Lru:
    """A small thread-safe LRU mapping."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def peek(self, key: Hashable) -> Any:
        """The kept value, or None."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        return None

    def put(self, key: Hashable, value: Any) -> None:
        """Keep a value."""
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The kept value, or `make()` kept (computed outside the lock)."""
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = make()
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value


def store_head(rt: Runtime) -> int:
    """The position the read models have reached: a key of every kept page and report (a write
    applied by the projector worker moves it). Nothing here catches up or links an event: the
    worker does (`service.worker`), and a user's own writes were awaited before the request
    (`web.freshness`)."""
    rt.ready()
    return rt.projector.position()


def lru(name: str, size: int = 256) -> Lru:
    """The application's LRU of that name (made at its first use, not at every look)."""
    extensions = current_app.extensions
    key = f"ngoaivu_lru_{name}"
    found = extensions.get(key)
    return found if found is not None else extensions.setdefault(key, Lru(size))


def cached_report(
    rt: Runtime, org: str, options: dict[str, str], build: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The report's content, built once per (options, today, store head)."""
    if (options.get("known_by") or "").strip().lower() == "now":
        return build()
    head = store_head(rt)
    key = (org, tuple(sorted(options.items())), vn_today().isoformat(), head)
    return lru("reports").get(key, build)


# Whole pages: what a signed-in user sees at a URL, for the pages that only show the store.
PAGE_ENDPOINTS = frozenset(
    {
        "inspection.report",
        "dashboard.show",
        "inspection.search",
        "inspection.record_history",  # its back link is set in the browser (app.js)
        "entry.fill",
        "entry.index",
    }
)


def _page_key() -> tuple[Any, ...] | None:
    """The key of this request's page, or None when it must be built (not a kept endpoint,
    a write, a pending message, the knowledge cut-off `now`, a download)."""
    req = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
    if req.method != "GET" or req.endpoint not in PAGE_ENDPOINTS:
        return None
    user = current_user._get_current_object()
    sess = session._get_current_object()  # type: ignore[attr-defined]
    if not user.is_authenticated or sess.get("_flashes"):
        return None
    csrf_secret = sess.get("csrf_token")  # the forms' token is signed from it: this session's
    if not csrf_secret:  # the first page of a session makes it: not another's
        return None
    args = req.args
    if args.get("format") or (args.get("known_by") or "").strip().lower() == "now":
        return None
    grants = tuple((g.org, g.role, g.units) for g in user.grants)
    return (
        req.full_path,
        user.username,
        grants,
        csrf_secret,
        page_language(),  # Flask-Babel's locale, by name
        vn_today().isoformat(),
        store_head(current_app.extensions["ngoaivu"]),
    )


def serve_kept_page() -> Response | None:
    """before_request: the kept page when nothing it shows has changed."""
    key = _page_key()
    if key is None:
        return None
    body = lru("pages", 256).peek(key)
    if body is None:
        g.ngoaivu_page_key = key
        return None
    # Its headers whole, as security_headers would add them to the page built by its view.
    response = Response(body, headers=kept_page_headers(request.is_secure))
    setattr(response, SECURED, True)
    return response


def keep_page(response: Response) -> Response:
    """after_request: keep a page built for a key."""
    key = g.pop("ngoaivu_page_key", None)
    if (
        key is not None
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not session.get("_flashes")
    ):
        lru("pages", 256).put(key, response.get_data())
    return response
