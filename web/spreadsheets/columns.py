"""The columns of each import kind in a spreadsheet: labels, keys, types and hints, from the
kind's schema (`service.importing.schemas.SCHEMAS`); the words of a column's codes and the sheet
name of each kind, both read back on upload."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from marshmallow import fields as mf
from marshmallow import validate
from openpyxl.styles import Font, PatternFill

from domain import labels
from service.importing.fields import Day, Flag, Int, Items, Mapping, When
from service.importing.schemas import SCHEMAS

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
    "flag": "Chọn có hoặc không trong danh sách.",
    "when": "Ngày dd/mm/yyyy, YYYY-MM-DD hoặc thời điểm ISO 8601 có múi giờ.",
    "day": "Ngày dd/mm/yyyy hoặc YYYY-MM-DD.",
    "list": "Nhiều giá trị cách nhau bằng dấu ; (hoặc danh sách JSON).",
    "json": "Văn bản JSON.",
    "mapping": "JSON {…} hoặc các cặp khóa=giá trị cách nhau bằng dấu ;",
}
YES = frozenset({"có", "co", "x", "true", "đúng", "yes", "1"})
NO = frozenset({"không", "khong", "false", "sai", "no", "0"})
INT_TEXT = re.compile(r"^-?\d+$")
VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
BOLD = Font(bold=True)
KEYS_FONT = Font(italic=True, color="5F6368", size=9)
HEAD_FILL = PatternFill("solid", fgColor="E8EAED")
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"


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


# --- words for codes: a closed list offers its words, a sheet is named by its kind's words


def choice_word(kind: str, key: str, code: str) -> str:
    """The word a list column offers for a code (the label table's, as on the forms)."""
    if kind == "document.drafted" and key == "type":  # a draft's type, not a conference's
        return labels.DOCUMENT_TYPES.get(code, code)
    return labels.word(code, key)


def choice_words(kind: str, col: Column) -> tuple[str, ...]:
    """The words of a list column's codes, in the codes' order."""
    return tuple(choice_word(kind, col.key, code) for code in col.choices)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def choice_code(kind: str, col: Column, text: str) -> str | None:
    """The code a cell of a list column stands for: its word (any case, NFC or not) or the code
    itself; None when it is neither."""
    wanted = _fold(text)
    for code in col.choices:
        if wanted in (_fold(code), _fold(choice_word(kind, col.key, code))):
            return code
    return None


_SHEET_BAD = re.compile(r"[\\/?*\[\]:]")
SHEET_MAX = 31  # Excel's limit on a sheet's name


@cache
def sheet_names() -> dict[str, str]:
    """Each kind's sheet name: its words (`Đoàn ra, đoàn vào`), cut to Excel's 31 characters and
    made unique; fixed over every kind, so a template of some kinds names them the same."""
    out: dict[str, str] = {}
    taken = {"hướng dẫn", "danh sách"}
    for kind in SCHEMAS:
        base = _SHEET_BAD.sub(" ", KIND_LABELS.get(kind) or kind).strip()[:SHEET_MAX].strip()
        name, n = base, 2
        while name.casefold() in taken:
            name = f"{base[: SHEET_MAX - 3].strip()} {n}"
            n += 1
        taken.add(name.casefold())
        out[kind] = name
    return out


def sheet_name(kind: str) -> str:
    """The sheet of a kind in the template."""
    return sheet_names()[kind]


def kind_of_sheet(title: str) -> str | None:
    """The kind a sheet holds: by its name in words, or by the kind's code (templates made before
    sheets were named in words); None for the instructions and the office's own sheets."""
    wanted = _fold(title)
    for kind, name in sheet_names().items():
        if wanted in (_fold(name), kind):
            return kind
    return None
