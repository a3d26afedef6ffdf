"""Frozen: the HTML of version 1 (Jinja2, templates/document.html), for the web and as the source
WeasyPrint lays out as the PDF. Used only to reprint reports issued with renderer version 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from documents.official.document import (
    MOTTO,
    NATIONAL_TITLE,
    Bullet,
    Document,
    Heading,
    Paragraph,
    Table,
)
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


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


_ENV = _environment()


def _css_string(lines: tuple[str, ...]) -> Markup:
    """Text for a CSS `content: "…"` inside <style>: quotes and backslashes escaped, lines joined
    by `\\A`, and no `<` (it could close the style element)."""
    escaped = [
        line.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ") for line in lines
    ]
    return Markup("\\A ".join(escaped))


def _blocks(doc: Document) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append({"type": "heading", "text": block.text, "level": block.level})
        elif isinstance(block, Paragraph):
            out.append({"type": "paragraph", "text": block.text, "lead": block.lead})
        elif isinstance(block, Bullet):
            out.append({"type": "bullet", "text": block.text})
        elif isinstance(block, Table):
            out.append(
                {
                    "type": "table",
                    "header": block.header,
                    "rows": block.rows,
                    "widths": block.widths,
                    "caption": block.caption,
                }
            )
    return out


def render_html(doc: Document, *, generator: str, for_pdf: bool = False) -> str:
    """The document as one HTML page. `for_pdf`: Liberation Serif from its files."""
    template = _ENV.get_template("document.html")
    return template.render(
        doc=doc,
        blocks=_blocks(doc),
        national_title=NATIONAL_TITLE,
        motto=MOTTO,
        place_date=place_and_date(doc.organisation.place, doc.day),
        fonts=liberation_faces() if for_pdf else (),
        family=Markup(PDF_FAMILY if for_pdf else WEB_FAMILY),
        footer_css=_css_string(doc.footer),
        margins=MARGINS,
        text_width=TEXT_WIDTH,
        left_width=LEFT_WIDTH,
        generator=generator,
        created=created_at(doc),
    )
