"""Fact rows: the rm_facts row (and rm_issued row) of one stored event, from its attributes."""

from __future__ import annotations

import json
import json.encoder
from datetime import datetime
from typing import Any

from eventsourcing.utils import get_topic

from domain.issuance import IssuedReport
from domain.records import Record
from domain.times import Moment, to_us


def scope_of(target: str) -> tuple[str, str]:
    """The record kind and scope (programme, year…) that a target belongs to."""
    kind, _, rest = target.partition(":")
    if kind == "task":
        return kind, rest.rsplit("/", 1)[0]
    return kind, rest


# Memos of the pure functions the projector calls for every event (dates repeat).
_MEMO_LIMIT = 100_000
_moments: dict[str, tuple[int, str]] = {}
_instants: dict[str, int] = {}


def _moment(text: str) -> tuple[int, str]:
    """A fact time's microseconds and its Vietnam day (`Moment.parse`, remembered)."""
    found = _moments.get(text)
    if found is None:
        if len(_moments) > _MEMO_LIMIT:
            _moments.clear()
        moment = Moment.parse(text)
        found = _moments[text] = (moment.us, moment.day.isoformat())
    return found


def _recorded_us(stamp: Any) -> int:
    """The recorded instant in microseconds: a datetime, or its stored JSON form."""
    if isinstance(stamp, datetime):
        return to_us(stamp)
    text = stamp["_data_"]  # {"_type_": "datetime_iso", "_data_": ISO}, as JSONTranscoder wrote it
    found = _instants.get(text)
    if found is None:
        if len(_instants) > _MEMO_LIMIT:
            _instants.clear()
        found = _instants[text] = to_us(datetime.fromisoformat(text))
    return found


# The columns of rm_facts in the order `entry_row` gives them.
FACT_COLUMNS = (
    "pos",
    "org",
    "record_kind",
    "scope",
    "target",
    "fact_id",
    "kind",
    "target_fact_id",
    "at",
    "at_us",
    "at_day",
    "known_since",
    "known_us",
    "recorded_us",
    "actor",
    "reason",
    "ref",
    "topic",
    "data",
    "into_org",
)
_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
# The C encoder that `_dumps` ends in, called without its Python wrapper; the wrapper where the
# C accelerator is missing.
_c_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
if _c_encoder is not None:
    _encode = _c_encoder(
        None, None, json.encoder.encode_basestring, None, ": ", ", ", True, False, True
    )

    def _dumps(data: Any) -> str:  # type: ignore[misc]
        return "".join(_encode(data, 0))


def fact_row(position: int, ev: Record.Entry) -> dict[str, Any]:
    """The temporal row of one stored event."""
    return dict(zip(FACT_COLUMNS, entry_row(position, get_topic(type(ev)), vars(ev)), strict=True))


def entry_row(position: int, topic: str, ev: dict[str, Any]) -> tuple[Any, ...]:
    """The rm_facts row (FACT_COLUMNS) of one stored event, from its attributes."""
    target = ev["target"]
    record_kind, scope = scope_of(target)
    at = ev.get("at")
    at_us, at_day = _moment(at) if at else (None, None)
    data = ev.get("data")
    if data is None:
        data = ev.get("changes", {})
    recorded_us = _recorded_us(ev["timestamp"])
    known_since = ev["known_since"]
    # Record.Entry.knowledge_us: `known_since`, else the recorded instant.
    known_us = _moment(known_since)[0] if known_since else recorded_us
    return (
        position,
        ev["org"],
        record_kind,
        scope,
        target,
        ev["fact_id"],
        ev["kind"],
        ev.get("target_fact_id"),
        at,
        at_us,
        at_day,
        known_since,
        known_us,
        recorded_us,
        ev["actor"],
        ev["reason"],
        ev["ref"],
        topic,
        _dumps(data),
        _into(ev["kind"], data),
    )


def _into(kind: str, data: Any) -> str | None:
    """The successor an `org.merged` names (a text), else None."""
    if kind != "org.merged" or not isinstance(data, dict):
        return None
    into = data.get("into")
    return into if isinstance(into, str) else None


def issued_row(position: int, ev: IssuedReport.ReportIssued) -> dict[str, Any]:
    """Where an issued report's event is, by department, year and number."""
    return {
        "org": ev.org,
        "year": ev.year,
        "number": ev.number,
        "pos": position,
        "kind": ev.details["kind"],
        "signed_on": ev.details["signed_on"],
        "digest": ev.details["digest"],
    }
