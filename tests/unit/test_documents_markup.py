"""The markup of rendered bodies parsed into blocks: paragraphs, headings, dash paragraphs,
emphasis, footnotes and tables, with the line of every problem."""

from __future__ import annotations

import pytest

from documents.markup import (
    Document,
    Footnote,
    Heading,
    MarkupError,
    NoteRef,
    Paragraph,
    Span,
    Table,
    parse,
    plain_text,
)


def spans(*texts: str) -> tuple[Span, ...]:
    return tuple(Span(t) for t in texts)


def test_a_blank_line_separates_paragraphs_and_lines_join_with_a_space():
    doc = parse("Dòng một\ndòng hai.\n\n\nĐoạn hai.\n")
    assert doc == Document((Paragraph(spans("Dòng một dòng hai.")), Paragraph(spans("Đoạn hai."))))


def test_headings_of_three_levels():
    doc = parse("# I. KẾT QUẢ\n## 1. Đoàn ra\n### a) Theo kế hoạch\nNội dung.")
    assert doc.blocks == (
        Heading(1, spans("I. KẾT QUẢ")),
        Heading(2, spans("1. Đoàn ra")),
        Heading(3, spans("a) Theo kế hoạch")),
        Paragraph(spans("Nội dung.")),
    )


def test_a_fourth_level_is_refused_at_its_line():
    with pytest.raises(MarkupError) as caught:
        parse("Đoạn.\n\n#### Quá sâu")
    assert caught.value.line == 3


def test_a_hash_without_a_space_is_text():
    assert parse("#1 trong tỉnh").blocks == (Paragraph(spans("#1 trong tỉnh")),)


def test_dash_and_plus_paragraphs_each_start_a_block():
    doc = parse("Gồm:\n- Việc một;\n- Việc hai\ntiếp dòng.\n+ Theo kế hoạch của tỉnh")
    assert doc.blocks == (
        Paragraph(spans("Gồm:")),
        Paragraph(spans("Việc một;"), "-"),
        Paragraph(spans("Việc hai tiếp dòng."), "-"),
        Paragraph(spans("Theo kế hoạch của tỉnh"), "+"),
    )


def test_bold_and_italic_inside_a_paragraph():
    doc = parse("Chủ đề **“Chủ động, *sáng tạo*”** năm 2021.")
    assert doc.blocks[0].inlines == (
        Span("Chủ đề "),
        Span("“Chủ động, ", bold=True),
        Span("sáng tạo", bold=True, italic=True),
        Span("”", bold=True),
        Span(" năm 2021."),
    )


def test_unclosed_emphasis_is_refused_naming_the_escape():
    with pytest.raises(MarkupError, match=r"\\\*") as caught:
        parse("A\n\nCông ty A* và B")
    assert caught.value.line == 3


def test_a_backslash_makes_markup_characters_literal():
    doc = parse("\\# Không phải tiêu đề \\*x\\* \\| \\[^1\\] \\\\")
    assert doc.blocks == (Paragraph(spans("# Không phải tiêu đề *x* | [^1] \\")),)
    assert parse("\\- không phải gạch đầu dòng").blocks[0].marker is None


def test_footnotes_are_numbered_by_first_reference_and_kept_apart():
    text = (
        "Đoàn ra: 04 đoàn[^ra].\n\n"
        "[^ra]: + Theo kế hoạch của tỉnh: 03 đoàn;\n"
        "  + Theo kế hoạch của Bộ, ngành: 01 viên chức.\n\n"
        "Đoàn vào: 44 đoàn[^vao], lại nhắc[^ra].\n\n"
        "[^vao]: Theo lời mời của tỉnh.\n"
    )
    doc = parse(text)
    assert doc.blocks == (
        Paragraph((Span("Đoàn ra: 04 đoàn"), NoteRef(1), Span("."))),
        Paragraph(
            (Span("Đoàn vào: 44 đoàn"), NoteRef(2), Span(", lại nhắc"), NoteRef(1), Span("."))
        ),
    )
    assert doc.footnotes == (
        Footnote(
            1,
            (
                Paragraph(spans("Theo kế hoạch của tỉnh: 03 đoàn;"), "+"),
                Paragraph(spans("Theo kế hoạch của Bộ, ngành: 01 viên chức."), "+"),
            ),
        ),
        Footnote(2, (Paragraph(spans("Theo lời mời của tỉnh.")),)),
    )


def test_a_definition_ends_the_paragraph_before_it():
    doc = parse("Một[^a]\n[^a]: chú thích\nHai")
    assert [b.inlines[0].text for b in doc.blocks] == ["Một", "Hai"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Dòng\n\nXem[^x].", 3, "chưa được định nghĩa"),
        ("Dòng[^a]\n\n[^a]: một\n[^b]: hai", 4, "không được dẫn"),
        ("A[^a]\n[^a]: một\n[^a]: hai", 3, "hai lần"),
        ("A[^a]\n[^a]: xem[^b]\n[^b]: b", 2, "bên trong một chú thích"),
    ],
)
def test_footnote_problems_name_their_line(text, line, words):
    with pytest.raises(MarkupError, match=words) as caught:
        parse(text)
    assert caught.value.line == line


def test_a_table_with_its_rule_and_alignments():
    text = (
        "| Số TT | Nhiệm vụ | Kết quả |\n|:---:|---|---:|\n"
        "| 1 | Hội nghị **A** | xong |\n| 2 | B \\| C | |"
    )
    doc = parse("Bảng:\n" + text + "\nSau bảng.")
    assert doc.blocks == (
        Paragraph(spans("Bảng:")),
        Table(
            header=(spans("Số TT"), spans("Nhiệm vụ"), spans("Kết quả")),
            rows=(
                (spans("1"), (Span("Hội nghị "), Span("A", bold=True)), spans("xong")),
                (spans("2"), spans("B | C"), ()),
            ),
            align=("center", "left", "right"),
        ),
        Paragraph(spans("Sau bảng.")),
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("| a | b |", 1),
        ("| a | b |\n| x | y |", 2),
        ("| a | b |\n|---|---|\n| 1 | 2 | 3 |", 3),
    ],
)
def test_table_problems_name_their_line(text, line):
    with pytest.raises(MarkupError) as caught:
        parse(text)
    assert caught.value.line == line


def test_plain_text_puts_each_footnote_after_the_block_that_first_refers_to_it():
    doc = parse("A[^1] b.\n\nC.\n\n[^1]: Chú thích.\n\n| x | y |\n|---|---|\n| 1 | 2 |")
    assert plain_text(doc) == "A b.\n\nChú thích.\n\nC.\n\nx | y | 1 | 2"


def test_windows_line_ends_are_lines():
    assert len(parse("A\r\n\r\nB").blocks) == 2
