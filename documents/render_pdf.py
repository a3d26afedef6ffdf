"""A composed document as PDF: WeasyPrint lays out its HTML (footnotes at the foot of their page),
reproducibly (the dates, identifier and font subsets of documents.official.pdf)."""

from __future__ import annotations

from datetime import datetime, time

from documents.official.document import Document
from documents.official.pdf import _source_date_epoch, identifier
from documents.render_html import TEMPLATES, render_composed_html
from domain.times import VN


def render_composed_pdf(doc: Document, *, generator: str) -> bytes:
    """The PDF bytes of a composed document."""
    from weasyprint import HTML

    source = render_composed_html(doc, generator=generator, for_pdf=True)
    epoch = int(datetime.combine(doc.day, time(0, 0), tzinfo=VN).timestamp())
    with _source_date_epoch(max(epoch, 0)):
        return bytes(
            HTML(string=source, base_url=str(TEMPLATES)).write_pdf(
                pdf_identifier=identifier(doc, generator),
                pdf_variant=None,
                uncompressed_pdf=False,
            )
        )
