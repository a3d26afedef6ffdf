"""Rendering a document laid out by documents.layout in one format: HTML, DOCX or PDF.

Every document is made here: a draft's (`report document`) and a report kind's standard one
(documents.standard_document). The same content, issuance and renderer version give the same
bytes (CONTRACT fine point 11): RENDERER_VERSION changes whenever the documents' words or layout
change, and `renderer_id()` records it with the versions of python-docx and WeasyPrint in
ReportIssued. Version 1 is the renderer before the one engine: reports of a kind issued with it
reprint through documents.frozen_v1; a composed document issued with it keeps its generator line.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from documents.official.document import Document

# 2: every report kind's document is its standard draft body rendered by the engine (issue 14).
# 3: a body line that starts and ends with a tag keeps its line end when it produces text, and
#    leaves no line when it produces none (documents.sandbox.line_end_rule; issue 14).
RENDERER_VERSION = 3
FORMATS = ("html", "docx", "pdf")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_PREFIX = "ngoaivu-render "


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def renderer_id(renderer: int = RENDERER_VERSION) -> str:
    """The renderer and the libraries that make the bytes, e.g.
    "ngoaivu-render 2; python-docx 1.2.0; weasyprint 70.0"."""
    return (
        f"{_PREFIX}{renderer}; python-docx {_package_version('python-docx')}; "
        f"weasyprint {_package_version('weasyprint')}"
    )


def renderer_of(recorded: str | None) -> int:
    """The renderer version of a ReportIssued's `documents.renderer` ("ngoaivu-render 1; …");
    an issue that recorded none was made before versions were recorded: 1."""
    head = (recorded or "").split(";", 1)[0].strip()
    if head.startswith(_PREFIX) and head[len(_PREFIX) :].isdigit():
        return int(head[len(_PREFIX) :])
    return 1


def render_composed(doc: Document, fmt: str, renderer: int = RENDERER_VERSION) -> bytes:
    """The document's bytes in `fmt` (html, docx or pdf); `renderer` is the version named in
    its metadata (an issue's own when it is reprinted)."""
    generator = renderer_id(renderer)
    if fmt == "html":
        from documents.render_html import render_composed_html

        return render_composed_html(doc, generator=generator).encode("utf-8")
    if fmt == "docx":
        from documents.render_docx import render_composed_docx

        return render_composed_docx(doc, generator=generator)
    if fmt == "pdf":
        from documents.render_pdf import render_composed_pdf

        return render_composed_pdf(doc, generator=generator)
    raise ValueError(f"định dạng văn bản không có: {fmt!r} ({', '.join(FORMATS)})")
