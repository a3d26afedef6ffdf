"""A composed document issued by renderer version 2 reprints as it was issued, line-end defect and
all (issue 14): its text is inside its digest, so its format (1) keeps the version-2 rule, while a
document asked for or issued today (format 2, renderer 3) keeps every line end.

The fixture `tests/fixtures/renderer2/` is a sealed backup of a store where a clerk's draft with
lines that start and end with a tag was issued by the code of renderer version 2 (its make.py),
with the bytes `issue document` printed."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

from docx import Document as read_docx

from tests.conftest import Cli

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "renderer2"
ISSUED = FIXTURE / "issued.json"
DRAFT = ("--org", "ha-tinh", "--draft", "bc-2022", "--as-of", "2022-11-24")


def _restored(env: dict[str, str]) -> Cli:
    data = Path(env["NGOAIVU_DATA"])
    data.mkdir(parents=True, exist_ok=True)
    (data / "chain_key").write_bytes((FIXTURE / "chain_key").read_bytes())
    (data / "chain_key").chmod(0o600)
    cli = Cli(env)
    restored = cli("restore", str(FIXTURE / "store.backup.gz"))
    assert restored.exit_code == 0, restored.output
    return cli


def generator(docx: bytes) -> str:
    """The renderer a DOCX names in its metadata."""
    return str(read_docx(io.BytesIO(docx)).core_properties.comments)


def ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result


def test_the_fixture_was_issued_with_the_defect() -> None:
    issued = json.loads(ISSUED.read_bytes())
    assert issued["format"] == 1
    # the if/else line and the for line lost their line ends: paragraphs run together
    assert "Có 02 đoàn ra.\nĐoàn vào" in issued["text"]
    assert "02/07\nTrên đây" in issued["text"]


def test_a_document_issued_by_renderer_2_reprints_byte_identical(env: dict[str, str]) -> None:
    cli = _restored(env)
    reprinted = ok(cli("reprint", "ha-tinh", "900/SNgV-VP"))
    assert reprinted.stdout_bytes == ISSUED.read_bytes()
    assert reprinted.stderr.startswith("khớp: ")
    docx = ok(cli("reprint", "ha-tinh", "900/SNgV-VP", "--format", "docx"))
    assert "DOCX khớp bản đã ban hành" in docx.stderr
    assert generator(docx.stdout_bytes).startswith("ngoaivu-render 2; ")
    diff = json.loads(ok(cli("diff", "ha-tinh", "900/SNgV-VP", "--format", "json")).stdout)
    assert diff["issued"]["reprint_matches"] is True
    assert not [c for c in diff["changes"] if c["path"] == "text"]  # same rules today
    verified = ok(cli("verify"))
    assert "issued reports checked: 1" in verified.stdout


def test_the_same_draft_today_keeps_its_line_ends_and_reprints(sqlite_env: dict[str, str]) -> None:
    cli = _restored(sqlite_env | {"NGOAIVU_DATA": sqlite_env["NGOAIVU_DATA"] + uuid.uuid4().hex})
    today = json.loads(ok(cli("report", "document", *DRAFT)).stdout)
    assert today["format"] == 2
    assert "Có 02 đoàn ra.\n\nĐoàn vào" in today["text"]
    assert "02/07\n\nTrên đây" in today["text"]
    sign = ("--signed-on", "2022-11-25", "--signer", "Nguyễn Văn A", "--signer-title", "GĐ")
    issued = ok(cli("issue", "document", *DRAFT, "--number", "901/SNgV-VP", *sign))
    assert json.loads(issued.stdout)["text"] == today["text"]
    reprinted = ok(cli("reprint", "ha-tinh", "901/SNgV-VP"))
    assert reprinted.stdout_bytes == issued.stdout_bytes
    docx = ok(cli("reprint", "ha-tinh", "901/SNgV-VP", "--format", "docx"))
    assert "DOCX khớp bản đã ban hành" in docx.stderr
    assert generator(docx.stdout_bytes).startswith("ngoaivu-render 3; ")
    assert "issued reports checked: 2" in ok(cli("verify")).stdout
