"""Official documents (Nghị định 30/2020/NĐ-CP) from report content: HTML, DOCX and PDF.

`compose` turns a report's content, the issuing body as named on the day and, for an issued
report, its number and signature into a `Document`; `render` writes it in one format. The same
content, issuance and renderer version give the same bytes (CONTRACT fine point 11):
RENDERER_VERSION changes whenever the documents' words or layout change, and `renderer_id()`
records it with the versions of python-docx and WeasyPrint in ReportIssued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from documents.official.bodies import body_of
from documents.official.document import (
    BLANK_NUMBER,
    Document,
    Organisation,
    Signer,
)
from documents.official.vietnamese import day_month

RENDERER_VERSION = 1
FORMATS = ("html", "docx", "pdf")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Issue:
    """What ReportIssued adds to the content: number, day, signer, recipients, chain head."""

    number: str
    signed_on: date
    signer: str | None = None
    signer_title: str | None = None
    signing_form: str | None = None
    recipients: tuple[str, ...] = ()
    chain_position: int | None = None
    chain_head: str | None = None

    @classmethod
    def from_details(cls, number: str, details: dict[str, Any]) -> Issue:
        """From ReportIssued's `details`."""
        return cls(
            number=number,
            signed_on=date.fromisoformat(details["signed_on"]),
            signer=details.get("signer"),
            signer_title=details.get("signer_title"),
            signing_form=details.get("signing_form"),
            recipients=tuple(details.get("recipients") or ()),
            chain_position=details.get("chain_position"),
            chain_head=details.get("chain_head"),
        )


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def renderer_id() -> str:
    """The renderer and the libraries that make the bytes, e.g.
    "ngoaivu-render 1; python-docx 1.2.0; weasyprint 70.0"."""
    return (
        f"ngoaivu-render {RENDERER_VERSION}; python-docx {_package_version('python-docx')}; "
        f"weasyprint {_package_version('weasyprint')}"
    )


def _footer(content: dict[str, Any], issue: Issue | None) -> tuple[str, ...]:
    digest = content.get("digest", "")
    if issue is None:
        return (
            f"Dự thảo, chưa ban hành. Nội dung: {digest}",
            f"Số liệu đến ngày {day_month(date.fromisoformat(content['as_of']))}, "
            f"dữ liệu ghi đến {content.get('recorded_by', '')}",
        )
    head = issue.chain_head or ""
    position = f"@{issue.chain_position} " if issue.chain_position is not None else ""
    return (f"Nội dung: {digest}", f"Chuỗi băm khi ban hành: {position}sha256:{head}")


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
    generator = renderer_id()
    if fmt == "html":
        from documents.official.html import render_html

        return render_html(doc, generator=generator).encode("utf-8")
    if fmt == "docx":
        from documents.official.docx import render_docx

        return render_docx(doc, generator=generator)
    if fmt == "pdf":
        from documents.official.pdf import render_pdf

        return render_pdf(doc, generator=generator)
    raise ValueError(f"định dạng văn bản không có: {fmt!r} ({', '.join(FORMATS)})")


__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "RENDERER_VERSION",
    "Document",
    "Issue",
    "Organisation",
    "compose",
    "render",
    "renderer_id",
]
