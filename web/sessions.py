"""The session cookie, as Flask signs it, verified once per distinct cookie in this process.

A browser sends the same cookie on every request until the session changes (its last-seen time
every 30 s, a write's position, a message), and Flask checked its two HMACs, inflated and parsed
it every time: about a tenth of a kept page. The outcome of checking the same bytes under the
same keys cannot change, except the cookie's age, which is checked again at every request
exactly as itsdangerous does. Only payloads of plain values are kept (a message list is changed
in place by `flash`, so a session holding one is decoded afresh).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from web.cache import Lru

_PLAIN = (str, int, float, bool, type(None))


class KeptSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; its signer made once per key set, each distinct cookie
    verified once (bounded), its age checked at every request."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._signers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}
        self._verified = Lru(size)  # (keys, cookie) -> (signed at, payload)

    @staticmethod
    def _keys(app: Flask) -> tuple[Any, ...]:
        return (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer, made once for each secret key and its fallbacks."""
        if not app.secret_key:
            return None
        keys = self._keys(app)
        signer = self._signers.get(keys)
        if signer is None:
            signer = super().get_signing_serializer(app)
            if signer is None:
                return None
            self._signers = {keys: signer}  # a changed key replaces the old one
        return signer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The cookie's session, as Flask's: empty when the signature is bad or too old."""
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (self._keys(app), value)
        kept = self._verified.peek(key)
        if kept is not None:
            signed_at, data = kept
            # itsdangerous's own test (TimestampSigner.unsign): too old, or from the future
            age = int(time.time()) - signed_at
            if age > max_age or age < 0:
                return self.session_class()
            return self.session_class(data)  # a copy: the kept payload is never changed
        try:
            data, signed = signer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(v, _PLAIN) for v in data.values()):
            self._verified.put(key, (int(signed.timestamp()), dict(data)))
        return self.session_class(data)
