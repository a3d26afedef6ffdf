"""The JSON API: bearer tokens, commands as import lines, reports, OpenAPI from the schemas."""

from __future__ import annotations

from typing import Any

from service.importing.schemas import SCHEMAS
from tests.web.conftest import csrf_token, https_client

CONFERENCE = {
    "kind": "conference.recorded",
    "org": "ha-tinh",
    "at": "2023-05-01",
    "id": "API-1",
    "title": "Hội thảo quốc tế",
}


def bearer(app: Any, user: str) -> dict[str, str]:
    token = app.extensions["ngoaivu_accounts"].new_token(user)
    return {"Authorization": f"Bearer {token}"}


def test_command_with_a_token_returns_its_fact_id(app: Any) -> None:
    client = https_client(app)
    response = client.post("/api/v1/commands", json=CONFERENCE, headers=bearer(app, "clerk"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["fact_ids"] == ["conference:API-1#1"]
    assert body["position"] == app.extensions["ngoaivu"].app.head()
    again = client.post("/api/v1/commands", json=CONFERENCE, headers=bearer(app, "clerk"))
    assert again.status_code == 200 and again.get_json()["skipped"] == 1
    events = client.get(
        "/api/v1/orgs/ha-tinh/history?target=conference:API-1", headers=bearer(app, "inspector")
    ).get_json()
    assert events[0]["actor"] == "clerk"


def test_validation_errors_are_422_with_every_field(app: Any) -> None:
    bad = {**CONFERENCE, "at": "yesterday", "colour": "red"}
    del bad["title"]
    response = https_client(app).post("/api/v1/commands", json=bad, headers=bearer(app, "clerk"))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"at", "title", "colour"}
    assert errors["title"] == ["thiếu trường bắt buộc"]


def test_a_correction_with_three_bad_keys_is_422_with_each(app: Any) -> None:
    """The import's rule on a correction's `set` names every bad key, as the schema does."""
    client = https_client(app)
    position = app.extensions["ngoaivu"].app.head()
    stored = client.post("/api/v1/commands", json=CONFERENCE, headers=bearer(app, "clerk"))
    assert stored.status_code == 201
    fix = {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "conference:API-1",
        "set": {"id": "API-2", "title": "", "at": "2023-02-30"},
        "reason": "ghi nhầm",
    }
    response = client.post("/api/v1/commands", json=fix, headers=bearer(app, "clerk"))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"set.id", "set.title", "set.at"}
    assert errors["set.at"] == ["ngày không tồn tại: '2023-02-30'"]
    assert app.extensions["ngoaivu"].app.head() == position + 1  # the conference alone


def test_no_writing_in_another_name(app: Any) -> None:
    response = https_client(app).post(
        "/api/v1/commands", json={**CONFERENCE, "by": "someone"}, headers=bearer(app, "clerk")
    )
    assert response.status_code == 422 and "by" in response.get_json()["errors"]


def test_roles_and_departments_apply(app: Any) -> None:
    client = https_client(app)
    assert client.post("/api/v1/commands", json=CONFERENCE).status_code == 401
    bad_token = {"Authorization": "Bearer nope"}
    assert client.post("/api/v1/commands", json=CONFERENCE, headers=bad_token).status_code == 401
    inspector = bearer(app, "inspector")
    assert client.post("/api/v1/commands", json=CONFERENCE, headers=inspector).status_code == 403
    other = bearer(app, "clerk_gl")
    assert client.post("/api/v1/commands", json=CONFERENCE, headers=other).status_code == 404
    report = "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&as_of=2020-12-11"
    assert client.get(report, headers=other).status_code == 404
    assert client.get(report, headers=inspector).status_code == 200


def test_disabled_user_token_stops_working(app: Any) -> None:
    headers = bearer(app, "clerk")
    app.extensions["ngoaivu_accounts"].set_active("clerk", False)
    response = https_client(app).post("/api/v1/commands", json=CONFERENCE, headers=headers)
    assert response.status_code == 401


def test_session_writes_need_the_csrf_header(as_user: Any) -> None:
    client = as_user("clerk")
    assert client.post("/api/v1/commands", json=CONFERENCE).status_code == 400
    token = csrf_token(client, "/o/ha-tinh/")
    ok = client.post("/api/v1/commands", json=CONFERENCE, headers={"X-CSRFToken": token})
    assert ok.status_code == 201


def test_report_matches_the_service_and_names_bad_options(app: Any) -> None:
    from service.reporting.requests import make_request, run_report

    client = https_client(app)
    headers = bearer(app, "director")
    url = "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&as_of=2020-12-11"
    content = client.get(url, headers=headers).get_json()
    rt = app.extensions["ngoaivu"]
    expected = run_report(rt, make_request(rt, "key-tasks", "ha-tinh", "2020", as_of="2020-12-11"))
    assert content["digest"] == expected["digest"]
    assert content["summary"]["completed"] == expected["summary"]["completed"]
    bad = client.get(url.replace("2020-12-11", "11/12/2020"), headers=headers)
    assert bad.status_code == 422 and "as_of" in bad.get_json()["errors"]


def test_openapi_is_generated_from_the_schemas(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    schemas = doc["components"]["schemas"]
    for schema in SCHEMAS.values():
        assert schema.__name__ in schemas
    progressed = schemas["TaskProgressed"]
    assert {"kind", "org", "at", "programme", "no", "status"} <= set(progressed["required"])
    assert progressed["properties"]["no"]["type"] == "integer"
    assert "completed" in progressed["properties"]["status"]["enum"]
    one_of = doc["paths"]["/api/v1/commands"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]["oneOf"]
    assert len(one_of) == len(set(SCHEMAS.values()))


def test_a_draft_posted_then_read_as_a_document(app: Any) -> None:
    client = https_client(app)
    draft = {
        "kind": "document.drafted",
        "org": "ha-tinh",
        "id": "api-1",
        "period": "2020",
        "sources": {"kt": {"report": "key-tasks"}},
        "type": "cong_van",
        "title": "báo cáo nhiệm vụ trọng tâm năm 2020",
        "body": "Đã hoàn thành {{ kt.summary.completed|count }} nhiệm vụ.",
    }
    bad = {**draft, "body": "{{ kt.summary.done }}"}
    refused = client.post("/api/v1/commands", json=bad, headers=bearer(app, "clerk"))
    assert refused.status_code == 422 and "body" in refused.get_json()["errors"]
    posted = client.post("/api/v1/commands", json=draft, headers=bearer(app, "clerk"))
    assert posted.status_code == 201 and posted.get_json()["fact_ids"] == ["draft:api-1#1"]
    # Another user's read does not wait for the clerk's write: the projector worker applies it.
    assert app.extensions["ngoaivu"].worker.sync()
    url = "/api/v1/orgs/ha-tinh/documents/api-1?as_of=2020-12-11"
    content = client.get(url, headers=bearer(app, "director")).get_json()
    assert content["report"] == "document" and content["draft"]["version"] == "draft:api-1#1"
    assert content["text"] == "Đã hoàn thành 12 nhiệm vụ."
    missing = client.get("/api/v1/orgs/ha-tinh/documents/nope", headers=bearer(app, "director"))
    assert missing.status_code == 422 and "draft" in missing.get_json()["errors"]
    assert client.get(url, headers=bearer(app, "clerk_gl")).status_code == 404


def test_a_position_past_the_last_stored_one_is_refused(app: Any) -> None:
    """A report (or document) read at a position not yet written would change with the next
    write: 422 naming recorded_by, the last position said."""
    client = https_client(app)
    headers = bearer(app, "director")
    head = app.extensions["ngoaivu"].app.head()
    url = "/api/v1/orgs/ha-tinh/reports/key-tasks?period=2020&as_of=2020-12-11&recorded_by=@"
    assert client.get(f"{url}{head}", headers=headers).get_json()["recorded_by"] == f"@{head}"
    refused = client.get(f"{url}{head + 1}", headers=headers)
    assert refused.status_code == 422
    assert f"@{head}" in refused.get_json()["errors"]["recorded_by"][0]
