"""Shared helpers of the document tests: an installation with every sample, the text of a PDF
(poppler's pdftotext) and of a DOCX, and the first page kept as PNG under test-output/render/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as read_docx

from tests.conftest import SAMPLES, Cli

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-output" / "render"

# Free text of seed 000 the clerk writes beside the figures (report.note).
NOTES_000 = [
    (
        "kinh_gui",
        "Ban Giám đốc Sở",
    ),
    (
        "mo_dau",
        "Thực hiện ý kiến chỉ đạo của lãnh đạo Sở về việc giao Văn phòng - Thanh tra rà soát "
        "kết quả thực hiện Chương trình trọng tâm năm 2020 của Sở Ngoại vụ (ban hành kèm theo "
        "công văn số 53/SNgV-VP ngày 04/02/2020), Văn phòng - Thanh tra báo cáo kết quả các "
        "phòng, đơn vị thực hiện như sau:",
    ),
    (
        "ket_luan",
        "Văn phòng - Thanh tra tổng hợp báo cáo Ban Giám đốc Sở",
    ),
]


def note_line(org: str, at: str, report: str, period: str, section: str, text: str) -> str:
    import json

    return json.dumps(
        {
            "kind": "report.note",
            "org": org,
            "at": at,
            "report": report,
            "period": period,
            "section": section,
            "text": text,
        },
        ensure_ascii=False,
    )


def import_samples(cli: Cli, tmp: Path) -> None:
    """Every sample file, then seed 000's notes, all with --backfill."""
    for path in sorted(SAMPLES.glob("*.jsonl")):
        result = cli("import", "--backfill", "--quiet", str(path))
        assert result.exit_code == 0, result.output
    notes = tmp / "notes_000.jsonl"
    notes.write_text(
        "\n".join(
            note_line("ha-tinh", "2020-12-10", "key-tasks", "2020", s, t) for s, t in NOTES_000
        )
        + "\n",
        encoding="utf-8",
    )
    result = cli("import", "--backfill", "--quiet", str(notes))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def samples_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """An SQLite installation holding every sample and seed 000's notes."""
    tmp = tmp_path_factory.mktemp("render")
    cli = Cli({"NGOAIVU_DATA": str(tmp / "var"), "NGOAIVU_ACTOR": "tester"})
    import_samples(cli, tmp)
    return cli


def need(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} is missing: run scripts/system-deps.sh (poppler-utils)")
    return found


def squeeze(text: str) -> str:
    """Text without any white space (line breaks of the layout differ from the sentences')."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


def pdf_text(path: Path, *pages: int) -> str:
    args = [need("pdftotext"), "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run(
        [*args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(
        [need("pdfinfo"), str(path)], check=True, capture_output=True, text=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(
        [need("pdffonts"), str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def first_page_png(pdf: Path, name: str) -> Path:
    """The first page as PNG, kept as a test artefact (test-output/ is not committed)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTEFACTS / name
    subprocess.run(
        [
            need("pdftoppm"),
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return stem.with_suffix(".png")


def docx_text(path: Path) -> str:
    """Every paragraph of the body, its tables' cells included, in document order."""
    doc = read_docx(str(path))
    lines: list[str] = []
    body = doc.element.body

    def text(p: object) -> str:
        # a non-breaking hyphen (w:noBreakHyphen, as in "849/SNgV-VP") reads as a hyphen
        return "".join(
            (t.text or "") if t.tag.endswith("}t") else "-"
            for t in p.iter()  # type: ignore[attr-defined]
            if t.tag.endswith(("}t", "}noBreakHyphen"))
        )

    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(text(child))
        elif tag == "tbl":
            for t_el in child.iter():
                if t_el.tag.endswith("}p"):
                    lines.append(text(t_el))
    return "\n".join(lines)
