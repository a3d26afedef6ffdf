"""Rendering a draft's body over its sources' report JSON into markup text, then into blocks."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Template, TemplateError

from documents.check import BodyError, check_body
from documents.filters import FilterError
from documents.markup import Document, parse
from documents.render import RENDERER_VERSION
from documents.sandbox import environment, line_end_rule
from documents.shapes import Obj

TEMPLATE_FILE = "<template>"  # Jinja's name for the frames of a template built from a string


class BodyRejectedError(ValueError):
    """A body the check refuses: every problem, each with its line."""

    def __init__(self, errors: list[BodyError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class RenderError(ValueError):
    """A body that fails on these figures (a null printed, a missing note): the line and why."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(f"dòng {line}: {message}" if line else message)
        self.line = line
        self.message = message


@lru_cache(maxsize=256)
def _compiled(body: str, renderer: int) -> Template:
    return environment(renderer).from_string(body)


def _line(exc: BaseException) -> int | None:
    """The body's line where a rendering failed, from Jinja's rewritten traceback."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_body(
    body: str,
    sources: Mapping[str, Mapping[str, Any]],
    planned: Mapping[str, Obj] | None = None,
    *,
    renderer: int = RENDERER_VERSION,
) -> str:
    """The body rendered over the sources (name → report JSON, its `report` key naming its kind):
    markup text, by the rules of renderer version `renderer` (an issue's own when it is
    reprinted: documents.sandbox.line_end_rule). The check runs first, so a body stored under
    older shapes fails clearly."""
    kinds = {name: str(report.get("report")) for name, report in sources.items()}
    errors = check_body(body, kinds, planned)
    if errors:
        raise BodyRejectedError(errors)
    try:
        text = _compiled(body, renderer).render(**sources)
    except (TemplateError, FilterError, ArithmeticError, TypeError, ValueError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        raise RenderError(_line(exc), message) from exc
    return line_end_rule(renderer).finish(text)


def render_document(
    body: str,
    sources: Mapping[str, Mapping[str, Any]],
    planned: Mapping[str, Obj] | None = None,
    *,
    renderer: int = RENDERER_VERSION,
) -> Document:
    """The body rendered and parsed into blocks (MarkupError names the rendered text's line)."""
    return parse(render_body(body, sources, planned, renderer=renderer))
