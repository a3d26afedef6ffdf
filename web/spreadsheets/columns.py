"""The columns of each import kind in a spreadsheet: labels, keys, types and hints, from the
kind's schema (`service.importing.schemas.SCHEMAS`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    "flag": "có / không (hoặc TRUE / FALSE).",
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
