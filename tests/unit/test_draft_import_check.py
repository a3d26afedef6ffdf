"""The import check of `document.drafted` (service.importing.schemas.DocumentDrafted): a body
that escapes the sandbox, names a path its sources' kinds do not have (planned keys included),
or misuses a loop is refused on field `body` with its line; bad sources on field `sources…`."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from service.importing.schemas import schema_for


def line(body: str, **extra: Any) -> dict[str, Any]:
    """A draft line over key-tasks (`kt`) and foreign-affairs (`fa`)."""
    return {
        "kind": "document.drafted",
        "org": "ha-tinh",
        "at": "2020-12-10",
        "id": "d1",
        "period": "2020",
        "sources": {"kt": {"report": "key-tasks"}, "fa": {"report": "foreign-affairs"}},
        "type": "bao_cao",
        "title": "Báo cáo",
        "body": body,
        **extra,
    }


def refused(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        schema_for("document.drafted").load(data)
    return caught.value.normalized_messages()


def body_error(body: str) -> str:
    messages = refused(line(body))
    assert list(messages) == ["body"], messages
    return " ".join(map(str, messages["body"]))


def test_a_draft_of_known_paths_loops_and_filters_loads() -> None:
    body = (
        "# I. KẾT QUẢ\n\n"
        "Đã tổ chức {{ fa.outbound.delegations|count }} đoàn"
        "{{ fa.outbound.delegations|compare(fa.outbound.previous.delegations, 'đoàn', fa.period)"
        "|wrap(' (', ')') }}.\n\n"
        '{% for t in kt.tasks if t.status == "completed" %}\n'
        "- {{ loop.index }}. {{ t.title }}{{ ';' if not loop.last else '.' }}\n"
        "{% endfor %}\n"
        '{{ fa.activity["translation.pages"].value|number }} trang.'
    )
    loaded = schema_for("document.drafted").load(line(body, addressees=["UBND tỉnh"]))
    assert loaded["sources"]["kt"] == {"report": "key-tasks"}


@pytest.mark.parametrize(
    "body",
    [
        "{{ fa.__class__ }}",
        "{{ fa.outbound.__class__.__mro__ }}",
        "{{ ''.__class__ }}",
        "{{ fa.__dict__ }}",
        "{{ range(10) }}",
        "{{ lipsum() }}",
        "{{ cycler }}",
        "{{ joiner }}",
        "{{ namespace() }}",
        "{{ self }}",
        "{{ config }}",
        "{{ request }}",
        "{{ dict(a=1) }}",
        "{{ fa|attr('__class__') }}",
        "{{ '%s'|format(fa) }}",
        "{{ fa.org|safe }}",
        "{{ fa.org.upper() }}",
        "{{ fa.outbound.people.__add__(1) }}",
        "{{ fa.org.format(fa) }}",
        '{% include "x.html" %}',
        '{% import "x.html" as x %}',
        '{% from "x.html" import y %}',
        '{% extends "x.html" %}',
        "{% macro m() %}x{% endmacro %}",
        "{% call fa.org() %}x{% endcall %}",
        "{% filter upper %}x{% endfilter %}",
        "{% with x = 1 %}{{ x }}{% endwith %}",
        "{% set x %}y{% endset %}",
        "{% autoescape false %}x{% endautoescape %}",
        "{% for t in kt.tasks recursive %}{{ loop(t) }}{% endfor %}",
        "{% for t in kt.tasks %}{{ loop.cycle('a', 'b') }}{% endfor %}",
        "{{ 9 ** 9 }}",
        "{{ fa.org * 1000000 }}",
        "{{ 7 // 2 }}",
        "{{ {'a': 1} }}",
        "{{ _private }}",
    ],
)
def test_every_escape_from_the_sandbox_is_refused(body: str) -> None:
    assert "dòng 1" in body_error(body)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("{{ fa.outbound.delegation }}", "fa.outbound.delegation"),
        ("{{ kt.summary.done }}", "kt.summary.done"),
        ('{{ fa.activity["no.such.metric"].value }}', "no.such.metric"),
        ("{% for t in kt.tasks %}{{ t.titel }}{% endfor %}", "t.titel"),
        ("{% for t in kt.tasks %}{% endfor %}{{ t.title }}", "t"),
        ("{{ loop.index }}", "loop"),
        ("{{ em.awards }}", "em"),
        ("{% for t in kt.summary.completed %}{{ t }}{% endfor %}", "kt.summary.completed"),
    ],
)
def test_an_unknown_path_or_a_loop_variable_out_of_its_loop_is_refused(
    body: str, named: str
) -> None:
    assert named in body_error(body)


def test_the_seed_keys_are_real_now() -> None:
    """documents/planned.py is empty: the keys the seeds needed are in the reports (format 2)."""
    from documents.planned import PLANNED

    assert PLANNED == {}
    schema_for("document.drafted").load(line("{{ fa.support.given.count }}"))
    assert "fa.support" in body_error("{{ fa.support.given.pages }}")


def test_the_error_names_the_body_line() -> None:
    assert body_error("Dòng một.\n\nDòng ba: {{ fa.nothing }}.").startswith("dòng 3:")


def test_a_body_that_does_not_parse_is_refused() -> None:
    assert "cú pháp" in body_error("{% for %}")
    assert "cú pháp" in body_error("{% if fa.org %}không đóng")


def test_a_loop_cannot_rebind_a_source() -> None:
    assert "fa" in body_error("{% for fa in kt.tasks %}{{ fa.title }}{% endfor %}")


@pytest.mark.parametrize(
    ("sources", "field"),
    [
        ({"fa": {"report": "document"}}, "sources.fa.report"),
        ({"fa": {"report": "no-such-kind"}}, "sources.fa.report"),
        ({"fa": {"report": "foreign-affairs", "colour": "red"}}, "sources.fa"),
        ({"fa": {"report": "foreign-affairs", "period": "2020-H3"}}, "sources.fa.period"),
        ({"fa": {"report": "foreign-affairs", "window": "lunar"}}, "sources.fa.window"),
        ({"kt": {"report": "key-tasks", "programme": "bad programme"}}, "sources.kt.programme"),
        ({"fa": "foreign-affairs"}, "sources.fa"),
        ({"loop": {"report": "key-tasks"}}, "sources.loop"),
        ({"1fa": {"report": "key-tasks"}}, "sources"),
        ({}, "sources"),
    ],
)
def test_bad_sources_are_refused_on_their_field(sources: dict[str, Any], field: str) -> None:
    assert field in refused(line("x", sources=sources))


def test_type_period_and_keys_are_checked() -> None:
    assert "type" in refused(line("x", type="memo"))
    assert "period" in refused(line("x", period="2020-13"))
    assert "colour" in refused(line("x", colour="red"))
    assert "body" in refused({k: v for k, v in line("x").items() if k != "body"})


def test_a_source_may_name_its_own_period_programme_and_window() -> None:
    sources = {
        "em20": {"report": "emulation", "period": "2020"},
        "ut": {"report": "assigned-tasks", "programme": "UBND-2020", "window": "calendar"},
    }
    body = "{{ em20.awards|length }} {{ ut.total }}"
    loaded = schema_for("document.drafted").load(line(body, sources=sources, period="2021-H1"))
    assert loaded["sources"]["em20"]["period"] == "2020"


@pytest.mark.parametrize("kind", ["key-tasks", "assigned-tasks", "foreign-affairs", "emulation"])
def test_every_standard_draft_passes_the_import_check(kind: str) -> None:
    from documents.standard import standard_draft

    draft = standard_draft(kind, "ha-tinh", "2021-H1", "2021-06-14", programme="UBND-2021")
    loaded = schema_for("document.drafted").load(draft)
    assert loaded["title"].endswith("6 tháng đầu năm 2021")
