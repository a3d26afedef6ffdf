"""The document as HTML (Jinja2): for the web, and the source WeasyPrint lays out as the PDF."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, time
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
from documents.official.vietnamese import place_and_date
from domain.times import VN

TEMPLATES = Path(__file__).with_name("templates")
# Page of Nghị định 30/2020 (mm): top/bottom 20–25, left 30–35, right 15–20.
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_WIDTH = 210
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]
LEFT_WIDTH = 62  # the issuing body's column of the header and the Nơi nhận column

# Times New Roman is named first; Liberation Serif (metric-compatible, Debian fonts-liberation)
# is what the PDF embeds.
WEB_FAMILY = '"Times New Roman", "Liberation Serif", Times, serif'
PDF_FAMILY = '"Liberation Serif"'

# Where Debian puts Liberation Serif. Version 2 (fonts-liberation2; fonts-liberation from Debian 13)
# comes first: Debian 12's fonts-liberation 1.07 has no Vietnamese letters (ơ, ư, ệ …), which Pango
# would then take from another font.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation"),
)
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


@dataclass(frozen=True)
class FontFace:
    family: str
    url: str
    weight: str
    style: str


def _has_vietnamese(path: Path) -> bool:
    """Whether the font has the Vietnamese letters (Liberation 2 has, 1.07 has not)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
    return all(ord(c) in cmap for c in "ơưệỹĐ")


@functools.cache
def liberation_faces() -> tuple[FontFace, ...]:
    """@font-face rules for the four Liberation Serif files with Vietnamese, when installed."""
    for folder in FONT_DIRS:
        files = [folder / name for name in FONT_FILES.values()]
        if all(f.is_file() for f in files) and _has_vietnamese(files[0]):
            return tuple(
                FontFace("Liberation Serif", (folder / name).as_uri(), weight, style)
                for (weight, style), name in FONT_FILES.items()
            )
    return ()


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


def created_at(doc: Document) -> str:
    """The document's creation time: 00:00 Vietnam time of its signing (or as-of) day."""
    return datetime.combine(doc.day, time(0, 0), tzinfo=VN).isoformat()


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
