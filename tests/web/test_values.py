"""web.values.show_value writes what the recursive Jinja macro it replaced wrote, byte for byte
(tests/web/oracles/value_macro.html is that macro): every report kind of the seeded
installation, a record's history, and values made to reach every branch, in both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask, session

from web.values import show_value

ORACLE = (Path(__file__).parent / "oracles" / "value_macro.html").read_text()
REPORTS = [
    ("ha-tinh", "key-tasks", "period=2020&as_of=2020-12-11"),
    ("ha-tinh", "key-tasks", "period=2020"),
    ("ha-tinh", "emulation", "period=2020&window=calendar&as_of=2020-12-31"),
    ("ha-tinh", "award-register", "period=2020&as_of=2020-12-31"),
    ("ha-tinh", "award-irregular", "period=2020&window=calendar&as_of=2020-12-31"),
    ("gia-lai", "assigned-tasks", "period=2020&programme=UBND-2020&as_of=2020-12-31"),
    ("gia-lai", "key-tasks", "period=2020"),
]
MADE = {
    "org": "ha-tinh",
    "into": "khong-co-ten",
    "status": "completed",
    "note": 'a <b>"quoted"</b> & more',
    "day": "2020-12-11",
    "instant": "2020-12-11T08:30:00+00:00",
    "naive": "2020-12-11T08:30:00",
    "short": "20T",
    "people": 1234567,
    "year": 2022,
    "ratio": 0.5,
    "done": True,
    "void": False,
    "none": None,
    "empty": [],
    "words": ["completed", "in_progress", 3, None],
    "nested": {"a": {"b": [1, 2]}, "<k>": "<v>"},
    "tasks": [{"no": 3, "title": "Một", "programme": "2020"}, {"no": 4, "extra": True}],
    "awards": [{"id": "2020-BK-1", "stage": "granted"}, {"stage": "proposed"}],
    "rows": [{"x": 1}, {"y": [{"z": "2021-01-02"}]}],
    "tuple": (1, "a"),
    "other": object.__new__(type("Thing", (), {"__str__": lambda self: "<thing>"})),
}


def both(app: Flask, value: Any, org: str, english: bool = False) -> tuple[str, str]:
    """(the macro's HTML, show_value's HTML) of a value on a page of `org`."""
    with app.test_request_context(f"/o/{org}/reports"):
        app.preprocess_request()  # view_args of the page's org, as a page has them
        if english:
            session["lang"] = "en"
        macro = app.jinja_env.from_string(ORACLE.rstrip() + "{{ show(value) }}").render(value=value)
        return macro, str(show_value(value))


@pytest.mark.parametrize(("org", "kind", "query"), REPORTS)
def test_every_report_kind_is_written_as_the_macro_wrote_it(
    app: Flask, as_user: Any, org: str, kind: str, query: str
) -> None:
    client = as_user("thanhtra")
    content = client.get(f"/o/{org}/reports?kind={kind}&{query}&format=json").get_json()
    assert content["digest"].startswith("sha256:")
    macro, ours = both(app, content, org)
    assert ours == macro
    assert "<table" in ours


@pytest.mark.parametrize("english", [False, True])
def test_made_values_reach_every_branch_the_same(app: Flask, english: bool) -> None:
    macro, ours = both(app, MADE, "ha-tinh", english)
    assert ours == macro
    assert "&lt;b&gt;" in ours and "/o/ha-tinh/history?target=task:2020/3" in ours
    assert "<thing>" not in ours and "&lt;thing&gt;" in ours


def test_a_record_history_is_written_as_the_macro_wrote_it(app: Flask, as_user: Any) -> None:
    from service import queries

    client = as_user("inspector")
    assert client.get("/o/ha-tinh/history?target=task:2020/3").status_code == 200
    events = queries.record_history(app.extensions["ngoaivu"], "ha-tinh", "task:2020/3")
    assert events
    for event in events:
        macro, ours = both(app, event["data"], "ha-tinh")
        assert ours == macro


@pytest.mark.parametrize(
    "target", ["2020/3", "2020 A/1", "x&y=z#1", "Hà Tĩnh/2", "a+b%c/d?e", "!$'()*,/:;@"]
)
def test_a_row_history_link_is_the_address_url_for_gives(app: Flask, target: str) -> None:
    from flask import url_for

    from web.inspection import row_history

    with app.test_request_context("/o/ha-tinh/reports"):
        app.preprocess_request()
        link = row_history("tasks", {"no": 1, "programme": target})
        assert link == url_for(
            "inspection.record_history", org="ha-tinh", target=f"task:{target}/1"
        )
        award = row_history("awards", {"id": target})
        assert award == url_for(
            "inspection.record_history", org="ha-tinh", target=f"award:{target}"
        )
