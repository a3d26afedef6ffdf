"""The `document` report: a draft's version, each of its sources built under the same cut-offs,
and its body rendered over them (CONTRACT "Composed documents")."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from documents import parse, render_body
from domain.periods import parse_period
from projections.reports.common import ReportRequest, build
from projections.visibility import Cutoffs, FactNow, fold, select_rows

# The rules (documents.sandbox.line_end_rule, by renderer version) a body is rendered with in each
# format of `document`. The rendered text is content, inside the digest: a change of the text is a
# new format (CONTRACT), and an issue reprints with its own. Format 1 was issued by renderer
# versions 1 and 2 and keeps their line-end rule; format 2 has the fixed one (issue 14).
BODY_RULES = {1: 2, 2: 3}


class DraftError(ValueError):
    """A draft that does not exist (under the recorded cut-off), or cannot be rendered."""


def _recorded_by(row: Any, cut: Cutoffs) -> bool:
    if cut.recorded_pos is not None and row.pos > cut.recorded_pos:
        return False
    return cut.recorded is None or row.recorded_us < cut.recorded.below_us


def draft_version(
    conn: Connection, org: str, draft_id: str, cut: Cutoffs, version: str | None = None
) -> FactNow:
    """The draft's version: `version` (a fact id) or its latest, chosen by position only (a draft
    written today about 2022 is used for an as-of in 2022); its corrections and voids recorded by
    T apply."""
    target = f"draft:{draft_id}"
    rows = [
        row
        for row in select_rows(conn, [org], "draft", None, targets=[target])
        if _recorded_by(row, cut)
    ]
    state = fold(rows).get((org, target))
    if state is None:
        recorded = cut.recorded.label if cut.recorded else f"@{cut.recorded_pos}"
        raise DraftError(f"{org} không có dự thảo {draft_id!r} (ghi đến {recorded})")
    if version is None:
        return max(state.facts, key=lambda f: f.pos)
    for fact in state.facts:
        if fact.fact_id == version:
            return fact
    raise DraftError(f"dự thảo {draft_id!r} không có phiên bản {version!r}")


def source_request(
    request: ReportRequest, draft_period: str, name: str, spec: dict[str, Any]
) -> ReportRequest:
    """One source's request: its kind, the draft's period (or the source's own), the document's
    cut-offs and, when reprinting, the format it was issued with."""
    window = spec.get("window", "nd09")
    return ReportRequest(
        kind=spec["report"],
        org=request.org,
        period=parse_period(spec.get("period", draft_period), window),
        cut=request.cut,
        known_label=request.known_label,
        recorded_label=request.recorded_label,
        programme=spec.get("programme"),
        format=dict(request.source_formats).get(name),
    )


def build_document(
    conn: Connection,
    request: ReportRequest,
    builders: dict[str, Any] | None = None,
    *,
    version: int = max(BODY_RULES),
) -> dict[str, Any]:
    """The document's own keys: draft, sources (without digests), title, type, addressees, and
    the body rendered (markup kept) by the rules of format `version` (BODY_RULES). `builders` of the
    sources: the report kinds' (the fold's for `diff`, which watches the fact rows each source
    reads)."""
    from projections.reports import BUILDERS  # the source kinds (a late import: no cycle)

    assert request.draft is not None
    fact = draft_version(conn, request.org, request.draft, request.cut, request.draft_version)
    values = fact.values
    sources: dict[str, Any] = {}
    for name, spec in sorted(values["sources"].items()):
        source = source_request(request, values["period"], name, spec)
        content = build(conn, source, builders or BUILDERS)
        content.pop("digest")
        sources[name] = content
    text = render_body(values["body"], sources, renderer=BODY_RULES[version])
    parse(text)  # markup that no renderer could lay out is refused now, not at issue
    return {
        "draft": {"id": request.draft, "version": fact.fact_id},
        "sources": sources,
        "title": values["title"],
        "type": values["type"],
        "addressees": list(values.get("addressees") or []),
        "text": text,
    }


def build_document_v1(
    conn: Connection, request: ReportRequest, builders: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Format 1: the body rendered with the line-end rule of renderer versions 1 and 2."""
    return build_document(conn, request, builders, version=1)
