"""The draft editor: save a version, refused bodies, versions and their diff, issue with a
preview and a confirmation, and who may do what."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from documents.standard import standard_draft
from service.reporting.drafting import draft_versions
from service.reporting.requests import vn_today
from tests.web.conftest import TOKEN

ORG = "ha-tinh"
DRAFT = "key-tasks-2020"


def token(client: FlaskClient, url: str) -> str:
    found = TOKEN.search(client.get(url).get_data(as_text=True))
    assert found, url
    return found.group(1)


def standard_form(**changes: str) -> dict[str, str]:
    """The editor's fields of key-tasks 2020's standard draft."""
    line = standard_draft("key-tasks", ORG, "2020", "2020-12-11", id=DRAFT)
    form = {
        "id": DRAFT,
        "period": "2020",
        "type": line["type"],
        "title": line["title"],
        "addressees": "Ủy ban nhân dân tỉnh",
        "sources": "kt: key-tasks",
        "body": line["body"],
        "reason": "",
    }
    form.update(changes)
    return form


def save_first(clerk: FlaskClient, **changes: str) -> Any:
    data = {**standard_form(**changes), "csrf_token": token(clerk, f"/o/{ORG}/drafts")}
    return clerk.post(f"/o/{ORG}/drafts/new", data=data)


def stored(app: Flask) -> int:
    """The draft's versions as the read models hold them once the projector worker has met every
    write (another request's read would wait only for its own user's writes)."""
    assert app.extensions["ngoaivu"].worker.sync()
    try:
        return len(draft_versions(app.extensions["ngoaivu"], ORG, DRAFT))
    except Exception:
        return 0


def test_list_and_standard_draft_in_the_editor(as_user: Any) -> None:
    clerk = as_user("clerk")
    page = clerk.get(f"/o/{ORG}/drafts")
    assert page.status_code == 200 and "Soạn từ mẫu" in page.get_data(as_text=True)
    editor = clerk.get(f"/o/{ORG}/drafts/new?kind=key-tasks&period=2020")
    text = editor.get_data(as_text=True)
    assert editor.status_code == 200
    assert "Thực hiện Chương trình công tác trọng tâm" in text  # the standard body, to edit
    # The figures to insert, with today's values from the key-tasks report of 2020.
    assert "kt.summary.completed" in text and "kt.tasks" in text
    assert re.search(r"<code>kt\.org</code></td>\s*<td><code>ha-tinh</code></td>", text)


def test_each_figure_says_in_words_what_it_is(as_user: Any) -> None:
    text = (
        as_user("clerk")
        .get(f"/o/{ORG}/drafts/new?kind=foreign-affairs&period=2021")
        .get_data(as_text=True)
    )
    delegations = r"<td>Đoàn ra › Số đoàn</td>\s*<td><code>fa\.outbound\.delegations</code>"
    assert re.search(delegations, text)
    assert "<td>Hỗ trợ, ủng hộ (đồng) › Tỉnh trao tặng › Trị giá (đồng)</td>" in text
    clerk = as_user("clerk")
    assert save_first(clerk).status_code == 302
    listed = clerk.get(f"/o/{ORG}/drafts").get_data(as_text=True).split("<main", 1)[1]
    assert "<td>Công văn</td>" in listed and "cong_van" not in listed  # its type in words


def test_save_a_version_then_another_with_reason(app: Flask, as_user: Any) -> None:
    clerk = as_user("clerk")
    response = save_first(clerk)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert stored(app) == 1
    url = f"/o/{ORG}/drafts/{DRAFT}"
    page = clerk.get(url).get_data(as_text=True)
    assert "Ủy ban nhân dân tỉnh" in page  # the stored version back in the editor
    # A second version needs a reason; without it nothing is stored.
    changed = standard_form(title="Báo cáo nhiệm vụ trọng tâm năm 2020 (sửa)")
    refused = clerk.post(url, data={**changed, "csrf_token": token(clerk, url)})
    assert refused.status_code == 422
    assert 'id="e-reason"' in refused.get_data(as_text=True)
    assert stored(app) == 1
    changed["reason"] = "Sửa trích yếu theo ý kiến Chánh Văn phòng"
    ok = clerk.post(url, data={**changed, "csrf_token": token(clerk, url)})
    assert ok.status_code == 302
    versions = draft_versions(app.extensions["ngoaivu"], ORG, DRAFT)
    assert len(versions) == 2
    assert versions[-1].values["title"].endswith("(sửa)")
    assert versions[-1].actor == "clerk"


def test_a_refused_body_shows_the_field_error_and_stores_nothing(app: Flask, as_user: Any) -> None:
    clerk = as_user("clerk")
    bad = standard_form(body="Số nhiệm vụ: {{ kt.khong_co }}.\n\n{{ kt.__class__ }}")
    response = save_first(clerk, body=bad["body"])
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="e-body">([^<]*)</p>', text)
    assert error and "khong_co" in error.group(1), text
    assert stored(app) == 0
    # The same check in the preview: the frame says why, nothing is stored.
    data = {**bad, "csrf_token": token(clerk, f"/o/{ORG}/drafts")}
    preview = clerk.post(f"/o/{ORG}/drafts/preview", data=data)
    assert preview.status_code == 422 and "khong_co" in preview.get_data(as_text=True)
    assert stored(app) == 0


def test_unknown_source_kind_is_the_sources_field_error(as_user: Any) -> None:
    clerk = as_user("clerk")
    response = save_first(clerk, sources="kt: khong-co-loai")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="e-sources">[^<]*khong-co-loai', text), text


def test_preview_is_the_document_laid_out(as_user: Any) -> None:
    clerk = as_user("clerk")
    data = {**standard_form(), "csrf_token": token(clerk, f"/o/{ORG}/drafts")}
    data["body"] = "Đã hoàn thành {{ kt.summary.completed|count }} nhiệm vụ."
    response = clerk.post(f"/o/{ORG}/drafts/preview", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html  # the letterhead of the engine
    assert "Đã hoàn thành" in html and "{{" not in html
    # Framed by this site only, with the document's own style allowed.
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]


def test_versions_and_diff(app: Flask, as_user: Any) -> None:
    clerk = as_user("clerk")
    save_first(clerk)
    url = f"/o/{ORG}/drafts/{DRAFT}"
    body = standard_form()["body"].replace("kết quả thực hiện như sau", "kết quả như sau")
    second = {**standard_form(body=body), "reason": "Gọn câu mở đầu"}
    assert clerk.post(url, data={**second, "csrf_token": token(clerk, url)}).status_code == 302
    page = clerk.get(f"{url}/versions?from=1&to=2")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Gọn câu mở đầu" in text and "clerk" in text
    assert '<span class="del">-' in text and "kết quả thực hiện như sau" in text
    assert '<span class="add">+' in text and "kết quả như sau" in text


def issue_form(**changes: str) -> dict[str, str]:
    form = {
        "number": "123/SNgV-VP",
        "signed_on": "2020-12-11",
        "signer": "Nguyễn Văn A",
        "signer_title": "Giám đốc",
        "signing_form": "",
        "recipients": "UBND tỉnh; Lưu: VT",
    }
    form.update(changes)
    return form


def test_issue_with_preview_and_confirmation(app: Flask, as_user: Any) -> None:
    save_first(as_user("clerk"))
    director = as_user("director")
    url = f"/o/{ORG}/drafts/{DRAFT}/issue"
    form = issue_form()
    step1 = director.post(url, data={**form, "csrf_token": token(director, url)})
    text = step1.get_data(as_text=True)
    assert step1.status_code == 200
    # The confirmation names number, date and signer; nothing is issued yet.
    assert "123/SNgV-VP" in text and "11/12/2020" in text and "Nguyễn Văn A" in text
    assert 'name="confirm" value="1"' in text
    assert director.get(f"/o/{ORG}/issued/2020/123/SNgV-VP").status_code == 404
    frame = re.search(r'id="issue-preview"[^>]*src="([^"]+)"', text)
    assert frame
    preview = director.get(frame.group(1).replace("&amp;", "&"))
    assert preview.status_code == 200
    shown = preview.get_data(as_text=True)
    assert "Số:\u00a0123/SNgV-VP" in shown and "Nguyễn Văn A" in shown
    assert "ngày 11 tháng 12 năm 2020" in shown
    step2 = director.post(url, data={**form, "confirm": "1", "csrf_token": token(director, url)})
    assert step2.status_code == 302, step2.get_data(as_text=True)
    assert "/issued/2020/" in step2.headers["Location"]
    check = director.get(step2.headers["Location"])
    assert check.status_code == 200


def test_a_future_signing_day_is_refused(app: Flask, as_user: Any) -> None:
    save_first(as_user("clerk"))
    director = as_user("director")
    url = f"/o/{ORG}/drafts/{DRAFT}/issue"
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    data = {**issue_form(signed_on=tomorrow), "confirm": "1", "csrf_token": token(director, url)}
    response = director.post(url, data=data)
    assert response.status_code == 422
    assert re.search(r'id="i-signed_on-err">[^<]*ở tương lai', response.get_data(as_text=True))
    assert director.get(f"/o/{ORG}/issued/{tomorrow[:4]}/123/SNgV-VP").status_code == 404


def issued_details(app: Flask, number: str, year: int = 2020) -> dict[str, Any]:
    """ReportIssued's terms of an issued number."""
    from service.reporting.issuing import find_issued

    assert app.extensions["ngoaivu"].worker.sync()  # the issue applied to the read models
    return find_issued(app.extensions["ngoaivu"], ORG, number, year).details


def test_the_issue_form_is_the_report_issue_form(app: Flask, as_user: Any) -> None:
    """The cut-offs as on /o/ORG/issue, dates typed dd/mm/yyyy, the signer of the account (its
    full name and title, not the login name) signing today."""
    save_first(as_user("clerk"))
    app.extensions["ngoaivu_accounts"].set_profile(
        "director", "Lê Thị Khánh Cẩm", "CHÁNH VĂN PHÒNG"
    )
    page = as_user("director").get(f"/o/{ORG}/drafts/{DRAFT}/issue").get_data(as_text=True)
    for name in ("as_of", "known_by", "recorded_by"):
        assert f'name="{name}"' in page
    assert 'type="date"' not in page and 'placeholder="dd/mm/yyyy"' in page
    assert 'name="signer" value="Lê Thị Khánh Cẩm"' in page
    assert 'name="signer_title" value="CHÁNH VĂN PHÒNG"' in page
    assert f'name="signed_on" value="{vn_today():%d/%m/%Y}"' in page


def test_a_draft_is_issued_with_its_own_cut_offs(app: Flask, as_user: Any) -> None:
    """A 2020 draft issued later with the figures as of 11/12/2020; Nơi nhận keeps "Lưu: VT";
    the confirmation names number, day and signer with the signing form and title."""
    save_first(as_user("clerk"))
    director = as_user("director")
    url = f"/o/{ORG}/drafts/{DRAFT}/issue"
    form = issue_form(
        as_of="11/12/2020",
        signed_on="14/12/2020",
        signing_form="TL. GIÁM ĐỐC",
        recipients="Như trên; UBND tỉnh",
    )
    step1 = director.post(url, data={**form, "csrf_token": token(director, url)})
    text = step1.get_data(as_text=True)
    assert step1.status_code == 200, text
    assert (
        "Ban hành văn bản số 123/SNgV-VP, ngày ký 14/12/2020, "
        "người ký TL. GIÁM ĐỐC Giám đốc Nguyễn Văn A?" in text
    )
    frame = re.search(r'id="issue-preview"[^>]*src="([^"]+)"', text)
    assert frame
    shown = director.get(frame.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Lưu: VT." in shown and "UBND tỉnh;" in shown
    again = director.post(url, data={**form, "confirm": "0", "csrf_token": token(director, url)})
    assert 'name="as_of" value="11/12/2020"' in again.get_data(as_text=True)  # "Sửa lại"
    data = {**form, "confirm": "1", "csrf_token": token(director, url)}
    done = director.post(url, data=data)
    assert done.status_code == 302, done.get_data(as_text=True)
    details = issued_details(app, "123/SNgV-VP")
    assert details["as_of"] == "2020-12-11" and details["signed_on"] == "2020-12-14"
    assert details["recipients"] == ["Như trên", "UBND tỉnh", "Lưu: VT"]


def test_an_as_of_after_the_signing_day_or_a_position_not_written_is_refused(
    app: Flask, as_user: Any
) -> None:
    save_first(as_user("clerk"))
    director = as_user("director")
    url = f"/o/{ORG}/drafts/{DRAFT}/issue"
    late = issue_form(as_of="15/12/2020", signed_on="14/12/2020", confirm="1")
    response = director.post(url, data={**late, "csrf_token": token(director, url)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="i-as_of-err">ngày tính đến 15/12/2020 sau ngày ký 14/12/2020' in page
    ahead = issue_form(recorded_by="@99999", confirm="1")
    response = director.post(url, data={**ahead, "csrf_token": token(director, url)})
    assert response.status_code == 422
    assert 'id="i-recorded_by-err">vị trí @99999 vượt quá' in response.get_data(as_text=True)
    assert director.get(f"/o/{ORG}/issued/2020/123/SNgV-VP").status_code == 404


def test_permissions(app: Flask, as_user: Any) -> None:
    save_first(as_user("clerk"))
    url = f"/o/{ORG}/drafts/{DRAFT}"
    inspector = as_user("inspector")
    assert inspector.get(f"/o/{ORG}/drafts").status_code == 200
    page = inspector.get(url)
    assert page.status_code == 200
    assert "Lưu phiên bản mới" not in page.get_data(as_text=True)
    assert inspector.get(f"{url}/versions").status_code == 200
    data = {**standard_form(reason="x"), "csrf_token": token(inspector, url)}
    assert inspector.post(url, data=data).status_code == 403
    assert inspector.get(f"/o/{ORG}/drafts/new?kind=key-tasks&period=2020").status_code == 403
    assert inspector.get(f"{url}/issue").status_code == 403
    # A clerk writes drafts but does not issue; a director issues but does not write drafts.
    clerk = as_user("clerk")
    assert clerk.get(f"{url}/issue").status_code == 403
    director = as_user("director")
    data = {**standard_form(reason="x"), "csrf_token": token(director, url)}
    assert director.post(url, data=data).status_code == 403
    assert director.get(f"{url}/issue").status_code == 200
    # Another department's drafts are not found at all.
    assert as_user("clerk_gl").get(url).status_code == 404
    assert stored(app) == 1


def test_standard_text_over_an_existing_draft_keeps_its_id_and_period(as_user: Any) -> None:
    clerk = as_user("clerk")
    save_first(clerk)
    page = clerk.get(f"/o/{ORG}/drafts/{DRAFT}?template=foreign-affairs")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="id" value="key-tasks-2020"' in text and 'name="period" value="2020"' in text
    assert "fa: foreign-affairs" in text and "# I. KẾT QUẢ THỰC HIỆN" in text
    assert "fa.outbound.delegations" in text  # the figures list follows the new source
