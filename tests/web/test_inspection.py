"""Read-only pages: timelines, reports under three cut-offs, issued reports, verify, search."""

from __future__ import annotations

import html
import re
import sqlite3
from typing import Any

from tests.web.conftest import csrf_token


def test_timeline_shows_every_version_with_its_times(as_user: Any) -> None:
    page = as_user("inspector").get("/o/ha-tinh/history?target=task:2020/3").get_data(as_text=True)
    assert "Thêm nhiệm vụ" in page and "Tiến độ nhiệm vụ" in page
    assert "task.added" not in page and "task.progressed" not in page
    assert "11/12/2020" in page  # effective day in dd/mm/yyyy
    assert "samples" in page  # the actor
    assert "Do ảnh hưởng của đại dịch Covid-19" in page  # the reason


def test_unknown_record_is_404(as_user: Any) -> None:
    assert as_user("inspector").get("/o/ha-tinh/history?target=task:1999/1").status_code == 404


def test_report_page_with_three_cutoffs(as_user: Any) -> None:
    client = as_user("inspector")
    url = "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11"
    url += "&known_by=now&recorded_by=@40"
    page = client.get(url).get_data(as_text=True)
    assert "sha256:" in page and "@40" in page and "11/12/2020" in page
    as_json = client.get(url + "&format=json").get_json()
    assert as_json["recorded_by"] == "@40" and as_json["as_of"] == "2020-12-11"
    earlier = client.get(url.replace("@40", "@5") + "&format=json").get_json()
    assert earlier["summary"] != as_json["summary"]


def test_bad_report_option_is_named(as_user: Any) -> None:
    response = as_user("inspector").get("/o/ha-tinh/reports?kind=key-tasks&period=2020-Q9")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Kỳ báo cáo: " in page and "--period" not in page  # the field's words, no option


def test_search_ignores_case_and_diacritics(as_user: Any) -> None:
    client = as_user("inspector")
    page = client.get("/o/ha-tinh/search?q=TULA lien bang nga").get_data(as_text=True)
    assert "task:2020/3" in page
    nothing = client.get("/o/ha-tinh/search?q=khongcogi").get_data(as_text=True)
    assert "0 kết quả" in nothing


def issue_form(director: Any, number: str) -> dict[str, str]:
    """The issue form of seed 000's key-task report under `number`, with its CSRF token."""
    return {
        "kind": "key-tasks",
        "period": "2020",
        "as_of": "2020-12-11",
        "number": number,
        "signed_on": "2020-12-14",
        "signer": "Nguyễn Văn B",
        "confirm": "1",  # the confirmation step (tests/web/test_issue.py walks the preview)
        "csrf_token": csrf_token(director, "/o/ha-tinh/issue"),
    }


def test_director_issues_then_anyone_reprints_with_digest_check(as_user: Any) -> None:
    director = as_user("director")
    form = issue_form(director, "849/SNgV-VP")
    response = director.post("/o/ha-tinh/issue", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    duplicate = director.post(
        "/o/ha-tinh/issue", data={**form, "csrf_token": csrf_token(director, "/o/ha-tinh/issue")}
    )
    assert duplicate.status_code == 422
    assert "đã được ha-tinh dùng" in duplicate.get_data(as_text=True)
    inspector = as_user("inspector")
    listing = inspector.get("/o/ha-tinh/issued").get_data(as_text=True)
    assert "849/SNgV-VP" in listing
    check = inspector.get("/o/ha-tinh/issued/2020/849/SNgV-VP").get_data(as_text=True)
    assert "In lại khớp mã băm đã ban hành" in check


def test_verify_shows_intact_chain_and_head(as_user: Any) -> None:
    page = as_user("thanhtra").get("/o/gia-lai/verify").get_data(as_text=True)
    assert "Nguyên vẹn" in page and "sha256:" in page


def test_verify_rehashes_the_documents_kept_at_issue(as_user: Any, app: Any) -> None:
    director = as_user("director")
    form = issue_form(director, "851/SNgV-VP")
    assert director.post("/o/ha-tinh/issue", data=form).status_code == 302
    inspector = as_user("inspector")
    page = inspector.get("/o/ha-tinh/verify").get_data(as_text=True)
    assert "HỎNG" not in page
    assert re.search(r"Bản DOCX/PDF đã ban hành được kiểm tra</dt><dd>2<", page), page
    # the same verification as the command line: the issued report is reprinted too
    assert re.search(r"Báo cáo đã ban hành được tính lại</dt><dd>1<", page), page
    kept = next((app.config["NGOAIVU_SETTINGS"].data_dir / "documents").rglob("*.pdf"))
    kept.write_bytes(kept.read_bytes() + b"% appended\n")
    page = inspector.get("/o/ha-tinh/verify").get_data(as_text=True)
    assert "HỎNG: 851/SNgV-VP (2020): bản PDF đã ban hành bị thay đổi" in page


def test_verify_compares_the_departments_read_models_on_request(as_user: Any, app: Any) -> None:
    inspector = as_user("inspector")
    page = inspector.get("/o/ha-tinh/verify").get_data(as_text=True)
    assert "Bảng đọc so với kho sự kiện" not in page  # only on request: a whole rebuild
    assert 'href="/o/ha-tinh/verify?read_models=1"' in page
    clerk = as_user("clerk")  # a whole rebuild: inspectors' and administrators' only
    assert 'read_models=1"' not in clerk.get("/o/ha-tinh/verify").get_data(as_text=True)
    assert clerk.get("/o/ha-tinh/verify?read_models=1").status_code == 403
    page = inspector.get("/o/ha-tinh/verify?read_models=1").get_data(as_text=True)
    assert re.search(r"Bảng đọc so với kho sự kiện</dt><dd>Khớp \(@\d+\)<", page), page
    assert "HỎNG" not in page
    with sqlite3.connect(app.config["NGOAIVU_SETTINGS"].data_dir / "readmodels.sqlite") as db:
        db.execute(
            "UPDATE rm_task_versions SET title = 'Sửa tay' "
            "WHERE org = 'ha-tinh' AND target = 'task:2020/3' AND opening"
        )
        db.execute("DELETE FROM rm_task_versions WHERE org = 'gia-lai'")  # another department
    page = html.unescape(inspector.get("/o/ha-tinh/verify?read_models=1").get_data(as_text=True))
    assert re.search(r"Bảng đọc so với kho sự kiện</dt><dd>Khác \(@\d+\)<", page), page
    # In words: the table and the record, never the table's or the record's code.
    assert re.search(r"Phiên bản nhiệm vụ: \d+ dòng khác với sự kiện \(nhiệm vụ số 3, ", page)
    assert "rm_task_versions" not in page and "task:2020/3" not in page
    assert "gia-lai" not in page  # this department's rows only


def test_dashboard_counts_from_reports(as_user: Any) -> None:
    page = as_user("inspector").get("/o/ha-tinh/?year=2020").get_data(as_text=True)
    assert "<svg" in page and "Nhiệm vụ trọng tâm theo trạng thái" in page
    assert "Không thực hiện được" in page  # a status of seed 000


def test_dashboard_follows_new_facts(as_user: Any) -> None:
    clerk = as_user("clerk")
    url = "/o/ha-tinh/?year=2021"
    before = clerk.get(url).get_data(as_text=True)
    line = {
        "kind": "delegation.recorded",
        "org": "ha-tinh",
        "at": "2021-08-03",
        "known_since": "2021-08-03",
        "id": "DASH-1",
        "direction": "inbound",
        "people": 2,
        "countries": ["Nhật Bản"],
        "purpose": "Thăm làm việc",
    }
    token = csrf_token(clerk, "/o/ha-tinh/")
    assert (
        clerk.post("/api/v1/commands", json=line, headers={"X-CSRFToken": token}).status_code == 201
    )
    after = clerk.get(url).get_data(as_text=True)
    assert "Tháng 8: 1 đoàn vào" not in before
    assert "Tháng 8: 1 đoàn vào" in after


def test_an_issued_document_page_shows_its_changed_figure_in_its_sentence(
    as_user: Any, app: Any, tmp_path: Any
) -> None:
    import json

    from service.reporting.documents import keeper
    from service.reporting.drafting import document_request
    from service.reporting.issuing import Signature, issue_report

    rt = app.extensions["ngoaivu"]
    draft = {
        "kind": "document.drafted",
        "org": "ha-tinh",
        "id": "web-1",
        "period": "2020",
        "sources": {"kt": {"report": "key-tasks"}},
        "type": "cong_van",
        "title": "báo cáo nhiệm vụ trọng tâm năm 2020",
        "body": "Đã hoàn thành {{ kt.summary.completed|count }} nhiệm vụ trong năm.",
    }
    path = tmp_path / "draft.jsonl"
    path.write_text(json.dumps(draft, ensure_ascii=False) + "\n", encoding="utf-8")
    rt.import_file(path, actor="clerk")
    request = document_request(rt, "ha-tinh", "web-1", as_of="2020-12-11")
    sig = Signature("860/SNgV-VP", "2020-12-11", "Nguyễn Văn B")
    issue_report(
        rt, "document", "ha-tinh", "2020", sig, actor="director", documents=keeper(rt),
        request=request,
    )  # fmt: skip
    late = {
        "kind": "task.progressed",
        "org": "ha-tinh",
        "at": "2020-12-11T10:00:00+07:00",
        "known_since": "2020-12-11",
        "programme": "2020",
        "no": 21,
        "status": "completed",
        "reason": "nhập bổ sung",
    }
    path.write_text(json.dumps(late, ensure_ascii=False) + "\n", encoding="utf-8")
    rt.import_file(path, actor="clerk")
    page = as_user("inspector").get("/o/ha-tinh/issued/2020/860/SNgV-VP").get_data(as_text=True)
    assert "In lại khớp mã băm đã ban hành" in page
    assert "«12 nhiệm vụ → 13 nhiệm vụ»: Đã hoàn thành 13 nhiệm vụ trong năm." in page
