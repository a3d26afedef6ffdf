"""What every PDF writer shares (the engine's, documents.render_pdf, and the frozen version 1's):
WeasyPrint (with Debian's Pango) lays out the HTML, Liberation Serif is embedded (subset), and the
bytes are reproducible.

Reproducible: the metadata dates are the signing day (dcterms.created/modified in the HTML), the
file identifier is derived from the document (`pdf_identifier`), and the font subsets carry a fixed
`head.modified` (fontTools reads SOURCE_DATE_EPOCH, set to the signing day while rendering).
Everything else WeasyPrint writes depends only on its input, its version and the fonts.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from documents.official.document import Document

_ENV_LOCK = threading.Lock()


@contextmanager
def _source_date_epoch(seconds: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for the duration of one rendering (restored afterwards)."""
    with _ENV_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def weasyprint_version() -> str:
    """The installed WeasyPrint's version (part of what makes the bytes)."""
    import weasyprint

    return str(weasyprint.__version__)


def identifier(doc: Document, generator: str) -> bytes:
    """The PDF file identifier: a hash of what the document is, never random."""
    seed = "\x1f".join(
        (doc.organisation.name, doc.number, doc.day.isoformat(), *doc.footer, generator)
    )
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32].encode("ascii")
