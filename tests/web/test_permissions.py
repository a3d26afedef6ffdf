"""The permission matrix: every route × every role × own and other department."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import csrf_token

# What each role may do, written out independently of service.accounts.
MAY = {
    "admin": {"read", "write", "issue"},
    "clerk": {"read", "write"},
    "clerk_unit": {"read", "write"},
    "director": {"read", "issue"},
    "inspector": {"read"},
    "thanhtra": {"read"},
    "clerk_gl": {"read", "write"},
}
HOME = {"clerk_gl": {"gia-lai"}, "thanhtra": {"ha-tinh", "gia-lai"}}
# (method, url, ability): {org} is replaced by the department under test.
ROUTES = [
    ("GET", "/o/{org}/", "read"),
    ("GET", "/o/{org}/reports?kind=key-tasks&period=2020&as_of=2020-12-11", "read"),
    ("GET", "/o/{org}/reports?kind=key-tasks&period=2020&format=json", "read"),
    ("GET", "/o/{org}/history?target=org", "read"),
    ("GET", "/o/{org}/search?q=so", "read"),
    ("GET", "/o/{org}/reports?kind=foreign-affairs&period=2021-H1&format=xlsx", "read"),
    ("GET", "/o/{org}/issued", "read"),
    ("GET", "/o/{org}/issued?format=xlsx", "read"),
    ("GET", "/o/{org}/verify", "read"),
    ("GET", "/o/{org}/entry/", "write"),
    ("GET", "/o/{org}/entry/task-progress", "write"),
    ("GET", "/o/{org}/entry/delegation", "write"),
    ("GET", "/o/{org}/entry/activity", "write"),
    ("GET", "/o/{org}/entry/award", "write"),
    ("GET", "/o/{org}/entry/correction", "write"),
    ("GET", "/o/{org}/entry/upload", "write"),
    ("GET", "/o/{org}/entry/xlsx-template", "write"),
    ("GET", "/o/{org}/entry/xlsx-template?kind=delegation.recorded", "write"),
    ("POST", "/o/{org}/entry/delegation", "write"),
    ("POST", "/o/{org}/entry/task-progress", "write"),
    ("POST", "/o/{org}/entry/correction", "write"),
    ("POST", "/o/{org}/entry/upload", "write"),
    ("GET", "/o/{org}/issue", "issue"),
    ("POST", "/o/{org}/issue", "issue"),
    ("GET", "/api/v1/orgs/{org}/reports/key-tasks?period=2020&as_of=2020-12-11", "read"),
    ("GET", "/api/v1/orgs/{org}/history?target=org", "read"),
    ("GET", "/api/v1/orgs/{org}/search?q=so", "read"),
    ("POST", "/api/v1/commands", "write"),
]
ALLOWED = {200, 302, 422}  # 422: allowed, and the empty form was refused by the schemas


def expected(user: str, org: str, ability: str) -> set[int]:
    """404 outside the user's departments, 403 when the role does not allow it."""
    if org not in HOME.get(user, {"ha-tinh"}):
        return {404}
    return ALLOWED if ability in MAY[user] else {403}


@pytest.mark.parametrize("user", sorted(MAY))
def test_every_route_for_every_role(as_user: Any, user: str) -> None:
    client = as_user(user)
    token = csrf_token(client, "/login")
    failures = []
    for org in ("ha-tinh", "gia-lai"):
        for method, url, ability in ROUTES:
            path = url.format(org=org)
            if method == "GET":
                response = client.get(path)
            elif path.startswith("/api/"):
                body = {"kind": "org.renamed", "org": org, "at": "2021-01-01"}
                response = client.post(path, json=body, headers={"X-CSRFToken": token})
            else:
                response = client.post(path, data={"csrf_token": token})
            if response.status_code not in expected(user, org, ability):
                failures.append(f"{method} {path}: {response.status_code}")
    assert not failures, f"{user}: " + "; ".join(failures)


def test_anonymous_is_sent_to_login(client: Any) -> None:
    for method, url, _ability in ROUTES:
        path = url.format(org="ha-tinh")
        response = client.open(path, method=method)
        if path.startswith("/api/"):
            assert response.status_code == 401, path
        elif method == "GET":
            assert response.status_code == 302 and "/login" in response.location, path
        else:  # a POST without a session has no CSRF token either
            assert response.status_code in (302, 400), path


def test_inspector_finds_no_entry_form(as_user: Any) -> None:
    client = as_user("inspector")
    page = client.get("/o/ha-tinh/").get_data(as_text=True)
    assert "/entry/" not in page and '/issue"' not in page
    token = csrf_token(client, "/login")
    response = client.post(
        "/o/ha-tinh/entry/delegation",
        data={"csrf_token": token, "id": "X", "direction": "outbound", "people": "1"},
    )
    assert response.status_code == 403


def test_clerk_sees_entry_links_but_not_issue(as_user: Any) -> None:
    page = as_user("clerk").get("/o/ha-tinh/").get_data(as_text=True)
    assert "/o/ha-tinh/entry/" in page and '/o/ha-tinh/issue"' not in page


def test_other_department_is_never_listed(as_user: Any) -> None:
    page = as_user("clerk_gl").get("/", follow_redirects=True).get_data(as_text=True)
    assert "Hà Tĩnh" not in page
    both = as_user("thanhtra").get("/").get_data(as_text=True)
    assert "ha-tinh" in both and "gia-lai" in both
