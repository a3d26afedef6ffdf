"""Composed documents (CONTRACT "Composed documents"): drafts as records with versions, history
and search; `report document`; `issue document` pinning the draft's version, `reprint` keeping
it byte for byte after a newer version, `diff` naming the figure inside its sentence, `verify`.

Each test runs on SQLite and on PostgreSQL (the `cli` fixture)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from tests.integration.test_cli import ORG, ORG_LINE, bad_input, head, ok, summary, write

BODY = (
    "# I. KẾT QUẢ\n\n"
    "Năm {{ fa.period|year }}, tỉnh đã tổ chức {{ fa.outbound.delegations|count }} đoàn ra "
    "với {{ fa.outbound.people|count }} lượt người[^ra].\n\n"
    "- Đoàn vào: **{{ fa.inbound.delegations|count }} đoàn**;\n\n"
    "[^ra]: Theo kế hoạch của tỉnh."
)


def delegation(id: str, people: int, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "delegation.recorded",
        "org": ORG,
        "at": at,
        "id": id,
        "direction": "outbound",
        "people": people,
        "countries": ["Lào"],
        "purpose": f"Đoàn {id}",
        **extra,
    }


def draft(body: str = BODY, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "document.drafted",
        "org": ORG,
        "at": "2022-11-20",
        "id": "bc-2022",
        "period": "2022",
        "sources": {"fa": {"report": "foreign-affairs"}},
        "type": "bao_cao",
        "title": "Kết quả công tác đối ngoại năm 2022",
        "addressees": ["UBND tỉnh Hà Tĩnh"],
        "body": body,
        **extra,
    }


RECORDS = [
    ORG_LINE,
    delegation("r1", 3, "2022-03-01", known_since="2022-03-02"),
    delegation("r2", 4, "2022-04-01", known_since="2022-04-02"),
]


def load(cli: Any, tmp_path: Path, *lines: dict[str, Any], name: str = "x") -> Any:
    return cli("import", write(tmp_path / f"{name}.jsonl", list(lines)))


def document(cli: Any, *options: str) -> dict[str, Any]:
    result = ok(cli("report", "document", "--org", ORG, "--draft", "bc-2022", *options))
    return json.loads(result.stdout)


def test_a_draft_line_is_a_version_with_history_and_search(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    assert summary(load(cli, tmp_path, draft(), name="again"))[:2] == (0, 1)  # identical: skipped
    second = draft(BODY.replace("lượt người", "lượt cán bộ"), reason="sửa lời")
    ok(load(cli, tmp_path, second, name="b"))
    events = json.loads(ok(cli("history", ORG, "draft:bc-2022", "--format", "json")).stdout)
    assert [e["fact_id"] for e in events] == ["draft:bc-2022#1", "draft:bc-2022#2"]
    assert events[1]["reason"] == "sửa lời"
    diff = ok(cli("draft", "diff", ORG, "bc-2022")).stdout
    assert "--- draft:bc-2022#1 (tester" in diff and "+++ draft:bc-2022#2 (tester" in diff
    assert "-Năm {{ fa.period|year }}" in diff and "lượt cán bộ[^ra]." in diff
    assert " # I. KẾT QUẢ" in diff  # an unchanged line is context
    bad_input(cli("draft", "diff", ORG, "bc-2022", "--from", "7"), "--from")
    found = json.loads(ok(cli("search", ORG, "luot can bo")).stdout)
    assert {"target": "draft:bc-2022", "title": "Kết quả công tác đối ngoại năm 2022"} in found


def test_diff_of_a_draft_with_one_version_says_so(cli: Any, tmp_path: Path) -> None:
    """One version is not "two versions alike": exit 2 saying there is nothing to compare yet."""
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    result = cli("draft", "diff", ORG, "bc-2022")
    bad_input(result, "một phiên bản")
    assert "giống nhau" not in result.output
    bad_input(cli("draft", "diff", ORG, "nowhere-2022"), "nowhere-2022")


def test_a_draft_without_at_is_dated_by_its_recorded_instant(cli: Any, tmp_path: Path) -> None:
    line = {k: v for k, v in draft().items() if k != "at"}
    ok(load(cli, tmp_path, *RECORDS, line, name="a"))
    assert summary(load(cli, tmp_path, line, name="again"))[:2] == (0, 1)
    assert document(cli, "--as-of", "2022-11-24")["draft"]["version"] == "draft:bc-2022#1"


def test_a_refused_body_names_line_and_field_and_stores_nothing(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, name="a"))
    before = head(cli)
    bad = draft("Dòng một.\n{{ fa.outbound.delegation }}")
    result = load(cli, tmp_path, delegation("r3", 1, "2022-05-01"), bad, name="bad")
    bad_input(result, "dòng 2, trường 'body'", "dòng 2:", "fa.outbound.delegation")
    # A key of one report kind named on a source of another.
    other = draft("{{ fa.summary.completed }}")
    bad_input(load(cli, tmp_path, other, name="other"), "trường 'body'", "fa.summary")
    assert head(cli) == before


def test_report_document_uses_the_version_recorded_by_t(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    first = head(cli)
    ok(load(cli, tmp_path, draft(BODY.replace("lượt người", "lượt cán bộ")), name="b"))
    now = document(cli, "--as-of", "2022-11-24")
    assert now["report"] == "document"
    assert now["draft"] == {"id": "bc-2022", "version": "draft:bc-2022#2"}
    assert now["type"] == "bao_cao" and now["addressees"] == ["UBND tỉnh Hà Tĩnh"]
    assert "tổ chức 02 đoàn ra với 07 lượt cán bộ[^ra]." in now["text"]
    assert now["period"]["label"] == "2022"
    source = now["sources"]["fa"]
    assert "digest" not in source and source["report"] == "foreign-affairs"
    assert source["outbound"]["delegations"] == 2
    then = document(cli, "--as-of", "2022-11-24", "--recorded-by", f"@{first}")
    assert then["draft"]["version"] == "draft:bc-2022#1"
    assert "lượt người" in then["text"]
    # The cut-offs apply to the figures, not to the draft (chosen by position only).
    early = document(cli, "--as-of", "2022-03-15")
    assert "tổ chức 01 đoàn ra với 03 lượt" in early["text"]


def test_a_corrected_or_voided_draft(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    fix = {
        "kind": "record.corrected",
        "org": ORG,
        "target": "draft:bc-2022",
        "set": {"title": "Báo cáo công tác đối ngoại năm 2022"},
        "reason": "trích yếu",
    }
    ok(load(cli, tmp_path, fix, name="fix"))
    assert document(cli, "--as-of", "2022-11-24")["title"] == fix["set"]["title"]
    bad_fix = {**fix, "set": {"body": "{{ fa.nothing }}"}}
    bad_input(load(cli, tmp_path, bad_fix, name="badfix"), "body")
    void = {"kind": "record.voided", "org": ORG, "target": "draft:bc-2022", "reason": "bỏ"}
    ok(load(cli, tmp_path, void, name="void"))
    result = cli("report", "document", "--org", ORG, "--draft", "bc-2022")
    bad_input(result, "--draft", "bc-2022")


def test_report_document_options(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    bad_input(cli("report", "document", "--org", ORG), "--draft")
    bad_input(cli("report", "document", "--org", ORG, "--draft", "nope"), "--draft", "nope")
    bad_input(
        cli("report", "document", "--org", ORG, "--draft", "bc-2022", "--period", "2021"),
        "--period",
    )
    bad_input(cli("report", "key-tasks", "--org", ORG), "--period")
    bad_input(
        cli("report", "key-tasks", "--org", ORG, "--period", "2020", "--draft", "x"), "--draft"
    )
    # A figure the records do not have (null printed) is bad input naming the draft's line.
    nulls = draft("x\n{{ fa.outbound.plan.rate_percent|percent }}", id="nulls")
    ok(load(cli, tmp_path, nulls, name="nulls"))
    result = cli("report", "document", "--org", ORG, "--draft", "nulls", "--as-of", "2022-11-24")
    bad_input(result, "--draft", "dòng 2")


def test_documents_in_every_format(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    base = ("report", "document", "--org", ORG, "--draft", "bc-2022", "--as-of", "2022-11-24")
    html = ok(cli(*base, "--format", "html")).stdout
    assert "BÁO CÁO" in html and "Kính gửi: UBND tỉnh Hà Tĩnh." in html
    assert "<strong>0 đoàn</strong>" in html and 'id="fn-1"' in html
    assert "summary-rule" in html  # the short rule under a báo cáo's trích yếu
    assert html.count("Nội dung: sha256:") == 1
    assert '<span class="nowrap">Số:' in html  # the number never breaks across lines
    ok(cli(*base, "--format", "docx", "-o", str(tmp_path / "d.docx")))
    with zipfile.ZipFile(tmp_path / "d.docx") as z:
        notes = z.read("word/footnotes.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    assert "Theo kế hoạch của tỉnh." in notes
    assert '<w:footnoteReference w:id="1"/>' in body
    ok(cli(*base, "--format", "pdf", "-o", str(tmp_path / "d.pdf")))
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")


def issue(cli: Any, number: str = "900/SNgV-VP", *extra: str) -> Any:
    return cli(
        "issue", "document", "--org", ORG, "--draft", "bc-2022", "--as-of", "2022-11-24",
        "--number", number, "--signed-on", "2022-11-25", "--signer", "Nguyễn Văn A",
        "--signer-title", "Giám đốc", "--recipients", "Như trên; Lưu: VT", *extra,
    )  # fmt: skip


def test_issue_pins_the_version_reprint_keeps_it_and_verify_holds(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    issued = json.loads(ok(issue(cli)).stdout)
    assert issued["draft"]["version"] == "draft:bc-2022#1"
    ok(issue(cli, "901/SNgV-VP", "--format", "pdf", "-o", str(tmp_path / "901.pdf")))
    bad_input(issue(cli), "--number", "900/SNgV-VP")  # one number per org and year
    newer = draft(BODY.replace("Năm {{ fa.period|year }}, tỉnh", "Trong năm, tỉnh"))
    ok(load(cli, tmp_path, newer, delegation("r3", 5, "2022-05-01"), name="later"))
    assert document(cli, "--as-of", "2022-11-24")["draft"]["version"] == "draft:bc-2022#2"
    reprinted = ok(cli("reprint", ORG, "900/SNgV-VP"))
    assert json.loads(reprinted.stdout) == issued
    assert "khớp" in reprinted.stderr
    pdf = ok(cli("reprint", ORG, "901/SNgV-VP", "--format", "pdf", "-o", str(tmp_path / "r.pdf")))
    assert "PDF khớp" in pdf.stderr
    assert (tmp_path / "r.pdf").read_bytes() == (tmp_path / "901.pdf").read_bytes()
    docx = ok(cli("reprint", ORG, "901/SNgV-VP", "--format", "docx", "-o", str(tmp_path / "r.x")))
    assert "DOCX khớp" in docx.stderr
    with zipfile.ZipFile(tmp_path / "r.x") as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "<w:t>900/SNgV</w:t>" not in body  # 901/SNgV-VP: its hyphen never breaks
    assert "<w:noBreakHyphen/>" in body
    verified = ok(cli("verify"))
    assert "issued reports checked: 2" in verified.stdout


def test_diff_shows_the_changed_figure_inside_its_sentence(cli: Any, tmp_path: Path) -> None:
    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    ok(issue(cli))
    late = delegation("r3", 5, "2022-05-01", known_since="2022-05-02", reason="nhập bổ sung")
    ok(load(cli, tmp_path, late, name="late"))
    text = ok(cli("diff", ORG, "900/SNgV-VP")).stdout
    assert "«02 đoàn → 03 đoàn»" in text
    assert "tổ chức 03 đoàn ra với 12 lượt người" in text
    assert "delegation:r3#1" in text
    result = json.loads(ok(cli("diff", ORG, "900/SNgV-VP", "--format", "json")).stdout)
    (change,) = [c for c in result["changes"] if c["path"] == "text"]
    assert {"before": "02 đoàn", "after": "03 đoàn"}.items() <= change["phrases"][0].items()
    assert [e["fact_id"] for e in change["causes"]] == ["delegation:r3#1"]
    assert not any(c["path"].endswith(("known_by", "recorded_by")) for c in result["changes"])


def test_issue_refuses_a_draft_that_cannot_be_rendered(cli: Any, tmp_path: Path) -> None:
    nulls = draft("{{ fa.outbound.plan.rate_percent|percent }}")
    ok(load(cli, tmp_path, *RECORDS, nulls, name="a"))
    before = head(cli)
    bad_input(issue(cli), "--draft")
    assert head(cli) == before


STANDARD_CASES = [
    ("ha-tinh", "key-tasks", "2020", "2020-12-11", ()),
    ("gia-lai", "assigned-tasks", "2020", "2020-11-20", ("--programme", "UBND-2020")),
    ("ha-tinh", "foreign-affairs", "2022", "2022-11-24", ()),
    ("ha-tinh", "emulation", "2020", "2021-06-14", ()),
    ("ha-tinh", "award-register", "2020", "2021-06-14", ()),
    ("ha-tinh", "award-irregular", "2020", "2021-06-14", ()),
]


def test_draft_new_prints_the_standard_draft_of_each_kind(sqlite_cli: Any, tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    for path in sorted(SAMPLES.glob("0*.jsonl")):
        ok(sqlite_cli("import", "--backfill", "--quiet", str(path)))
    for org, kind, period, as_of, extra in STANDARD_CASES:
        printed = ok(
            sqlite_cli(
                "draft", "new", "--org", org, "--kind", kind, "--period", period,
                "--at", as_of, *extra,
            )
        ).stdout  # fmt: skip
        line = json.loads(printed)
        assert line["kind"] == "document.drafted" and line["id"] == f"{kind}-{period}"
        (tmp_path / f"{kind}.jsonl").write_text(printed, encoding="utf-8")
        ok(sqlite_cli("import", str(tmp_path / f"{kind}.jsonl")))
        result = sqlite_cli(
            "report", "document", "--org", org, "--draft", line["id"], "--as-of", as_of,
            "--format", "html",
        )  # fmt: skip
        assert "./." in ok(result).stdout, kind
    bad_input(
        sqlite_cli("draft", "new", "--org", ORG, "--kind", "key-tasks", "--period", "2020-13"),
        "--period",
    )
    # An unknown department: its draft could never be imported.
    unknown = ("draft", "new", "--org", "nowhere", "--kind", "key-tasks", "--period", "2020")
    bad_input(sqlite_cli(*unknown), "--org", "nowhere")


def test_a_signing_day_after_today_is_refused(cli: Any, tmp_path: Path) -> None:
    from datetime import date, timedelta

    ok(load(cli, tmp_path, *RECORDS, draft(), name="a"))
    later = (date.today() + timedelta(days=2)).isoformat()
    result = cli(
        "issue", "document", "--org", ORG, "--draft", "bc-2022", "--as-of", "2022-11-24",
        "--number", "950/SNgV-VP", "--signed-on", later, "--signer", "Nguyễn Văn A",
    )  # fmt: skip
    bad_input(result, "--signed-on", "sau hôm nay")
    bad_input(cli("reprint", ORG, "950/SNgV-VP", "--year", later[:4]), "950/SNgV-VP")
