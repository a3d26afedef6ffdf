"""A composed document as DOCX (python-docx): the letterhead of Nghị định 30/2020, the body's
headings, dash paragraphs, bold and italic, tables in the document's table style, and real Word
footnotes (a footnotes part, `w:footnoteReference`); the digest once, small, at the end."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape as xml_escape

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from documents.layout import body_of
from documents.markup import Footnote, Heading, Inline, NoteRef, Paragraph, Span, Table
from documents.official.document import MOTTO, NATIONAL_TITLE, Document
from documents.official.docx import (
    BODY_PT,
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

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
NOTE_PT = 11


def _number(p: DocxParagraph, number_line: str, size: float) -> None:
    """ "Số: 849/SNgV-VP" that Word never breaks: a no-break space, non-breaking hyphens."""
    head, _, number = number_line.partition(" ")
    _run(p, head + "\u00a0", size=size)
    for i, part in enumerate(number.split("-")):
        if i:
            run = p.add_run()
            run.font.size = Pt(size)
            run._r.append(OxmlElement("w:noBreakHyphen"))
        _run(p, part, size=size)


def _header(docx: object, doc: Document) -> None:
    left, right = LEFT_WIDTH, TEXT_WIDTH - LEFT_WIDTH
    rows = 2 if doc.doc_type is not None else 3
    table = docx.add_table(rows=rows, cols=2)  # type: ignore[attr-defined]
    _fixed(table, [left, right])
    _no_cell_margins(table)
    body, nation = table.cell(0, 0), table.cell(0, 1)
    first = _cell_paragraph(body)
    if doc.organisation.parent:
        _run(first, doc.organisation.parent.upper(), size=13)
        _para(body, doc.organisation.short_name.upper(), size=13, bold=True)
    else:
        _run(first, doc.organisation.short_name.upper(), size=13, bold=True)
    _rule(body, left)
    _run(_cell_paragraph(nation), NATIONAL_TITLE, size=12, bold=True)
    _para(nation, MOTTO, size=13, bold=True, underline=True)
    number = _cell_paragraph(table.cell(1, 0))
    number.paragraph_format.space_before = Pt(6)
    _number(number, doc.number_line, 13)
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
        return
    _para(docx, doc.doc_type, size=14, bold=True, before=18)
    _para(docx, doc.summary_line, size=14, bold=True)
    if doc.meta.get("type") == "bao_cao":  # a short rule under the trích yếu of a báo cáo
        _short_rule(docx, 30)


def _short_rule(docx: object, width_mm: float) -> None:
    p = _para(docx, size=2)
    side = Mm((TEXT_WIDTH - width_mm) / 2)
    p.paragraph_format.left_indent = side
    p.paragraph_format.right_indent = side
    p.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def _superscript(run: object) -> None:
    vert = OxmlElement("w:vertAlign")
    vert.set(qn("w:val"), "superscript")
    run._r.get_or_add_rPr().append(vert)  # type: ignore[attr-defined]


def _inlines(p: DocxParagraph, inlines: tuple[Inline, ...], size: float = BODY_PT) -> None:
    for item in inlines:
        if isinstance(item, Span):
            run = p.add_run(item.text)
            run.font.size = Pt(size)
            run.bold = item.bold or None
            run.italic = item.italic or None
        elif isinstance(item, NoteRef):
            run = p.add_run()
            run.font.size = Pt(size)
            _superscript(run)
            ref = OxmlElement("w:footnoteReference")
            ref.set(qn("w:id"), str(item.number))
            run._r.append(ref)


def _body_paragraph(docx: object, block: Paragraph) -> DocxParagraph:
    p = _para(docx, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=6, indent=True, line=1.2)
    if block.marker:
        _run(p, f"{block.marker} ")
    _inlines(p, block.inlines)
    return p


def _table(docx: object, block: Table) -> list[DocxParagraph]:
    cols = len(block.header)
    table = docx.add_table(rows=1 + len(block.rows), cols=cols)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    _fixed(table, [TEXT_WIDTH / cols] * cols)
    paragraphs = []
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row stays on one page
        if index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # the header row repeats on each page
    for i, cell in enumerate(block.header):
        p = _cell_paragraph(table.cell(0, i))
        for item in cell:
            if isinstance(item, Span):
                run = p.add_run(item.text)
                run.font.size = Pt(12)
                run.bold = True
        paragraphs.append(p)
    for r, row in enumerate(block.rows, 1):
        for c, cell in enumerate(row):
            p = _cell_paragraph(table.cell(r, c))
            p.alignment = ALIGN[block.align[c] if c < len(block.align) else "left"]
            _inlines(p, cell, size=12)
            paragraphs.append(p)
    return paragraphs


def _content(docx: object, doc: Document) -> None:
    last: list[DocxParagraph] = []
    for block in body_of(doc).blocks:
        if isinstance(block, Heading):
            p = _para(docx, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=8, indent=True)
            _inlines(p, tuple(_strong(i, block.level) for i in block.inlines))
            p.paragraph_format.keep_with_next = True
            last = [p]
        elif isinstance(block, Paragraph):
            last = [_body_paragraph(docx, block)]
        elif isinstance(block, Table):
            last = _table(docx, block)
    for p in last:  # the signature stays with the last paragraph (or the last table's rows)
        p.paragraph_format.keep_with_next = True


def _strong(item: Inline, level: int) -> Inline:
    """A heading's runs: bold, and italic too at level 3."""
    if isinstance(item, Span):
        return Span(item.text, bold=True, italic=item.italic or level == 3)
    return item


def _page(docx: object) -> None:
    """A4 portrait, the margins, the page number at the top from page 2; no footer: the digest
    is written once, at the end."""
    section = docx.sections[0]  # type: ignore[attr-defined]
    section.page_width = Mm(PAGE_WIDTH)
    section.page_height = Mm(297)
    section.top_margin = Mm(MARGINS["top"])
    section.bottom_margin = Mm(MARGINS["bottom"])
    section.left_margin = Mm(MARGINS["left"])
    section.right_margin = Mm(MARGINS["right"])
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header)


def _keep_signature(elements: list[object]) -> None:
    """The spacing paragraph before the signature keeps with it; its row never splits."""
    for element in elements:
        if element.tag == qn("w:p"):  # type: ignore[attr-defined]
            ppr = element.get_or_add_pPr()  # type: ignore[attr-defined]
            ppr.insert(0, OxmlElement("w:keepNext"))
        elif element.tag == qn("w:tbl"):  # type: ignore[attr-defined]
            for row in element.iterchildren(qn("w:tr")):  # type: ignore[attr-defined]
                row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _digest(docx: object, doc: Document) -> None:
    for i, line in enumerate(doc.footer):
        p = _para(docx, line, size=7, align=WD_ALIGN_PARAGRAPH.LEFT, before=18 if i == 0 else 0)
        p.paragraph_format.keep_together = True


def _note_xml(note: Footnote) -> str:
    """One footnote: its paragraphs, the first opening with the footnote's number."""
    size = f'<w:sz w:val="{NOTE_PT * 2}"/>'

    def run(text: str, props: str = "") -> str:
        return f'<w:r><w:rPr>{props}{size}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'

    parts = []
    for i, p in enumerate(note.paragraphs):
        runs = []
        if i == 0:
            runs.append(
                f'<w:r><w:rPr>{size}<w:vertAlign w:val="superscript"/></w:rPr>'
                f"<w:footnoteRef/></w:r>{run(' ')}"
            )
        if p.marker:
            runs.append(run(f"{p.marker} "))
        for item in p.inlines:
            if isinstance(item, Span):
                props = ("<w:b/>" if item.bold else "") + ("<w:i/>" if item.italic else "")
                runs.append(run(xml_escape(item.text), props))
        parts.append(
            f'<w:p><w:pPr><w:jc w:val="both"/><w:spacing w:before="0" w:after="0"/>'
            f"<w:rPr>{size}</w:rPr></w:pPr>{''.join(runs)}</w:p>"
        )
    return f'<w:footnote w:id="{note.number}">{"".join(parts)}</w:footnote>'


def _footnotes(docx: object, notes: tuple[Footnote, ...]) -> None:
    """The footnotes part (with Word's separator and continuation notes) and its relationship."""
    if not notes:
        return
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
        "<w:r><w:separator/></w:r></w:p></w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
        '<w:spacing w:after="0"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W}">{separators}{"".join(_note_xml(n) for n in notes)}'
        "</w:footnotes>"
    )
    document_part = docx.part  # type: ignore[attr-defined]
    part = Part(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document_part.package
    )
    document_part.relate_to(part, RT.FOOTNOTES)


def render_composed_docx(doc: Document, *, generator: str) -> bytes:
    """The DOCX bytes of a composed document."""
    docx = new_docx()
    _styles(docx)
    _page(docx)
    body = docx.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _header(docx, doc)
    _addressees(docx, doc)
    _content(docx, doc)
    before = len(body)
    _signature(docx, doc)
    _keep_signature(list(body)[before - 1 :])
    _digest(docx, doc)
    _footnotes(docx, body_of(doc).footnotes)
    _properties(docx, doc, generator)
    raw = io.BytesIO()
    docx.save(raw)
    day = max(doc.day.year, 1980), doc.day.month, doc.day.day
    return repack(raw.getvalue(), day)
