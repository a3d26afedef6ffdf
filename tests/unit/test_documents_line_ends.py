"""Line ends of draft bodies (issue 14): a line that produces text keeps its line end, even when it
starts and ends with a tag; a line of block tags alone, or a line that produces nothing, leaves
no line. Issues rendered with renderer version 2 or older keep that version's rule on reprint."""

from __future__ import annotations

import pytest

from documents import RenderError, parse, render_body
from documents.markup import Paragraph, Table
from documents.render import RENDERER_VERSION

FA = {
    "report": "foreign-affairs",
    "period": {"label": "2022", "window": "nd09", "from": "2021-12-15", "to": "2022-12-14"},
    "notes": {"danh_gia": "Hoàn thành tốt."},
    "outbound": {"delegations": 49, "people": 275, "previous": None},
    "conferences": {"count": 21, "previous": 15},
}
KT = {
    "report": "key-tasks",
    "period": {"label": "2020", "window": "nd09", "from": "2019-12-15", "to": "2020-12-14"},
    "tasks": [
        {"no": 1, "title": "Hội nghị APOTC", "status": "completed"},
        {"no": 2, "title": "Thanh tra đối ngoại", "status": "in_progress"},
        {"no": 3, "title": "Xúc tiến đầu tư", "status": "completed"},
    ],
}
SOURCES = {"fa": FA, "kt": KT}


def render(body: str, renderer: int = RENDERER_VERSION) -> str:
    return render_body(body, SOURCES, renderer=renderer)


def paragraphs(text: str) -> list[str]:
    doc = parse(text)
    assert all(isinstance(b, Paragraph) for b in doc.blocks)
    return ["".join(s.text for s in b.inlines) for b in doc.blocks]  # type: ignore[union-attr]


IF_ELSE = (
    "Mở đầu.\n"
    "\n"
    "{% if fa.conferences.count > 20 %}Nhiều hội thảo.{% else %}Ít hội thảo.{% endif %}\n"
    "\n"
    "Đoạn sau."
)


def test_an_inline_if_else_line_keeps_its_line_end_so_the_next_paragraph_stays_apart():
    text = render(IF_ELSE)
    assert text == "Mở đầu.\n\nNhiều hội thảo.\n\nĐoạn sau."
    assert paragraphs(text) == ["Mở đầu.", "Nhiều hội thảo.", "Đoạn sau."]


def test_the_else_branch_keeps_its_line_end_too():
    text = render(IF_ELSE.replace("> 20", "> 30"))
    assert paragraphs(text) == ["Mở đầu.", "Ít hội thảo.", "Đoạn sau."]


def test_an_inline_for_producing_text_keeps_its_line_end():
    body = (
        "{% for t in kt.tasks %}{{ t.no }}{{ ', ' if not loop.last else '' }}{% endfor %}\n\nHết."
    )
    assert render(body) == "1, 2, 3\n\nHết."


def test_lines_of_block_tags_alone_leave_no_line():
    body = (
        "{% set out = fa.outbound %}{# ghi chú của văn phòng #}\n"
        "{% for t in kt.tasks if t.status == 'completed' %}\n"
        "- Nhiệm vụ {{ t.no }}\n"
        "{% endfor %}\n"
        "  {% if out.delegations %}\n"
        "Có đoàn ra.\n"
        "{% endif %}\n"
        "Hết."
    )
    assert render(body) == "- Nhiệm vụ 1\n- Nhiệm vụ 3\nCó đoàn ra.\nHết."


def test_nested_tags_on_one_line_keep_its_line_end():
    body = (
        "{% if fa.outbound.delegations %}{% for t in kt.tasks %}"
        '{% if t.status == "completed" %}[{{ t.no }}]{% endif %}{% endfor %}{% endif %}\n'
        "Hết."
    )
    assert render(body) == "[1][3]\nHết."


def test_a_string_holding_a_tag_end_does_not_end_the_tag():
    body = '{% if "%}" not in fa.notes.danh_gia %}\nKhông có ký hiệu.\n{% endif %}\nHết.'
    assert render(body) == "Không có ký hiệu.\nHết."


def test_a_line_ending_with_a_comment_keeps_its_line_end():
    assert render("Đoạn một. {# xem lại #}\nĐoạn một, tiếp.") == "Đoạn một. \nĐoạn một, tiếp."


def test_a_tagged_line_that_produces_nothing_leaves_no_line_inside_a_paragraph_or_a_table():
    body = (
        "Dòng một\n"
        "{% if fa.outbound.delegations > 100 %}dòng hai{% endif %}\n"
        "dòng ba.\n"
        "\n"
        "| Số | Tên |\n"
        "|---|---|\n"
        "{% if fa.outbound.delegations > 100 %}| 1 | Nhiều |{% endif %}\n"
        "{% if fa.outbound.delegations %}| 2 | Có |{% endif %}\n"
        "| 3 | Ba |"
    )
    text = render(body)
    assert text == "Dòng một\ndòng ba.\n\n| Số | Tên |\n|---|---|\n| 2 | Có |\n| 3 | Ba |"
    blocks = parse(text).blocks
    assert isinstance(blocks[1], Table) and len(blocks[1].rows) == 2


def test_a_tag_ending_a_line_of_text_still_ends_a_paragraph():
    body = "Tổng: {% if kt.tasks %}có{% endif %}\n\nĐoạn sau."
    assert render(body) == "Tổng: có\n\nĐoạn sau."


def test_the_line_of_an_error_is_the_bodys_line():
    body = "{% if fa.conferences.count %}Có.{% endif %}\n\n{{ fa.outbound.previous.people }}"
    with pytest.raises(RenderError) as caught:
        render(body)
    assert caught.value.line == 3


@pytest.mark.parametrize("renderer", [1, 2])
def test_issues_of_renderer_2_and_older_reprint_with_their_own_rule(renderer: int):
    """The version-2 rule (documents.sandbox.KeepLineEndsV2): a line starting and ending with a
    tag lost its line end. Kept so a document issued then renders the same words again."""
    assert render(IF_ELSE, renderer) == "Mở đầu.\n\nNhiều hội thảo.\nĐoạn sau."
    assert render("Tổng: {% if kt.tasks %}có{% endif %}\n\nSau.", renderer) == "Tổng: có\n\nSau."
    other = IF_ELSE.replace("> 20", "> 30")
    assert render(other, renderer) == "Mở đầu.\n\nÍt hội thảo.\nĐoạn sau."
    assert render(other, renderer) != render(other)


def test_the_fix_came_with_a_new_renderer_version():
    assert RENDERER_VERSION >= 3
