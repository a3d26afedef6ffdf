"""Composed documents in the service layer: the request of `report document` (a draft, the three
cut-offs) and its content, with a draft's problems turned into bad input."""

from __future__ import annotations

from datetime import date
from typing import Any

from documents import BodyRejectedError, MarkupError, RenderError
from documents.layout import compose_document
from documents.render import render_composed
from domain.periods import parse_period
from domain.times import Cutoff
from projections.render import Issue
from projections.render.document import organisation_on
from projections.reports import ReportRequest
from projections.reports.document import DraftError, draft_version
from projections.visibility import Cutoffs
from service.reporting import (
    ReportInputError,
    _day,
    knowledge_cutoff,
    plain,
    recorded_cutoff,
    require_org,
    run_report,
    vn_today,
)
from service.runtime import Runtime

# What a draft can do wrong when it is rendered over today's records (a null printed, a body
# stored under older shapes, markup that does not parse): bad input naming the draft.
DRAFT_ERRORS = (DraftError, BodyRejectedError, RenderError, MarkupError)


def document_request(
    rt: Runtime,
    org: str,
    draft: str,
    *,
    as_of: str | None = None,
    known_by: str | None = None,
    recorded_by: str | None = None,
    version: str | None = None,
) -> ReportRequest:
    """Check the options; the request of the draft's version recorded by T, for its period."""
    plain("--org", org)
    plain("--draft", draft)
    rt.catch_up()
    rt.require_level(org)
    require_org(rt, org)
    day = _day("--as-of", as_of) if as_of else vn_today()
    known, known_label = knowledge_cutoff(known_by, day)
    pos, recorded, recorded_label = recorded_cutoff(recorded_by, rt.projector.position())
    cut = Cutoffs(day, known, pos, recorded)
    with rt.models.reading() as conn:
        try:
            fact = draft_version(conn, org, draft, cut, version)
        except DraftError as exc:
            raise ReportInputError("--draft", str(exc)) from exc
    return ReportRequest(
        kind="document",
        org=org,
        period=parse_period(fact.values["period"]),
        cut=cut,
        known_label=known_label,
        recorded_label=recorded_label,
        draft=draft,
        draft_version=version,
    )


def run_document(rt: Runtime, request: ReportRequest) -> dict[str, Any]:
    """The document's content and digest; a draft that cannot be rendered is bad input."""
    try:
        return run_report(rt, request)
    except DRAFT_ERRORS as exc:
        raise ReportInputError("--draft", f"dự thảo {request.draft}: {exc}") from exc


def composed_document(
    rt: Runtime, request: ReportRequest, content: dict[str, Any], issue: Issue | None, fmt: str
) -> bytes:
    """A `document` report laid out (documents.layout) and rendered in `fmt`, with the issuing
    body's name in force on its day (signing or as-of) under the report's own cut-offs."""
    cut = request.cut
    if issue is None:
        day, known = date.fromisoformat(content["as_of"]), cut
    else:
        # As projections.render.document_for: the name the office knew on its signing day.
        day = issue.signed_on
        end = Cutoff.end_of_day(day)
        later = end if end.below_us > cut.known.below_us else cut.known
        known = Cutoffs(day, later, cut.recorded_pos, cut.recorded)
    with rt.models.reading() as conn:
        organisation = organisation_on(conn, content["org"], day, known)
    return render_composed(compose_document(content, organisation, issue), fmt)
