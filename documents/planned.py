"""Keys the report JSON does not have yet, that the seed drafts need (documents/SEED_FIGURES.md).

A draft naming one of these passes the check only with `planned=PLANNED`; the seed measure feeds
the seed's stated figure in its place. When a kind or key is added to a report builder, its entry
moves from here to documents/shapes.py (a test fails while a real report already has it)."""

from __future__ import annotations

from documents.shapes import Obj

PLANNED: dict[str, Obj] = {}
