"""Issued reports (văn bản đã ban hành): number, signer and the cut-offs that pin the content."""

from __future__ import annotations

import copy
import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import DomainError

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:ngoaivu-records:issued")
# Số và ký hiệu: a number, then the code (849/SNgV-VP, 39/2020/QĐ-UBND).
# Digits, a slash, then no space, control character or lone surrogate (a CLI argument that is
# not UTF-8 arrives with surrogates).
_NUMBER = re.compile("[0-9]{1,6}/[^\\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+\\Z")
SIGNING_FORMS = ("TL.", "KT.", "TM.", "TUQ.", "Q.")


def issued_id(org: str, year: int, number: str) -> UUID:
    """One aggregate per department, year and number: a second issue of a number conflicts."""
    return uuid5(_NAMESPACE, f"{org}\x1f{year}\x1f{number}")


def check_number(number: str) -> None:
    """Nghị định 30/2020 Điều 15: a number and a code, e.g. 849/SNgV-VP."""
    if not _NUMBER.match(number):
        raise DomainError(f"số và ký hiệu không hợp lệ: {number!r} (ví dụ 849/SNgV-VP)", "number")


def check_signing_form(form: str | None) -> None:
    """TL., KT., TM., TUQ. or Q. before the title of the one signed for."""
    if form and not form.startswith(SIGNING_FORMS):
        raise DomainError(
            f"thể thức ký không hợp lệ: {form!r} (bắt đầu bằng {', '.join(SIGNING_FORMS)})",
            "signing_form",
        )


ARCHIVE = "Lưu: VT"  # Nơi nhận's last line: the copy kept by the văn thư (DOMAIN.md, the seeds)


def recipients_of(text: str) -> tuple[str, ...]:
    """Nơi nhận typed as one text, its lines separated by ";" (--recipients, the forms)."""
    return tuple(r.strip() for r in text.split(";") if r.strip())


def with_archive(recipients: tuple[str, ...]) -> tuple[str, ...]:
    """Nơi nhận as a form gives it, ending with the archive line: the seeds' lists all end with
    "- Lưu: VT, …", and a list typed without it lost the line the preview showed (with no
    recipients the document writes "- Lưu: VT." by itself, so nothing is added then)."""
    if not recipients or any(r.strip().startswith("Lưu") for r in recipients):
        return recipients
    return (*recipients, ARCHIVE)


# ReportIssued's terms in the order `details` gives them (the order version 1 stored its dict in):
# a composed document's draft first, then the request, the content, the chain and the signature.
DRAFT_TERMS = ("draft", "draft_version", "source_formats")
TERMS = (
    "kind",
    "period",
    "window",
    "programme",
    "as_of",
    "known_label",
    "known_below_us",
    "recorded_label",
    "recorded_pos",
    "recorded_below_us",
    "format",
    "digest",
    "chain_position",
    "chain_head",
    "signed_on",
    "signer",
    "signer_title",
    "signing_form",
    "recipients",
    "documents",
    "actor",
)
# What version 1 left out when it was not said (readers took these for granted).
_V1_DEFAULTS: dict[str, Any] = {
    "draft": None,
    "draft_version": None,
    "source_formats": None,
    "programme": None,
    "recorded_label": None,
    "recorded_pos": None,
    "recorded_below_us": None,
    "signer_title": None,
    "signing_form": None,
    "recipients": [],
    "documents": {},
    "actor": None,
}


class IssuedReport(Aggregate):
    """A report issued with a number, signed, and pinned to the records it could see."""

    class ReportIssued(Aggregate.Created):
        """The report was issued: what was asked (kind, period, window, programme, the cut-offs
        D, K and T as pinned), its content (format, digest; a document's draft version and its
        sources' formats), the chain head it saw, the signature, the documents kept and who
        issued it. Every term is declared: nothing is added after the event is made."""

        class_version = 2

        org: str
        year: int
        number: str
        kind: str
        period: str
        window: str
        programme: str | None
        as_of: str
        known_label: str
        known_below_us: int
        recorded_label: str | None
        recorded_pos: int | None
        recorded_below_us: int | None
        format: int
        digest: str
        chain_position: int
        chain_head: str
        signed_on: str
        signer: str
        signer_title: str | None
        signing_form: str | None
        recipients: list[str]
        documents: dict[str, str]
        actor: str | None
        draft: str | None
        draft_version: str | None
        source_formats: dict[str, int] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 kept the terms in one `details` dict (the actor added to it after the
            event was made, by aliasing): each becomes its own attribute."""
            details = dict(state.pop("details"))
            for name in (*TERMS, *DRAFT_TERMS):
                state[name] = (
                    details[name] if name in details else copy.deepcopy(_V1_DEFAULTS[name])
                )

        @property
        def details(self) -> dict[str, Any]:
            """The terms as one dict, as version 1 stored them (readers, the audit export)."""
            return terms_of(self)

    def __init__(  # the library passes the event's attributes by name: each is named here
        self,
        org: str,
        year: int,
        number: str,
        *,
        kind: str,
        period: str,
        window: str,
        programme: str | None,
        as_of: str,
        known_label: str,
        known_below_us: int,
        recorded_label: str | None,
        recorded_pos: int | None,
        recorded_below_us: int | None,
        format: int,
        digest: str,
        chain_position: int,
        chain_head: str,
        signed_on: str,
        signer: str,
        signer_title: str | None,
        signing_form: str | None,
        recipients: list[str],
        documents: dict[str, str],
        actor: str | None,
        draft: str | None,
        draft_version: str | None,
        source_formats: dict[str, int] | None,
    ) -> None:
        self.org = org
        self.year = year
        self.number = number
        self.kind = kind
        self.period = period
        self.window = window
        self.programme = programme
        self.as_of = as_of
        self.known_label = known_label
        self.known_below_us = known_below_us
        self.recorded_label = recorded_label
        self.recorded_pos = recorded_pos
        self.recorded_below_us = recorded_below_us
        self.format = format
        self.digest = digest
        self.chain_position = chain_position
        self.chain_head = chain_head
        self.signed_on = signed_on
        self.signer = signer
        self.signer_title = signer_title
        self.signing_form = signing_form
        self.recipients = recipients
        self.documents = documents
        self.actor = actor
        self.draft = draft
        self.draft_version = draft_version
        self.source_formats = source_formats

    @property
    def details(self) -> dict[str, Any]:
        """The issue's terms as one dict (a copy: the record does not change)."""
        return terms_of(self)

    @classmethod
    def issue(cls, org: str, year: int, number: str, **terms: Any) -> IssuedReport:
        """Issue a report under a number unique to the department and the year; `terms` are
        ReportIssued's (the draft's three only for a composed document)."""
        check_number(number)
        check_signing_form(terms.get("signing_form"))
        for name in DRAFT_TERMS:
            terms.setdefault(name, None)
        return cls._create(
            cls.ReportIssued,
            id=issued_id(org, year, number),
            org=org,
            year=year,
            number=number,
            **terms,
        )


def terms_of(issue: Any) -> dict[str, Any]:
    """An issue's terms (of the record or of its event) in version 1's order, a fresh dict."""
    draft = (
        {name: copy.deepcopy(getattr(issue, name)) for name in DRAFT_TERMS}
        if issue.draft is not None
        else {}
    )
    return {**draft, **{name: copy.deepcopy(getattr(issue, name)) for name in TERMS}}
