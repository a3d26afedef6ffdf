"""Data entry: forms store one fact as the logged-in user, or show errors and store nothing."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from tests.web.conftest import csrf_token


def head(app: Any) -> int:
    return app.extensions["ngoaivu"].app.head()


def post(client: Any, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


DELEGATION = {
    "id": "2021-DR-WEB",
    "direction": "outbound",
    "people": "4",
    "countries": "Lào, Thái Lan",
    "purpose": "Xúc tiến đầu tư",
    "at": "2021-03-10",
    "funding": "state_budget",
    "received_by_leaders": "1",
}


def test_clerk_records_a_delegation_and_the_report_counts_it(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    before = clerk.get(
        "/api/v1/orgs/ha-tinh/reports/foreign-affairs?period=2021-03&window=calendar&as_of=2021-12-31&known_by=now"
    ).get_json()
    response = post(clerk, "/o/ha-tinh/entry/delegation", DELEGATION)
    assert response.status_code == 302
    page = clerk.get(response.location).get_data(as_text=True)
    assert "Đã ghi nhận: Đoàn ra, đoàn vào — đoàn 2021-DR-WEB." in page
    assert "/o/ha-tinh/history?target=delegation:2021-DR-WEB" in page
    after = clerk.get(
        "/api/v1/orgs/ha-tinh/reports/foreign-affairs?period=2021-03&window=calendar&as_of=2021-12-31&known_by=now"
    ).get_json()
    assert after["outbound"]["delegations"] == before["outbound"]["delegations"] + 1
    assert after["outbound"]["people"] == before["outbound"]["people"] + 4
    events = clerk.get("/api/v1/orgs/ha-tinh/history?target=delegation:2021-DR-WEB").get_json()
    assert events[0]["actor"] == "clerk"
    assert events[0]["data"]["countries"] == ["Lào", "Thái Lan"]
    assert events[0]["data"]["received_by_leaders"] is True


def test_bad_form_shows_errors_beside_fields_and_stores_nothing(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    position = head(app)
    bad = {**DELEGATION, "people": "bốn", "direction": "sideways", "purpose": ""}
    response = post(clerk, "/o/ha-tinh/entry/delegation", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="f-people-err">phải là số nguyên' in page
    assert 'id="f-direction-err">giá trị' in page
    assert 'id="f-purpose-err">thiếu trường bắt buộc' in page
    assert 'value="bốn"' in page and 'value="Lào, Thái Lan"' in page  # entered values kept
    assert head(app) == position


TASK_40 = {
    "kind": "task.added",
    "org": "ha-tinh",
    "at": "2020-02-04",
    "programme": "2020",
    "no": 40,
    "title": "Nhiệm vụ thêm qua web",
    "unit": "Phòng Lãnh sự",
}


def test_a_rule_of_the_import_is_reported_on_its_field(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    assert upload(clerk, [TASK_40]).status_code == 200
    done = {"programme": "2020", "no": "40", "status": "completed", "at": "2020-06-01"}
    assert post(clerk, "/o/ha-tinh/entry/task-progress", {**done, "ref": "1/QĐ"}).status_code == 302
    position = head(app)
    again = {**done, "status": "in_progress", "at": "2020-07-01"}
    response = post(clerk, "/o/ha-tinh/entry/task-progress", again)
    assert response.status_code == 422
    assert 'id="f-status-err"' in response.get_data(as_text=True)
    assert head(app) == position


def test_activity_detail_must_add_up(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    form = {
        "metric": "translation.pages",
        "month": "2023-04",
        "value": "10",
        "detail-translation.pages-certified": "4",
        "detail-translation.pages-content": "5",
        "at": "30/04/2023",
    }
    response = post(clerk, "/o/ha-tinh/entry/activity", form)
    assert response.status_code == 422
    assert 'id="f-detail-err">tổng các chỉ tiêu con (9) khác tổng số (10)' in response.get_data(
        as_text=True
    )
    good = post(
        clerk, "/o/ha-tinh/entry/activity", {**form, "detail-translation.pages-content": "6"}
    )
    assert good.status_code == 302


def test_award_proposal_then_grant(as_user: Any) -> None:
    clerk = as_user("clerk")
    proposal = {
        "kind": "award.proposed",
        "id": "WEB-1",
        "form": "bang_khen",
        "grantor": "ubnd_tinh",
        "recipient.type": "individual",
        "recipient.name": "Nguyễn Văn A",
        "category": "cong_trang",
        "for_year": "2023",
        "at": "2024-01-10",
    }
    assert post(clerk, "/o/ha-tinh/entry/award", proposal).status_code == 302
    grant = {"kind": "award.granted", "id": "WEB-1", "at": "2024-02-01", "ref": "12/QĐ-UBND"}
    assert post(clerk, "/o/ha-tinh/entry/award", grant).status_code == 302
    events = clerk.get("/api/v1/orgs/ha-tinh/history?target=award:WEB-1").get_json()
    assert [e["kind"] for e in events] == ["award.proposed", "award.granted"]
    assert events[0]["data"]["recipient"] == {"type": "individual", "name": "Nguyễn Văn A"}


def test_correct_and_void_need_a_reason(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    post(clerk, "/o/ha-tinh/entry/delegation", DELEGATION)
    target = "delegation:2021-DR-WEB"
    missing = post(
        clerk, "/o/ha-tinh/entry/correction", {"kind": "record.voided", "target": target}
    )
    assert missing.status_code == 422 and 'id="f-reason-err"' in missing.get_data(as_text=True)
    fix = {"kind": "record.corrected", "target": target, "set": "people=5", "reason": "đếm lại"}
    assert post(clerk, "/o/ha-tinh/entry/correction", fix).status_code == 302
    void = {"kind": "record.voided", "target": target, "reason": "nhập trùng"}
    assert post(clerk, "/o/ha-tinh/entry/correction", void).status_code == 302
    kinds = [
        e["kind"] for e in clerk.get(f"/api/v1/orgs/ha-tinh/history?target={target}").get_json()
    ]
    assert kinds == ["delegation.recorded", "record.corrected", "record.voided"]
    found = clerk.get("/api/v1/orgs/ha-tinh/search?q=xuc tien dau tu").get_json()
    assert target not in [f["target"] for f in found]


def upload(client: Any, lines: list[dict[str, Any]], backfill: bool = False) -> Any:
    body = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    data = {
        "csrf_token": csrf_token(client, "/o/ha-tinh/entry/upload"),
        "file": (io.BytesIO(body), "facts.jsonl"),
    }
    if backfill:
        data["backfill"] = "1"
    return client.post("/o/ha-tinh/entry/upload", data=data, content_type="multipart/form-data")


def test_upload_is_all_or_nothing_with_errors_per_line(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    good = {
        "kind": "conference.recorded",
        "org": "ha-tinh",
        "at": "2023-05-01",
        "id": "HN-1",
        "title": "Hội nghị",
    }
    bad = {"kind": "conference.recorded", "org": "ha-tinh", "at": "2023-05-02", "id": "HN-2"}
    position = head(app)
    response = upload(clerk, [good, bad])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<td>2</td><td>Tiêu đề <code>title</code></td><td>thiếu trường bắt buộc</td>" in page
    assert head(app) == position
    assert upload(clerk, [good]).status_code == 200
    assert head(app) == position + 1


def test_upload_in_english_lists_every_bad_line_in_english(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    clerk.get("/lang/en")
    lines = [
        {"kind": "conference.recorded", "org": "ha-tinh", "at": "2023-05-01", "id": "HN-E1"},
        {
            "kind": "support.given",
            "org": "ha-tinh",
            "at": "2023-05-02",
            "id": "HT-E2",
            "beneficiary": "Tỉnh Khammouane",
            "title": "Gạo",
            "amount_vnd": "nhiều",
        },
        {"kind": "delegation.recorded", "org": "ha-tinh", "at": "2023-02-31", "id": "DR-E3"},
        {"kind": "aid.counted", "org": "ha-tinh", "at": "2023-05-04"},
    ]
    position = head(app)
    response = upload(clerk, lines)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    rows = [
        "<td>1</td><td>Title <code>title</code></td><td>required field missing</td>",
        "<td>2</td><td>Value (VND) <code>amount_vnd</code></td><td>must be a whole number</td>",
        "<td>3</td><td>Effective date <code>at</code></td><td>no such day: &#39;2023-02-31&#39;",
        "<td>4</td><td>Event kind <code>kind</code></td><td>invalid kind &#39;aid.counted&#39;; ",
    ]
    for row in rows:
        assert row in page, row
    assert "File rejected: 4 bad lines; nothing stored." in page
    table = page[page.find("<table") : page.find("</table>")]
    assert not re.search(r"thiếu|phải là|không|loại", table), table
    assert head(app) == position


THREE_BAD = {  # a date that does not exist, a whole number in words, a direction unknown
    "kind": "delegation.recorded",
    "org": "ha-tinh",
    "at": "2023-02-31",
    "id": "DR-3BAD",
    "direction": "sideways",
    "people": "bốn",
    "countries": ["Lào"],
    "purpose": "Xúc tiến đầu tư",
}
THREE_GOOD = {
    "kind": "conference.recorded",
    "org": "ha-tinh",
    "at": "2023-05-01",
    "id": "HN-3OK",
    "title": "Hội nghị",
}


def error_rows(page: str) -> list[tuple[str, str, str]]:
    """The upload page's error table as (line, field key, message) rows."""
    table = page[page.find("<table") : page.find("</table>")]
    return re.findall(
        r"<tr><td>(\d+)</td><td>[^<]*<code>([\w.]+)</code></td><td>([^<]*)</td></tr>", table
    )


def test_upload_shows_every_bad_field_of_a_line_beside_it(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    position = head(app)
    response = upload(clerk, [THREE_GOOD, THREE_BAD])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_rows(page) == [
        ("2", "at", "ngày không tồn tại: &#39;2023-02-31&#39;"),
        (
            "2",
            "direction",
            "giá trị &#39;sideways&#39; không hợp lệ; phải là một trong: outbound, inbound",
        ),
        ("2", "people", "phải là số nguyên"),
    ]
    assert "<td>2</td><td>Ngày hiệu lực <code>at</code></td>" in page
    assert "Tệp bị từ chối: 1 dòng lỗi; không lưu gì." in page
    assert "dòng lỗi khác" not in page  # three fields of one line are not "more lines"
    assert head(app) == position


def test_upload_in_english_shows_every_bad_field_of_a_line(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    clerk.get("/lang/en")
    position = head(app)
    response = upload(clerk, [THREE_GOOD, THREE_BAD])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    rows = error_rows(page)
    assert [(line, key) for line, key, _m in rows] == [
        ("2", "at"),
        ("2", "direction"),
        ("2", "people"),
    ]
    assert rows[0][2] == "no such day: &#39;2023-02-31&#39;"
    assert rows[2][2] == "must be a whole number"
    table = page[page.find("<table") : page.find("</table>")]
    assert not re.search(r"thiếu|phải là|không|loại", table), table
    assert "File rejected: 1 bad lines; nothing stored." in page
    assert head(app) == position


def test_upload_counts_more_lines_not_more_fields(app: Any, as_user: Any) -> None:
    """105 lines with three bad fields each: the first 100 lines with all their fields, then
    "and 5 more" lines."""
    clerk = as_user("clerk")
    lines = [dict(THREE_BAD, id=f"DR-3BAD-{n}") for n in range(105)]
    page = upload(clerk, lines).get_data(as_text=True)
    rows = error_rows(page)
    assert len(rows) == 300
    assert [int(line) for line, *_ in rows[::3]] == list(range(1, 101))
    assert "… và 5 dòng lỗi khác" in page
    assert "Tệp bị từ chối: 105 dòng lỗi; không lưu gì." in page


def test_upload_for_another_department_is_refused(app: Any, as_user: Any) -> None:
    line = {
        "kind": "conference.recorded",
        "org": "gia-lai",
        "at": "2023-05-01",
        "id": "HN-9",
        "title": "X",
    }
    position = head(app)
    response = upload(as_user("clerk"), [line])
    assert response.status_code == 422
    assert "không có quyền ghi" in response.get_data(as_text=True)
    assert head(app) == position


def test_clerk_limited_to_units_writes_only_their_tasks(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk_unit")
    form = {"programme": "2020", "no": "4", "status": "in_progress", "at": "2020-05-01"}
    response = post(clerk, "/o/ha-tinh/entry/task-progress", form)
    assert response.status_code == 422
    assert "đơn vị khác" in response.get_data(as_text=True)
    other = post(clerk, "/o/ha-tinh/entry/delegation", DELEGATION)
    assert other.status_code == 422
    assert upload(as_user("clerk"), [TASK_40]).status_code == 200
    own = post(clerk, "/o/ha-tinh/entry/task-progress", {**form, "no": "40"})
    assert own.status_code == 302


def correct_unit(app: Any, task: str, unit: str) -> None:
    """An administrator moves a task to another unit (a correction of its opening fact)."""
    token = app.extensions["ngoaivu_accounts"].new_token("admin")
    body = {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": f"fact:{task}#1",
        "set": {"unit": unit},
        "reason": "giao lại cho đơn vị khác",
    }
    client = app.test_client()
    response = client.post(
        "/api/v1/commands", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201, response.get_json()


def test_a_unit_clerks_rights_follow_the_tasks_corrected_unit(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk_unit")  # limited to "Phòng Lãnh sự"
    later = {"programme": "2020", "no": "21", "status": "in_progress", "at": "2020-12-20"}
    assert post(clerk, "/o/ha-tinh/entry/task-progress", later).status_code == 422
    correct_unit(app, "task:2020/21", "Phòng Lãnh sự")
    assert post(clerk, "/o/ha-tinh/entry/task-progress", later).status_code == 302

    assert upload(as_user("clerk"), [TASK_40]).status_code == 200  # added as "Phòng Lãnh sự"
    own = {"programme": "2020", "no": "40", "status": "in_progress", "at": "2020-05-01"}
    correct_unit(app, "task:2020/40", "Phòng Hợp tác quốc tế")
    position = head(app)
    response = post(clerk, "/o/ha-tinh/entry/task-progress", own)
    assert response.status_code == 422
    assert "đơn vị khác (Phòng Hợp tác quốc tế)" in response.get_data(as_text=True)
    void = {"kind": "record.voided", "target": "fact:task:2020/40#1", "reason": "nhầm"}
    refused = post(clerk, "/o/ha-tinh/entry/correction", void)
    assert refused.status_code == 422 and "đơn vị khác" in refused.get_data(as_text=True)
    assert head(app) == position


def test_a_unit_clerk_cannot_move_a_task_out_of_their_units(app: Any, as_user: Any) -> None:
    correct_unit(app, "task:2020/21", "Phòng Lãnh sự")
    clerk = as_user("clerk_unit")
    position = head(app)
    move = {
        "kind": "record.corrected",
        "target": "fact:task:2020/21#1",
        "set": "unit=Phòng Hợp tác quốc tế",
        "reason": "chuyển",
    }
    response = post(clerk, "/o/ha-tinh/entry/correction", move)
    assert response.status_code == 422
    assert "không chuyển nhiệm vụ sang đơn vị ngoài quyền" in response.get_data(as_text=True)
    assert head(app) == position
    fix = {**move, "set": "title=Tiêu đề đã sửa"}
    assert post(clerk, "/o/ha-tinh/entry/correction", fix).status_code == 302


def test_a_refused_status_says_the_task_and_the_later_entry_in_words(as_user: Any) -> None:
    clerk = as_user("clerk")
    assert upload(clerk, [TASK_40]).status_code == 200
    started = {"programme": "2020", "no": "40", "status": "in_progress", "at": "2020-12-11"}
    assert post(clerk, "/o/ha-tinh/entry/task-progress", started).status_code == 302
    earlier = {**started, "status": "completed", "at": "01/12/2020"}
    response = post(clerk, "/o/ha-tinh/entry/task-progress", earlier)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "nhiệm vụ số 40 (chương trình 2020)" in page
    assert "đã có mục “đang triển khai” ngày 11/12/2020" in page
    assert "task:2020/40" not in page and "(completed)" not in page
