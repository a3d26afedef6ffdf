"""Issuing reports under a number, reprinting them exactly, and checking them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic
from sqlalchemy import select

from domain.errors import DomainError
from domain.issuance import IssuedReport, check_number, check_signing_form, issued_id
from domain.periods import parse_period
from domain.times import Cutoff, TimeFormatError, parse_date
from projections.reports import ReportRequest
from projections.tables import issued
from projections.visibility import Cutoffs
from service.limits import bad_character
from service.reporting.requests import ReportInputError, make_request, plain, run_report
from service.runtime import Runtime, views_behind


@dataclass(frozen=True)
class Signature:
    """Who signs, how, and for whom the document is meant (Nghị định 30/2020)."""

    number: str
    signed_on: str
    signer: str
    signer_title: str | None = None
    signing_form: str | None = None
    recipients: tuple[str, ...] = ()


def _details(
    request: ReportRequest, content: dict[str, Any], sig: Signature, chain: tuple[int, str]
) -> dict[str, Any]:
    cut = request.cut
    extra: dict[str, Any] = {}
    if request.kind == "document":  # the draft's version and each source's format, pinned
        extra = {
            "draft": content["draft"]["id"],
            "draft_version": content["draft"]["version"],
            "source_formats": {n: s["format"] for n, s in sorted(content["sources"].items())},
        }
    return {
        **extra,
        "kind": request.kind,
        "period": request.period.label,
        "window": request.period.window,
        "programme": request.programme,
        "as_of": cut.as_of.isoformat(),
        "known_label": request.known_label,
        "known_below_us": cut.known.below_us,
        "recorded_label": request.recorded_label,
        "recorded_pos": cut.recorded_pos,
        "recorded_below_us": cut.recorded.below_us if cut.recorded else None,
        "format": content["format"],
        "digest": content["digest"],
        "chain_position": chain[0],
        "chain_head": chain[1],
        "signed_on": sig.signed_on,
        "signer": sig.signer,
        "signer_title": sig.signer_title,
        "signing_form": sig.signing_form,
        "recipients": list(sig.recipients),
        "documents": {},
    }


def issue_report(
    rt: Runtime,
    kind: str,
    org: str,
    period: str,
    sig: Signature,
    *,
    actor: str,
    window: str = "nd09",
    programme: str | None = None,
    as_of: str | None = None,
    known_by: str | None = None,
    recorded_by: str | None = None,
    documents: Callable[[ReportRequest, dict[str, Any], dict[str, Any], str], dict[str, Any]]
    | None = None,
    request: ReportRequest | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the report pinned to the last position it could see, and store ReportIssued.

    `documents(request, content, details, number)` keeps the issued DOCX/PDF and returns their
    SHA-256s for `details["documents"]` (service.reporting.documents.keeper)."""
    for option, text in (
        ("signer", sig.signer),
        ("signer_title", sig.signer_title),
        ("signing_form", sig.signing_form),
        *(("recipients", r) for r in sig.recipients),
    ):
        problem = bad_character(text or "", single_line=True)
        if problem is not None:
            raise ReportInputError(option, problem)
    try:
        signed = parse_date(sig.signed_on)
        check_number(sig.number)
        check_signing_form(sig.signing_form)
    except TimeFormatError as exc:
        raise ReportInputError("signed_on", str(exc)) from exc
    except DomainError as exc:
        raise ReportInputError(exc.field or "number", exc.message) from exc
    if request is None:  # `request`: a document's, made from its draft (service.reporting.drafting)
        request = make_request(
            rt,
            kind,
            org,
            period,
            window=window,
            programme=programme,
            as_of=as_of or sig.signed_on,
            known_by=known_by,
            recorded_by=recorded_by,
        )
    if issued_id(org, signed.year, sig.number) in rt.app.repository:
        raise ReportInputError(
            "number", f"số {sig.number} đã được {org} dùng trong năm {signed.year}"
        )
    cut = request.cut
    pinned = cut.recorded_pos if cut.recorded_pos is not None else rt.projector.position()
    request = replace(
        request, cut=Cutoffs(cut.as_of, cut.known, pinned, cut.recorded), programme=programme
    )
    content = run_report(rt, request)
    if request.kind == "document":  # the version and formats used, for the documents kept now
        request = replace(
            request,
            draft_version=content["draft"]["version"],
            source_formats=tuple((n, s["format"]) for n, s in content["sources"].items()),
        )
    details = _details(request, content, sig, rt.chain.head())
    if documents is not None:
        details["documents"] = documents(request, content, details, sig.number)
    record = IssuedReport.issue(org, signed.year, sig.number, **details, actor=actor)
    try:
        rt.commands.save(record)  # under the gateway's lock (`CommandGateway.issue`)
    except IntegrityError as exc:
        raise ReportInputError(
            "number", f"số {sig.number} vừa được dùng trong năm {signed.year}"
        ) from exc
    details = record.details
    try:
        rt.level_after_write()
    except Exception as exc:  # issued and stored: the views lag, the issue stands
        details["views_behind"] = views_behind(exc)
    return content, details


def find_issued(rt: Runtime, org: str, number: str, year: int | None) -> IssuedReport:
    """An issued report by department and number (and year when the number recurs)."""
    plain("org", org)
    plain("number", number)
    rt.ready()
    rt.require_level(org)  # a halted read model may lack the issue: never "not issued"
    query = select(issued.c.year).where(issued.c.org == org, issued.c.number == number)
    if year is not None:
        query = query.where(issued.c.year == year)
    with rt.models.reading() as conn:
        years = [row.year for row in conn.execute(query)]
    if not years:
        raise ReportInputError(
            "number", f"{org} chưa ban hành văn bản số {number}" + (f" năm {year}" if year else "")
        )
    if len(years) > 1:
        listed = ", ".join(map(str, sorted(years)))
        raise ReportInputError(
            "year", f"số {number} được dùng trong nhiều năm ({listed}): cần --year"
        )
    return rt.app.repository.get(issued_id(org, years[0], number))


def request_of(record: IssuedReport) -> ReportRequest:
    """The issued report's own request: D, K, T and the format it was issued with."""
    d = record.details
    recorded = (
        Cutoff(d["recorded_below_us"], d["recorded_label"]) if d["recorded_below_us"] else None
    )
    cut = Cutoffs(
        date.fromisoformat(d["as_of"]),
        Cutoff(d["known_below_us"], d["known_label"]),
        d["recorded_pos"],
        recorded,
    )
    return ReportRequest(
        d["kind"],
        record.org,
        parse_period(d["period"], d["window"]),
        cut,
        d["known_label"],
        d["recorded_label"],
        d["programme"],
        d["format"],
        draft=d.get("draft"),
        draft_version=d.get("draft_version"),
        source_formats=tuple(sorted((d.get("source_formats") or {}).items())),
    )


def reprint(rt: Runtime, record: IssuedReport) -> tuple[dict[str, Any], bool]:
    """Regenerate an issued report with its own cut-offs; whether the digest matches."""
    content = run_report(rt, request_of(record))
    return content, content["digest"] == record.details["digest"]


def issued_in_store(rt: Runtime, org: str | None = None) -> list[IssuedReport]:
    """Every issued report as the event store holds it (of one department when `org` is given),
    in store order: what `verify` reprints. Not the read models' list (rm_issued): it is
    derived, and a row deleted from it by a database writer hid that report from the check."""
    ids = rt.chain.originators_of(get_topic(IssuedReport.ReportIssued))
    found: list[IssuedReport] = [rt.app.repository.get(UUID(i)) for i in ids]
    return [r for r in found if org is None or r.org == org]
