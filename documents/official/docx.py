"""The DOCX pieces of Nghị định 30/2020 Phụ lục I that every DOCX writer shares (the engine's,
documents.render_docx, and the frozen version 1's): Times New Roman paragraphs and runs, fixed
tables, the rule under the issuing body, page fields, "Kính gửi", the signature block, styles,
core properties, and the zip written again with fixed times and attributes.

Reproducible bytes: the core properties' dates are the signing day, the zip entries carry that day
as their time and fixed attributes, and python-docx writes no random identifiers for what is used
here (no images, no comments). A change here changes issued documents' bytes.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, time

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from documents.official.document import (
    Document,
)
from documents.official.html import LEFT_WIDTH, TEXT_WIDTH
from domain.times import VN

FONT = "Times New Roman"
BODY_PT = 14
INDENT = Mm(10)


def _fonts(element: object, name: str = FONT) -> None:
    """Name the font for every script (ASCII, high ANSI, East Asian, complex)."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _para(
    container: object,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    indent: bool = False,
    line: float | None = None,
) -> DocxParagraph:
    p: DocxParagraph = container.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = INDENT
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        run.italic = italic or None
        run.underline = underline or None
    return p


def _run(p: DocxParagraph, text: str, *, size: float = BODY_PT, bold: bool = False) -> None:
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None


def _cell_paragraph(cell: object) -> DocxParagraph:
    """The cell's first (empty) paragraph, formatted like the others."""
    p: DocxParagraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _fixed(table: DocxTable, widths_mm: list[float]) -> None:
    """A fixed-layout table with these column widths."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    for row in table.rows:
        for cell, mm in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(mm)
    for col, mm in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(mm)


def _no_cell_margins(table: DocxTable) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _rule(cell: object, width_mm: float) -> None:
    """A short centred line under the issuing body (1/3 of the column)."""
    p = _para(cell, size=2)
    side = Mm((width_mm - width_mm / 3) / 2)
    p.paragraph_format.left_indent = side
    p.paragraph_format.right_indent = side
    p.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def _page_field(p: DocxParagraph) -> None:
    """A PAGE field (the page number)."""
    run = p.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2")):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text or ""
            run._r.append(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _addressees(docx: object, doc: Document) -> None:
    if not doc.addressees:
        return
    if len(doc.addressees) == 1:
        _para(docx, f"Kính gửi: {doc.addressees[0]}.", before=12, after=6)
        return
    p = _para(docx, "Kính gửi:", before=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    p.paragraph_format.left_indent = Mm(30)
    for line in doc.addressee_lines:
        p = _para(docx, line, align=WD_ALIGN_PARAGRAPH.LEFT)
        p.paragraph_format.left_indent = Mm(45)


def _signature(docx: object, doc: Document) -> None:
    _para(docx, size=6)
    table = docx.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _fixed(table, [LEFT_WIDTH, TEXT_WIDTH - LEFT_WIDTH])
    _no_cell_margins(table)
    recipients, signer = table.cell(0, 0), table.cell(0, 1)
    label = _cell_paragraph(recipients)
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = label.add_run("Nơi nhận:")
    run.font.size = Pt(12)
    run.bold = True
    run.italic = True
    for line in doc.recipient_lines:
        _para(recipients, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    lines = doc.signer.lines()
    first = _cell_paragraph(signer)
    if lines:
        _run(first, lines[0], bold=True)
        for line in lines[1:]:
            _para(signer, line, bold=True)
    for _ in range(4):
        _para(signer)
    if doc.signer.name:
        _para(signer, doc.signer.name, bold=True)


def _styles(docx: object) -> None:
    normal = docx.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    defaults = docx.styles.element.find(qn("w:docDefaults"))  # type: ignore[attr-defined]
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)
    for name in ("Header", "Footer"):
        try:
            style = docx.styles[name]  # type: ignore[attr-defined]
        except KeyError:
            continue
        _fonts(style.element)


def _properties(docx: object, doc: Document, generator: str) -> None:
    moment = datetime.combine(doc.day, time(0, 0), tzinfo=VN).astimezone(UTC).replace(tzinfo=None)
    props = docx.core_properties  # type: ignore[attr-defined]
    props.title = doc.title
    props.subject = doc.summary_line
    props.author = doc.organisation.name
    props.last_modified_by = doc.organisation.name
    props.comments = generator
    props.keywords = ""
    props.category = "Báo cáo"
    props.revision = 1
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.language = "vi-VN"


def repack(data: bytes, when: tuple[int, int, int]) -> bytes:
    """The same zip with fixed entry times (the signing day), attributes and compression."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(*when, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(item.filename), compresslevel=9)
    return out.getvalue()
