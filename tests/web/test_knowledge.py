"""Knowledge made visible: as known on D or today, switchable; late entries explained; the
dashboard on the latest year with records."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import csrf_token

REPORT = "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"


def test_dashboard_opens_on_the_latest_year_with_records(as_user: Any) -> None:
    page = as_user("inspector").get("/o/ha-tinh/").get_data(as_text=True)
    assert "Tổng quan năm 2021" in page  # the samples' last record: 11/06/2021


def test_dashboard_says_as_known_when_and_switches(as_user: Any) -> None:
    client = as_user("inspector")
    page = client.get("/o/ha-tinh/?year=2020").get_data(as_text=True)
    assert "Số liệu tính đến 31/12/2020, như đã biết ngày 31/12/2020." in page
    assert "?year=2020&amp;known=today" in page
    today = client.get("/o/ha-tinh/?year=2020&known=today").get_data(as_text=True)
    assert "theo hiểu biết hôm nay" in today and "Xem như đã biết ngày 31/12/2020" in today


def test_report_says_as_known_when_and_switches(as_user: Any) -> None:
    client = as_user("inspector")
    page = client.get(REPORT).get_data(as_text=True)
    assert "Như đã biết ngày 11/12/2020" in page
    assert "known_by=now" in page and "Xem theo hiểu biết hôm nay" in page
    now = client.get(REPORT + "&known_by=now").get_data(as_text=True)
    assert "Theo hiểu biết hôm nay" in now and "Xem như đã biết ngày 11/12/2020" in now


def test_report_options_typed_dd_mm_yyyy(as_user: Any) -> None:
    client = as_user("inspector")
    typed = client.get(
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=11/12/2020&known_by=31/12/2021"
    )
    page = typed.get_data(as_text=True)
    assert "Như đã biết ngày 31/12/2021" in page and 'value="11/12/2020"' in page


def test_a_late_entry_says_where_it_shows(as_user: Any) -> None:
    clerk = as_user("clerk")
    url = "/o/ha-tinh/entry/conference"
    data = {"id": "2021-HN-LATE", "title": "Hội thảo", "at": "05/03/2021"}
    response = clerk.post(url, data={**data, "csrf_token": csrf_token(clerk, url)})
    assert response.status_code == 302
    page = clerk.get(response.location).get_data(as_text=True)
    assert "Sự việc ngày 05/03/2021 được tính vào các báo cáo có kỳ chứa ngày đó" in page
    assert "theo hiểu biết hôm nay" in page
