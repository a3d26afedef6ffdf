"""Pick, don't type; whole forms: pickers, suggested codes, members, sub-counts, every kind."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from domain import labels
from service.reporting.requests import vn_today
from tests.web.conftest import csrf_token
from tests.web.test_words import visible_text


def post(client: Any, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def test_task_picker_names_number_title_and_status(as_user: Any) -> None:
    page = as_user("clerk").get("/o/ha-tinh/entry/task-progress").get_data(as_text=True)
    options = re.findall(r'<option value="2020/3" ?>([^<]+)</option>', page)
    assert options and options[0].startswith("2020 · 3. ")
    assert options[0].rsplit("— ", 1)[1] in (
        "hoàn thành",
        "điều chỉnh sang năm sau",
        "đang triển khai",
        "đề xuất điều chỉnh sang năm sau",
        "không thực hiện được",
        "hủy bỏ",
        "chưa báo cáo",
    )


def test_task_picked_from_the_list_is_progressed(as_user: Any) -> None:
    clerk = as_user("clerk")
    page = clerk.get("/o/ha-tinh/entry/task-progress").get_data(as_text=True)
    open_task = re.search(
        r'<option value="(\d{4}/\d+)" ?>[^<]+— (?:đang triển khai|chưa báo cáo)<', page
    )
    assert open_task, "a task still open in the samples"
    done = post(
        clerk,
        "/o/ha-tinh/entry/task-progress",
        {"task": open_task.group(1), "status": "in_progress", "at": "01/12/2020"},
    )
    assert done.status_code == 302, done.get_data(as_text=True)[-3000:]


def test_delegation_form_suggests_the_next_free_code(as_user: Any) -> None:
    page = as_user("clerk").get("/o/ha-tinh/entry/delegation").get_data(as_text=True)
    assert f'value="{vn_today().year}-DR-01"' in page


def test_delegation_with_members_and_vietnamese_dates(as_user: Any) -> None:
    clerk = as_user("clerk")
    form = {
        "id": "2021-DR-WHOLE",
        "direction": "outbound",
        "people": "3",
        "countries": "Lào",
        "purpose": "Thăm và làm việc",
        "at": "05/03/2021",
        "end": "08/03/2021",
        "leader_level": "Lãnh đạo tỉnh",
        "partner_type": "locality",
        "arranged": "province_plan",
        "members-0-name": "Nguyễn Văn A",
        "members-0-position": "Phó Chủ tịch UBND tỉnh",
        "members-1-name": "Trần Thị B",
        "members-1-unit": "Sở Ngoại vụ",
        "members-2-name": "",
    }
    response = post(clerk, "/o/ha-tinh/entry/delegation", form)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    page = clerk.get("/o/ha-tinh/history?target=delegation:2021-DR-WHOLE").get_data(as_text=True)
    assert "Nguyễn Văn A" in page and "Trần Thị B" in page and "05/03/2021" in page
    assert "Phó Chủ tịch UBND tỉnh" in page and "Địa phương nước ngoài" in page
    assert "Theo kế hoạch của tỉnh" in page


def test_every_error_of_a_form_at_once_beside_its_field(as_user: Any) -> None:
    response = post(
        as_user("clerk"), "/o/ha-tinh/entry/delegation", {"people": "bốn", "at": "32/13/2021"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("id", "direction", "people", "countries", "purpose", "at"):
        assert f'id="f-{name}-err"' in page, name
    assert "--" not in re.sub(r"<!--.*?-->", "", page[page.find("<main") :])


def test_activity_sub_counts_in_boxes_accept_grouped_numbers(as_user: Any) -> None:
    clerk = as_user("clerk")
    form = {
        "metric": "translation.pages",
        "month": "04/2023",
        "value": "1.234",
        "detail-translation.pages-certified": "1.000",
        "detail-translation.pages-content": "234",
        "at": "30/04/2023",
    }
    page = clerk.get("/o/ha-tinh/entry/activity").get_data(as_text=True)
    assert 'name="detail-translation.pages-certified"' in page and "dịch công chứng" in page
    assert post(clerk, "/o/ha-tinh/entry/activity", form).status_code == 302
    history = clerk.get("/o/ha-tinh/history?target=activity:translation.pages/2023-04")
    assert "1.234" in history.get_data(as_text=True)


FORMS = (
    (
        "conference",
        {
            "id": "2021-HN-01",
            "title": "Hội thảo xúc tiến đầu tư",
            "type": "workshop",
            "approval": "province",
            "at": "10/05/2021",
        },
    ),
    (
        "agreement",
        {
            "id": "2021-TT-01",
            "title": "Bản ghi nhớ hợp tác",
            "partner": "Tỉnh Khammouane",
            "level": "province",
            "at": "11/05/2021",
        },
    ),
    (
        "aid-commitment",
        {
            "id": "2021-VT-01",
            "donor": "JICA",
            "project": "Nước sạch",
            "amount_usd": "120.000",
            "at": "12/05/2021",
        },
    ),
    ("aid-disbursement", {"id": "2021-VT-01", "amount_usd": "20.000", "at": "20/05/2021"}),
    (
        "movement",
        {
            "id": "2021-PT-01",
            "title": "Thi đua đối ngoại",
            "launched_by": "department",
            "phases-0-name": "Đợt 1",
            "phases-0-from": "01/01/2021",
            "phases-0-to": "30/06/2021",
            "at": "01/01/2021",
        },
    ),
    (
        "registration",
        {
            "id": "2021-PT-01",
            "registrant.type": "collective",
            "registrant.name": "Phòng Lãnh sự",
            "at": "05/01/2021",
        },
    ),
    (
        "assessment",
        {"id": "2021-PT-01", "year": "2021", "result": "Hoàn thành xuất sắc", "at": "15/12/2021"},
    ),
    (
        "pledge",
        {
            "id": "2021-GU-01",
            "group": "bloc",
            "group_name": "Khối các cơ quan tổng hợp",
            "parties": "Sở Ngoại vụ, Sở Nội vụ",
            "movement": "2021-PT-01",
            "at": "20/02/2021",
        },
    ),
)


def test_a_form_for_every_kind_the_office_records(as_user: Any) -> None:
    clerk = as_user("clerk")
    for slug, form in FORMS:
        response = post(clerk, f"/o/ha-tinh/entry/{slug}", form)
        assert response.status_code == 302, (slug, response.get_data(as_text=True)[-1500:])
    aid = clerk.get("/o/ha-tinh/entry/aid-disbursement").get_data(as_text=True)
    assert "2021-VT-01: JICA — Nước sạch" in aid


def test_correction_picks_the_record_with_its_current_values(as_user: Any) -> None:
    clerk = as_user("clerk")
    page = clerk.get("/o/ha-tinh/entry/correction").get_data(as_text=True)
    progress = r'<option value="task:2020/3" ?>nhiệm vụ số 3, chương trình 2020 — tiến độ: '
    assert re.search(progress + r"Trạng thái: ", page)
    opening = r'<option value="fact:task:2020/3#1" ?>nhiệm vụ số 3, chương trình 2020 — nội dung: '
    assert re.search(opening + r"[^<]*Tiêu đề: ", page)


SUPPORT = (
    (
        "support-given",
        "support.given",
        {
            "beneficiary": "Tỉnh Bolikhamxay",
            "title": "Vật tư y tế phòng, chống dịch",
            "amount_vnd": "1.100.000.000",
            "at": "15/01/2021",
        },
        ("Tỉnh Bolikhamxay", "1.100.000.000", "15/01/2021"),
    ),
    (
        "support-received",
        "support.received",
        {
            "donor": "Kiều bào tại Lào",
            "title": "Ủng hộ phòng, chống dịch",
            "amount_vnd": "300.000.000",
            "at": "20/01/2021",
        },
        ("Kiều bào tại Lào", "300.000.000", "20/01/2021"),
    ),
)


@pytest.mark.parametrize(("slug", "kind", "form", "shown"), SUPPORT)
def test_support_forms_record_in_words_with_a_history_link(
    as_user: Any, slug: str, kind: str, form: dict[str, str], shown: tuple[str, ...]
) -> None:
    clerk = as_user("clerk")
    page = clerk.get(f"/o/ha-tinh/entry/{slug}").get_data(as_text=True)
    code = re.search(r'id="f-id" name="id" value="([^"]+)"', page)
    assert code and code.group(1) == f"{vn_today().year}-HT-01"  # the next free code
    for name in form:
        assert f'<label for="f-{name}">' in page, name
    response = post(clerk, f"/o/ha-tinh/entry/{slug}", {"id": code.group(1), **form})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    done = clerk.get(response.headers["Location"]).get_data(as_text=True)
    words = labels.KINDS[kind]
    assert f"Đã ghi nhận: {words} — khoản hỗ trợ, ủng hộ {code.group(1)}." in done
    link = f"/o/ha-tinh/history?target=support:{code.group(1)}"
    assert link in html.unescape(done)
    history = clerk.get(link).get_data(as_text=True)
    for text in shown:
        assert text in history, text
    assert kind not in visible_text(done) and kind not in visible_text(history)
    # The record to correct is picked with its current values, its amount grouped.
    correction = clerk.get("/o/ha-tinh/entry/correction").get_data(as_text=True)
    assert re.search(
        rf'<option value="support:{code.group(1)}" ?>khoản hỗ trợ, ủng hộ {code.group(1)} — '
        rf"[^<]*Trị giá \(đồng\): {re.escape(shown[1])}",
        correction,
    )


@pytest.mark.parametrize("slug", ["support-given", "support-received"])
def test_support_form_shows_every_error_at_once(as_user: Any, slug: str) -> None:
    response = post(
        as_user("clerk"), f"/o/ha-tinh/entry/{slug}", {"amount_vnd": "nhiều", "at": "31/02/2021"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    other = "beneficiary" if slug == "support-given" else "donor"
    for name in ("id", other, "title", "amount_vnd", "at"):
        assert f'id="f-{name}-err"' in page, name
    assert "Chưa lưu: vui lòng sửa 5 lỗi bên dưới." in page


def test_form_errors_in_english_mode_are_english(as_user: Any) -> None:
    clerk = as_user("clerk")
    clerk.get("/lang/en")
    response = post(clerk, "/o/ha-tinh/entry/support-given", {"amount_vnd": "nhiều"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="f-title-err">required field missing</p>' in page
    assert '<p class="error" id="f-amount_vnd-err">must be a whole number</p>' in page
    assert "Support given by the province" in page and "thiếu trường" not in page


def error_of(page: str, name: str) -> str:
    """The text of the error shown beside a form's field."""
    found = re.search(rf'<p class="error" id="f-{re.escape(name)}-err">([^<]*)</p>', page)
    assert found, (name, page)
    return html.unescape(found.group(1))


def test_a_bad_date_typed_dd_mm_yyyy_is_echoed_as_typed(as_user: Any) -> None:
    """31/02/2021 does not exist: the error repeats it as typed, not as 2021-02-31."""
    values = {"at": "31/02/2021", "known_since": "30/2/2020", "people": "bốn"}
    response = post(as_user("clerk"), "/o/ha-tinh/entry/delegation", values)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_of(page, "at") == "ngày không tồn tại: '31/02/2021'"
    assert error_of(page, "known_since") == "ngày không tồn tại: '30/2/2020'"
    assert error_of(page, "people") == "phải là số nguyên"  # with every other error
    assert "2021-02-31" not in page and "2020-02-30" not in page
    assert 'value="31/02/2021"' in page  # the box keeps what was typed


def test_a_bad_date_is_echoed_as_typed_in_english(as_user: Any) -> None:
    clerk = as_user("clerk")
    clerk.get("/lang/en")
    response = post(clerk, "/o/ha-tinh/entry/delegation", {"at": "31/02/2021"})
    assert error_of(response.get_data(as_text=True), "at") == "no such day: '31/02/2021'"


def test_a_bad_date_in_a_table_row_is_echoed_as_typed(as_user: Any) -> None:
    values = {
        "id": "PT-NGAY",
        "title": "Phong trào thi đua",
        "at": "01/03/2021",
        "phases-0-name": "Đợt 1",
        "phases-0-from": "31/04/2021",
        "phases-0-to": "30/06/2021",
    }
    response = post(as_user("clerk"), "/o/ha-tinh/entry/movement", values)
    assert response.status_code == 422
    said = error_of(response.get_data(as_text=True), "phases")
    assert "'31/04/2021'" in said and "2021-04-31" not in said


def test_a_bad_cut_off_date_of_the_issue_form_is_echoed_as_typed(as_user: Any) -> None:
    director = as_user("director")
    url = "/o/ha-tinh/issue"
    data = {
        "kind": "key-tasks",
        "period": "2020",
        "window": "nd09",
        "as_of": "11/12/2020",
        "known_by": "31/11/2020",
        "number": "16/BC-SNgV",
        "signed_on": "14/12/2020",
        "signer": "Nguyễn Văn B",
        "csrf_token": csrf_token(director, url),
    }
    response = director.post(url, data=data)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "ngày không tồn tại: '31/11/2020'" in page and "2020-11-31" not in page


def test_a_bad_date_of_the_report_page_is_echoed_as_typed(as_user: Any) -> None:
    response = as_user("inspector").get(
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=31/02/2021"
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "ngày không tồn tại: '31/02/2021'" in page and "2021-02-31" not in page


def test_a_correction_takes_a_date_typed_dd_mm_yyyy_and_echoes_a_bad_one(as_user: Any) -> None:
    clerk = as_user("clerk")
    delegation = {
        "id": "2021-DR-NGAY",
        "direction": "outbound",
        "people": "3",
        "countries": "Lào",
        "purpose": "Hợp tác",
        "at": "10/03/2021",
    }
    assert post(clerk, "/o/ha-tinh/entry/delegation", delegation).status_code == 302
    target = "delegation:2021-DR-NGAY"
    bad = {"kind": "record.corrected", "target": target, "set": "at=31/03/2021\nend=31/04/2021"}
    response = post(clerk, "/o/ha-tinh/entry/correction", {**bad, "reason": "ghi nhầm ngày"})
    assert response.status_code == 422
    said = error_of(response.get_data(as_text=True), "set")
    assert "'31/04/2021'" in said and "2021-04-31" not in said
    fix = {**bad, "set": "at=11/03/2021", "reason": "ghi nhầm ngày"}
    assert post(clerk, "/o/ha-tinh/entry/correction", fix).status_code == 302
    events = clerk.get(f"/api/v1/orgs/ha-tinh/history?target={target}").get_json()
    assert events[-1]["kind"] == "record.corrected"
    assert events[-1]["data"] == {"at": "2021-03-11"}
