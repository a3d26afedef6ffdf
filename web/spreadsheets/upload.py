"""A filled template read back: every non-empty row as one JSON Lines line, cell problems named by
sheet, row and column."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from service.importing.schemas import SCHEMAS
from web.bodies import BodyError, loads
from web.forms import read_pairs
from web.spreadsheets.columns import (
    FIRST_DATA_ROW,
    INT_TEXT,
    NO,
    VN_DATE,
    YES,
    Column,
    choice_code,
    choice_words,
    columns,
    kind_of_sheet,
)

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
        """`Đoàn ra, đoàn vào!C5`-like place, for messages."""
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
    # (line, key) → a list cell's value that is none of the list's words, said with the words
    off_list: dict[tuple[int, str], str] = field(default_factory=dict)
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
        if key and (line, key) in self.off_list:  # the list's words, not its codes
            return CellError(sheet.name, row, column, key, self.off_list[(line, key)])
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
        found = VN_DATE.match(text)
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
        if isinstance(value, str) and INT_TEXT.match(value.strip()):
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
            kind = kind_of_sheet(ws.title)  # its words, or its code in an older template
            if kind is None or kind not in SCHEMAS:
                continue  # the instructions, the dropdowns' lists, or the office's own sheets
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
                    ws.title,
                    2,
                    letter,
                    key,
                    f"mã cột {key!r} không thuộc trang “{ws.title}” (xem mẫu)",
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
            if col.choices and isinstance(parsed, str):  # a word of the list → its code
                code = choice_code(kind, col, parsed)
                if code is None:
                    words = "; ".join(choice_words(kind, col))
                    said = f"“{parsed}” không có trong danh sách; chọn một trong: {words}"
                    out.off_list[(len(out.lines) + 1, col.key)] = said
                else:
                    parsed = code
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
