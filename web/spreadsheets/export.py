"""Reports and registers flattened into sheets (.xlsx), codes written with their Vietnamese
labels."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from flask import has_app_context
from openpyxl import Workbook
from openpyxl.styles import Alignment

from web.formatting import CODE_LABELS, KEY_LABELS, period_words, vn_time
from web.spreadsheets.columns import BOLD, DATE_FORMAT, HEAD_FILL, NUMBER_FORMAT
from web.spreadsheets.template import fit, put_row, save_workbook

# --- reports and registers as workbooks

REPORT_LABELS = KEY_LABELS
VALUE_LABELS = CODE_LABELS
# Keys whose values are codes, written with their Vietnamese label in the cells.
CODE_KEYS = frozenset(
    {
        "status",
        "outcome",
        "form",
        "grantor",
        "category",
        "type",
        "stage",
        "direction",
        "funding",
        "approval",
        "level",
        "window",
        "problems",
        "report",
    }
)
INFO_KEYS = (
    "report",
    "org",
    "period",
    "as_of",
    "known_by",
    "recorded_by",
    "format",
    "digest",
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def _org_name(slug: str) -> str:
    """The department's registered name (its slug outside a request)."""
    if not has_app_context():
        return slug
    from web.inspection import org_name

    return org_name(slug)


def report_label(key: str) -> str:
    """The Vietnamese name of a report key (the key itself otherwise)."""
    return REPORT_LABELS.get(key, VALUE_LABELS.get(key, key))


def _cell(value: Any, key: str = "") -> Any:
    """A value as written in a cell: dates as dates, instants in Vietnam time, codes labelled."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, str):
        if _ISO_DAY.match(value):
            return date.fromisoformat(value)
        if _ISO_INSTANT.match(value):
            return vn_time(value)
        if key in CODE_KEYS:
            return VALUE_LABELS.get(value, value)
        if key == "org":
            return _org_name(value)
        if key in ("period", "label"):
            return period_words(value)
        return value
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return "; ".join(str(_cell(v, key)) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _style(cell: Any) -> None:
    if isinstance(cell.value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
        cell.number_format = NUMBER_FORMAT


def _leaves(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Scalar leaves of nested mappings; lists of objects are yielded whole."""
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            yield from _leaves(sub, (*path, key))
    elif isinstance(value, dict):
        return
    else:
        yield path, value


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _row_columns(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The columns of a list of objects: every key seen, nested objects split one level."""
    seen: dict[tuple[str, ...], None] = {}
    for row in rows:
        for key, value in row.items():
            if isinstance(value, dict) and value:
                for sub in value:
                    seen[(key, sub)] = None
            else:
                seen[(key,)] = None
    return list(seen)


def _sheet_title(wanted: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", wanted)[:31] or "Trang"
    base, n = title, 2
    while title in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _write_table(wb: Workbook, title: str, rows: list[dict[str, Any]], taken: set[str]) -> None:
    ws = wb.create_sheet(_sheet_title(title, taken))
    cols = _row_columns(rows)
    put_row(ws, [" › ".join(report_label(k) for k in col) for col in cols])
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        values = []
        for col in cols:
            value: Any = row.get(col[0])
            if len(col) == 2:
                value = value.get(col[1]) if isinstance(value, dict) else None
            values.append(_cell(value, col[-1]))
        put_row(ws, values)
        for cell in ws[ws.max_row]:
            _style(cell)
    ws.freeze_panes = "A2"
    widths = []
    for i, col in enumerate(cols):
        texts = [len(" › ".join(report_label(k) for k in col))]
        texts += [len(str(r[i] or "")) for r in ws.iter_rows(min_row=2, values_only=True)]
        widths.append(max(texts))
    fit(ws, widths)


def report_workbook(content: dict[str, Any]) -> bytes:
    """A report (or register) flattened: "Thông tin" (kind, department, period, the three
    cut-offs, digest, notes), "Tổng hợp" (every figure, one per row, by its path of keys), then
    one sheet per list of records (tasks, awards, proposals…), one row per record."""
    wb = Workbook()
    info = wb.active
    info.title = "Thông tin"
    taken = {info.title}
    put_row(info, ["Mục", "Giá trị"])
    for cell in info[1]:
        cell.font, cell.fill = BOLD, HEAD_FILL
    for key in INFO_KEYS:
        if key not in content:
            continue
        if isinstance(content[key], dict):
            for sub, value in content[key].items():
                put_row(info, [f"{report_label(key)} › {report_label(sub)}", _cell(value, sub)])
                _style(info.cell(info.max_row, 2))
        else:
            put_row(info, [report_label(key), _cell(content[key], key)])
            _style(info.cell(info.max_row, 2))
    for section, text in (content.get("notes") or {}).items():
        put_row(info, [f"{report_label('notes')} › {report_label(section)}", text])
    fit(info, [40, 72])
    summary_rows: list[tuple[tuple[str, ...], Any]] = []
    tables: list[tuple[tuple[str, ...], list[dict[str, Any]]]] = []
    for key, value in content.items():
        if key in INFO_KEYS or key == "notes":
            continue
        for path, leaf in _leaves(value, (key,)):
            if _is_table(leaf):
                tables.append((path, leaf))
            else:
                summary_rows.append((path, leaf))
    if summary_rows:
        summary = wb.create_sheet(_sheet_title("Tổng hợp", taken))
        put_row(summary, ["Chỉ tiêu", "Mã", "Giá trị"])
        for cell in summary[1]:
            cell.font, cell.fill = BOLD, HEAD_FILL
        for path, leaf in summary_rows:
            put_row(
                summary,
                [" › ".join(report_label(k) for k in path), ".".join(path), _cell(leaf, path[-1])],
            )
            _style(summary.cell(summary.max_row, 3))
        summary.freeze_panes = "A2"
        fit(
            summary,
            [max(len(" › ".join(report_label(k) for k in p)) for p, _ in summary_rows), 30, 16],
        )
    for path, rows in tables:
        _write_table(wb, " › ".join(report_label(k) for k in path), rows, taken)
    return save_workbook(wb)


def register_workbook(title: str, rows: list[dict[str, Any]]) -> bytes:
    """A register (a list of records) as one sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    if rows:
        _write_table(wb, title, rows, set())
    else:
        ws = wb.create_sheet(_sheet_title(title, set()))
        put_row(ws, ["Chưa có bản ghi nào."])
    return save_workbook(wb)
