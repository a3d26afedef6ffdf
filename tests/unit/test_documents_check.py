"""The import check of draft bodies: names, paths, loops, and every escape the Jinja2 sandbox
documentation lists (unsafe attributes and callables, mutation, operators, globals, blocks)."""

from __future__ import annotations

import pytest

from documents import check_body
from documents.planned import PLANNED

FA = {"fa": "foreign-affairs"}
KT = {"kt": "key-tasks"}
ALL = {"fa": "foreign-affairs", "kt": "key-tasks", "ut": "assigned-tasks", "em": "emulation"}


def messages(body: str, sources: dict[str, str] = ALL, planned=None) -> list[str]:
    return [str(e) for e in check_body(body, sources, planned)]


def one(body: str, sources: dict[str, str] = ALL) -> str:
    found = messages(body, sources)
    assert len(found) == 1, found
    return found[0]


# --- what is allowed -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Có {{ fa.outbound.delegations|count }} đoàn/{{ fa.outbound.people|count }} lượt.",
        '{{ fa.activity["translation.pages"].value|number }} trang',
        '{{ fa.outbound["delegations"] }} {{ fa["outbound"]["people"] }}',
        '{{ fa.outbound.plan.items }} {{ fa.outbound.plan["items"] }}',
        "{% for t in kt.tasks %}{{ t.no }}. {{ t.title }} ({{ t.status|label('status') }})"
        "{% endfor %}",
        "{% for t in kt.tasks if t.status == 'completed' %}{{ loop.index }}{{ loop.length }}"
        "{% if not loop.last %}, {% endif %}{% else %}không có{% endfor %}",
        "{% for code, m in fa.activity|dictsort %}{{ code }}: {{ m.value }}{% endfor %}",
        "{% for code in fa.activity %}{{ fa.activity[code].value }}{% endfor %}",
        "{% for level, n in fa.agreements.by_level|dictsort %}{{ level|label('level') }} {{ n }}"
        "{% endfor %}",
        '{{ kt.tasks|selectattr("status", "equalto", "completed")|map(attribute="no")'
        '|join(", ") }}',
        '{{ em.awards|selectattr("recipient.type", "equalto", "individual")|list|length }}',
        "{{ kt.tasks[0].title }} {{ (kt.tasks|first).no }} {{ kt.tasks[1:]|length }}",
        "{% set n = fa.outbound.plan.items - fa.outbound.plan.done %}{{ n|count }}",
        "{{ fa.conferences.count|compare(fa.conferences.previous, 'hội thảo', fa.period) }}",
        "{{ [fa.outbound.delegations, fa.outbound.people]|compare([fa.outbound.previous."
        'delegations, fa.outbound.previous.people], ["đoàn", "lượt"], fa.period)'
        '|wrap(" (", ")") }}',
        "{{ fa.aid.committed_usd|money(round=100000, unit='triệu') }}",
        "{{ ut.tasks|table('no:Số TT', 'title:Nhiệm vụ', 'outcome|outcome:Kết quả') }}",
        "{% if fa.notes.danh_gia is defined %}{{ fa.notes.danh_gia|markup }}{% endif %}",
        "{{ fa.period|period(shift=1)|upper }} năm {{ (fa.period|year) + 1 }}",
        "{# a comment #}{% raw %}{{ literal }}{% endraw %}",
        "{{ em.movements[0].phases[0]['from']|date('long') }} {{ fa.org ~ '/' ~ fa.as_of }}",
        "{{ 'có' if fa.outbound.delegations > 0 else 'không' }}",
    ],
)
def test_a_body_over_the_sources_values_passes(body):
    assert messages(body) == []


# --- names and paths ---------------------------------------------------------------------------


def test_a_body_that_does_not_parse_is_refused_with_its_line():
    found = check_body("Dòng 1\nDòng 2\n{{ fa.outbound.delegations + }}", FA)
    assert [e.line for e in found] == [3]
    assert found[0].message.startswith("cú pháp Jinja sai")


def test_an_unclosed_block_is_refused_at_the_line_that_opens_it():
    found = check_body("Dòng 1\nDòng 2 {% if fa.outbound.delegations %}\nkhông đóng", FA)
    assert [e.line for e in found] == [2]
    assert "'if'" in found[0].message


def test_an_unknown_name_is_refused_naming_the_sources():
    assert one("Dòng 1\n{{ fb.outbound.delegations }}", FA) == (
        "dòng 2: tên “fb” không phải một nguồn (fa) hay biến của vòng lặp"
    )


def test_an_unknown_key_names_the_path_the_kind_and_the_keys_there():
    message = one("{{ fa.outbound.delegation }}", FA)
    assert message.startswith("dòng 1: “fa.outbound.delegation” không có trong báo cáo foreign")
    assert "không có khóa “delegation” (có: delegations, people," in message


def test_an_unknown_metric_code_is_refused_and_the_codes_listed():
    message = one('{{ fa.activity["translation.page"].value }}', FA)
    assert "“translation.page”" in message and "translation.pages" in message


def test_a_dotted_code_cannot_be_reached_as_attributes():
    assert "không có khóa “translation”" in one("{{ fa.activity.translation.pages.value }}", FA)


def test_paths_through_list_items_are_checked():
    assert "không có khóa “number”" in one("{% for t in kt.tasks %}{{ t.number }}{% endfor %}", KT)
    assert "một danh sách không có khóa “title”" in one("{{ kt.tasks.title }}", KT)


def test_paths_inside_filter_arguments_are_checked():
    assert "không có khóa “state”" in one('{{ kt.tasks|selectattr("state")|list|length }}', KT)
    assert "không có khóa “nr”" in one('{{ kt.tasks|map(attribute="nr")|join(", ") }}', KT)
    assert "không có khóa “titel”" in one('{{ kt.tasks|table("no:Số", "titel:Tên") }}', KT)


def test_a_value_has_no_keys():
    assert "là một giá trị (int)" in one("{{ fa.outbound.people.total }}", FA)


def test_loop_variables_live_only_inside_their_loop():
    found = messages("{% for t in kt.tasks %}{{ t.no }}{% endfor %}{{ t.no }}", KT)
    assert len(found) == 1 and "tên “t”" in found[0]


def test_a_set_inside_a_loop_or_branch_stays_there_a_set_outside_lives_on():
    assert messages("{% set d = fa.outbound.delegations %}{{ d }}", FA) == []
    body = "{% for t in kt.tasks %}{% set n = t.no %}{% endfor %}{{ n }}"
    assert "tên “n”" in one(body, KT)
    body = "{% if kt.tasks %}{% set n = 1 %}{% endif %}{{ n }}"
    assert "tên “n”" in one(body, KT)


def test_sources_and_loop_cannot_be_rebound():
    assert "không được đặt lại tên “fa”" in one("{% set fa = 1 %}", FA)
    assert "“loop”" in one("{% for loop in kt.tasks %}{% endfor %}", KT)


def test_loop_has_only_its_counters():
    assert "loop chỉ có index" in one("{% for t in kt.tasks %}{{ loop.previtem }}{% endfor %}", KT)


def test_blocks_and_yes_no_values_are_not_printed():
    assert "là một khối" in one("{{ fa.outbound }}", FA)
    assert "là một khối" in one("{{ kt.tasks }}", KT)
    assert "đúng/sai" in one("{{ em.awards[0].irregular }}", {"em": "emulation"})


def test_a_filter_gets_the_kind_of_value_it_writes():
    assert "|count: “fa.org” là str, cần int" in one("{{ fa.org|count }}", FA)
    assert "|label" in one("{{ kt.tasks[0].status|label('form') }}", KT)
    assert "triệu" in one("{{ fa.aid.committed_usd|money(unit='trieu') }}", FA)
    assert "|date" in one("{{ fa.aid.committed_usd|date }}", FA)


def test_every_error_is_reported_each_on_its_line():
    found = check_body("{{ a }}\n{{ fa.x }}\n\n{{ fa.y }}", FA)
    assert [e.line for e in found] == [1, 2, 4]


def test_sources_must_be_known_kinds_with_plain_names():
    found = check_body("x", {"fa": "foreign-affair", "_p": "key-tasks"})
    assert len(found) == 2 and all(e.line == 0 for e in found)
    assert "“foreign-affair” không có" in str(found[0])


# --- the escapes the sandbox documentation lists, each refused at import ---------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # unsafe and internal attributes, by attribute or by subscript
        ("{{ fa.__class__ }}", "riêng hay nội bộ"),
        ('{{ fa["__class__"] }}', "riêng hay nội bộ"),
        ("{{ fa.outbound.__dict__ }}", "riêng hay nội bộ"),
        ("{{ fa._private }}", "riêng hay nội bộ"),
        ('{{ kt.tasks|map(attribute="__class__")|join }}', "riêng hay nội bộ"),
        # calls: methods, str.format, the mutating methods of lists and dicts
        ("{{ fa.org.upper() }}", "không được gọi"),
        ("{{ '{0.__class__}'.format(fa) }}", "không được gọi"),
        ("{{ kt.tasks.append(1) }}", "không được gọi"),
        ("{{ fa.activity.items() }}", "không được gọi"),
        ("{% for t in kt.tasks %}{{ loop.cycle('a', 'b') }}{% endfor %}", "không được gọi"),
        ("{% for t in kt.tasks recursive %}{{ loop(t) }}{% endfor %}", "đệ quy"),
        # the globals and the context's special names
        ("{{ range(100000)|list|length }}", "không được gọi"),
        ("{{ lipsum }}", "tên “lipsum”"),
        ("{{ cycler }}", "tên “cycler”"),
        ("{{ joiner }}", "tên “joiner”"),
        ("{% set ns = namespace(a=1) %}", "không được gọi"),
        ("{% set ns.a = 1 %}", "namespace"),
        ("{{ self }}", "tên “self”"),
        ("{{ config }}", "tên “config”"),
        ("{{ request }}", "tên “request”"),
        ("{{ varargs }}", "tên “varargs”"),
        ("{{ dict }}", "tên “dict”"),
        # operators that do unbounded work or format strings
        ("{{ 9 ** 9 ** 9 }}", "phép toán **"),
        ("{{ 'a' * 100000000 }}", "phép toán *"),
        ("{{ '%s' % fa }}", "phép toán %"),
        ("{{ fa.outbound.people / 2 }}", "phép toán /"),
        ("{{ fa.outbound.people // 2 }}", "phép toán //"),
        ("{{ fa.org + 1 }}", "không phải một số nguyên"),
        ("{{ {'a': 1} }}", "từ điển"),
        ("{{ 1.5 }}", "hằng 1.5"),
        # filters and tests outside the whitelist
        ('{{ fa|attr("__class__") }}', "bộ lọc “attr”"),
        ('{{ "%s"|format(fa) }}', "bộ lọc “format”"),
        ("{{ fa.org|safe }}", "bộ lọc “safe”"),
        ("{{ fa|pprint }}", "bộ lọc “pprint”"),
        ("{{ fa|tojson }}", "bộ lọc “tojson”"),
        ('{{ kt.tasks|map("upper")|join }}', "map(attribute"),
        ('{{ kt.tasks|selectattr("no", "callable")|list|length }}', "callable"),
        ("{% if fa is callable %}x{% endif %}", "phép thử “callable”"),
        ("{{ fa.org|upper(*x) }}", "*args"),
        # statements other than if, for, set
        ("{% macro m() %}x{% endmacro %}", "{% macro %}"),
        ("{% call foo() %}x{% endcall %}", "{% call %}"),
        ("{% filter upper %}x{% endfilter %}", "{% filter %}"),
        ("{% with a = 1 %}{{ a }}{% endwith %}", "{% with %}"),
        ("{% block b %}x{% endblock %}", "{% block %}"),
        ('{% extends "base.html" %}', "{% extends %}"),
        ('{% include "x.html" %}', "{% include %}"),
        ('{% import "x.html" as x %}', "{% import %}"),
        ('{% from "x.html" import y %}', "{% from … import %}"),
        ("{% set x %}text{% endset %}", "{% set %}…{% endset %}"),
        ("{% autoescape true %}x{% endautoescape %}", "{% autoescape %}"),
        ("{% do kt.tasks.append(1) %}", "cú pháp"),
        ("{% for t in kt.tasks %}{% break %}{% endfor %}", "cú pháp"),
    ],
)
def test_each_escape_is_refused(body, expected):
    found = messages(body)
    assert found, body
    assert any(expected in m for m in found), found


# --- planned keys and the seed drafts -------------------------------------------------------


def test_a_planned_key_passes_only_with_the_planned_shapes():
    from documents.shapes import INT, obj

    planned = {"foreign-affairs": obj({"activity": obj({"x.planned": obj({"value": INT})})})}
    body = '{{ fa.activity["x.planned"].value|count }}'
    assert "x.planned" in one(body, FA)
    assert messages(body, FA, planned) == []


def test_the_seed_keys_of_issue_14_are_real_now():
    """documents/SEED_FIGURES.md "Changes": every key it asked for is in a report's shape."""
    body = (
        '{{ fa.activity["ngo.registrations"].value|count }} {{ fa.inbound.missions.people }}'
        " {{ fa.support.given.amount_vnd }} {{ fa.outbound.province_plan.delegations }}"
        " {{ kt.adopted.ref }}{% for t in kt.tasks %}{{ t.status_on }}"
        "{% if t.no_inferred %}x{% endif %}{% endfor %}"
        "{% for u in ut.tasks %}{{ u.ref }}{% endfor %}"
    )
    assert messages(body) == []
    assert PLANNED == {}


# --- the filters of the standard documents (issue 14 item 3) -----------------------------------


def test_the_standard_documents_filters_pass_on_their_paths():
    body = (
        '{{ fa.outbound.by_funding|breakdown("funding", "đoàn") }}; '
        '{{ fa.agreements.by_level|breakdown("level", "thỏa thuận", last=" và ") }}; '
        '{{ fa.activity["translation.pages"].detail|breakdown("detail", "trang") }}; '
        "{{ fa.period|since }} {{ fa.period|since(cung_ky=false) }} {{ 2|roman }}\n"
        '{% for g in em.awards|grouped("grantor", "recipient.type") %}'
        '{{ g.first.grantor|label("grantor") }} {{ g.first.form|label("award") }} '
        '{{ g.items|map(attribute="recipient.name")|select|join("; ") }}{% endfor %}'
    )
    assert messages(body) == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{{ fa.outbound.by_funding|breakdown("approval", "đoàn") }}', "bảng đếm"),
        ('{{ fa.outbound|breakdown("funding", "đoàn") }}', "bảng đếm"),
        ('{{ fa.outbound.by_funding|breakdown("nothing") }}', "không có"),
        ('{% for g in em.awards|grouped("grantr") %}{% endfor %}', "grantr"),
        ('{% for g in em.awards|grouped("grantor") %}{{ g.first.nope }}{% endfor %}', "nope"),
        ('{{ kt.tasks[0].status|label("award") }}', "status"),
    ],
)
def test_the_standard_documents_filters_refuse_what_does_not_fit(body, says):
    assert says in one(body)


def test_every_standard_body_passes_the_check_for_its_kind():
    from documents.standard import STANDARDS

    for kind, standard in STANDARDS.items():
        assert messages(standard.body, {standard.source: kind}) == [], kind
