"""Exact documents: the same issue renders to the same DOCX and PDF bytes, in this process and in
another, and after later imports, corrections and renames; issuing keeps the bytes and records
their SHA-256; drafts, HTML, tampered and encrypted kept files."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from eventsourcing.cryptography import AESCipher

from tests.conftest import SAMPLES, Cli
from tests.render.conftest import (
    NOTES_000,
    ROOT,
    docx_text,
    note_line,
    pdf_text,
    squeeze,
)

SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
SIGNED = [
    "--number",
    "849/SNgV-VP",
    "--signed-on",
    "2020-12-11",
    "--signer",
    "Lê Thị Khánh Cẩm",
    "--signer-title",
    "CHÁNH VĂN PHÒNG",
    "--signing-form",
    "TL. GIÁM ĐỐC",
    "--recipients",
    "Như trên; Các phòng, đơn vị; Lưu: VPTTr",
]
REPORT = ["key-tasks", "--org", "ha-tinh", "--period", "2020"]


def write_lines(path: Path, lines: list[dict | str]) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


def seed_000(cli: Cli, tmp: Path) -> None:
    ok = cli("import", "--backfill", "--quiet", str(SEED_000))
    assert ok.exit_code == 0, ok.output
    notes = write_lines(
        tmp / "notes.jsonl",
        [note_line("ha-tinh", "2020-12-10", "key-tasks", "2020", s, t) for s, t in NOTES_000],
    )
    ok = cli("import", "--backfill", "--quiet", str(notes))
    assert ok.exit_code == 0, ok.output


def sha(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def issued_details(cli: Cli) -> dict:
    from service.config import Settings
    from service.reporting.issuing import find_issued
    from service.runtime import Runtime

    env = cli.env
    rt = Runtime(
        Settings(Path(env["NGOAIVU_DATA"]), env.get("DATABASE_URL"), env.get("NGOAIVU_CIPHER_KEY"))
    )
    try:
        return dict(find_issued(rt, "ha-tinh", "849/SNgV-VP", 2020).details)
    finally:
        rt.close()


def run(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.stderr


def test_issue_keeps_docx_and_pdf_and_records_their_sha256(cli: Cli, tmp_path: Path) -> None:
    """On SQLite and PostgreSQL: issue → kept bytes named in ReportIssued; two renderings of the
    same issue (a reprint, then another) give exactly those bytes."""
    seed_000(cli, tmp_path)
    run(cli, "issue", *REPORT, *SIGNED, "--format", "pdf", "-o", str(tmp_path / "issued.pdf"))
    documents = issued_details(cli)["documents"]
    assert set(documents) == {"docx", "pdf", "renderer"}
    # renderer 3: the one engine made it (documents.render), not the frozen version 1
    assert documents["renderer"].startswith("ngoaivu-render 3; python-docx ")
    assert sha(tmp_path / "issued.pdf") == documents["pdf"]
    for fmt in ("docx", "pdf"):
        for attempt in (1, 2):
            out = tmp_path / f"reprint{attempt}.{fmt}"
            said = run(cli, "reprint", "ha-tinh", "849/SNgV-VP", "--format", fmt, "-o", str(out))
            assert f"{fmt.upper()} khớp bản đã ban hành: {documents[fmt]}" in said
            assert sha(out) == documents[fmt]
        original = tmp_path / f"original.{fmt}"
        run(
            cli,
            "reprint",
            "ha-tinh",
            "849/SNgV-VP",
            "--format",
            fmt,
            "--original",
            "-o",
            str(original),
        )
        assert original.read_bytes() == (tmp_path / f"reprint1.{fmt}").read_bytes()


def test_another_process_renders_the_same_bytes(sqlite_cli: Cli, tmp_path: Path) -> None:
    """Nothing of one process (time, fonts loaded, ids) gets into the bytes."""
    seed_000(sqlite_cli, tmp_path)
    run(sqlite_cli, "issue", *REPORT, *SIGNED)
    documents = issued_details(sqlite_cli)["documents"]
    env = {**os.environ, **sqlite_cli.env}
    env.pop("DATABASE_URL", None)
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"other.{fmt}"
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from cli import main; main()",
                "reprint",
                "ha-tinh",
                "849/SNgV-VP",
                "--format",
                fmt,
                "-o",
                str(out),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert sha(out) == documents[fmt]


def test_reprint_after_later_corrections_renames_and_notes(sqlite_cli: Cli, tmp_path: Path) -> None:
    """What is recorded after the issue (a correction known before the signing day, a new note,
    a rename dated before it) changes a new draft, never the reprint: same digest, same bytes."""
    cli = sqlite_cli
    seed_000(cli, tmp_path)
    run(cli, "issue", *REPORT, *SIGNED)
    documents = issued_details(cli)["documents"]
    later = write_lines(
        tmp_path / "later.jsonl",
        [
            {
                "kind": "record.corrected",
                "org": "ha-tinh",
                "target": "task:2020/3",
                "set": {"status": "completed"},
                "known_since": "2020-12-01",
                "reason": "nhập nhầm trạng thái",
            },
            {
                "kind": "org.renamed",
                "org": "ha-tinh",
                "at": "2020-06-01",
                "name": "Sở Ngoại vụ và Hợp tác quốc tế tỉnh Hà Tĩnh",
            },
            note_line("ha-tinh", "2020-12-10", "key-tasks", "2020", "danh_gia", "Viết sau."),
        ],
    )
    ok = cli("import", "--backfill", "--quiet", str(later))
    assert ok.exit_code == 0, ok.output
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"again.{fmt}"
        said = run(cli, "reprint", "ha-tinh", "849/SNgV-VP", "--format", fmt, "-o", str(out))
        assert "khớp bản đã ban hành" in said and "khớp: sha256:" in said
        assert sha(out) == documents[fmt]
    # The same report drafted now sees all three: the test could fail.
    draft = tmp_path / "draft.pdf"
    run(cli, "report", *REPORT, "--as-of", "2020-12-11", "--format", "pdf", "-o", str(draft))
    text = squeeze(pdf_text(draft))
    assert squeeze("SỞ NGOẠI VỤ VÀ HỢP TÁC QUỐC TẾ") in text
    assert squeeze("Viết sau.") in text
    assert squeeze("theo số thứ tự: 1, 2, 3, 5,") in text
    issued_text = squeeze(pdf_text(tmp_path / "again.pdf"))
    assert squeeze("SỞ NGOẠI VỤ VÀ HỢP TÁC") not in issued_text
    assert squeeze("theo số thứ tự: 1, 2, 5, 6,") in issued_text


def test_the_name_on_a_document_is_the_one_in_force_on_its_signing_day(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    cli = sqlite_cli
    seed_000(cli, tmp_path)
    rename = write_lines(
        tmp_path / "rename.jsonl",
        [
            {
                "kind": "org.renamed",
                "org": "ha-tinh",
                "at": "2021-01-01",
                "name": "Sở Ngoại vụ và Hợp tác quốc tế tỉnh Hà Tĩnh",
                "place": "TP Hà Tĩnh",
            }
        ],
    )
    ok = cli("import", "--backfill", "--quiet", str(rename))
    assert ok.exit_code == 0, ok.output
    before, after = tmp_path / "before.docx", tmp_path / "after.docx"
    run(cli, "issue", *REPORT, *SIGNED, "--format", "docx", "-o", str(before))
    run(
        cli,
        "issue",
        *REPORT,
        "--number",
        "12/SNgV-VP",
        "--signed-on",
        "2021-01-05",
        "--as-of",
        "2020-12-11",
        "--signer",
        "Lê Thị Khánh Cẩm",
        "--format",
        "docx",
        "-o",
        str(after),
    )
    old, new = docx_text(before), docx_text(after)
    assert "SỞ NGOẠI VỤ\n" in old and "Hà Tĩnh, ngày 11 tháng 12 năm 2020" in old
    assert "SỞ NGOẠI VỤ VÀ HỢP TÁC QUỐC TẾ" in new
    assert "TP Hà Tĩnh, ngày 05 tháng 01 năm 2021" in new  # leading zeros: day 5, January


def test_an_unissued_report_is_a_draft_with_a_blank_number(sqlite_cli: Cli, tmp_path: Path) -> None:
    seed_000(sqlite_cli, tmp_path)
    plain = sqlite_cli("report", *REPORT, "--as-of", "2020-12-11")
    assert plain.exit_code == 0
    content = json.loads(plain.stdout)  # JSON stays the default
    assert content["report"] == "key-tasks" and content["digest"].startswith("sha256:")
    out = tmp_path / "draft.docx"
    run(sqlite_cli, "report", *REPORT, "--as-of", "2020-12-11", "--format", "docx", "-o", str(out))
    text = docx_text(out)
    assert "Số:\u00a0" + "\u00a0" * 6 + "/…" in text  # "Số:" never parted from the blank
    assert "Hà Tĩnh, ngày 11 tháng 12 năm 2020" in text
    assert "(Dự thảo)" in text
    assert "Lê Thị Khánh Cẩm" not in text
    again = tmp_path / "again.docx"
    run(
        sqlite_cli, "report", *REPORT, "--as-of", "2020-12-11", "--format", "docx", "-o", str(again)
    )
    assert out.read_bytes() == again.read_bytes()


def test_html_for_the_web(sqlite_cli: Cli, tmp_path: Path) -> None:
    seed_000(sqlite_cli, tmp_path)
    result = sqlite_cli("report", *REPORT, "--as-of", "2020-12-11", "--format", "html")
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "theo số thứ tự: 1, 2, 5, 6, 8, 9, 10, 12, 13, 14, 15, 20." in page
    assert "Times New Roman" in page


def test_a_changed_kept_document_is_refused(sqlite_cli: Cli, tmp_path: Path) -> None:
    seed_000(sqlite_cli, tmp_path)
    run(sqlite_cli, "issue", *REPORT, *SIGNED)
    digest = issued_details(sqlite_cli)["documents"]["pdf"].removeprefix("sha256:")
    kept = next(Path(sqlite_cli.env["NGOAIVU_DATA"], "documents").rglob(f"{digest}.pdf"))
    assert kept.parent.name == "849%2FSNgV-VP" and kept.parent.parent.name == "2020"
    kept.write_bytes(kept.read_bytes() + b"% one more line\n")
    result = sqlite_cli("reprint", "ha-tinh", "849/SNgV-VP", "--format", "pdf", "--original")
    assert result.exit_code == 1  # verification failed (issue 12: it was exit 3)
    assert "bị thay đổi" in result.stderr


def test_verify_checks_every_kept_document(sqlite_cli: Cli, tmp_path: Path) -> None:
    seed_000(sqlite_cli, tmp_path)
    run(sqlite_cli, "issue", *REPORT, *SIGNED)
    intact = sqlite_cli("verify")
    assert intact.exit_code == 0, intact.output
    assert "issued documents checked: 2" in intact.stdout and "intact" in intact.stdout
    digest = issued_details(sqlite_cli)["documents"]["docx"].removeprefix("sha256:")
    kept = next(Path(sqlite_cli.env["NGOAIVU_DATA"], "documents").rglob(f"{digest}.docx"))
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed
    kept.write_bytes(bytes(data))
    altered = sqlite_cli("verify")
    assert altered.exit_code == 1, altered.output
    assert "HỎNG: 849/SNgV-VP (2020): bản DOCX đã ban hành bị thay đổi" in altered.stdout
    kept.unlink()
    missing = sqlite_cli("verify")
    assert missing.exit_code == 1
    assert "không tìm thấy bản DOCX đã ban hành" in missing.stdout


def test_kept_documents_are_encrypted_with_the_store(sqlite_env: dict, tmp_path: Path) -> None:
    cli = Cli({**sqlite_env, "NGOAIVU_CIPHER_KEY": AESCipher.create_key(num_bytes=32)})
    seed_000(cli, tmp_path)
    run(cli, "issue", *REPORT, *SIGNED)
    kept = sorted(Path(sqlite_env["NGOAIVU_DATA"], "documents").rglob("*.enc"))
    assert sorted(p.suffixes[-2] for p in kept) == [".docx", ".pdf"]
    for path in kept:
        assert not path.read_bytes().startswith((b"PK", b"%PDF"))
        assert b"849/SNgV-VP" not in path.read_bytes()
    out = tmp_path / "original.pdf"
    run(cli, "reprint", "ha-tinh", "849/SNgV-VP", "--format", "pdf", "--original", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert sha(out) == issued_details(cli)["documents"]["pdf"]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_document_metadata_come_from_the_signing_day(
    sqlite_cli: Cli, tmp_path: Path, fmt: str
) -> None:
    seed_000(sqlite_cli, tmp_path)
    out = tmp_path / f"issued.{fmt}"
    run(sqlite_cli, "issue", *REPORT, *SIGNED, "--format", fmt, "-o", str(out))
    if fmt == "pdf":
        info = subprocess.run(
            ["pdfinfo", "-isodates", str(out)], check=True, capture_output=True, text=True
        ).stdout
        assert "2020-12-11T00:00:00+07" in info
        assert "A4" in info
    else:
        import zipfile

        with zipfile.ZipFile(out) as z:
            assert {i.date_time for i in z.infolist()} == {(2020, 12, 11, 0, 0, 0)}


def _backup_lines(path: Path) -> list[bytes]:
    with gzip.open(path, "rb") as handle:
        return handle.read().splitlines(keepends=True)


def _write_backup(path: Path, body: list[bytes], footer: dict) -> None:
    footer["end"]["sha256"] = hashlib.sha256(b"".join(body)).hexdigest()  # no key: not an HMAC
    with gzip.open(path, "wb") as out:
        out.write(b"".join(body) + json.dumps(footer).encode() + b"\n")


def test_backup_carries_the_kept_documents_and_restore_puts_them_back(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    seed_000(sqlite_cli, tmp_path)
    run(sqlite_cli, "issue", *REPORT, *SIGNED)
    backup = tmp_path / "backup.gz"
    made = sqlite_cli("backup", str(backup))
    assert made.exit_code == 0, made.output
    assert ", 2 documents," in made.stdout
    restored = Cli({"NGOAIVU_DATA": str(tmp_path / "restored")})
    with_key(sqlite_cli, tmp_path / "restored")
    done = restored("restore", str(backup))
    assert done.exit_code == 0, done.output
    assert ", 2 documents," in done.stdout
    verified = restored("verify")
    assert verified.exit_code == 0, verified.output
    assert "issued documents checked: 2" in verified.stdout
    source = Path(sqlite_cli.env["NGOAIVU_DATA"], "documents")
    copy = tmp_path / "restored" / "documents"
    assert sorted(p.relative_to(copy) for p in copy.rglob("*") if p.is_file()) == sorted(
        p.relative_to(source) for p in source.rglob("*") if p.is_file()
    )
    out = tmp_path / "original.pdf"
    run(
        restored,
        "reprint",
        "ha-tinh",
        "849/SNgV-VP",
        "--format",
        "pdf",
        "--original",
        "-o",
        str(out),
    )
    assert sha(out) == issued_details(sqlite_cli)["documents"]["pdf"]
    assert not list((tmp_path / "restored").glob(".documents-restore-*"))  # staging removed
    # The same file again: recognised, completed and checked (nothing written twice).
    again = restored("restore", str(backup))
    assert again.exit_code == 0 and "đã được khôi phục" in again.stdout, again.output
    # Another backup into the same (no longer empty) installation is refused.
    other = tmp_path / "other.gz"
    assert restored("backup", str(other)).exit_code == 0
    refused = restored("restore", str(other))
    assert refused.exit_code == 2 and "không trống" in refused.stderr


def with_key(source: Cli, data: Path) -> None:
    """Give an installation the source's chain key (as an administrator copies `chain_key`)."""
    data.mkdir(parents=True, exist_ok=True)
    (data / "chain_key").write_bytes(Path(source.env["NGOAIVU_DATA"], "chain_key").read_bytes())


def test_unkeyed_backups_and_bad_document_lines_are_refused(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    seed_000(sqlite_cli, tmp_path)
    run(sqlite_cli, "issue", *REPORT, *SIGNED)
    backup = tmp_path / "backup.gz"
    assert sqlite_cli("backup", str(backup)).exit_code == 0
    lines = _backup_lines(backup)
    header, footer = json.loads(lines[0]), json.loads(lines[-1])
    body = [ln for ln in lines[1:-1] if not ln.startswith(b'{"d":')]
    header["version"] = 1
    old = tmp_path / "v1.gz"
    _write_backup(
        old,
        [json.dumps(header).encode() + b"\n", *body],
        {"end": {k: v for k, v in footer["end"].items() if k != "documents"}},
    )
    restored = Cli({"NGOAIVU_DATA": str(tmp_path / "v1")})
    with_key(sqlite_cli, tmp_path / "v1")
    done = restored("restore", str(old))
    # A file without a keyed seal proves nothing: refused, with what to do instead.
    assert done.exit_code == 2, done.output
    assert "không có mã khóa (HMAC)" in done.stderr and "chain upgrade" in done.stderr
    with restored.runtime() as rt:
        assert rt.app.head() == 0  # nothing stored

    escaping = [
        ln if not ln.startswith(b'{"d":') else b'{"d":["../../outside.pdf","JVBERg=="]}\n'
        for ln in lines[1:-1]
    ]
    forged = tmp_path / "escaping.gz"
    _write_backup(forged, [lines[0], *escaping], json.loads(lines[-1]))
    target = Cli({"NGOAIVU_DATA": str(tmp_path / "forged")})
    with_key(sqlite_cli, tmp_path / "forged")
    refused = target("restore", str(forged))
    assert refused.exit_code == 2, refused.output
    assert "tài liệu không hợp lệ" in refused.stderr
    assert not (tmp_path / "outside.pdf").exists()
    with target.runtime() as rt:
        assert rt.app.head() == 0  # nothing stored
