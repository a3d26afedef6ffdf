"""The document as DOCX (python-docx), in the layout of Nghị định 30/2020 Phụ lục I.

A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the header as a
borderless two-column table (issuing body | Quốc hiệu and Tiêu ngữ; number | place and date;
V/v for a công văn); the page number centred at the top from page 2; the digest and chain head in
a small footer line.

Reproducible bytes: the core properties' dates are the signing day, the zip entries carry that day
as their time and fixed attributes, and python-docx writes no random identifiers for what is used
here (no images, no comments).

Over 300 lines as one module: python-docx's layout of one document (header table, body,
signature, page fields, fixed zip bytes); every piece writes into the same document object.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, time

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from documents.official.document import (
    MOTTO,
    NATIONAL_TITLE,
    Bullet,
    Document,
    Heading,
    Paragraph,
    Table,
)
from documents.official.html import LEFT_WIDTH, MARGINS, PAGE_WIDTH, TEXT_WIDTH
from documents.official.vietnamese import place_and_date
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


def _header_block(docx: object, doc: Document) -> None:
    left, right = LEFT_WIDTH, TEXT_WIDTH - LEFT_WIDTH
    rows = 2 if doc.doc_type is not None else 3
    table = docx.add_table(rows=rows, cols=2)  # type: ignore[attr-defined]
    _fixed(table, [left, right])
    _no_cell_margins(table)
    body, nation = table.cell(0, 0), table.cell(0, 1)
    first = _cell_paragraph(body)
    if doc.organisation.parent:
        _run(first, doc.organisation.parent.upper(), size=13)
        p = _para(body, doc.organisation.short_name.upper(), size=13, bold=True)
    else:
        _run(first, doc.organisation.short_name.upper(), size=13, bold=True)
    _rule(body, left)
    _run(_cell_paragraph(nation), NATIONAL_TITLE, size=12, bold=True)
    p = _para(nation, MOTTO, size=13, bold=True, underline=True)
    number = _cell_paragraph(table.cell(1, 0))
    number.paragraph_format.space_before = Pt(6)
    _run(number, doc.number_line, size=13)
    date = _cell_paragraph(table.cell(1, 1))
    date.paragraph_format.space_before = Pt(6)
    run = date.add_run(place_and_date(doc.organisation.place, doc.day))
    run.font.size = Pt(14)
    run.italic = True
    if doc.draft:
        _para(table.cell(1, 1), "(Dự thảo)", size=11, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if doc.doc_type is None:
        vv = _cell_paragraph(table.cell(2, 0))
        vv.paragraph_format.space_before = Pt(3)
        _run(vv, doc.summary_line, size=12)
    else:
        _para(docx, doc.doc_type, size=14, bold=True, before=18)
        p = _para(docx, doc.summary_line, size=14, bold=True)
    del p


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


def _grid(docx: object, block: Table) -> None:
    if block.caption:
        _para(docx, block.caption, bold=True, before=10)
    table = docx.add_table(rows=1 + len(block.rows), cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    total = sum(block.widths)
    _fixed(table, [TEXT_WIDTH * w / total for w in block.widths])
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row stays on one page
        if index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # the header row repeats on each page
    for i, text in enumerate(block.header):
        p = _cell_paragraph(table.cell(0, i))
        _run(p, text, size=11, bold=True)
    for r, row in enumerate(block.rows, 1):
        for c, text in enumerate(row):
            p = _cell_paragraph(table.cell(r, c))
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _run(p, text, size=11)


def _content(docx: object, doc: Document) -> None:
    for block in doc.blocks:
        if isinstance(block, Heading):
            _para(
                docx,
                block.text,
                bold=True,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                before=8 if block.level == 1 else 6,
                indent=True,
            )
        elif isinstance(block, Paragraph):
            p = _para(docx, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6, indent=True, line=1.2)
            if block.lead:
                _run(p, block.lead + (" " if block.text else ""), bold=True)
            if block.text:
                _run(p, block.text)
        elif isinstance(block, Bullet):
            _para(
                docx,
                f"- {block.text}",
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                before=6,
                indent=True,
                line=1.2,
            )
        elif isinstance(block, Table):
            _grid(docx, block)


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


def _page(docx: object, doc: Document) -> None:
    section = docx.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH)
    section.page_height = Mm(297)
    section.top_margin = Mm(MARGINS["top"])
    section.bottom_margin = Mm(MARGINS["bottom"])
    section.left_margin = Mm(MARGINS["left"])
    section.right_margin = Mm(MARGINS["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(8)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header)
    for footer in (section.footer, section.first_page_footer):
        first = footer.paragraphs[0]
        for i, line in enumerate(doc.footer):
            p = first if i == 0 else footer.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.space_before = Pt(0)
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run(line)
            run.font.size = Pt(7)


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


def render_docx(doc: Document, *, generator: str) -> bytes:
    """The DOCX bytes of the document."""
    docx = new_docx()
    _styles(docx)
    _page(docx, doc)
    body = docx.element.body
    # The template's body starts empty but for the section properties: start writing there.
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _header_block(docx, doc)
    _addressees(docx, doc)
    _content(docx, doc)
    _signature(docx, doc)
    _properties(docx, doc, generator)
    raw = io.BytesIO()
    docx.save(raw)
    day = max(doc.day.year, 1980), doc.day.month, doc.day.day
    return repack(raw.getvalue(), day)
