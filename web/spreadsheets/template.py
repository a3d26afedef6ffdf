"""The import template (.xlsx): one sheet per kind named in words, Vietnamese labels in row 1,
keys in row 2 (hidden: what upload reads), closed lists offered as words from a hidden sheet."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from service.importing.schemas import SCHEMAS
from web.spreadsheets.columns import (
    BOLD,
    FIRST_DATA_ROW,
    HEAD_FILL,
    HINTS,
    KEYS_FONT,
    KIND_LABELS,
    choice_words,
    columns,
    sheet_name,
)

LISTS = "Danh sách"  # the hidden sheet of the dropdowns' words (one list per column)

# --- templates


def fit(ws: Any, widths: list[int]) -> None:
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
        "Mỗi trang tính là một loại sự kiện. Dòng 1: tên cột; dòng 2 (ẩn) dùng để đọc lại tệp, "
        "không sửa; dữ liệu từ dòng 3, mỗi dòng một sự kiện. Không đổi tên trang tính.",
        "Cột có danh sách: chọn một giá trị trong danh sách thả xuống.",
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
        cell.font, cell.fill = BOLD, HEAD_FILL
    for kind in wanted:
        required = ", ".join(c.label for c in columns(kind) if c.required)
        put_row(guide, [sheet_name(kind), KIND_LABELS.get(kind, kind), required])
    fit(guide, [30, 34, 80])
    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"  # the dropdowns' source: not for filling in
    for kind in wanted:
        cols = columns(kind)
        ws = wb.create_sheet(sheet_name(kind), index=len(wb.sheetnames) - 1)
        put_row(ws, [c.label + (" *" if c.required else "") for c in cols])
        put_row(ws, [c.key for c in cols])
        for i, col in enumerate(cols, start=1):
            head, keys = ws.cell(1, i), ws.cell(2, i)
            head.font, head.fill = BOLD, HEAD_FILL
            head.alignment = Alignment(wrap_text=True, vertical="top")
            keys.font = KEYS_FONT
            words = choice_words(kind, col)
            hint = " ".join(
                part
                for part in (
                    HINTS[col.type],
                    f"Chọn trong danh sách: {'; '.join(words)}." if words else "",
                )
                if part
            )
            if hint:
                head.comment = Comment(hint, "ngoaivu")
            letter = get_column_letter(i)
            options = words or (("có", "không") if col.type == "flag" else ())
            if options:
                check = DataValidation(
                    type="list", formula1=_list_range(lists, options), allow_blank=True
                )
                check.errorTitle = "Giá trị không có trong danh sách"
                check.error = f"{col.label}: chọn một giá trị trong danh sách thả xuống."
                check.showErrorMessage = True  # a wrong word is stopped where it is typed
                ws.add_data_validation(check)
                check.add(f"{letter}{FIRST_DATA_ROW}:{letter}1048576")
        ws.row_dimensions[2].hidden = True  # the keys upload reads: not for the office's eyes
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
        fit(ws, [max(len(c.label), len(c.key)) for c in cols])
    return save_workbook(wb)


def _list_range(lists: Any, options: tuple[str, ...]) -> str:
    """The options as a new column of the lists sheet, and the range a dropdown reads: a range,
    not an inline list, since the words hold commas and may pass Excel's 255 characters."""
    column = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    for row, option in enumerate(options, start=1):
        lists.cell(row, column, option)
    letter = get_column_letter(column)
    return f"'{LISTS}'!${letter}$1:${letter}${len(options)}"


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


def save_workbook(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
