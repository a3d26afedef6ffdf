"""A composed document laid out as Nghị định 30/2020 asks: the letterhead of the issuing body, the
type and trích yếu of the draft, "Kính gửi", the body's blocks, the signature, and the digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from documents.markup import Document as Body
from documents.markup import parse
from documents.official import Issue, _footer
from documents.official.document import BLANK_NUMBER, Document, Organisation, Signer
from domain.drafts import TYPE_NAMES


def compose_document(
    content: dict[str, Any], organisation: Organisation, issue: Issue | None = None
) -> Document:
    """The document of a `document` report: issued (number, signing day, signer) or a draft
    (blank number, the as-of day, no signer). Its blocks are the body's (`meta["body"]`)."""
    if issue is None:
        day = date.fromisoformat(content["as_of"])
        recipients: tuple[str, ...] = ()
        number, signer = BLANK_NUMBER, Signer()
    else:
        day = issue.signed_on
        number = issue.number
        signer = Signer(issue.signing_form, issue.signer_title, issue.signer)
        recipients = issue.recipients
    kind = content["type"]
    return Document(
        organisation=organisation,
        number=number,
        day=day,
        doc_type=TYPE_NAMES[kind],
        summary=content["title"],
        addressees=tuple(content["addressees"]),
        blocks=(),
        recipients=recipients,
        signer=signer,
        footer=_footer(content, issue),
        title=content["title"],
        draft=issue is None,
        meta={"body": parse(content["text"]), "type": kind},
    )


def body_of(doc: Document) -> Body:
    """The block model of a composed document's body."""
    body = doc.meta["body"]
    assert isinstance(body, Body)
    return body


def number_parts(number: str) -> list[str]:
    """A document number split at its hyphens: the renderers join the parts with a hyphen that
    never breaks a line (849/SNgV-VP stays whole)."""
    return number.split("-")
