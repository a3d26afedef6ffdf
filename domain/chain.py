"""The hash chain over stored events (chuỗi băm): each link hashes the previous one and an event.

Links made by this version are keyed: HMAC-SHA256 under a key kept outside the database, so
whoever can write the database cannot make a link that verifies. Links of the first version
(plain SHA-256, `link`) stay valid up to the position recorded when the installation was upgraded.
"""

from __future__ import annotations

import hashlib
import json
from uuid import UUID

GENESIS = "0" * 64
# What a keyed link says about its event: written by the application, or written from outside
# and acknowledged by an administrator (the note, with who, when and why, is inside the link).
WRITTEN = b"E"
ACKNOWLEDGED = b"A"


def event_bytes(
    position: int, org: str, originator_id: UUID, version: int, topic: str, state: bytes
) -> bytes:
    """An event's canonical bytes as stored: its place, tenant, aggregate, version, topic, state.

    The state holds the recorded instant (the event's timestamp) and is taken as stored, encrypted
    or not, so checking the chain needs no key.
    """
    header = json.dumps([position, org, str(originator_id), version, topic]).encode("utf-8")
    return len(header).to_bytes(4, "big") + header + state


def link(previous: str, payload: bytes) -> str:
    """A first-version (unkeyed) link: SHA-256 of the previous link and the event's bytes."""
    digest = hashlib.sha256(bytes.fromhex(previous))
    digest.update(payload)
    return digest.hexdigest()


class Mac:
    """Keyed links under one key: HMAC-SHA256 (RFC 2104), its two pads hashed once."""

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        padded = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def digest(self, *parts: bytes) -> bytes:
        """HMAC-SHA256 of the parts joined."""
        inner = self._inner.copy()
        for part in parts:
            inner.update(part)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def link(self, previous: bytes, payload: bytes) -> bytes:
        """The link of an event the application wrote, after `previous` (32 bytes)."""
        inner = self._inner.copy()
        inner.update(WRITTEN)
        inner.update(previous)
        inner.update(payload)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def acknowledged(self, previous: bytes, note: bytes, payload: bytes) -> bytes:
        """The link of an outside write an administrator acknowledged (`note` says how)."""
        return self.digest(ACKNOWLEDGED, previous, len(note).to_bytes(4, "big"), note, payload)
