"""Limits and clear refusals (issue 12): every input the attack found is answered with exit 2
(or 1 for a failed verification) and a message naming the line, field or option, never exit 3;
a 50 MB line is refused unread, in bounded memory; the shared command validation (import and
API) never raises on the same inputs, whatever key they are put under."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.text import nfc
from service.importing.importer import parse_line
from service.importing.schemas import SCHEMAS, schema_for
from service.importing.spool import BadLine
from service.limits import MAX_DEPTH, LimitError, check
from tests.conftest import SAMPLES, Cli

NGOAIVU = Path(sys.executable).parent / "ngoaivu"
TASK = {"kind": "task.added", "org": "ha-tinh", "at": "2020-05-01", "programme": "2020"}
TASK_LINE = json.dumps({**TASK, "no": 90, "title": "Việc mới", "unit": "Văn phòng"})
DELEGATION = {
    "kind": "delegation.recorded",
    "org": "ha-tinh",
    "at": "2020-05-01",
    "id": "D9",
    "direction": "inbound",
    "countries": ["Lào"],
    "purpose": "Thăm",
}


def line(**changes: Any) -> str:
    return json.dumps({**TASK, "no": 91, "title": "Việc", "unit": "Văn phòng", **changes})


# (what, the line, words the message must hold): each at line 2, after a valid line.
LINES: list[tuple[str, str, list[str]]] = [
    ("100,000 nested arrays", "[" * 100_000 + "]" * 100_000, ["dòng 2:", "lồng nhau quá sâu"]),
    (
        "nesting inside a field",
        json.dumps(
            {"kind": "record.corrected", "org": "ha-tinh", "target": "task:2020/1", "reason": "x"}
        )[:-1]
        + ', "set": {"title": '
        + "[" * 40
        + "]" * 40
        + "}}",
        ["dòng 2, trường 'set.title'", "lồng nhau quá sâu"],
    ),
    (
        "a 5,000-digit integer",
        line()[:-1].replace('"no": 91', '"no": ' + "9" * 5000) + "}",
        ["dòng 2, trường 'no'", "số nguyên quá lớn (5.000 chữ số"],
    ),
    ("a lone surrogate", line(title="\ud800"), ["dòng 2, trường 'title'", "U+D800"]),
    (
        "a lone surrogate in a key",
        line()[:-1] + ', "\\udfff": 1}',
        ["dòng 2:", "tên trường '\\udfff'"],
    ),
    (
        "people = 10^25",
        json.dumps({**DELEGATION, "people": 10**25}),
        ["dòng 2, trường 'people'", "số nguyên quá lớn"],
    ),
    (
        "people beyond its range",
        json.dumps({**DELEGATION, "people": 10**6}),
        ["dòng 2, trường 'people'", "phải từ 1 đến 100.000"],
    ),
    ("a task number of 10^30", line(no=10**30), ["dòng 2, trường 'no'", "số nguyên quá lớn"]),
    ("a task number of 10^5", line(no=10**5), ["dòng 2, trường 'no'", "phải từ 1 đến 99.999"]),
    ('"org": "evil\\n"', line(org="evil\n"), ["dòng 2, trường 'org'", "mã viết thường"]),
    ("NaN", line()[:-1] + ', "no": NaN}', ["dòng 2:", "NaN không phải là số JSON"]),
    (
        "1e400",
        json.dumps({**DELEGATION, "people": 0}).replace('"people": 0', '"people": 1e400'),
        ["dòng 2, trường 'people'", "phải là số nguyên"],
    ),
]


@pytest.fixture
def seeded(sqlite_cli: Cli) -> Cli:
    result = sqlite_cli(
        "import", "--backfill", "--quiet", str(SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl")
    )
    assert result.exit_code == 0
    return sqlite_cli


def head(cli: Cli) -> int:
    with cli.runtime() as rt:
        return rt.app.head() or 0


@pytest.mark.parametrize(("text", "words"), [c[1:] for c in LINES], ids=[c[0] for c in LINES])
def test_each_bad_line_is_refused_with_exit_2_naming_it(
    seeded: Cli, tmp_path: Path, text: str, words: list[str]
) -> None:
    before = head(seeded)
    path = tmp_path / "bad.jsonl"
    path.write_bytes((TASK_LINE + "\n" + text + "\n").encode("utf-8", "surrogatepass"))
    result = seeded("import", "--quiet", str(path))
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Lỗi hệ thống" not in result.output and "Traceback" not in result.output
    assert head(seeded) == before


def _peak_import(env: dict[str, str], path: Path) -> tuple[int, str, int]:
    """Exit code, stderr and peak resident memory (KiB) of `ngoaivu import` in a process of
    its own (its children counted)."""
    probe = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "sys.stderr.write(done.stderr); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "sys.exit(done.returncode)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, str(NGOAIVU), "import", "--quiet", str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    return run.returncode, run.stderr, int(run.stdout.strip().splitlines()[-1])


def test_a_50_mb_line_is_refused_unread_in_bounded_memory(seeded: Cli, tmp_path: Path) -> None:
    env = {k: v for k, v in seeded.env.items()}
    small = tmp_path / "small.jsonl"
    small.write_text(TASK_LINE + "\n", encoding="utf-8")
    code, _err, baseline = _peak_import(env, small)
    assert code == 0
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as out:
        out.write(line(no=92) + "\n")
        out.write(line(no=93, title="x" * (50 * 1024 * 1024)) + "\n")
        out.write(line(no=94, title="a\x00b") + "\n")  # numbering goes on after the long line
    before = head(seeded)
    code, err, peak = _peak_import(env, big)
    assert code == 2, err
    assert "dòng 2: dòng dài 52.428." in err and "vượt giới hạn 1.048.576 byte" in err, err
    assert "dòng 3, trường 'title'" in err, err
    assert head(seeded) == before
    # Measured here before the limit: 711 MB. Now the long line costs a megabyte or two.
    print(f"peak RSS: small file {baseline} KiB, 50 MB line {peak} KiB")
    assert peak < baseline + 64 * 1024, (baseline, peak)


def _issue(cli: Cli) -> None:
    result = cli(
        "issue",
        "key-tasks",
        "--org",
        "ha-tinh",
        "--period",
        "2020",
        "--as-of",
        "2020-12-11",
        "--number",
        "849/SNgV-VP",
        "--signed-on",
        "2020-12-11",
        "--signer",
        "Nguyễn Văn A",
        "--format",
        "docx",
        "-o",
        os.devnull,
    )
    assert result.exit_code == 0, result.output


def test_bad_options_are_refused_with_exit_2_naming_them(seeded: Cli, tmp_path: Path) -> None:
    _issue(seeded)
    missing = str(tmp_path / "no-such-folder" / "out")
    cases: list[tuple[tuple[str, ...], str]] = [
        (
            ("report", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--programme", "2002"),
            "--programme",
        ),
        (("report", "key-tasks", "--org", "ha-tinh", "--period", "2020", "-o", missing), "-o"),
        (("reprint", "ha-tinh", "849/SNgV-VP", "-o", missing), "-o"),
        (("audit", "export", "--org", "ha-tinh", "-o", missing), "-o"),
        (("reprint", "ha-tinh", "849/SNgV-VP", "--year", "9" * 20), "--year"),
        (("reprint", "ha-tinh", "849/SNgV-VP", "--year", "²"), "--year"),
        (("diff", "ha-tinh", "849/SNgV-VP", "--year", "1" * 20), "--year"),
        (
            ("user", "add", "an", "--org", "ha-tinhh", "--role", "clerk", "--generate-password"),
            "--org",
        ),
        (
            ("report", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--recorded-by", "@²"),
            "--recorded-by",
        ),
        (("report", "key-tasks", "--org", "ha-tinh", "--period", "2020\n"), "--period"),
        (
            (
                "report",
                "key-tasks",
                "--org",
                "ha-tinh",
                "--period",
                "2020",
                "--as-of",
                "2020-01-01\n",
            ),
            "--as-of",
        ),
        (("serve", "--port", "9" * 20), "--port"),
    ]
    for args, option in cases:
        result = seeded(*args)
        assert result.exit_code == 2, (args, result.exit_code, result.output)
        assert option in result.output, (args, result.output)
        assert "Lỗi hệ thống" not in result.output, (args, result.output)
    # The programme named exists: the same report is accepted.
    ok = seeded(
        "report", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--programme", "2020"
    )
    assert ok.exit_code == 0


def test_reprint_original_of_a_changed_copy_fails_verification(seeded: Cli, tmp_path: Path) -> None:
    _issue(seeded)
    data = Path(seeded.env["NGOAIVU_DATA"])
    [kept] = (data / "documents").rglob("*.docx")
    kept.write_bytes(kept.read_bytes() + b"x")
    result = seeded(
        "reprint",
        "ha-tinh",
        "849/SNgV-VP",
        "--format",
        "docx",
        "--original",
        "-o",
        str(tmp_path / "o.docx"),
    )
    assert result.exit_code == 1, result.output
    assert "bị thay đổi" in result.output and kept.name in result.output
    assert not (tmp_path / "o.docx").exists()


# The shared validation: the pathological values of the attack, under any key of any kind.
deep = st.integers(MAX_DEPTH, 400).map(lambda n: json.loads("[" * n + "]" * n))
odd_values = st.one_of(
    deep,
    st.sampled_from(
        [
            10**25,
            10**30,
            -(10**20),
            2**53,
            "\ud800",
            "a\x00b",
            "evil\n",
            "\x7f",
            "\x9b",
            "tab\tline\n",
            float("inf"),
            float("nan"),
            {"\udc80": 1},
            {"title": "\x00"},
            [{"id": "K", "title": "\x01"}],
        ]
    ),
)
KEYS = sorted({name for schema in SCHEMAS.values() for name in schema._declared_fields})


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    kind=st.sampled_from(sorted(SCHEMAS)),
    key=st.sampled_from(KEYS),
    value=odd_values,
    nested=st.sampled_from([None, "recipient", "set", "detail", "items"]),
)
def test_the_shared_validation_names_a_field_and_never_raises(
    kind: str, key: str, value: Any, nested: str | None
) -> None:
    cmd: dict[str, Any] = {"kind": kind, "org": "ha-tinh", "at": "2020-05-01"}
    if nested == "items":
        cmd["items"] = [{"id": "K", key: value}]
    elif nested is not None:
        cmd[nested] = {key: value}
    else:
        cmd[key] = value
    # The API's path (web.writing.Writer.command): limits, then the kind's schema.
    try:
        check(cmd)
    except LimitError as exc:
        assert exc.message
    else:
        errors = schema_for(kind).validate(nfc(cmd))
        assert isinstance(errors, dict)
    # The import's path: the same command as a line of a file.
    try:
        text = json.dumps(cmd, ensure_ascii=True)
    except ValueError:  # a float JSON cannot write (allow_nan): not a line anyone can send
        return
    try:
        parse_line(text, False)
    except BadLine as bad:
        assert bad.message
