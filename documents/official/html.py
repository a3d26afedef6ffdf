"""The page of Nghị định 30/2020 shared by every HTML/PDF writer (the engine's,
documents.render_html, and the frozen version 1's): margins, widths, font families, the Liberation
Serif faces WeasyPrint embeds, and the creation time of a document. A change here changes issued
documents' bytes."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from documents.official.document import Document
from domain.times import VN

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


def created_at(doc: Document) -> str:
    """The document's creation time: 00:00 Vietnam time of its signing (or as-of) day."""
    return datetime.combine(doc.day, time(0, 0), tzinfo=VN).isoformat()
