"""Accounts in the UI: create, roles and units, names and titles, passwords, disabling; every
change logged with who and when; inspectors read the log; the signer filled from the account."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import csrf_token, https_client, login

NEW = {
    "username": "nguyenvana",
    "full_name": "Nguyễn Văn A",
    "title": "Giám đốc",
    "password": "mot-mat-khau-dai",
    "role": "director",
    "units": "",
}


def post(client: Any, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def test_an_administrator_creates_a_user_who_signs_with_their_name(app: Any, as_user: Any) -> None:
    admin = as_user("admin")
    assert post(admin, "/o/ha-tinh/accounts", NEW).status_code == 302
    listing = admin.get("/o/ha-tinh/accounts").get_data(as_text=True)
    assert "nguyenvana" in listing and "Nguyễn Văn A" in listing and "Lãnh đạo" in listing
    director = https_client(app)
    assert login(director, "nguyenvana", NEW["password"]).status_code == 302
    form = director.get("/o/ha-tinh/issue").get_data(as_text=True)
    assert 'name="signer" value="Nguyễn Văn A"' in form
    assert 'name="signer_title" value="Giám đốc"' in form


def test_every_error_of_the_new_user_form_at_once(as_user: Any) -> None:
    response = post(
        as_user("admin"),
        "/o/ha-tinh/accounts",
        {**NEW, "username": "", "password": "ngan", "role": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("username", "password", "role"):
        assert f'id="a-{name}-err"' in page, name


def test_roles_units_password_and_disabling_are_logged(app: Any, as_user: Any) -> None:
    admin = as_user("admin")
    post(admin, "/o/ha-tinh/accounts", NEW)
    url = "/o/ha-tinh/accounts/nguyenvana"
    assert (
        post(admin, url, {"action": "roles", "role": "clerk", "units": "Phòng Lãnh sự"}).status_code
        == 302
    )
    assert (
        post(
            admin,
            url,
            {"action": "password", "password": "mat-khau-moi-1", "password2": "mat-khau-moi-1"},
        ).status_code
        == 302
    )
    assert post(admin, url, {"action": "disable"}).status_code == 302
    assert login(https_client(app), "nguyenvana", "mat-khau-moi-1").status_code != 302
    log = as_user("inspector").get("/o/ha-tinh/accounts/log").get_data(as_text=True)
    for words in (
        "Tạo tài khoản",
        "Đổi họ tên, chức vụ",
        "Đặt vai trò, đơn vị",
        "Đặt lại mật khẩu",
        "Khóa tài khoản",
    ):
        assert words in log, words
    assert "Phòng Lãnh sự" in log and ">admin<" in log
    assert "mat-khau-moi-1" not in log


def test_only_administrators_manage_and_clerks_do_not_read_the_log(as_user: Any) -> None:
    assert as_user("clerk").get("/o/ha-tinh/accounts").status_code == 403
    assert as_user("inspector").get("/o/ha-tinh/accounts").status_code == 403
    assert as_user("clerk").get("/o/ha-tinh/accounts/log").status_code == 403
    assert as_user("director").post("/o/ha-tinh/accounts", data=NEW).status_code in (400, 403)


def test_an_administrator_does_not_disable_themself(as_user: Any) -> None:
    admin = as_user("admin")
    response = post(admin, "/o/ha-tinh/accounts/admin", {"action": "disable"})
    assert response.status_code == 422 and "không tự khóa" in response.get_data(as_text=True)
