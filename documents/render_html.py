"""A composed document as HTML: for the web, and the source WeasyPrint lays out as the PDF (with
real footnotes at the foot of their page, `float: footnote`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from documents.layout import body_of
from documents.markup import Footnote, Heading, Inline, NoteRef, Paragraph, Span, Table
from documents.official.document import MOTTO, NATIONAL_TITLE, Document
from documents.official.html import (
    LEFT_WIDTH,
    MARGINS,
    PDF_FAMILY,
    TEXT_WIDTH,
    WEB_FAMILY,
    created_at,
    liberation_faces,
)
from documents.official.vietnamese import place_and_date

TEMPLATES = Path(__file__).with_name("templates")
_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ALIGN = {"left": "left", "center": "center", "right": "right"}


class _Inlines:
    """Inline runs as HTML; a footnote reference is a call (web: a link to the list at the end;
    PDF: the note itself, floated to the foot of its page)."""

    def __init__(self, notes: dict[int, Footnote], for_pdf: bool) -> None:
        self.notes = notes
        self.for_pdf = for_pdf

    def __call__(self, inlines: tuple[Inline, ...]) -> Markup:
        out: list[str] = []
        for item in inlines:
            if isinstance(item, Span):
                text = str(escape(item.text))
                if item.italic:
                    text = f"<em>{text}</em>"
                if item.bold:
                    text = f"<strong>{text}</strong>"
                out.append(text)
            elif isinstance(item, NoteRef):
                out.append(self.call(item.number))
        return Markup("".join(out))

    def call(self, number: int) -> str:
        if not self.for_pdf:
            link = f'<a href="#fn-{number}" id="fnref-{number}">{number}</a>'
            return f'<sup class="fnref">{link}</sup>'
        note = self.notes[number]
        parts = [self.paragraph(p) for p in note.paragraphs]
        return f'<span class="fn">{"<br>".join(parts)}</span>'

    def paragraph(self, p: Paragraph) -> str:
        marker = f"{p.marker} " if p.marker else ""
        return marker + str(self(p.inlines))


def _blocks(doc: Document, inline: _Inlines) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in body_of(doc).blocks:
        if isinstance(block, Heading):
            out.append({"type": "heading", "level": block.level, "html": inline(block.inlines)})
        elif isinstance(block, Paragraph):
            html = inline(block.inlines)
            if block.marker:
                html = Markup(f"{block.marker} ") + html
            out.append({"type": "paragraph", "html": html, "marker": block.marker})
        elif isinstance(block, Table):
            out.append(
                {
                    "type": "table",
                    "header": [inline(c) for c in block.header],
                    "rows": [[inline(c) for c in row] for row in block.rows],
                    "align": [ALIGN.get(a, "left") for a in block.align],
                }
            )
    return out


def number_html(number: str) -> Markup:
    """ "Số: 849/SNgV-VP" that no line break can split (a no-break space, no wrapping)."""
    text = str(escape(number))
    return Markup(f'<span class="nowrap">Số:\u00a0{text}</span>')


def render_composed_html(doc: Document, *, generator: str, for_pdf: bool = False) -> str:
    """The composed document as one HTML page. `for_pdf`: Liberation Serif from its files and
    footnotes at the foot of their page."""
    body = body_of(doc)
    inline = _Inlines({n.number: n for n in body.footnotes}, for_pdf)
    notes = [
        {"number": n.number, "paragraphs": [Markup(inline.paragraph(p)) for p in n.paragraphs]}
        for n in body.footnotes
    ]
    return _ENV.get_template("composed.html").render(
        doc=doc,
        blocks=_blocks(doc, inline),
        notes=[] if for_pdf else notes,
        for_pdf=for_pdf,
        number=number_html(doc.number),
        report_rule=doc.meta.get("type") == "bao_cao",
        national_title=NATIONAL_TITLE,
        motto=MOTTO,
        place_date=place_and_date(doc.organisation.place, doc.day),
        fonts=liberation_faces() if for_pdf else (),
        family=Markup(PDF_FAMILY if for_pdf else WEB_FAMILY),
        margins=MARGINS,
        text_width=TEXT_WIDTH,
        left_width=LEFT_WIDTH,
        generator=generator,
        created=created_at(doc),
    )
