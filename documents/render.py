"""Rendering a composed document (documents.layout) in one format: HTML, DOCX or PDF."""

from __future__ import annotations

from documents.official import renderer_id
from documents.official.document import Document


def render_composed(doc: Document, fmt: str) -> bytes:
    """The composed document's bytes in `fmt` (html, docx or pdf)."""
    generator = renderer_id()
    if fmt == "html":
        from documents.render_html import render_composed_html

        return render_composed_html(doc, generator=generator).encode("utf-8")
    if fmt == "docx":
        from documents.render_docx import render_composed_docx

        return render_composed_docx(doc, generator=generator)
    if fmt == "pdf":
        from documents.render_pdf import render_composed_pdf

        return render_composed_pdf(doc, generator=generator)
    raise ValueError(f"định dạng văn bản không có: {fmt!r} (html, docx, pdf)")
