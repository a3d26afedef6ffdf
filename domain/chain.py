"""The hash chain over stored events (chuỗi băm): each link hashes the previous one and an event."""

from __future__ import annotations

import hashlib
import json
from uuid import UUID

GENESIS = "0" * 64


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
    """The next link: SHA-256 of the previous link (hex) and the event's bytes."""
    digest = hashlib.sha256(bytes.fromhex(previous))
    digest.update(payload)
    return digest.hexdigest()
