"""Any value of a report or a record as HTML: mappings as key/value tables, lists of mappings as
grids (a column per key met, a history link per row when the row names a record), dates and
instants in Vietnamese form, codes in words, numbers grouped.

The templates' `show` macro (`_value.html`) calls `show_value`. It was a recursive Jinja macro:
a report page built per request (`known_by=now`) spent half its time in its ~200 calls; in
Python the same markup costs a fraction. The output is the macro's, byte for byte
(tests/web/test_values.py renders every report kind both ways).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from numbers import Number
from typing import Any

from flask_babel import gettext
from markupsafe import Markup, escape

from web.formatting import (
    key_label,
    label,
    month_words,
    period_words,
    vn_date,
    vn_number,
    vn_time,
)


def show_value(value: Any, key: Any = None, kind: str | None = None) -> Markup:
    """The HTML of a value (`key`: the key it is found under, which says how to word it;
    `kind`: the record kind naming the keys of a mapping, as a draft's "title" is "Trích yếu")."""
    from web.inspection import org_name, row_history

    out: list[str] = []
    _show(value, key, out, _Memo(org_name), row_history, kind)
    return Markup("".join(out))


class _Memo:
    """The words of each (text, key) and each header, worked out once per value shown (a
    report repeats its statuses, units and days row after row)."""

    def __init__(self, org_name: Callable[[str], str]) -> None:
        self.org_name = org_name
        self.words: dict[tuple[str, Any], str] = {}
        self.headers: dict[Any, str] = {}
        self.numbers: dict[tuple[type, Any, Any], str] = {}

    def word(self, value: str, key: Any) -> str:
        found = self.words.get((value, key))  # keys of mappings, or None: hashable
        if found is None:
            found = self.words[value, key] = escape(_words(value, key, self.org_name))
        return found

    def number(self, value: Any, key: Any) -> str:
        # By type too: 1 and 1.0 are equal keys of a dict but may be written differently.
        found = self.numbers.get((type(value), value, key))
        if found is None:
            found = self.numbers[type(value), value, key] = escape(vn_number(value, key))
        return found

    def header(self, key: Any, kind: str | None = None) -> str:
        found = self.headers.get((key, kind))
        if found is None:
            found = self.headers[key, kind] = escape(key_label(key, kind))
        return found


def _show(
    value: Any,
    key: Any,
    out: list[str],
    memo: _Memo,
    row_history: Callable[[Any, Any], str | None],
    kind: str | None = None,
) -> None:
    if isinstance(value, Mapping):
        out.append('<div class="scroll"><table class="kv">')
        for k, item in value.items():
            header: str
            if key == "sources" and isinstance(item, Mapping) and item.get("report"):
                header = escape(label(item["report"], "report"))  # a draft's source by its report
            else:
                header = memo.header(k, kind)
            out.append(f'\n  <tr><th scope="row">{header}</th><td>')
            _show(item, k, out, memo, row_history, kind if k == "draft" else None)
            out.append("</td></tr>")
        out.append("\n</table></div>")
    elif isinstance(value, str):
        out.append(memo.word(value, key))
    elif value is None:
        out.append("–")
    elif value is True or value is False:
        out.append(Markup(gettext("có") if value else gettext("không")))
    elif isinstance(value, Number):
        out.append(memo.number(value, key))
    elif _is_sequence(value):
        if value and isinstance(value[0], Mapping):
            _grid(value, key, out, memo, row_history)
        else:
            for number, item in enumerate(value):
                if number:
                    out.append(", ")
                _show(item, key, out, memo, row_history)
    else:
        out.append(escape(value))


def _words(value: str, key: Any, org_name: Callable[[str], str]) -> str:
    """A text: a day, an instant, a department's name, or a code in words."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return vn_date(value)
    if "T" in value and value[:2] in ("19", "20") and len(value) > 4 and value[4] == "-":
        return vn_time(value)
    if key in ("org", "into"):
        return org_name(value)
    if key in ("period", "label"):
        return period_words(value)
    if key == "month":
        return month_words(value)
    if key == "version" and "#" in value:
        from web.describe import describe_fact

        return describe_fact(value)
    return label(value, key)


def _grid(
    rows: Any,
    key: Any,
    out: list[str],
    memo: _Memo,
    row_history: Callable[[Any, Any], str | None],
) -> None:
    """A list of mappings as a table: a column per key, in the order first met."""
    cols: dict[Any, None] = {}
    for row in rows:
        for k in row:
            cols.setdefault(k, None)
    out.append('<div class="scroll"><table class="grid">\n  <thead><tr>')
    out.extend(f'<th scope="col">{memo.header(k)}</th>' for k in cols)
    linked = row_history(key, rows[0])
    history = Markup(gettext("Lịch sử"))
    if linked:
        out.append(f'<th scope="col"><span class="sr">{history}</span></th>')
    out.append("</tr></thead>\n  <tbody>")
    for row in rows:
        out.append("\n  <tr>")
        for k in cols:
            out.append("<td>")
            _show(row.get(k), k, out, memo, row_history)
            out.append("</td>")
        if linked:
            url = row_history(key, row)
            out.append(f'<td><a href="{escape(url)}">{history}</a></td>' if url else "<td></td>")
        out.append("</tr>")
    out.append("\n  </tbody>\n</table></div>")


def _is_sequence(value: Any) -> bool:
    """Jinja's `sequence` test: anything with a length and items."""
    try:
        len(value)
        value.__getitem__  # noqa: B018
    except (TypeError, AttributeError):
        return False
    return True
