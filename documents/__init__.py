"""Composed documents: draft bodies in a Jinja2 sandbox over report JSON, checked at import, with
Vietnamese written forms, rendered to markup and parsed into blocks for the renderers."""

from __future__ import annotations

from documents.check import BodyError, check_body
from documents.engine import BodyRejectedError, RenderError, render_body, render_document
from documents.markup import Document, MarkupError, parse, plain_text
from documents.shapes import SHAPES, shape_of

__all__ = [
    "SHAPES",
    "BodyError",
    "BodyRejectedError",
    "Document",
    "MarkupError",
    "RenderError",
    "check_body",
    "parse",
    "plain_text",
    "render_body",
    "render_document",
    "shape_of",
]
