"""Spreadsheets (.xlsx): import templates with Vietnamese headers, their upload as JSON Lines, and
reports and registers flattened into sheets.

A template has one sheet per import kind, named by the kind's words (`Đoàn ra, đoàn vào`; upload
finds the kind by that name through `columns.sheet_names`, or by the kind's code in templates made
before). Row 1 holds the Vietnamese labels (required columns end with " *"), row 2 (hidden) the
keys of the import line (what is read back), data starts on row 3. A closed list (direction,
funding, award form…) is a dropdown of its words, kept on a hidden sheet `Danh sách`, with Excel's
error message on; upload reads a word (or the code) back as the code, through the same label table
(`domain.labels`) as the forms. Only the workbook takes words: JSON Lines stays codes.

The columns are the kind's schema fields (`service.importing.schemas.SCHEMAS`) without `kind`,
`org` (the department of the page) and `by` (the logged-in user). Nested values:

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

Upload converts every non-empty row into one JSON Lines line and hands the lines to the same
writer as the JSON Lines upload (the import's rules, all or nothing); the import's
`dòng N, trường 'x'` comes back as sheet, row and column letter.

The package: `columns` (labels and the column model of each kind), `template` (the workbook to
fill in), `upload` (a filled workbook read back as import lines), `export` (reports and registers
as workbooks).
"""

from web.spreadsheets.columns import (
    COMMON_LAST,
    FIELD_LABELS,
    FIRST_DATA_ROW,
    HEADER_ROWS,
    HINTS,
    KIND_FIELD_LABELS,
    KIND_LABELS,
    LEFT_OUT,
    XLSX_MIME,
    Column,
    choice_code,
    choice_words,
    columns,
    kind_of_sheet,
    label_of,
    sheet_name,
)
from web.spreadsheets.export import (
    CODE_KEYS,
    INFO_KEYS,
    REPORT_LABELS,
    VALUE_LABELS,
    register_workbook,
    report_label,
    report_workbook,
)
from web.spreadsheets.template import put_row, template
from web.spreadsheets.upload import (
    CellError,
    Conversion,
    Sheet,
    SheetFormatError,
    cell_value,
    convert,
)

__all__ = [
    "CODE_KEYS",
    "COMMON_LAST",
    "FIELD_LABELS",
    "FIRST_DATA_ROW",
    "HEADER_ROWS",
    "HINTS",
    "INFO_KEYS",
    "KIND_FIELD_LABELS",
    "KIND_LABELS",
    "LEFT_OUT",
    "REPORT_LABELS",
    "VALUE_LABELS",
    "XLSX_MIME",
    "CellError",
    "Column",
    "Conversion",
    "Sheet",
    "SheetFormatError",
    "cell_value",
    "choice_code",
    "choice_words",
    "columns",
    "convert",
    "kind_of_sheet",
    "label_of",
    "put_row",
    "register_workbook",
    "report_label",
    "report_workbook",
    "sheet_name",
    "template",
]
