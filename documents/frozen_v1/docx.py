"""Frozen: the DOCX of version 1 (python-docx), the layout of Nghị định 30/2020 Phụ lục I with the
digest and chain head in a small footer line. Used only to reprint reports issued with renderer
version 1; its page, styles and zip bytes are documents.official.docx's, shared with the engine."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents.official.document import (
    MOTTO,
    NATIONAL_TITLE,
    Bullet,
    Document,
    Heading,
    Paragraph,
    Table,
)
from documents.official.docx import (
    _addressees,
    _cell_paragraph,
    _fixed,
    _no_cell_margins,
    _page_field,
    _para,
    _properties,
    _rule,
    _run,
    _signature,
    _styles,
    repack,
)
from documents.official.html import LEFT_WIDTH, MARGINS, PAGE_WIDTH, TEXT_WIDTH
from documents.official.vietnamese import place_and_date


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
