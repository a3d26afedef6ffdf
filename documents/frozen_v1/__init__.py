"""FROZEN: the renderer of version 1, kept only to reprint the reports of a kind issued with it.

Before issue 14 item 3, each report kind's document was written by a Python body per kind
(`bodies/`) and the version-1 writers (`html`, `docx`, `pdf`, `templates/document.html`). Since
renderer version 2 every document is made by the one engine (documents.render over
documents.standard's bodies); service.reporting.documents sends here only the reprint of an issue
whose ReportIssued recorded "ngoaivu-render 1", so its bytes stay those issued
(tests/fixtures/format1). Nothing new uses this package: do not change it, do not extend it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from documents.frozen_v1.bodies import body_of
from documents.official import Issue, _footer
from documents.official.document import BLANK_NUMBER, Document, Organisation, Signer
from documents.render import FORMATS, renderer_id

RENDERER_VERSION = 1


def compose(
    content: dict[str, Any], organisation: Organisation, issue: Issue | None = None
) -> Document:
    """The document of a report: issued (number, signing day, signer) or a draft (blank number,
    the as-of day, no signer)."""
    body = body_of(content, organisation)
    if issue is None:
        day = date.fromisoformat(content["as_of"])
        number, signer = BLANK_NUMBER, Signer()
        recipients: tuple[str, ...] = ()
    else:
        day = issue.signed_on
        number = issue.number
        signer = Signer(issue.signing_form, issue.signer_title, issue.signer)
        recipients = issue.recipients
    return Document(
        organisation=organisation,
        number=number,
        day=day,
        doc_type=body.doc_type,
        summary=body.summary,
        addressees=body.addressees,
        blocks=body.blocks,
        recipients=recipients,
        signer=signer,
        footer=_footer(content, issue),
        title=body.title,
        draft=issue is None,
    )


def render(doc: Document, fmt: str) -> bytes:
    """The document's bytes in `fmt` (html, docx or pdf)."""
    generator = renderer_id(RENDERER_VERSION)
    if fmt == "html":
        from documents.frozen_v1.html import render_html

        return render_html(doc, generator=generator).encode("utf-8")
    if fmt == "docx":
        from documents.frozen_v1.docx import render_docx

        return render_docx(doc, generator=generator)
    if fmt == "pdf":
        from documents.frozen_v1.pdf import render_pdf

        return render_pdf(doc, generator=generator)
    raise ValueError(f"định dạng văn bản không có: {fmt!r} ({', '.join(FORMATS)})")


__all__ = ["RENDERER_VERSION", "compose", "render"]
