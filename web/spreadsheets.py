"""Spreadsheets (.xlsx): import templates with Vietnamese headers, their upload as JSON Lines, and
reports and registers flattened into sheets.

A template has one sheet per import kind, named by the kind's code (`delegation.recorded`). Row 1
holds the Vietnamese labels (required columns end with " *"), row 2 the keys of the import line
(do not change them: they are what is read back), data starts on row 3. The columns are the
kind's schema fields (`service.importing.schemas.SCHEMAS`) without `kind`, `org` (the department
of the page) and `by` (the logged-in user). Nested values:

- a nested object (`recipient`, `registrant`) is split into one column per key:
  `recipient.type`, `recipient.name`, …;
- a list of texts (`countries`, `parties`) is one cell, items separated by `;` (or `,`, or a line
  break), or a JSON list;
- a list of objects (`items`, `phases`, `members`) is one cell of JSON text, e.g.
  `[{"id": "KH-01", "title": "…"}]`;
- a mapping (`detail`, `set`) is one cell: JSON text (`{"certified": 12}`) or `khóa=giá trị`
  pairs separated by `;` or line breaks (`certified=12; content=3`).

Dates may be Excel dates, `dd/mm/yyyy` or `YYYY-MM-DD`; an Excel date-time is taken in Vietnam time.
A whole number in a text column (a programme `2020`) is read as text; `có`/`không`, `x`, TRUE/FALSE
fill yes/no columns.

Upload converts every non-empty row into one JSON Lines line and hands the file to the same
writer as the JSON Lines upload (the import's rules, all or nothing); the import's
`dòng N, trường 'x'` comes back as sheet, row and column letter.
"""

from __future__ import annotations

import ast
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from marshmallow import fields as mf
from marshmallow import validate
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain import labels
from service.importing.fields import Day, Flag, Int, Items, Mapping, When
from service.importing.schemas import SCHEMAS
from web.bodies import BodyError, loads
from web.formatting import CODE_LABELS, KEY_LABELS, vn_time
from web.forms import read_pairs

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROWS = 2  # labels, then keys
FIRST_DATA_ROW = HEADER_ROWS + 1
LEFT_OUT = ("kind", "org", "by")  # the sheet's kind, the page's department, the logged-in user
COMMON_LAST = ("at", "known_since", "ref", "reason")

KIND_LABELS = labels.KINDS
FIELD_LABELS = labels.FIELDS
KIND_FIELD_LABELS = labels.KIND_FIELDS
HINTS = {
    "text": "",
    "int": "Số nguyên.",
    "flag": "có / không (hoặc TRUE / FALSE).",
    "when": "Ngày dd/mm/yyyy, YYYY-MM-DD hoặc thời điểm ISO 8601 có múi giờ.",
    "day": "Ngày dd/mm/yyyy hoặc YYYY-MM-DD.",
    "list": "Nhiều giá trị cách nhau bằng dấu ; (hoặc danh sách JSON).",
    "json": "Văn bản JSON.",
    "mapping": "JSON {…} hoặc các cặp khóa=giá trị cách nhau bằng dấu ;",
}
YES = frozenset({"có", "co", "x", "true", "đúng", "yes", "1"})
NO = frozenset({"không", "khong", "false", "sai", "no", "0"})
_INT = re.compile(r"^-?\d+$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_BOLD = Font(bold=True)
_KEYS_FONT = Font(italic=True, color="5F6368", size=9)
_HEAD_FILL = PatternFill("solid", fgColor="E8EAED")
_DATE_FORMAT = "DD/MM/YYYY"
_NUMBER_FORMAT = "#,##0"


# --- the columns of each kind


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet: the key (dotted for a nested object's key) and how to read."""

    key: str
    label: str
    type: str  # text, int, flag, when, day, list, json, mapping
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def head(self) -> str:
        """The top-level key of the import line."""
        return self.key.partition(".")[0]


def _choices(f: mf.Field) -> tuple[str, ...]:
    for v in f.validators:
        if isinstance(v, validate.OneOf):
            return tuple(str(c) for c in v.choices)
    return ()


def _type(f: mf.Field) -> str:
    if isinstance(f, Flag):
        return "flag"
    if isinstance(f, Int):
        return "int"
    if isinstance(f, Day):
        return "day"
    if isinstance(f, When):
        return "when"
    if isinstance(f, Items):
        return "json" if isinstance(f.inner, mf.Nested) else "list"
    if isinstance(f, Mapping):
        return "mapping"
    return "text"


def label_of(kind: str, key: str) -> str:
    """The Vietnamese header of a key (the key itself when no label is known)."""
    return KIND_FIELD_LABELS.get((kind, key)) or FIELD_LABELS.get(key) or key


def columns(kind: str) -> tuple[Column, ...]:
    """The kind's columns: its required keys in the schema's order, `at`, its other keys, then
    known_since, ref, reason."""
    declared = SCHEMAS[kind]._declared_fields
    own = [n for n in declared if n not in LEFT_OUT and n not in COMMON_LAST]
    names = [n for n in own if declared[n].required]
    names += [n for n in ("at",) if n in declared]
    names += [n for n in own if not declared[n].required]
    names += [n for n in COMMON_LAST[1:] if n in declared]
    out: list[Column] = []
    for name in names:
        f = declared[name]
        key = f.data_key or name
        if isinstance(f, mf.Nested) and not f.many:
            nested = f.schema
            for sub_name, sub in nested.fields.items():
                sub_key = f"{key}.{sub.data_key or sub_name}"
                out.append(
                    Column(
                        sub_key,
                        label_of(kind, sub_key),
                        _type(sub),
                        f.required and sub.required,
                        _choices(sub),
                    )
                )
            continue
        out.append(Column(key, label_of(kind, key), _type(f), f.required, _choices(f)))
    return tuple(out)


# --- templates


def _fit(ws: Any, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(width + 2, 60))


def template(kinds: list[str] | None = None) -> bytes:
    """The import workbook: an instructions sheet, then one sheet per kind (all by default)."""
    wanted = [k for k in SCHEMAS if kinds is None or k in kinds]
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    put_row(guide, ["Mẫu nhập liệu Hồ sơ Sở Ngoại vụ"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        "Mỗi trang tính là một loại sự kiện (tên trang là mã loại). Dòng 1: tên cột; dòng 2: mã "
        "trường (không sửa); dữ liệu từ dòng 3, mỗi dòng một sự kiện.",
        "Cột có dấu * là bắt buộc. Tổ chức là tổ chức của trang nhập liệu; người ghi là người "
        "đăng nhập.",
        "Tải tệp lên tại Nhập liệu › Nhập tệp: cùng quy tắc với lệnh ngoaivu import; một dòng lỗi "
        "thì không lưu gì, lỗi được chỉ theo trang, dòng và cột.",
        "Ngày: dd/mm/yyyy hoặc YYYY-MM-DD. Danh sách: cách nhau bằng dấu ;. Đối tượng lồng nhau "
        "(các mục kế hoạch, các đợt): văn bản JSON.",
        "",
    ):
        put_row(guide, [line])
    put_row(guide, ["Trang tính", "Loại sự kiện", "Cột bắt buộc"])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = _BOLD, _HEAD_FILL
    for kind in wanted:
        required = ", ".join(c.label for c in columns(kind) if c.required)
        put_row(guide, [kind, KIND_LABELS.get(kind, kind), required])
    _fit(guide, [24, 34, 80])
    for kind in wanted:
        cols = columns(kind)
        ws = wb.create_sheet(kind)
        put_row(ws, [c.label + (" *" if c.required else "") for c in cols])
        put_row(ws, [c.key for c in cols])
        for i, col in enumerate(cols, start=1):
            head, keys = ws.cell(1, i), ws.cell(2, i)
            head.font, head.fill = _BOLD, _HEAD_FILL
            head.alignment = Alignment(wrap_text=True, vertical="top")
            keys.font = _KEYS_FONT
            hint = " ".join(
                part
                for part in (
                    HINTS[col.type],
                    f"Giá trị: {', '.join(col.choices)}." if col.choices else "",
                )
                if part
            )
            if hint:
                head.comment = Comment(hint, "ngoaivu")
            letter = get_column_letter(i)
            options = col.choices or (("có", "không") if col.type == "flag" else ())
            formula = '"' + ",".join(options) + '"'
            if options and len(formula) <= 255:
                check = DataValidation(type="list", formula1=formula, allow_blank=True)
                check.error = "Giá trị không có trong danh sách"
                check.errorTitle = "Giá trị không hợp lệ"
                check.showErrorMessage = False  # the import gives the message, with its rule
                ws.add_data_validation(check)
                check.add(f"{letter}{FIRST_DATA_ROW}:{letter}1048576")
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
        _fit(ws, [max(len(c.label), len(c.key)) for c in cols])
    return _save(wb)


def _safe(value: Any) -> Any:
    if isinstance(value, str):  # XML 1.0 cannot hold these: shown, not dropped
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


def put_row(ws: Any, values: list[Any]) -> None:
    """Append a row whose texts are text cells: openpyxl makes a formula of any text beginning
    with `=`, and a spreadsheet would run it (`=HYPERLINK(…)`, `=cmd|…`) when the file opens."""
    ws.append([_safe(v) for v in values])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading a filled workbook


class SheetFormatError(ValueError):
    """The file is not a workbook this application can read."""


@dataclass(frozen=True)
class CellError:
    """One problem, by sheet, row and column (letter and key)."""

    sheet: str
    row: int
    column: str | None
    key: str | None
    message: str

    @property
    def where(self) -> str:
        """`delegation.recorded!C5`-like place, for messages."""
        cell = f"{self.column}{self.row}" if self.column else f"dòng {self.row}"
        return f"{self.sheet}!{cell}"


@dataclass
class Sheet:
    """A kind's sheet as read: its name, kind and columns by key."""

    name: str
    kind: str
    letters: dict[str, str] = field(default_factory=dict)  # key → column letter


@dataclass
class Conversion:
    """A workbook as JSON Lines: the lines, where each came from, and cell problems found."""

    lines: list[bytes] = field(default_factory=list)
    origins: list[tuple[Sheet, int]] = field(default_factory=list)  # line N-1 → (sheet, row)
    notes: dict[tuple[int, str], str] = field(default_factory=dict)  # (line, key) → why unread
    errors: list[CellError] = field(default_factory=list)  # the workbook's own layout

    def locate(self, line: int, key: str | None, message: str) -> CellError:
        """The sheet, row and column of the import's `dòng N, trường 'x'`."""
        sheet, row = self.origins[line - 1]
        column = None
        if key:
            column = sheet.letters.get(key)
            if column is None:  # a nested object's key: "recipient" with "name: [...]"
                sub, _, rest = message.partition(": ")
                column = sheet.letters.get(f"{key}.{sub.strip()}")
                if column is not None:
                    key, message = f"{key}.{sub.strip()}", _messages(rest)
            if column is None:
                column = next(
                    (v for k, v in sheet.letters.items() if k.startswith(key + ".")), None
                )
        note = self.notes.get((line, (key or "").partition(".")[0]))
        if note:
            message = f"{message} ({note})"
        return CellError(sheet.name, row, column, key, message)


def _messages(text: str) -> str:
    """`["a", "b"]` (a list as the import prints it) as `a; b`."""
    try:
        items = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    if isinstance(items, list) and all(isinstance(i, str) for i in items):
        return "; ".join(items)
    return text


def _text(value: Any, key: str) -> Any:
    if isinstance(value, datetime):
        if key == "month":
            return value.strftime("%Y-%m")
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.strftime("%Y-%m") if key == "month" else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _when(value: Any, instant: bool) -> Any:
    if isinstance(value, datetime):
        if value.time() == time(0) or not instant:
            return value.date().isoformat()
        if value.tzinfo is None:  # a spreadsheet's time is the office's, Vietnam time
            return value.isoformat(timespec="seconds") + "+07:00"
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        found = _VN_DATE.match(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return text  # the schema names the bad date
        return text
    return value


def _pairs(text: str) -> dict[str, Any]:
    try:
        return read_pairs(re.split(r"[;\n]", text))
    except ValueError as exc:
        raise ValueError(f"{str(exc)!r} không có dạng khóa=giá trị") from None


def cell_value(col: Column, value: Any) -> tuple[Any, str | None]:
    """The import line's value of a cell, and a note when it could not be read as its type (the
    raw value is then passed on, so that the schema's own message names the problem)."""
    if col.type == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value), None
        if isinstance(value, str) and _INT.match(value.strip()):
            if len(value.strip().lstrip("-")) > 19:  # past a 64-bit column: the schema names it
                return value.strip(), "số quá lớn"
            return int(value.strip()), None
        return (value.strip() if isinstance(value, str) else value), None
    if col.type == "flag":
        if isinstance(value, bool):
            return value, None
        word = str(value).strip().casefold()
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value), None
        if word in YES:
            return True, None
        if word in NO:
            return False, None
        return value, "ghi có hoặc không"
    if col.type in ("when", "day"):
        return _when(value, instant=col.type == "when"), None
    if col.type == "list":
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    return loads(text), None
                except BodyError as exc:
                    return text, str(exc)
            return [p.strip() for p in re.split(r"[;,\n]", text) if p.strip()], None
        return [_text(value, col.key)], None
    if col.type in ("json", "mapping"):
        text = _text(value, col.key)
        if not isinstance(text, str):
            return text, None
        try:
            return loads(text), None
        except BodyError as exc:
            if col.type == "mapping" and "=" in text and not text.startswith("{"):
                try:
                    return _pairs(text), None
                except ValueError as bad:
                    return text, str(bad)
            return text, str(exc)
    return _text(value, col.key), None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(stream: IO[bytes], org: str) -> Conversion:
    """Every filled row of every kind's sheet as one import line (kind and org added)."""
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML or openpyxl's own errors: not a workbook
        raise SheetFormatError(f"tệp không phải bảng tính .xlsx hợp lệ ({exc})") from None
    out = Conversion()
    try:
        for ws in wb.worksheets:
            kind = ws.title.strip()
            if kind not in SCHEMAS:
                continue  # the instructions, or the office's own sheets
            _convert_sheet(ws, kind, org, out)
    finally:
        wb.close()
    return out


def _convert_sheet(ws: Any, kind: str, org: str, out: Conversion) -> None:
    known = {c.key: c for c in columns(kind)}
    rows = ws.iter_rows(values_only=True)
    next(rows, None)  # the labels
    keys_row = next(rows, None) or ()
    sheet = Sheet(ws.title, kind)
    cols: list[tuple[int, Column]] = []
    for i, raw in enumerate(keys_row):
        if _empty(raw):
            continue
        key = str(raw).strip()
        letter = get_column_letter(i + 1)
        if key not in known:
            out.errors.append(
                CellError(
                    ws.title, 2, letter, key, f"mã cột {key!r} không thuộc loại {kind} (xem mẫu)"
                )
            )
            continue
        sheet.letters[key] = letter
        cols.append((i, known[key]))
    for number, row in enumerate(rows, start=FIRST_DATA_ROW):
        if all(_empty(v) for v in row):
            continue
        line: dict[str, Any] = {"kind": kind, "org": org}
        notes: dict[str, str] = {}
        for i, col in cols:
            value = row[i] if i < len(row) else None
            if _empty(value):
                continue
            parsed, note = cell_value(col, value)
            head, _, sub = col.key.partition(".")
            if sub:
                line.setdefault(head, {})[sub] = parsed
            else:
                line[head] = parsed
            if note:
                notes[head] = note
        out.lines.append((json.dumps(line, ensure_ascii=False, default=str) + "\n").encode())
        out.origins.append((sheet, number))
        for key, note in notes.items():
            out.notes[(len(out.lines), key)] = note


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
        cell.number_format = _DATE_FORMAT
    elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
        cell.number_format = _NUMBER_FORMAT


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
        cell.font, cell.fill = _BOLD, _HEAD_FILL
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
    _fit(ws, widths)


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
        cell.font, cell.fill = _BOLD, _HEAD_FILL
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
        put_row(info, [f"{report_label('notes')} › {section}", text])
    _fit(info, [40, 72])
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
            cell.font, cell.fill = _BOLD, _HEAD_FILL
        for path, leaf in summary_rows:
            put_row(
                summary,
                [" › ".join(report_label(k) for k in path), ".".join(path), _cell(leaf, path[-1])],
            )
            _style(summary.cell(summary.max_row, 3))
        summary.freeze_panes = "A2"
        _fit(
            summary,
            [max(len(" › ".join(report_label(k) for k in p)) for p, _ in summary_rows), 30, 16],
        )
    for path, rows in tables:
        _write_table(wb, " › ".join(report_label(k) for k in path), rows, taken)
    return _save(wb)


def register_workbook(title: str, rows: list[dict[str, Any]]) -> bytes:
    """A register (a list of records) as one sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    if rows:
        _write_table(wb, title, rows, set())
    else:
        ws = wb.create_sheet(_sheet_title(title, set()))
        put_row(ws, ["Chưa có bản ghi nào."])
    return _save(wb)
