"""The security headers of every response (CSP without inline code, no framing, no sniffing,
no cache), and a kept page's whole header list built once."""

from __future__ import annotations

from typing import Any

from flask import request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
# Set unless the view set its own: the draft editor's preview sets its own CSP and SAMEORIGIN
# (web.drafts.framed).
DEFAULTS = (("Content-Security-Policy", CSP), ("X-Frame-Options", "DENY"))
ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")
NO_STORE = ("Cache-Control", "no-store")
# A kept page's headers, the same as security_headers gives a page built by its view (a kept
# page is never static): over HTTP and over HTTPS.
_KEPT = (
    (("Content-Type", "text/html; charset=utf-8"), *DEFAULTS, *ALWAYS, NO_STORE),
    (("Content-Type", "text/html; charset=utf-8"), *DEFAULTS, *ALWAYS, HSTS, NO_STORE),
)
SECURED = "ngoaivu_secured"  # the attribute of a response whose headers are complete


def kept_page_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    """Every header of a kept HTML page (the response is marked SECURED)."""
    return _KEPT[secure]


def security_headers(response: Any) -> Any:
    """after_request: the security headers, unless the response was built with them."""
    if getattr(response, SECURED, False):
        return response
    headers = response.headers
    for name, value in DEFAULTS:
        headers.setdefault(name, value)
    for name, value in ALWAYS:
        headers[name] = value
    if request.is_secure:
        headers[HSTS[0]] = HSTS[1]
    if not request.path.startswith("/static/"):
        headers[NO_STORE[0]] = NO_STORE[1]
    return response
