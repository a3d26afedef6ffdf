"""Rendering draft bodies: values from the sources, lines of block tags, escaping of values,
errors with their line, and the sandbox's own refusals even without the check."""

from __future__ import annotations

import copy

import pytest
from jinja2 import UndefinedError
from jinja2.sandbox import SecurityError

from documents import BodyRejectedError, RenderError, parse, render_body, render_document
from documents.filters import FilterError
from documents.markup import Paragraph, Span
from documents.sandbox import environment

FA = {
    "report": "foreign-affairs",
    "org": "ha-tinh",
    "period": {"label": "2022", "window": "nd09", "from": "2021-12-15", "to": "2022-12-14"},
    "notes": {"nhiem_vu_ky_toi": "- Việc một;\n- Việc hai."},
    "outbound": {
        "delegations": 49,
        "people": 275,
        "previous": None,
        "plan": {"items": 8, "done": 5, "rate_percent": 63},
    },
    "inbound": {"delegations": 28, "people": 479, "previous": {"delegations": 15, "people": 179}},
    "conferences": {"count": 21, "previous": 15},
    "activity": {"translation.pages": {"value": None, "detail": None, "previous": 2139}},
}
KT = {
    "report": "key-tasks",
    "period": {"label": "2020", "window": "nd09", "from": "2019-12-15", "to": "2020-12-14"},
    "tasks": [
        {"no": 1, "title": "Hội nghị *APOTC* | 2020", "status": "completed"},
        {"no": 2, "title": "# Không phải tiêu đề", "status": "in_progress"},
        {"no": 3, "title": "Thanh tra đối ngoại", "status": "completed"},
    ],
}


def render(body: str, **sources) -> str:
    return render_body(body, sources or {"fa": FA, "kt": KT})


def test_figures_come_from_the_sources_in_their_written_forms():
    body = (
        "Có {{ fa.outbound.delegations|count }} đoàn với {{ fa.outbound.people|count }} lượt; "
        "thực hiện {{ fa.outbound.plan.done|count }}/{{ fa.outbound.plan.items|count }} "
        "(tỷ lệ {{ fa.outbound.plan.rate_percent|percent }})."
    )
    assert render(body) == "Có 49 đoàn với 275 lượt; thực hiện 05/08 (tỷ lệ 63%)."


def test_a_key_named_like_a_method_is_the_key():
    assert render("{{ fa.outbound.plan.items }}") == "8"


def test_integers_print_plainly_so_years_keep_their_digits():
    assert render("năm {{ (fa.period|year) + 1 }}") == "năm 2023"


def test_the_comparison_is_left_out_when_there_is_no_complete_earlier_window():
    pair = (
        "[fa.{0}.delegations, fa.{0}.people]|compare([fa.{0}.previous.delegations, "
        'fa.{0}.previous.people], ["đoàn", "lượt"], fa.period{1})|wrap(" (", ")")'
    )
    out, inb = pair.format("outbound", ""), pair.format("inbound", ", cung_ky=false")
    body = (
        "Ra {{ fa.outbound.delegations|count }} đoàn{{ " + out + " }}; "
        "vào {{ fa.inbound.delegations|count }} đoàn{{ " + inb + " }}."
    )
    assert render(body) == "Ra 49 đoàn; vào 28 đoàn (tăng 13 đoàn/300 lượt so với năm 2021)."


def test_lines_of_block_tags_vanish_and_a_tag_ending_a_text_line_keeps_the_paragraph_break():
    body = (
        "{% for t in kt.tasks if t.status == 'completed' %}\n"
        "- Nhiệm vụ {{ t.no }}\n"
        "{% endfor %}\n"
        "Tổng: {% if kt.tasks %}có{% endif %}\n"
        "\n"
        "Đoạn sau."
    )
    assert render(body) == "- Nhiệm vụ 1\n- Nhiệm vụ 3\nTổng: có\n\nĐoạn sau."


def test_a_value_never_becomes_markup():
    text = render("{% for t in kt.tasks %}\n{{ t.title }}\n\n{% endfor %}")
    doc = parse(text)
    assert [b.inlines for b in doc.blocks] == [
        (Span("Hội nghị *APOTC* | 2020"),),
        (Span("# Không phải tiêu đề"),),
        (Span("Thanh tra đối ngoại"),),
    ]


def test_the_markup_filter_keeps_a_notes_own_lines():
    doc = render_document("{{ fa.notes.nhiem_vu_ky_toi|markup }}", {"fa": FA})
    assert doc.blocks == (
        Paragraph((Span("Việc một;"),), "-"),
        Paragraph((Span("Việc hai."),), "-"),
    )


def test_a_null_figure_fails_at_its_line_with_the_way_out():
    body = 'Dòng một.\n\nBiên dịch {{ fa.activity["translation.pages"].value|number }} trang.'
    with pytest.raises(RenderError) as caught:
        render(body)
    assert caught.value.line == 3
    assert "chưa được ghi nhận" in caught.value.message


def test_a_null_printed_directly_fails_too():
    with pytest.raises(RenderError) as caught:
        render('\n{{ fa.activity["translation.pages"].value }}')
    assert caught.value.line == 2


def test_a_path_through_null_gives_null():
    assert render("{{ 'không có' if fa.outbound.previous.people is none else 'có' }}") == "không có"


def test_a_missing_note_fails_at_its_line_unless_guarded():
    with pytest.raises(RenderError) as caught:
        render("\n\n{{ fa.notes.danh_gia }}")
    assert caught.value.line == 3
    assert render("{% if fa.notes.danh_gia is defined %}x{% else %}-{% endif %}") == "-"


def test_a_body_the_check_refuses_is_not_rendered():
    with pytest.raises(BodyRejectedError) as caught:
        render("{{ fa.__class__ }}\n{{ range(3) }}")
    assert [e.line for e in caught.value.errors] == [1, 2]


def test_rendering_does_not_change_the_sources():
    before = copy.deepcopy(FA)
    render("{% set x = fa.outbound %}{% for k, v in fa.activity|dictsort %}{{ k }}{% endfor %}")
    assert before == FA


def test_the_same_body_renders_the_same_text():
    body = "{{ fa.conferences.count|compare(fa.conferences.previous, 'hội thảo', fa.period) }}"
    assert render(body) == render(body) == "tăng 06 hội thảo so với cùng kỳ năm 2021"


# --- the sandbox itself, without the check (defence in depth) --------------------------------


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{{ x.__class__ }}", UndefinedError),
        ("{{ x.__class__.__mro__ }}", UndefinedError),
        ('{{ x["__class__"] }}', UndefinedError),
        ("{{ x.upper() }}", SecurityError),
        ("{{ d.items() }}", SecurityError),
        ("{{ d.keys }}", UndefinedError),
        ("{{ l.append(1) }}", SecurityError),
        ("{{ '{0.__class__}'.format(x) }}", SecurityError),
        ("{{ range(3) }}", SecurityError),
        ("{{ range }}", UndefinedError),
        ("{{ lipsum() }}", SecurityError),
        ("{{ cycler }}", UndefinedError),
        ("{{ namespace }}", UndefinedError),
        ("{{ self._TemplateReference__context }}", UndefinedError),
        ("{{ self }}", FilterError),
        ("{{ 9 ** 9 ** 9 }}", SecurityError),
        ("{{ 'a' * 1000000000 }}", SecurityError),
        ("{{ '%s' % x }}", SecurityError),
        ("{{ 7 / 2 }}", SecurityError),
        ("{% for i in l %}{{ loop.cycle(1, 2) }}{% endfor %}", SecurityError),
    ],
)
def test_the_environment_refuses_on_its_own(body, error):
    with pytest.raises(error):
        environment().from_string(body).render(x="abc", d={"a": 1}, l=[1, 2])


def test_the_environment_has_no_globals_and_only_the_listed_filters_and_tests():
    env = environment()
    assert env.globals == {}
    assert "attr" not in env.filters and "format" not in env.filters
    assert "callable" not in env.tests
    assert env.autoescape is False


def test_the_renderer_version_of_an_issue() -> None:
    """ReportIssued's `documents.renderer` names the renderer a reprint must use."""
    from documents.render import RENDERER_VERSION, renderer_id, renderer_of

    assert RENDERER_VERSION == 3  # 3: body lines keep their line ends (issue 14)
    assert renderer_of(renderer_id()) == 3
    assert renderer_of("ngoaivu-render 2; python-docx 1.2.0; weasyprint 70.0") == 2
    assert renderer_of("ngoaivu-render 1; python-docx 1.2.0; weasyprint 70.0") == 1
    assert renderer_of(None) == 1  # issued before versions were recorded
    assert renderer_id(1).startswith("ngoaivu-render 1; python-docx ")
