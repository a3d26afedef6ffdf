"""Words, never codes: pages show the label tables' words, years unbroken, success in words."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from domain import labels
from domain.labels_en import EN

PAGES = (
    "/o/ha-tinh/",
    "/o/ha-tinh/?year=2020",
    "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11",
    "/o/ha-tinh/reports?kind=emulation&period=2020&window=calendar&as_of=2020-12-31",
    "/o/ha-tinh/reports?kind=award-register&period=2020&window=calendar&as_of=2020-12-31",
    "/o/ha-tinh/reports?kind=foreign-affairs&period=2021&window=calendar",
    "/o/ha-tinh/history?target=task:2020/3",
    "/o/ha-tinh/search?q=hoi+nghi",
    "/o/ha-tinh/issued",
    "/o/ha-tinh/entry/",
    "/o/ha-tinh/entry/award",
    "/o/ha-tinh/entry/task-progress",
    "/o/ha-tinh/entry/activity",
    "/o/ha-tinh/entry/correction",
    "/o/ha-tinh/entry/upload",
    "/o/ha-tinh/history",
    "/o/ha-tinh/drafts",
    "/o/ha-tinh/accounts",
    "/o/ha-tinh/verify",
    "/o/ha-tinh/issue?kind=key-tasks&period=2020",
)
# Codes that are words of no language (they hold _ . or -): never shown to a person.
CODES = sorted(
    {c for family in labels.FAMILIES.values() for c in family if re.search(r"[_.\-]", c)},
    key=len,
    reverse=True,
)


def visible_text(page: str) -> str:
    """What a person reads: the <main> without tags, attributes, scripts."""
    main = page[page.find("<main") : page.find("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("url", PAGES)
def test_no_code_is_shown_in_a_page(as_user: Any, url: str) -> None:
    page = as_user("admin").get(url)
    assert page.status_code == 200, url
    text = visible_text(page.get_data(as_text=True))
    shown = [c for c in CODES if re.search(rf"(?<![\w./:-]){re.escape(c)}(?![\w-])", text)]
    assert not shown, (url, shown)


def test_every_label_has_its_english() -> None:
    words = {w for family in labels.FAMILIES.values() for w in family.values()}
    words |= (
        set(labels.FIELDS.values()) | set(labels.KIND_FIELDS.values()) | set(labels.KEYS.values())
    )
    assert sorted(w for w in words if w not in EN and labels.english(w) == w) == []


def test_years_are_never_grouped(as_user: Any) -> None:
    page = as_user("admin").get(
        "/o/ha-tinh/reports?kind=award-register&period=2020&window=calendar&as_of=2020-12-31"
    )
    text = visible_text(page.get_data(as_text=True))
    assert not re.search(r"\b2\.0[0-9]{2}\b", text)


def test_english_mode_shows_english_words(as_user: Any) -> None:
    admin = as_user("admin")
    admin.get("/lang/en")
    page = admin.get("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11")
    text = visible_text(page.get_data(as_text=True))
    assert "Key tasks" in text and "completed" in text
    assert "Nhiệm vụ trọng tâm" not in text and "Báo cáo" not in text


def test_the_api_description_gives_the_words_of_the_codes(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    delegation = spec["components"]["schemas"]["DelegationRecorded"]
    assert delegation["description"] == "Đoàn ra, đoàn vào"
    assert delegation["properties"]["people"]["description"] == "Số người"
    assert "outbound: Đoàn ra" in delegation["properties"]["direction"]["description"]


# Raw keys the trial of issue 15 found on the pages of drafts and issued documents.
RAW_KEYS = re.compile(
    r"\b(draft|version|sources|addressees|fa|bao_cao|cong_van|agency|on|text)\b\s*(:|›|$)", re.M
)


@pytest.fixture
def issued_draft(app: Any, as_user: Any, tmp_path: Any) -> str:
    """Draft seed-001 (source fa: foreign-affairs) issued as 55/SNgV-VP, then a delegation of
    its month learnt later: its page has a reprint and a diff."""
    from tests.conftest import SAMPLES
    from tests.web.test_drafts import issue_form, token

    rt = app.extensions["ngoaivu"]
    for name in ("001_ha_tinh_foreign_affairs_2021_03.jsonl", "005_seed_drafts.jsonl"):
        rt.import_file(SAMPLES / name, actor="samples", backfill=True)
    director = as_user("director")
    url = "/o/ha-tinh/drafts/seed-001/issue"
    form = issue_form(signed_on="2021-03-14", number="55/SNgV-VP")
    done = director.post(url, data={**form, "confirm": "1", "csrf_token": token(director, url)})
    assert done.status_code == 302, done.get_data(as_text=True)
    late = tmp_path / "late.jsonl"
    late.write_text(
        '{"kind":"delegation.recorded","org":"ha-tinh","id":"2021-DR-77","direction":"outbound",'
        '"people":3,"countries":["Lào"],"purpose":"Thăm","at":"2021-03-05",'
        '"funding":"state_budget"}\n'
    )
    rt.import_file(late, actor="samples")
    return str(done.headers["Location"])


def shown_codes(text: str) -> list[str]:
    return [c for c in CODES if re.search(rf"(?<![\w./:-]){re.escape(c)}(?![\w-])", text)]


def test_an_issued_draft_shows_words_for_its_keys_in_reprint_and_diff(
    as_user: Any, issued_draft: str
) -> None:
    text = visible_text(as_user("admin").get(issued_draft).get_data(as_text=True))
    assert "Nguồn số liệu (báo cáo) › Công tác đối ngoại › Đoàn ra › Số người" in text
    assert "Kính gửi" in text and "lần ghi 1 của dự thảo seed-001" in text
    assert "Mã dự thảo" in text and "Trích yếu" in text and "Loại văn bản" in text
    assert "tháng 3/2021" in text and "2021-03" not in text
    lines = [line.strip() for line in text.splitlines()]
    assert not [line for line in lines if RAW_KEYS.search(line)]
    assert shown_codes(text) == []


@pytest.mark.parametrize("url", ["/o/ha-tinh/history", "/o/ha-tinh/entry/correction"])
def test_recent_records_are_named_and_valued_in_words(
    as_user: Any, issued_draft: str, url: str
) -> None:
    text = visible_text(as_user("admin").get(url).get_data(as_text=True))
    assert "dự thảo seed-001 — Kính gửi: Văn phòng Ủy ban nhân dân tỉnh" in text
    assert "Nội dung dự thảo: Thực hiện" in text and "Bộ, ngành: Thực hiện" not in text
    assert "addressees" not in text and "draft seed" not in text
    assert "Lãnh đạo tỉnh tiếp: False" not in text


def test_a_refused_change_names_the_fact_in_words_on_the_history_page(as_user: Any) -> None:
    from web.describe import describe_fact

    assert describe_fact("delegation:2022-DR-01#1") == "lần ghi 1 của đoàn 2022-DR-01"
    assert describe_fact("task:2020/3#2") == "lần ghi 2 của nhiệm vụ số 3, chương trình 2020"


def test_pages_of_the_trial_show_no_key_or_slug(as_user: Any, issued_draft: str) -> None:
    admin = as_user("admin")
    home = visible_text(admin.get("/", follow_redirects=True).get_data(as_text=True))
    assert "ha-tinh" not in home
    upload = visible_text(admin.get("/o/ha-tinh/entry/upload").get_data(as_text=True))
    assert "known_since" not in upload and "theo at" not in upload
    drafts = visible_text(admin.get("/o/ha-tinh/drafts").get_data(as_text=True))
    assert "6 tháng đầu năm 2021" in drafts and "tháng 3/2021" in drafts
    assert "2021-H1" not in drafts and "2021-03" not in drafts
    assert "hoặc now" not in admin.get("/o/ha-tinh/reports").get_data(as_text=True)


def test_a_drafts_versions_are_compared_in_words(as_user: Any) -> None:
    from tests.web.test_drafts import DRAFT, save_first, token

    clerk = as_user("clerk")
    assert save_first(clerk).status_code == 302
    url = f"/o/ha-tinh/drafts/{DRAFT}"
    form = {**_draft_form(clerk, url), "title": "Tiêu đề mới", "reason": "sửa trích yếu"}
    assert clerk.post(url, data={**form, "csrf_token": token(clerk, url)}).status_code == 302
    text = visible_text(clerk.get(f"{url}/versions?from=1&to=2").get_data(as_text=True))
    assert "+Trích yếu: Tiêu đề mới" in text
    assert "Loại văn bản: " in text and "Nguồn số liệu (báo cáo): kt: Nhiệm vụ trọng tâm" in text
    assert "type:" not in text and "sources:" not in text and '{"' not in text
    assert f"draft:{DRAFT}" not in text


def _draft_form(client: Any, url: str) -> dict[str, str]:
    from tests.web.test_drafts import standard_form

    return standard_form()


def test_a_stale_form_says_what_to_do_in_vietnamese(app: Any, as_user: Any) -> None:
    admin = as_user("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    response = admin.post("/o/ha-tinh/entry/task-progress", data={"status": "completed"})
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "tải lại trang" in text and "CSRF" not in text and "token" not in text


def test_english_mode_says_statuses_errors_and_counts_in_english(as_user: Any) -> None:
    clerk = as_user("clerk")
    clerk.get("/lang/en")
    search = visible_text(clerk.get("/o/ha-tinh/search?q=a&kind=task").get_data(as_text=True))
    assert "Deferral to next year proposed" in search or "Completed" in search
    assert "Đề xuất điều chỉnh" not in search and "Hoàn thành" not in search
    report = clerk.get("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2026-02-31")
    text = visible_text(report.get_data(as_text=True))
    assert "no such day: '31/02/2026'" in text and "ngày không tồn tại" not in text
    from tests.web.test_entry import post

    response = post(clerk, "/o/ha-tinh/entry/task-progress", {"status": "completed"})
    text = visible_text(response.get_data(as_text=True))
    assert re.search(r"please fix the (error|\d+ errors) below", text), text
    assert "1 errors" not in text


def test_english_mode_drafts_source_table(as_user: Any) -> None:
    clerk = as_user("clerk")
    page = clerk.get("/o/ha-tinh/drafts/new?kind=key-tasks&period=2020").get_data(as_text=True)
    assert "(chưa có mục nào)" in page
    clerk.get("/lang/en")
    page = clerk.get("/o/ha-tinh/drafts/new?kind=key-tasks&period=2020").get_data(as_text=True)
    assert "(no items yet)" in page and "chưa có mục nào" not in page


def test_the_issue_preview_names_the_programmes_document_date(as_user: Any) -> None:
    from tests.web.test_drafts import token

    director = as_user("director")
    url = "/o/ha-tinh/issue"
    form = {
        "kind": "key-tasks",
        "period": "2020",
        "window": "nd09",
        "number": "77/SNgV-VP",
        "signed_on": "11/12/2020",
        "signer": "Nguyễn Văn A",
    }
    response = director.post(
        url, data={**form, "csrf_token": token(director, f"{url}?kind=key-tasks")}
    )
    assert response.status_code == 200
    text = visible_text(response.get_data(as_text=True))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Văn bản 53/SNgV-VP" in lines and "Ngày 04/02/2020" in lines
    assert not [line for line in lines if line.startswith("on ")]
    assert shown_codes(text) == []


def test_search_names_a_report_note_in_words(as_user: Any, issued_draft: str) -> None:
    text = visible_text(as_user("admin").get("/o/ha-tinh/search?q=doan").get_data(as_text=True))
    assert "ghi chú báo cáo Công tác đối ngoại, tháng 3/2021" in text
    assert "note:" not in text and "nhiem_vu_ky_toi" not in text


def test_english_mode_says_why_an_issued_figure_changed_in_english(
    as_user: Any, issued_draft: str
) -> None:
    admin = as_user("admin")
    admin.get("/lang/en")
    text = visible_text(admin.get(issued_draft).get_data(as_text=True))
    assert "Because of Delegations out and in (newly learnt fact)" in text
    assert "sự kiện mới biết" not in text and "Đoàn ra, đoàn vào" not in text
