"""No request answers 500: the API, the forms, the uploads and the pages, sent what an attacker
or an accident sends (deep JSON, huge numbers, lone surrogates, odd digits, control characters),
first the cases found by hand, then generated ones. Errors are 4xx with a message: JSON naming
the field on the API, the field or the line on a page."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.web.conftest import csrf_token, https_client, login
from web.forms import FORM_LIST

ORG = "ha-tinh"
CONFERENCE = {"kind": "conference.recorded", "org": ORG, "at": "2023-05-01", "id": "F-1"}
DELEGATION = {
    "kind": "delegation.recorded",
    "org": ORG,
    "id": "F-2",
    "direction": "inbound",
    "people": 3,
    "countries": ["Lào"],
    "purpose": "Thăm",
    "at": "2023-05-01",
}
TASK = {"kind": "task.added", "org": ORG, "programme": "2020", "title": "x", "unit": "Phòng"}
TASK |= {"at": "2020-02-04", "source": "programme"}
SURROGATE = '"\\ud800"'  # as JSON text: valid JSON, no UTF-8 text


def raw(body: dict[str, Any], key: str, json_text: str) -> str:
    """`body` as JSON with `key` set to a JSON text given as is."""
    return (
        json.dumps({k: v for k, v in body.items() if k != key})[:-1] + f', "{key}": {json_text}}}'
    )


# (name, body as sent, the field the error is about)
API_BODIES = [
    ("100,000 nested arrays", "[" * 100_000 + "]" * 100_000, "_"),
    ("100,000 nested objects", '{"a":' * 100_000 + "1" + "}" * 100_000, "_"),
    ("a field nested 900 deep", raw(CONFERENCE, "title", "[" * 900 + "]" * 900), "title"),
    ("a 5,000-digit integer", raw(DELEGATION, "people", "9" * 5000), "people"),
    ("10^30 people", raw(DELEGATION, "people", "1" + "0" * 30), "people"),
    ("a task number of 10^30", raw({**TASK, "no": 1}, "no", "1" + "0" * 30), "no"),
    ("-10^19", raw({**TASK, "no": 1}, "no", "-1" + "0" * 19), "no"),
    ("a lone surrogate", raw(CONFERENCE, "title", SURROGATE), "title"),
    ("a lone surrogate in a list", raw(DELEGATION, "countries", f"[{SURROGATE}]"), "countries.0"),
    ("a lone surrogate as the org", raw(CONFERENCE, "org", SURROGATE), "org"),
    ("a lone surrogate as a key", raw(CONFERENCE, "\\udfff", "1"), "'\\udfff'"),
    ("NaN", raw(DELEGATION, "people", "NaN"), "people"),
    ("Infinity", raw(DELEGATION, "people", "-Infinity"), "people"),
    ("1e400", raw(DELEGATION, "people", "1e400"), "people"),
    ("not UTF-8", b'{"kind": "\xff\xfe"}', "_"),
    ("not JSON", "{kind: 1}", "_"),
    ("an empty body", "", "_"),
    ("a list", "[]", "_"),
    ("a string", '"x"', "_"),
]


@pytest.fixture
def token(app: Flask) -> dict[str, str]:
    """An administrator's API token."""
    return {"Authorization": f"Bearer {app.extensions['ngoaivu_accounts'].new_token('admin')}"}


def head(app: Flask) -> int:
    return app.extensions["ngoaivu"].app.head() or 0


@pytest.mark.parametrize(("name", "body", "field"), API_BODIES, ids=[c[0] for c in API_BODIES])
def test_a_bad_api_body_is_422_naming_the_field(
    app: Flask, token: dict[str, str], name: str, body: Any, field: str
) -> None:
    before = head(app)
    response = https_client(app).post(
        "/api/v1/commands", data=body, headers={**token, "Content-Type": "application/json"}
    )
    assert response.status_code == 422, name
    errors = response.get_json()["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert head(app) == before


def test_a_body_that_is_not_json_by_its_type_is_422(app: Flask, token: dict[str, str]) -> None:
    response = https_client(app).post(
        "/api/v1/commands", data=json.dumps(CONFERENCE), headers=token, content_type="text/plain"
    )
    assert response.status_code == 422 and "errors" in response.get_json()


API_READS = [
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=%C2%B2",
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=%D9%A2%D9%A0%D9%A2%D9%A0",  # Arabic digits
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&as_of=%C2%B2",
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&as_of=2020-%C2%B2-01",
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&known_by=%C2%B2",
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&recorded_by=@%C2%B2",
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&recorded_by=@" + "9" * 5000,
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=" + "9" * 5000,
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&as_of=" + "9" * 20 + "-01-01",
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&window=%00",
    "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&programme=%ED%A0%80",
    "/api/v1/orgs/ha-tinh/history?target=%00",
    "/api/v1/orgs/ha-tinh/history?target=task:" + "9" * 30 + "/1",
    "/api/v1/orgs/ha-tinh/search?q=%00%ED%A0%80",
    "/api/v1/orgs/%00/search?q=x",
]


@pytest.mark.parametrize("url", API_READS)
def test_a_bad_api_query_is_a_4xx_with_json(app: Flask, token: dict[str, str], url: str) -> None:
    response = https_client(app).get(url, headers=token)
    assert response.status_code in (200, 404, 422), url
    assert response.is_json


PAGES = [
    ("/o/ha-tinh/?year=%C2%B2", 200),
    ("/o/ha-tinh/?year=" + "9" * 5000, 200),
    ("/o/ha-tinh/?year=%D9%A2%D9%A0%D9%A2%D9%A0", 200),
    ("/o/ha-tinh/issued/" + "9" * 20 + "/849/SNgV-VP", 404),
    ("/o/ha-tinh/issued/0/849/SNgV-VP", 404),
    ("/o/ha-tinh/issued/2020/%00", 404),
    ("/o/ha-tinh/issued/2020/849%2FSNgV-VP?format=pdf", 404),
    ("/o/ha-tinh/reports?kind=key-tasks&period=%C2%B2", 200),
    ("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=%C2%B2&format=xlsx", 422),
    ("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=%C2%B2&format=json", 422),
    ("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=%C2%B2&format=pdf", 200),
    ("/o/ha-tinh/reports?kind=%00&period=2020", 200),
    ("/o/ha-tinh/history?target=%00", 404),
    ("/o/ha-tinh/search?q=%ED%A0%80%00", 200),
    ("/lang/en?next=%0a", 302),
    ("/o/ha-tinh/entry/xlsx-template?kind=%00", 404),
]


@pytest.mark.parametrize(("url", "status"), PAGES)
def test_a_bad_url_is_a_page_not_a_500(as_user: Any, url: str, status: int) -> None:
    response = as_user("admin").get(url)
    assert response.status_code == status, url


def post_form(client: FlaskClient, slug: str, data: dict[str, str]) -> Any:
    url = f"/o/{ORG}/entry/{slug}"
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


SUB = "detail-translation.pages-certified"  # one box of the activity form's sub-counts
FORM_CASES = [
    ("delegation", {"people": "9" * 5000}, "people"),
    ("delegation", {"people": "1" + "0" * 30}, "people"),
    ("delegation", {"people": "²"}, "people"),
    ("delegation", {"people": "٣"}, None),  # an Arabic-Indic digit: a number to Python
    ("activity", {"metric": "translation.pages", SUB: "[" * 5000}, "detail"),
    ("activity", {"metric": "translation.pages", SUB: "[" * 900 + "]" * 900}, "detail"),
    ("activity", {"metric": "translation.pages", SUB: "9" * 5000}, "detail"),
    ("activity", {"metric": "translation.pages", SUB: "1e400"}, "detail"),
    ("activity", {"metric": "translation.pages", SUB: "NaN"}, "detail"),
    ("activity", {"value": "1" + "0" * 25}, "value"),
    ("correction", {"set": "people=" + "9" * 30, "target": "delegation:x"}, "set"),
    ("task-progress", {"no": "9" * 30, "programme": "2020"}, "task"),
    ("award", {"for_year": "9" * 5000}, "for_year"),
]


@pytest.mark.parametrize(("slug", "values", "field"), FORM_CASES)
def test_a_bad_form_value_is_shown_beside_its_field(
    app: Flask, as_user: Any, slug: str, values: dict[str, str], field: str | None
) -> None:
    base = {k: v for k, v in DELEGATION.items() if isinstance(v, str) and k not in ("kind", "org")}
    base |= {"countries": "Lào"}
    before = head(app)
    response = post_form(as_user("admin"), slug, {**base, **values})
    if field is None:  # only no 500
        assert response.status_code in (302, 422)
        return
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    shown = f'id="f-{field.replace(".", "-")}-err"' in page or f"<code>{field}" in page
    assert shown, page[page.find("<main") :][:3000]
    assert head(app) == before


def test_a_form_with_bytes_that_are_no_text_is_read_with_replacements(as_user: Any) -> None:
    client = as_user("admin")
    url = f"/o/{ORG}/entry/delegation"
    body = (
        "id=%ED%A0%80%FF&direction=inbound&people=3&countries=L%C3%A0o&purpose=%00x"
        f"&at=2023-05-01&csrf_token={csrf_token(client, url)}"
    )
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 422)


def upload(client: FlaskClient, data: bytes, name: str = "facts.jsonl") -> Any:
    form = {
        "csrf_token": csrf_token(client, f"/o/{ORG}/entry/upload"),
        "file": (io.BytesIO(data), name),
    }
    return client.post(f"/o/{ORG}/entry/upload", data=form, content_type="multipart/form-data")


UPLOADS = [
    ("deep", b"[" * 100_000 + b"\n"),
    ("deep object", b'{"a":' * 100_000 + b"\n"),
    ("surrogate", raw(CONFERENCE, "title", SURROGATE).encode() + b"\n"),
    ("5,000 digits", raw(DELEGATION, "people", "9" * 5000).encode() + b"\n"),
    ("10^30", raw({**TASK, "no": 1}, "no", "1" + "0" * 30).encode() + b"\n"),
    ("NaN", raw(DELEGATION, "people", "NaN").encode() + b"\n"),
    ("not UTF-8", b'{"kind": "\xff"}\n'),
    ("a NUL byte line", b"\x00\n"),
    ("not a workbook", b"PK\x03\x04not a zip"),
]


@pytest.mark.parametrize(("name", "data"), UPLOADS, ids=[u[0] for u in UPLOADS])
def test_a_bad_upload_is_refused_by_line(app: Flask, as_user: Any, name: str, data: bytes) -> None:
    before = head(app)
    response = upload(as_user("admin"), data)
    assert response.status_code == 422, name
    page = response.get_data(as_text=True)
    assert "<td>1</td>" in page or "bảng tính" in page, page[page.find("<main") :][:3000]
    assert head(app) == before


def workbook(rows: list[list[Any]]) -> bytes:
    """A delegation sheet as the template lays it out, with these rows from row 3."""
    wb = Workbook()
    ws = wb.active
    ws.title = "delegation.recorded"
    ws.append(["", "", "", "", "", ""])
    ws.append(["id", "direction", "people", "countries", "purpose", "at"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("rows", "cells"),
    [
        (
            [
                ["W-1", "inbound", "9" * 5000, "Lào", "x", "2023-05-01"],
                ["W-3", "inbound", 3, "[" * 5000, "x", "2023-05-01"],
                ["W-4", "inbound", 3, "[" * 500 + "]" * 500, "x", "2023-05-01"],
            ],
            [(3, "C"), (4, "D"), (5, "D")],
        ),
        ([["W-2", "inbound", 1e300, "Lào", "x", "2023-05-01"]], [(3, "C")]),
    ],
)
def test_a_workbook_with_cells_no_store_can_hold_is_refused_by_cell(
    app: Flask, as_user: Any, rows: list[list[Any]], cells: list[tuple[int, str]]
) -> None:
    before = head(app)
    response = upload(as_user("admin"), workbook(rows), "nhap.xlsx")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for row, column in cells:
        assert f"<td>delegation.recorded</td><td>{row}</td><td>{column}</td>" in page, row
    assert head(app) == before


# --- generated


def json_values(max_leaves: int = 20) -> st.SearchStrategy[Any]:
    """Any JSON value, including what no store can hold: lone surrogates, control characters,
    integers past 64 bits, floats past the double range as text."""
    text = st.text(
        st.characters(codec=None, categories=None)
        | st.sampled_from(["\ud800", "\udfff", "\x00", "\u2028", "=", "\u0301"]),
        max_size=12,
    )
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**40), max_value=10**40)
        | st.floats(allow_nan=True, allow_infinity=True)
        | text
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=max_leaves,
    )


def encode(value: Any) -> str:
    """JSON text as a client would send it (NaN and infinities as Python writes them)."""
    return json.dumps(value)


BASES = [CONFERENCE, DELEGATION, {**TASK, "no": 50}]
KEYS = sorted({k for base in BASES for k in base} | {"set", "target", "recipient", "detail"})
FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_generated_api_bodies_never_get_a_500(app: Flask, token: dict[str, str]) -> None:
    client = https_client(app)

    @FUZZ
    @given(
        base=st.sampled_from(BASES),
        key=st.sampled_from(KEYS),
        value=json_values(),
        depth=st.integers(min_value=0, max_value=1200),
    )
    def run(base: dict[str, Any], key: str, value: Any, depth: int) -> None:
        text = raw(base, key, "[" * depth + encode(value) + "]" * depth)
        response = client.post(
            "/api/v1/commands", data=text, headers={**token, "Content-Type": "application/json"}
        )
        assert response.status_code in (200, 201, 404, 422), response.get_data(as_text=True)
        assert response.is_json

    run()


def test_generated_form_values_never_get_a_500(app: Flask) -> None:
    client = https_client(app)
    assert login(client, "admin").status_code == 302
    tokens = {form.slug: csrf_token(client, f"/o/{ORG}/entry/{form.slug}") for form in FORM_LIST}
    typed = st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"])
        | st.sampled_from(["9", "²", "[", "=", "\n"]),
        max_size=40,
    ) | st.sampled_from(["9" * 30, "[" * 50, "a=1e400", "a=" + "9" * 5000, "a=" + "[" * 900])

    @FUZZ
    @given(form=st.sampled_from(FORM_LIST), data=st.data())
    def run(form: Any, data: st.DataObject) -> None:
        values = {f.name: data.draw(typed, label=f.name) for f in form.fields}
        values["kind"] = data.draw(st.sampled_from([k for k, _label in form.kinds]))
        response = client.post(
            f"/o/{ORG}/entry/{form.slug}", data={**values, "csrf_token": tokens[form.slug]}
        )
        assert response.status_code in (302, 422), response.status_code

    run()


def test_generated_report_queries_never_get_a_500(app: Flask, token: dict[str, str]) -> None:
    client = https_client(app)
    option = st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"])
        | st.sampled_from(["-", "@", "T", ":", "²", "9", "Z", "+"]),
        max_size=30,
    ) | st.sampled_from(["2020", "2020-12-31", "@" + "9" * 25, "2020-12-31T23:59+07:00"])

    @FUZZ
    @given(
        kind=st.sampled_from(["key-tasks", "foreign-affairs", "emulation", "award-register"]),
        options=st.fixed_dictionaries(
            {"period": option},
            optional={k: option for k in ("as_of", "known_by", "recorded_by", "window")},
        ),
    )
    def run(kind: str, options: dict[str, str]) -> None:
        api = client.get(f"/api/v1/orgs/{ORG}/reports/{kind}", query_string=options, headers=token)
        assert api.status_code in (200, 422), api.get_data(as_text=True)

    run()
