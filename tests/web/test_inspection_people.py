"""Inspection for people: history in the menu and from report rows, the diff in sentences,
breadcrumbs, search with columns, filters, reasons and pages, sorted lists."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import csrf_token


def post(client: Any, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def issue(director: Any, number: str) -> None:
    data = {
        "kind": "key-tasks",
        "period": "2020",
        "as_of": "11/12/2020",
        "number": number,
        "signed_on": "14/12/2020",
        "signer": "Nguyễn Văn B",
        "confirm": "1",
    }
    assert post(director, "/o/ha-tinh/issue", data).status_code == 302


def test_history_is_in_the_menu_and_lists_recent_records(as_user: Any) -> None:
    client = as_user("inspector")
    page = client.get("/o/ha-tinh/").get_data(as_text=True)
    assert 'href="/o/ha-tinh/history"' in page and "Lịch sử bản ghi" in page
    landing = client.get("/o/ha-tinh/history").get_data(as_text=True)
    assert "Các bản ghi thay đổi gần đây" in landing and "target=task:2020/" in landing


def test_the_history_landing_is_paged_and_lists_records_only(
    as_user: Any, monkeypatch: Any
) -> None:
    import web.pickers

    monkeypatch.setattr(web.pickers, "HISTORY_PAGE", 4)
    client = as_user("inspector")
    pages = [client.get(f"/o/ha-tinh/history?page={n}").get_data(as_text=True) for n in (1, 2)]
    links = [re.findall(r'history\?target=([^"]+)"', page) for page in pages]
    assert len(links[0]) == len(links[1]) == 4 and not set(links[0]) & set(links[1])
    # Records, not a task's content fact (whose history is the task's own page).
    assert all(not target.startswith("fact:") for target in links[0] + links[1])
    assert 'rel="next"' in pages[0] and 'rel="prev"' in pages[1] and "Trang 2/" in pages[1]
    # Past the last page: the last page.
    last = client.get("/o/ha-tinh/history?page=9999").get_data(as_text=True)
    assert 'rel="next"' not in last and re.findall(r'history\?target=([^"]+)"', last)
    for target in links[0][:2]:
        assert client.get(f"/o/ha-tinh/history?target={target}").status_code == 200


def test_the_history_landing_is_kept_until_the_store_moves_on(
    as_user: Any, monkeypatch: Any
) -> None:
    import web.inspection

    client = as_user("inspector")
    client.get("/o/ha-tinh/")  # the session's first page makes its forms' secret: not kept
    first = client.get("/o/ha-tinh/history").get_data(as_text=True)

    def never(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the kept page was built again")

    monkeypatch.setattr(web.inspection, "render_template", never)
    assert client.get("/o/ha-tinh/history").get_data(as_text=True) == first


def test_report_rows_link_to_their_history(as_user: Any) -> None:
    page = as_user("inspector").get(
        "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"
    )
    assert '/o/ha-tinh/history?target=task:2020/3"' in page.get_data(as_text=True)


def test_history_page_has_breadcrumbs_and_a_back_link(as_user: Any) -> None:
    client = as_user("inspector")
    page = client.get(
        "/o/ha-tinh/history?target=task:2020/3",
        headers={"Referer": "https://localhost/o/ha-tinh/reports?kind=key-tasks&period=2020"},
    ).get_data(as_text=True)
    assert 'class="crumbs"' in page and "nhiệm vụ số 3, chương trình 2020" in page
    assert "data-back>‹ Quay lại" in page  # app.js points it at the page the user came from


def test_the_diff_of_an_issued_report_in_sentences(as_user: Any) -> None:
    issue(as_user("director"), "20/BC-DIFF")
    clerk = as_user("clerk")
    fix = {
        "kind": "record.corrected",
        "target": "fact:task:2020/3#1",
        "set": "title=Tiêu đề đã đính chính",
        "reason": "Sai tên nhiệm vụ plugh",
    }
    assert post(clerk, "/o/ha-tinh/entry/correction", fix).status_code == 302
    page = as_user("inspector").get("/o/ha-tinh/issued/2020/20/BC-DIFF").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", page)
    assert "Nhiệm vụ (số thứ tự 3) › Tiêu đề: khi ban hành" in text
    assert "hôm nay Tiêu đề đã đính chính." in text
    assert (
        "Do Đính chính bản ghi (đính chính), ghi bởi clerk lúc" in text
        and "lý do: Sai tên nhiệm vụ plugh" in text
    )
    assert "tasks[no=3]" not in text


def test_search_finds_reasons_with_kind_date_status_columns(as_user: Any) -> None:
    clerk = as_user("clerk")
    fix = {
        "kind": "record.corrected",
        "target": "fact:task:2020/3#1",
        "set": "title=Khác",
        "reason": "Lỗi đánh máy xyzzy",
    }
    assert post(clerk, "/o/ha-tinh/entry/correction", fix).status_code == 302
    page = clerk.get("/o/ha-tinh/search?q=XYZZY").get_data(as_text=True)
    assert "1 kết quả" in page and "Lỗi đánh máy xyzzy" in page
    row = page[page.find("<tbody>") : page.find("</tbody>")]
    assert "Nhiệm vụ" in row and re.search(r"\d\d/\d\d/20\d\d", row)


def test_search_filters_and_pages(as_user: Any) -> None:
    client = as_user("inspector")
    everything = client.get("/o/ha-tinh/search?q=a").get_data(as_text=True)
    total = int(re.search(r"(\d+) kết quả", everything).group(1))
    assert total > 25 and "Trang 1/" in everything and "page=2" in everything
    tasks = client.get("/o/ha-tinh/search?q=a&kind=task").get_data(as_text=True)
    shown = int(re.search(r"(\d+) kết quả", tasks).group(1))
    assert 0 < shown < total
    dated = client.get("/o/ha-tinh/search?q=a&from=01/01/2021&to=31/12/2021").get_data(as_text=True)
    days = re.findall(r"<td>(\d\d/\d\d/(\d{4}))</td>", dated)
    assert days and all(year == "2021" for _d, year in days)


def test_issued_list_sorts_and_pages(as_user: Any) -> None:
    director = as_user("director")
    issue(director, "2/BC-A")
    issue(director, "1/BC-B")
    page = director.get("/o/ha-tinh/issued?sort=number").get_data(as_text=True)
    assert page.index("1/BC-B") < page.index("2/BC-A")
    page = director.get("/o/ha-tinh/issued?sort=-number").get_data(as_text=True)
    assert page.index("2/BC-A") < page.index("1/BC-B")
