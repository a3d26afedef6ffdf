"""The Jinja2 environment of draft bodies: sandboxed, strict, data-only, our filters and tests."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2.filters
import jinja2.tests
from jinja2 import StrictUndefined
from jinja2.ext import Extension
from jinja2.runtime import LoopContext, Undefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from documents.filters import FILTERS, FilterError, MarkupText, escape
from documents.render import RENDERER_VERSION

# Jinja's own filters a body may use: lists and texts, never attribute access by name (`attr`),
# formatting (`format`), or anything that reaches Python objects.
BUILTIN_FILTERS = (
    "join",
    "map",
    "selectattr",
    "rejectattr",
    "select",
    "reject",
    "length",
    "first",
    "last",
    "sort",
    "dictsort",
    "sum",
    "list",
    "default",
    "lower",
    "upper",
)
TESTS = (
    "none",
    "defined",
    "undefined",
    "number",
    "string",
    "true",
    "false",
    "eq",
    "equalto",
    "==",
    "ne",
    "!=",
    "lt",
    "<",
    "le",
    "<=",
    "gt",
    ">",
    "ge",
    ">=",
    "in",
    "odd",
    "even",
    "divisibleby",
)
LOOP_ATTRIBUTES = ("index", "index0", "revindex", "revindex0", "first", "last", "length")
ARITHMETIC = ("+", "-")


# --- Line ends. A rule changes the rendered text, which issued reports keep (a composed document's
# `text` is inside its digest; a report's document is its standard body rendered again): each rule
# stays as it was for the renderer versions that used it, and `line_end_rule` picks it.


class KeepLineEndsV2(Extension):
    """The rule of renderer versions 1 and 2, frozen: reprints of what they issued use it. Its
    defect (issue 14): `_V2_TAGS_ONLY` lets one tag's `.*?` run over the text between tags, so a
    line that starts with a tag and ends with one (`{% if x %}A{% else %}B{% endif %}`) was taken
    for a line of tags and lost its line end. Do not change it: fix KeepLineEnds instead."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        """Each tag that ends a line with text before it gets Jinja's `+%}` (no trimming)."""
        lines = source.split("\n")
        for i, line in enumerate(lines):
            end = line.rstrip()
            ends_text = end.endswith("%}") and not end.endswith(("-%}", "+%}"))
            if ends_text and not _V2_TAGS_ONLY.fullmatch(line):
                lines[i] = end[:-2] + "+%}" + line[len(end) :]
        return "\n".join(lines)

    @staticmethod
    def finish(text: str) -> str:
        """The rendered text as it is."""
        return text


_V2_TAGS_ONLY = re.compile(r"\s*(?:(?:\{%.*?%\}|\{#.*?#\})\s*)+")

# One tag or comment, never running past its own end (`%}` inside a quoted string aside).
_TAG = r"""\{%(?:[^%'"]|%(?!\})|'[^'\\]*(?:\\.[^'\\]*)*'|"[^"\\]*(?:\\.[^"\\]*)*")*%\}"""
_COMMENT = r"\{#(?:[^#]|#(?!\}))*#\}"
_TAGS_ONLY = re.compile(rf"\s*(?:(?:{_TAG}|{_COMMENT})\s*)+")
# Marks the end of a line that kept its line end; never in a body or a value (control
# characters are refused in every text: domain.text.CONTROL).
LINE_MARK = "\x1e"


class KeepLineEnds(Extension):
    """A line of block tags (and comments) alone vanishes with its line (trim_blocks); a line
    with text or a value that ends with a tag or a comment keeps its line end when it produces
    text, and vanishes when it produces none (a false `{% if %}…{% endif %}` line leaves no
    blank line inside a paragraph or a table). Line numbers are unchanged."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        """The last tag of such a line gets Jinja's `+%}` (no trimming), then LINE_MARK."""
        lines = source.split("\n")
        for i, line in enumerate(lines):
            end = line.rstrip()
            closes = end.endswith(("%}", "#}")) and not end.endswith(("-%}", "+%}", "-#}", "+#}"))
            if closes and not _TAGS_ONLY.fullmatch(line):
                lines[i] = end[:-2] + "+" + end[-2:] + LINE_MARK + line[len(end) :]
        return "\n".join(lines)

    @staticmethod
    def finish(text: str) -> str:
        """A rendered line holding LINE_MARK is kept without it when it has text; with nothing
        else (or only spaces), it goes with its line end."""
        if LINE_MARK not in text:
            return text
        kept = []
        for line in text.split("\n"):
            if LINE_MARK in line:
                line = line.replace(LINE_MARK, "")
                if not line.strip():
                    continue
            kept.append(line)
        return "\n".join(kept)


LineEndRule = type[KeepLineEndsV2] | type[KeepLineEnds]


def line_end_rule(renderer: int) -> LineEndRule:
    """The line-end rule of a renderer version (documents.render.RENDERER_VERSION): the frozen
    one up to version 2, the fixed one from version 3."""
    return KeepLineEndsV2 if renderer <= 2 else KeepLineEnds


def finalize(value: Any) -> Any:
    """What `{{ … }}` prints: a value made literal markup; null, a block or a yes/no refused."""
    if isinstance(value, MarkupText):
        return str(value)
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, bool):
        raise FilterError("không in một giá trị đúng/sai; dùng {% if %}")
    if isinstance(value, int):
        return str(value)
    if value is None:
        raise FilterError("giá trị chưa được ghi nhận (null); bọc bằng {% if … is not none %}")
    if isinstance(value, Undefined):
        return value  # StrictUndefined raises when printed
    raise FilterError("không in được cả một khối (danh sách, đối tượng); chọn một giá trị")


class BodyEnvironment(SandboxedEnvironment):
    """The sandbox with data-only lookups: a key of a report's JSON, an item of its lists, a
    loop's counters; nothing of a Python object; a path through null gives null."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"-", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Only + and - between integers (no string repetition, no power: bounded work)."""
        if operator in ARITHMETIC and _is_int(left) and _is_int(right):
            return SandboxedEnvironment.call_binop(self, context, operator, left, right)
        raise SecurityError(f"phép toán {operator} không được phép")

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        """Only the sign of an integer."""
        if _is_int(arg):
            return SandboxedEnvironment.call_unop(self, context, operator, arg)
        raise SecurityError(f"phép toán {operator} không được phép")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """No call from a body (methods, macros, `loop.cycle`, `range`)."""
        raise SecurityError("không được gọi hàm hay phương thức")

    def getitem(self, obj: Any, argument: Any) -> Any:
        """A key of a mapping, an item of a list, a loop counter; null propagates."""
        if obj is None:
            return None
        if isinstance(obj, Mapping):
            if isinstance(argument, str) and argument in obj:
                return obj[argument]
        elif isinstance(obj, list | tuple):
            if isinstance(argument, slice) or _is_int(argument):
                try:
                    return obj[argument]
                except IndexError:
                    pass
        elif isinstance(obj, LoopContext) and argument in LOOP_ATTRIBUTES:
            return getattr(obj, argument)
        return self.undefined(obj=obj, name=argument)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`a.b` is `a["b"]`: keys win over methods (`plan.items` is the number of items)."""
        return self.getitem(obj, attribute)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@cache
def environment(renderer: int = RENDERER_VERSION) -> BodyEnvironment:
    """The environment of a renderer version (stateless): no globals, only the listed filters
    and tests; lines of block tags vanish (trim_blocks, lstrip_blocks) so `{% if %}` leaves no
    blank line; the version's line-end rule (`line_end_rule`) for the rest."""
    env = BodyEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
        auto_reload=False,
        extensions=[line_end_rule(renderer)],
    )
    env.globals.clear()
    env.filters = {name: jinja2.filters.FILTERS[name] for name in BUILTIN_FILTERS}
    env.filters.update(FILTERS)
    env.tests = {name: jinja2.tests.TESTS[name] for name in TESTS}
    return env
