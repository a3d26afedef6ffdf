"""Frozen: the PDF of version 1, WeasyPrint over the version-1 HTML, reproducibly (the dates,
identifier and font subsets of documents.official.pdf). Used only to reprint reports issued with
renderer version 1."""

from __future__ import annotations

from datetime import datetime, time

from documents.frozen_v1.html import TEMPLATES, render_html
from documents.official.document import Document
from documents.official.pdf import _source_date_epoch, identifier
from domain.times import VN


def render_pdf(doc: Document, *, generator: str) -> bytes:
    """The PDF bytes of the document."""
    from weasyprint import HTML

    source = render_html(doc, generator=generator, for_pdf=True)
    epoch = int(datetime.combine(doc.day, time(0, 0), tzinfo=VN).timestamp())
    with _source_date_epoch(max(epoch, 0)):
        return bytes(
            HTML(string=source, base_url=str(TEMPLATES)).write_pdf(
                pdf_identifier=identifier(doc, generator),
                pdf_variant=None,
                uncompressed_pdf=False,
            )
        )
