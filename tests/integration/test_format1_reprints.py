"""Reports issued before foreign-affairs format 2 (issue 14) reprint byte for byte.

The fixture `tests/fixtures/format1/` is a sealed backup of a store whose reports were issued by
the code of its commit (every kind; foreign-affairs by month, half-year and year, both windows,
K = now, T a position), with corrections imported after the issues, and the bytes each `issue`
printed. Restored on either backend, every reprint must exit 0 with exactly those bytes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.conftest import Cli

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "format1"
MANIFEST = json.loads((FIXTURE / "manifest.json").read_text(encoding="utf-8"))


def _restored(env: dict[str, str]) -> Cli:
    data = Path(env["NGOAIVU_DATA"])
    data.mkdir(parents=True, exist_ok=True)
    (data / "chain_key").write_bytes((FIXTURE / "chain_key").read_bytes())
    (data / "chain_key").chmod(0o600)
    cli = Cli(env)
    restored = cli("restore", str(FIXTURE / "store.backup.gz"))
    assert restored.exit_code == 0, restored.output
    assert f"issued reports checked against the backup's chain: {len(MANIFEST)}" in (
        restored.stdout
    )
    return cli


def test_the_fixture_holds_every_kind_and_foreign_affairs_of_format_1() -> None:
    kinds = {entry["kind"] for entry in MANIFEST}
    assert kinds >= {"foreign-affairs", "key-tasks", "assigned-tasks", "emulation"}
    assert all(entry["format"] == 1 for entry in MANIFEST)
    labels = {
        json.loads((FIXTURE / "issued" / e["file"]).read_bytes())["period"]["label"]
        for e in MANIFEST
        if e["kind"] == "foreign-affairs"
    }
    assert {"2021-03", "2021-H1", "2021"} <= labels


def test_every_format_1_report_reprints_byte_identical(env: dict[str, str]) -> None:
    cli = _restored(env)
    for entry in MANIFEST:
        result = cli("reprint", entry["org"], entry["number"], "--year", str(entry["year"]))
        assert result.exit_code == 0, (entry["number"], result.output)
        assert result.stdout_bytes == (FIXTURE / "issued" / entry["file"]).read_bytes(), entry
        assert result.stderr.startswith(f"khớp: {entry['digest']}")
    verified = cli("verify")
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize("entry", [e for e in MANIFEST if e["kind"] == "foreign-affairs"][:1])
def test_a_new_report_of_the_same_request_uses_the_current_format(
    sqlite_env: dict[str, str], entry: dict[str, object]
) -> None:
    """The reprint is the old format; a report asked for today is the newest one."""
    from projections.reports import CURRENT_FORMAT

    cli = _restored(
        sqlite_env | {"NGOAIVU_DATA": sqlite_env["NGOAIVU_DATA"] + uuid.uuid4().hex[:4]}
    )
    issued = json.loads((FIXTURE / "issued" / str(entry["file"])).read_bytes())
    result = cli(
        "report",
        "foreign-affairs",
        "--org",
        "ha-tinh",
        "--period",
        issued["period"]["label"],
        "--as-of",
        issued["as_of"],
        "--recorded-by",
        issued["recorded_by"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == CURRENT_FORMAT["foreign-affairs"]


def test_format_1_documents_reprint_through_the_frozen_renderer(sqlite_env: dict[str, str]) -> None:
    """Reports issued with renderer version 1 keep their own documents: the DOCX rendered again
    is the kept one, byte for byte (documents.frozen_v1), though every new document is the
    engine's. (The kept PDFs of this fixture embed DejaVu Serif for the Vietnamese letters: they
    were laid out where Liberation Serif 2 was not installed, so a PDF rendered again here differs,
    on main's code as on this one; `reprint --original` gives them.)"""
    cli = _restored(
        sqlite_env | {"NGOAIVU_DATA": sqlite_env["NGOAIVU_DATA"] + uuid.uuid4().hex[:4]}
    )
    for entry in MANIFEST:
        result = cli(
            "reprint", entry["org"], entry["number"], "--year", str(entry["year"]), "--format",
            "docx",
        )  # fmt: skip
        assert result.exit_code == 0, (entry["number"], result.output)
        assert "DOCX khớp bản đã ban hành" in result.stderr, (entry["number"], result.stderr)
        assert result.stdout_bytes.startswith(b"PK")
