"""What every report shares: the request, the common keys, the digest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from domain.canonical import with_digest
from domain.periods import Period
from projections.visibility import Cutoffs, Part, fold, select_rows

Builder = Callable[[Connection, "ReportRequest"], dict[str, Any]]


@dataclass(frozen=True)
class ReportRequest:
    """One report asked for: kind, organisation, period, cut-offs and their written forms."""

    kind: str
    org: str
    period: Period
    cut: Cutoffs
    known_label: str
    recorded_label: str
    programme: str | None = None
    format: int | None = None
    # A `document`: the draft, its pinned version (fact id; None: the latest recorded by T) and
    # the format each source was issued with ((name, format) pairs; empty: current formats).
    draft: str | None = None
    draft_version: str | None = None
    source_formats: tuple[tuple[str, int], ...] = ()


NOTES = "notes"


def notes_part(request: ReportRequest) -> Part:
    """The report's notes as a part of `select_parts` (a builder reading other small records
    may read them in the same statement, and give them under `NOTES`)."""
    return Part((request.org,), "note", target_prefix=_notes_prefix(request))


def _notes_prefix(request: ReportRequest) -> str:
    return f"note:{request.kind}/{request.period.label}/"


def notes(
    conn: Connection, request: ReportRequest, rows: list[Any] | None = None
) -> dict[str, str]:
    """The latest visible `report.note` per section (by knowledge time, then position), from
    the rows of `notes_part` if read already."""
    prefix = _notes_prefix(request)
    if rows is None:
        rows = select_rows(conn, [request.org], "note", request.cut, target_prefix=prefix)
    found: dict[str, tuple[int, int, str]] = {}
    for state in fold(rows, request.cut.effective).values():
        section = state.target[len(prefix) :]
        for fact in state.facts:
            key = (fact.known_us, fact.pos, fact.values["text"])
            if section not in found or key[:2] > found[section][:2]:
                found[section] = key
    return {section: text for section, (_k, _p, text) in sorted(found.items())}


def build(
    conn: Connection, request: ReportRequest, builders: dict[str, dict[int, Builder]]
) -> dict[str, Any]:
    """The report's content with the common keys and its digest."""
    versions = builders[request.kind]
    version = request.format or max(versions)
    body = versions[version](conn, request)
    # A builder that read the notes with its own records gives them (`notes_part`).
    read = body.pop(NOTES) if NOTES in body else notes(conn, request)
    content = {
        "report": request.kind,
        "org": request.org,
        "period": request.period.as_json(),
        "as_of": request.cut.as_of.isoformat(),
        "known_by": request.known_label,
        "recorded_by": request.recorded_label,
        "format": version,
        "notes": read,
        **body,
    }
    return with_digest(content)
