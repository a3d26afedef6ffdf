"""schemathesis against /api/v1/openapi.json, in process (WSGI), as an administrator with a
token: no generated request may get a 5xx.

Each generated request is sent as generated (mostly unknown departments: 404) and again with the
department set to the administrator's own, so that the report builders and the writer see the
generated periods, cut-offs and command bodies. Examples are bounded to keep the run short.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from web.accounts import Grant
from web.openapi import openapi_document

EXAMPLES = 60


@pytest.fixture
def api_app(app: Flask) -> Flask:
    """The application with an administrator of both departments holding an API token."""
    store = app.extensions["ngoaivu_accounts"]
    store.add(
        "fuzzadmin", "mat-khau-fuzz-123", [Grant("ha-tinh", "admin"), Grant("gia-lai", "admin")]
    )
    app.config["FUZZ_TOKEN"] = store.new_token("fuzzadmin")
    return app


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the document."""
    return [
        (method, path)
        for path, item in openapi_document()["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.mark.parametrize(("method", "path"), operations())
def test_no_server_error(api_app: Flask, method: str, path: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operation = schema[path][method.upper()]
    headers = {"Authorization": f"Bearer {api_app.config['FUZZ_TOKEN']}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])
        if case.path_parameters and "org" in case.path_parameters:
            case.path_parameters = {**case.path_parameters, "org": "ha-tinh"}
        elif isinstance(case.body, dict):
            case.body = {**case.body, "org": "ha-tinh"}
        else:
            return
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()


# What schemathesis found (each answered 500 before): out-of-range years and days.
BAD_REPORTS = [
    "period=0000-9M",  # a window before year 1
    "period=1900-01",  # whose comparison (1899) must still be computed: 200
    "period=2020&as_of=9999-12-31",  # the end of D is the start of D + 1
    "period=2020&known_by=9999-12-31T23:59Z",
    "period=1900&known_by=0001-01-01T00:00%2B14:00",
    "period=2020&recorded_by=@99999999999999999999999",
    "period=2020&recorded_by=9999-12-31T23:59:59.999999-14:00",
]


@pytest.mark.parametrize("query", BAD_REPORTS)
def test_out_of_range_report_options_are_422(api_app: Flask, query: str) -> None:
    client = api_app.test_client()
    headers = {"Authorization": f"Bearer {api_app.config['FUZZ_TOKEN']}"}
    for kind in ("foreign-affairs", "emulation", "assigned-tasks"):
        response = client.get(f"/api/v1/orgs/ha-tinh/reports/{kind}?{query}", headers=headers)
        assert response.status_code == (200 if query == "period=1900-01" else 422), (kind, query)


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59Z", "9999-12-31", "0001-01-01", "0001-01-01T00:00+14:00"]
)
def test_a_time_without_a_vietnam_day_is_refused_not_stored(api_app: Flask, moment: str) -> None:
    """Stored, such a time stopped the projector for good (its Vietnam day does not exist)."""
    client = api_app.test_client()
    headers = {"Authorization": f"Bearer {api_app.config['FUZZ_TOKEN']}"}
    body = {"kind": "conference.recorded", "org": "ha-tinh", "id": "HN-X", "title": "X"}
    response = client.post("/api/v1/commands", json={**body, "at": moment}, headers=headers)
    assert response.status_code == 422
    assert "ngoài khoảng ngày" in response.get_json()["errors"]["at"][0]
    ok = client.post("/api/v1/commands", json={**body, "at": "2023-05-01"}, headers=headers)
    assert ok.status_code == 201
    search = client.get("/api/v1/orgs/ha-tinh/search?q=X", headers=headers)
    assert search.status_code == 200
