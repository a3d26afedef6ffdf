"""A report kind's document by the one engine: the kind's standard draft body
(documents.standard) rendered over the report's JSON, then laid out as any composed document.

The office's notes stand where the body puts them; `kinh_gui` is the document's "Kính gửi"."""

from __future__ import annotations

from typing import Any

from documents.engine import render_body
from documents.layout import compose_document
from documents.official import Issue
from documents.official.document import Document, Organisation
from documents.render import RENDERER_VERSION
from documents.standard import STANDARDS, title_of


def addressees(notes: dict[str, str]) -> list[str]:
    """The note `kinh_gui`, one addressee a line or between semicolons, without list marks."""
    text = notes.get("kinh_gui") or ""
    found = []
    for line in text.replace(";", "\n").split("\n"):
        item = line.strip().lstrip("-+• ").strip().rstrip(";.").strip()
        if item:
            found.append(item)
    return found


def standard_content(content: dict[str, Any], renderer: int = RENDERER_VERSION) -> dict[str, Any]:
    """What a composed document is laid out from, for a report of a kind: the standard body
    rendered over the report's JSON (its digest aside) by the rules of renderer version
    `renderer` (an issue's own when it is reprinted), the kind's type and trích yếu."""
    kind = content["report"]
    if kind not in STANDARDS:
        raise KeyError(f"không có mẫu văn bản cho loại báo cáo {kind!r}")
    standard = STANDARDS[kind]
    notes = {k: v for k, v in (content.get("notes") or {}).items() if v and v.strip()}
    source = {k: v for k, v in content.items() if k != "digest"}
    source["notes"] = notes
    return {
        "org": content["org"],
        "as_of": content["as_of"],
        "recorded_by": content.get("recorded_by", ""),
        "digest": content.get("digest", ""),
        "type": standard.type,
        "title": title_of(kind, content["period"]["label"], notes),
        "addressees": addressees(notes),
        "text": render_body(standard.body, {standard.source: source}, renderer=renderer),
    }


def compose_report(
    content: dict[str, Any],
    organisation: Organisation,
    issue: Issue | None = None,
    renderer: int = RENDERER_VERSION,
) -> Document:
    """The document of a report of a kind, issued (number, signing day, signer) or a draft, by
    the rules of renderer version `renderer`."""
    return compose_document(standard_content(content, renderer), organisation, issue)
