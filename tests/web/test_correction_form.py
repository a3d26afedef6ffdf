"""The correction form as staff fill it in: the picked record's fields as labelled boxes with
their current values, only the changed ones corrected; the typed fallback takes words."""

from __future__ import annotations

import html
import re
from typing import Any

from tests.web.conftest import csrf_token

FORM = "/o/ha-tinh/entry/correction"
DELEGATION = {
    "id": "2021-DR-31",
    "direction": "outbound",
    "people": "5",
    "countries": "Lào",
    "purpose": "Làm việc với tỉnh Bolikhamxay",
    "at": "02/04/2021",
}


def post(client: Any, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def recorded_delegation(clerk: Any) -> None:
    response = post(clerk, "/o/ha-tinh/entry/delegation", DELEGATION)
    assert response.status_code == 302, response.get_data(as_text=True)


def boxes_as_sent(page: str) -> dict[str, str]:
    """What a browser sends of the boxes as shown: text and hidden inputs, checked boxes only."""
    out = {}
    for attrs in re.findall(r"<input ([^>]*)>", page):
        name = re.search(r'name="((?:set|was)-[a-z_]+)"', attrs)
        if not name or ('type="checkbox"' in attrs and " checked" not in attrs):
            continue
        value = re.search(r'value="([^"]*)"', attrs)
        out[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return out


def history(clerk: Any) -> str:
    page = clerk.get("/o/ha-tinh/history", query_string={"target": "delegation:2021-DR-31"})
    return html.unescape(page.get_data(as_text=True))


def test_picked_record_shows_its_fields_in_labelled_boxes_with_current_values(
    as_user: Any,
) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    page = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'<label for="f-set-people">Số người</label>', text)
    assert 'name="set-people" value="5"' in text
    assert 'name="set-at" value="02/04/2021"' in text  # a day as the clerk types it
    assert 'name="set-countries" value="Lào"' in text
    # a closed list offers words, the current one selected
    assert re.search(r'<option value="outbound" selected>Đoàn ra</option>', text)
    assert "delegation.recorded" not in text
    # the code names the record, it is not a box
    assert 'name="set-id"' not in text
    # nothing picked: no boxes
    assert 'name="set-people"' not in clerk.get(FORM).get_data(as_text=True)


def test_only_the_changed_box_is_corrected(as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    page = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"})
    shown = boxes_as_sent(page.get_data(as_text=True))
    form = {**shown, "set-people": "4"}
    response = post(
        clerk,
        FORM,
        {
            **form,
            "kind": "record.corrected",
            "target": "delegation:2021-DR-31",
            "reason": "Đếm lại theo quyết định cử đoàn",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    after = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"}).get_data(as_text=True)
    assert 'name="set-people" value="4"' in after
    assert 'name="set-countries" value="Lào"' in after
    assert 'name="set-at" value="02/04/2021"' in after
    assert "Đếm lại theo quyết định cử đoàn" in history(clerk)


def test_a_correction_that_changes_nothing_is_refused_in_words(as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    page = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"}).get_data(as_text=True)
    shown = boxes_as_sent(page)
    data = {**shown, "kind": "record.corrected", "target": "delegation:2021-DR-31", "reason": "x"}
    response = post(clerk, FORM, data)
    assert response.status_code == 422
    assert "chưa thay đổi giá trị nào" in response.get_data(as_text=True)


def test_a_bad_box_is_named_in_words(as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    data = {
        "kind": "record.corrected",
        "target": "delegation:2021-DR-31",
        "was-people": "5",
        "set-people": "bốn",
        "reason": "Đếm lại",
    }
    response = post(clerk, FORM, data)
    assert response.status_code == 422
    text = html.unescape(response.get_data(as_text=True))
    # beside its box, and in the summary under the box's label with a link to it
    assert '<p class="error" id="f-set-people-err">phải là số nguyên</p>' in text
    assert '<a href="#f-set-people">Số người</a>: phải là số nguyên' in text
    assert 'name="set-people" value="bốn" inputmode="numeric" aria-invalid="true"' in text
    assert "set.people" not in text and "delegation.recorded" not in text


def test_typed_fallback_accepts_the_field_and_value_words(as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    data = {
        "kind": "record.corrected",
        "target": "delegation:2021-DR-31",
        "set": "Số người=4\nLoại đoàn=Đoàn vào",
        "reason": "Sai loại đoàn",
    }
    response = post(clerk, FORM, data)
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))
    after = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"}).get_data(as_text=True)
    assert 'name="set-people" value="4"' in after
    assert re.search(r'<option value="inbound" selected>Đoàn vào</option>', after)


def test_typed_fallback_names_an_unknown_field_in_words(as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    data = {
        "kind": "record.corrected",
        "target": "delegation:2021-DR-31",
        "set": "Số khách=4",
        "reason": "Sai",
    }
    response = post(clerk, FORM, data)
    assert response.status_code == 422
    text = html.unescape(response.get_data(as_text=True))
    assert "không đính chính được trường “Số khách”" in text
    assert "Số người" in text and "delegation.recorded" not in text


def test_a_task_progress_correction_offers_the_status_in_words(as_user: Any) -> None:
    clerk = as_user("clerk")
    page = clerk.get(FORM, query_string={"target": "task:2020/3"}).get_data(as_text=True)
    assert '<label for="f-set-status">' in page
    boxes = page.split('id="f-set-boxes"')[1].split("</fieldset>")[0]
    assert re.search(r'<option value="[a-z_]+" selected>[^<]*[À-ỹ][^<]*</option>', boxes)


def test_the_pick_button_shows_the_boxes_and_writes_nothing(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    position = app.extensions["ngoaivu"].app.head()
    data = {"kind": "record.corrected", "target": "delegation:2021-DR-31", "pick": "1"}
    response = post(clerk, FORM, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="set-people" value="5"' in page
    assert "Chưa lưu" not in page and "csrf_token=" not in page
    assert app.extensions["ngoaivu"].app.head() == position


def test_an_untouched_box_does_not_undo_a_change_made_meanwhile(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    page = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"})
    shown = boxes_as_sent(page.get_data(as_text=True))  # people 5, as the clerk saw it
    other = as_user("admin")
    meanwhile = {
        "kind": "record.corrected",
        "target": "delegation:2021-DR-31",
        "set": "people=7",
        "reason": "Theo danh sách mới",
    }
    assert post(other, FORM, meanwhile).status_code == 302
    data = {
        **shown,
        "set-countries": "Lào, Campuchia",
        "kind": "record.corrected",
        "target": "delegation:2021-DR-31",
        "reason": "Thêm nước đến",
    }
    assert post(clerk, FORM, data).status_code == 302
    after = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"}).get_data(as_text=True)
    assert 'name="set-people" value="7"' in after
    assert 'name="set-countries" value="Lào, Campuchia"' in after


def test_typed_fallback_reads_a_date_named_in_words(as_user: Any) -> None:
    clerk = as_user("clerk")
    recorded_delegation(clerk)
    data = {
        "kind": "record.corrected",
        "target": "delegation:2021-DR-31",
        "set": "Ngày bắt đầu=03/04/2021",
        "reason": "Sai ngày",
    }
    response = post(clerk, FORM, data)
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))
    after = clerk.get(FORM, query_string={"target": "delegation:2021-DR-31"}).get_data(as_text=True)
    assert 'name="set-at" value="03/04/2021"' in after
