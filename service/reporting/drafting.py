"""Composed documents in the service layer: the request of `report document` (a draft, the three
cut-offs) and its content, with a draft's problems turned into bad input."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import Any

from documents import BodyRejectedError, MarkupError, RenderError
from documents.layout import compose_document
from documents.official import Issue
from documents.render import RENDERER_VERSION, render_composed
from domain.periods import parse_period
from projections.letterheads import organisation_for, organisation_on
from projections.reports import ReportRequest
from projections.reports.document import DraftError, draft_version
from projections.visibility import Cutoffs, FactNow, fold, select_rows
from service.reporting.requests import (
    ReportInputError,
    _day,
    cutoffs,
    plain,
    require_department,
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
    plain("org", org)
    plain("draft", draft)
    rt.ready()
    require_department(rt, org)
    cut, known_label, recorded_label = cutoffs(rt, as_of, known_by, recorded_by)
    with rt.models.reading() as conn:
        try:
            fact = draft_version(conn, org, draft, cut, version)
        except DraftError as exc:
            raise ReportInputError("draft", str(exc)) from exc
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
        raise ReportInputError("draft", f"dự thảo {request.draft}: {exc}") from exc


def composed_document(
    rt: Runtime,
    request: ReportRequest,
    content: dict[str, Any],
    issue: Issue | None,
    fmt: str,
    renderer: int = RENDERER_VERSION,
) -> bytes:
    """A `document` report laid out (documents.layout) and rendered in `fmt`, with the issuing
    body's name in force on its day (signing or as-of) under the report's own cut-offs."""
    with rt.models.reading() as conn:
        organisation = organisation_for(conn, content, request.cut, issue)
    return render_composed(compose_document(content, organisation, issue), fmt, renderer)


def draft_versions(rt: Runtime, org: str, draft: str) -> list[FactNow]:
    """Every version of a draft stored today, corrections applied, in store order."""
    plain("org", org)
    plain("ID", draft)
    rt.ready()
    rt.require_level(org)
    target = f"draft:{draft}"
    with rt.models.reading() as conn:
        rows = select_rows(conn, [org], "draft", None, targets=[target])
    state = fold(rows).get((org, target))
    if state is None:
        raise ReportInputError("ID", f"{org} không có dự thảo {draft!r} (hoặc đã bị hủy)")
    return sorted(state.facts, key=lambda f: f.pos)


def version_head(values: dict[str, Any]) -> list[str]:
    """A version's heading as lines to compare, by its keys (the CLI's input names)."""
    return [
        f"type: {values['type']}",
        f"title: {values['title']}",
        f"addressees: {'; '.join(values.get('addressees') or [])}",
        f"period: {values['period']}",
        "sources: " + json.dumps(values["sources"], ensure_ascii=False, sort_keys=True),
    ]


def version_text(
    fact: FactNow, head: Callable[[dict[str, Any]], list[str]] = version_head
) -> list[str]:
    """A version as lines to compare: its heading (`head` writes it), then its body."""
    return [*head(fact.values), "", *fact.values["body"].split("\n")]


def diff_versions(
    rt: Runtime,
    org: str,
    draft: str,
    old: int | None,
    new: int | None,
    head: Callable[[dict[str, Any]], list[str]] = version_head,
) -> str:
    """A unified diff of two versions of a draft (default: the last two), who wrote each, when;
    `head` writes the heading keys (the web's in words)."""
    versions = draft_versions(rt, org, draft)
    by_number = {int(f.fact_id.rpartition("#")[2]): f for f in versions}
    numbers = sorted(by_number)
    new = new if new is not None else numbers[-1]
    old = old if old is not None else (numbers[-2] if len(numbers) > 1 else numbers[-1])
    for option, number in (("--from", old), ("--to", new)):
        if number not in by_number:
            listed = ", ".join(map(str, numbers))
            raise ReportInputError(
                option, f"dự thảo {draft!r} không có phiên bản {number} ({listed})"
            )
    a, b = by_number[old], by_number[new]
    lines = difflib.unified_diff(
        version_text(a, head),
        version_text(b, head),
        fromfile=f"{a.fact_id} ({a.actor}, @{a.pos})",
        tofile=f"{b.fact_id} ({b.actor}, @{b.pos})",
        lineterm="",
    )
    return "\n".join(lines)


def draft_list(rt: Runtime, org: str) -> list[dict[str, Any]]:
    """The department's drafts today (voided ones left out): id, latest version, who and when."""
    plain("org", org)
    rt.ready()
    rt.require_level(org)
    with rt.models.reading() as conn:
        rows = select_rows(conn, [org], "draft", None)
    found = []
    for (_org, target), state in fold(rows).items():
        latest = max(state.facts, key=lambda f: f.pos)
        found.append(
            {
                "id": target.removeprefix("draft:"),
                "versions": len(state.facts),
                "version": version_number(latest),
                "values": latest.values,
                "actor": latest.actor,
                "pos": latest.pos,
            }
        )
    return sorted(found, key=lambda d: -int(d["pos"]))


def version_number(fact: FactNow) -> int:
    """A version's number: the fact id's `#N`."""
    return int(fact.fact_id.rpartition("#")[2])


def preview_sources(
    rt: Runtime, org: str, period: str, sources: dict[str, Any], as_of: str | None = None
) -> tuple[Cutoffs, str, dict[str, Any]]:
    """Each source of a draft not yet stored, built for its period as of D (default today),
    known by the end of D, everything recorded: (cut-offs, recorded label, name → report JSON)."""
    from projections.reports import BUILDERS
    from projections.reports.common import build
    from projections.reports.document import source_request

    plain("org", org)
    rt.ready()
    require_department(rt, org)
    cut, known_label, recorded_label = cutoffs(rt, as_of, None, None)
    request = ReportRequest(
        kind="document",
        org=org,
        period=parse_period(period),
        cut=cut,
        known_label=known_label,
        recorded_label=recorded_label,
    )
    built: dict[str, Any] = {}
    with rt.models.reading() as conn:
        for name, spec in sorted(sources.items()):
            content = build(conn, source_request(request, period, name, spec), BUILDERS)
            content.pop("digest")
            built[name] = content
    return cut, recorded_label, built


def preview_document(
    rt: Runtime, org: str, values: dict[str, Any], fmt: str = "html", as_of: str | None = None
) -> bytes:
    """A draft not yet stored (the fields of a `document.drafted` the schema accepted) laid out
    as the document by the same engine as `report document`: a blank number, no signer."""
    from documents import parse, render_body

    cut, recorded_label, sources = preview_sources(
        rt, org, values["period"], values["sources"], as_of
    )
    try:
        text = render_body(values["body"], sources)
        parse(text)
    except DRAFT_ERRORS as exc:
        raise ReportInputError("body", str(exc)) from exc
    content = {
        "org": org,
        "as_of": cut.as_of.isoformat(),
        "recorded_by": recorded_label,
        "type": values["type"],
        "title": values["title"],
        "addressees": list(values.get("addressees") or []),
        "text": text,
    }
    with rt.models.reading() as conn:
        organisation = organisation_on(conn, org, cut.as_of, cut)
    return render_composed(compose_document(content, organisation, None), fmt)


def issue_document(
    rt: Runtime,
    org: str,
    draft: str,
    sig: Any,
    *,
    actor: str,
    as_of: str | None = None,
    known_by: str | None = None,
    recorded_by: str | None = None,
) -> tuple[ReportRequest, dict[str, Any], dict[str, Any]]:
    """`issue document` (CLI and web alike): the draft rendered first (a draft that cannot be
    rendered is refused before the issue), then ReportIssued pinning its version, DOCX and PDF
    kept. A signing day after today (Vietnam) is refused: nothing is signed in advance."""
    signed = _day("signed_on", sig.signed_on)
    if signed > vn_today():
        raise ReportInputError(
            "signed_on", f"ngày ký {signed.isoformat()} ở sau hôm nay ({vn_today().isoformat()})"
        )
    request = document_request(
        rt,
        org,
        draft,
        as_of=as_of or sig.signed_on,
        known_by=known_by,
        recorded_by=recorded_by,
    )
    run_document(rt, request)
    content, details = rt.commands.issue(  # the gateway: serialised with every other write
        "document",
        org,
        request.period.label,
        sig,
        actor=actor,
        request=request,
    )
    return request, content, details
