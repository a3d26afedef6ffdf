"""Issue with care: from the report page, a preview, a confirmation, no signing in the future."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from service.reporting.requests import vn_today
from tests.web.conftest import csrf_token

REPORT = "kind=key-tasks&period=2020&as_of=2020-12-11"


def form(client: Any, **values: str) -> dict[str, str]:
    base = {
        "kind": "key-tasks",
        "period": "2020",
        "window": "nd09",
        "as_of": "11/12/2020",
        "number": "15/BC-SNgV",
        "signed_on": "14/12/2020",
        "signer": "Nguyễn Văn B",
        "signer_title": "Giám đốc",
    }
    return {**base, **values, "csrf_token": csrf_token(client, "/o/ha-tinh/issue")}


def issued_numbers(client: Any) -> str:
    return client.get("/o/ha-tinh/issued").get_data(as_text=True)


def test_the_report_page_offers_issue_with_its_options(as_user: Any) -> None:
    page = as_user("director").get(f"/o/ha-tinh/reports?{REPORT}").get_data(as_text=True)
    assert "Ban hành báo cáo này" in page
    assert "/o/ha-tinh/issue?kind=key-tasks&amp;period=2020" in page and "as_of=2020-12-11" in page
    assert "Ban hành báo cáo này" not in as_user("inspector").get(
        f"/o/ha-tinh/reports?{REPORT}"
    ).get_data(as_text=True)


def test_the_issue_form_carries_the_options_and_the_signer_from_the_account(as_user: Any) -> None:
    page = as_user("director").get(f"/o/ha-tinh/issue?{REPORT}").get_data(as_text=True)
    assert 'name="period" value="2020"' in page and 'name="as_of" value="2020-12-11"' in page
    assert 'name="signer" value="director"' in page
    assert f'name="signed_on" value="{vn_today():%d/%m/%Y}"' in page


def test_a_preview_and_a_confirmation_naming_number_date_and_signer(as_user: Any) -> None:
    director = as_user("director")
    preview = director.post("/o/ha-tinh/issue", data=form(director))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert (
        "Ban hành văn bản số 15/BC-SNgV, ngày ký 14/12/2020, người ký Giám đốc Nguyễn Văn B?"
        in page
    )
    assert "Xem trước nội dung" in page and 'name="confirm" value="1"' in page
    assert "15/BC-SNgV" not in issued_numbers(director)  # nothing issued by the preview
    done = director.post("/o/ha-tinh/issue", data={**form(director), "confirm": "1"})
    assert done.status_code == 302
    shown = director.get(done.location).get_data(as_text=True)
    assert "Đã ban hành văn bản số 15/BC-SNgV ngày 14/12/2020, người ký Nguyễn Văn B." in shown
    assert "15/BC-SNgV" in issued_numbers(director)


def test_a_signing_date_in_the_future_is_refused_with_every_other_error(as_user: Any) -> None:
    director = as_user("director")
    tomorrow = vn_today() + timedelta(days=1)
    data = form(director, signed_on=f"{tomorrow:%d/%m/%Y}", number="", confirm="1")
    response = director.post("/o/ha-tinh/issue", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="i-signed_on-err">ngày ký' in page and "ở tương lai" in page
    assert 'id="i-number-err">thiếu trường bắt buộc' in page
    assert "Đã ban hành" not in page


def test_a_report_error_names_the_field_not_an_option(as_user: Any) -> None:
    director = as_user("director")
    response = director.post("/o/ha-tinh/issue", data=form(director, period="2020-X7"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="i-period-err"' in page and "--period" not in page


def test_a_position_past_the_last_stored_one_is_refused_and_nothing_issued(as_user: Any) -> None:
    """An issue pinned at @99999 would be "broken" by the next import: a red field, no issue."""
    director = as_user("director")
    data = form(director, recorded_by="@99999", confirm="1")
    response = director.post("/o/ha-tinh/issue", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="i-recorded_by-err">vị trí @99999 vượt quá vị trí cuối của kho' in page
    assert "15/BC-SNgV" not in issued_numbers(director)


def test_the_signer_is_the_accounts_full_name_and_title(app: Any, as_user: Any) -> None:
    app.extensions["ngoaivu_accounts"].set_profile("director", "Lê Thị Khánh Cẩm", "GIÁM ĐỐC")
    page = as_user("director").get(f"/o/ha-tinh/issue?{REPORT}").get_data(as_text=True)
    assert 'name="signer" value="Lê Thị Khánh Cẩm"' in page
    assert 'name="signer_title" value="GIÁM ĐỐC"' in page


def test_an_as_of_after_the_signing_day_is_refused(as_user: Any) -> None:
    director = as_user("director")
    data = form(director, as_of="15/12/2020", signed_on="14/12/2020", confirm="1")
    response = director.post("/o/ha-tinh/issue", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="i-as_of-err">ngày tính đến 15/12/2020 sau ngày ký 14/12/2020' in page
    assert "15/BC-SNgV" not in issued_numbers(director)


def test_recipients_keep_the_archive_line(app: Any, as_user: Any) -> None:
    """Nơi nhận ends with "- Lưu: VT." as in every issued document of the seeds; a list that
    already names its archive line is kept as typed."""
    from service.reporting.issuing import find_issued

    director = as_user("director")
    rt = app.extensions["ngoaivu"]
    for number, typed, stored in (
        ("15/BC-SNgV", "Như trên; UBND tỉnh", ["Như trên", "UBND tỉnh", "Lưu: VT"]),
        ("16/BC-SNgV", "Như trên; Lưu: VT, VPTr", ["Như trên", "Lưu: VT, VPTr"]),
    ):
        data = form(director, number=number, recipients=typed, confirm="1")
        assert director.post("/o/ha-tinh/issue", data=data).status_code == 302
        assert rt.worker.sync()  # the issue applied to the read models
        assert find_issued(rt, "ha-tinh", number, 2020).details["recipients"] == stored
