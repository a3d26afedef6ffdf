"""An import larger than its memory page (NGOAIVU_IMPORT_PAGE): records written a page at a time
into one open transaction and read back through it, with the same outcome as one page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES, Cli
from tests.integration.test_award_rules_import import ORG, PERSON, grant
from tests.integration.test_crash import Store

# (report kind, org, period, as-of): the seed figures of samples/README.md and two more reports.
REPORTS = [
    ("key-tasks", "ha-tinh", "2020", "2020-12-11"),
    ("assigned-tasks", "ha-tinh", "2020", "2020-12-11"),
    ("key-tasks", "ha-tinh", "2021", "2021-06-14"),
    ("assigned-tasks", "gia-lai", "2020", "2020-11-20"),
    ("emulation", "ha-tinh", "2020", "2021-06-14"),
    ("foreign-affairs", "ha-tinh", "2021-H1", "2021-06-14"),
]


def paged(cli: Cli, page: int) -> Cli:
    """The same installation, its imports holding at most `page` records in memory."""
    return Cli({**cli.env, "NGOAIVU_IMPORT_PAGE": str(page)})


def import_samples(cli: Cli) -> list[list[str]]:
    """Import every sample file; per file, the lines that name each stored fact."""
    printed = []
    for path in sorted(SAMPLES.glob("*.jsonl")):
        result = cli("import", "--backfill", str(path))
        assert result.exit_code == 0, result.output
        printed.append([ln for ln in result.stdout.splitlines() if ln.startswith("  dòng ")])
    return printed


def reports(cli: Cli) -> list[dict[str, Any]]:
    """The reports of REPORTS as JSON."""
    out = []
    for kind, org, period, as_of in REPORTS:
        result = cli("report", kind, "--org", org, "--period", period, "--as-of", as_of)
        assert result.exit_code == 0, result.output
        out.append(json.loads(result.stdout))
    return out


def test_pages_of_two_records_give_the_facts_and_reports_of_one_page(
    cli: Cli, tmp_path: Path
) -> None:
    one_page = Cli({"NGOAIVU_DATA": str(tmp_path / "one-page")})  # SQLite, default page
    assert import_samples(paged(cli, 2)) == import_samples(one_page)
    assert reports(cli) == reports(one_page)
    assert Store(cli.env).count() == Store(one_page.env).count()


def tasks_file(tasks: int, *tail: dict[str, Any]) -> str:
    """An organisation, a programme, `tasks` tasks each completed, then `tail`."""
    rows: list[dict[str, Any]] = [
        {"kind": "org.registered", "org": "so-thu", "at": "2019-01-01", "name": "Sở thử"},
        {
            "kind": "programme.adopted",
            "org": "so-thu",
            "at": "2020-01-05",
            "programme": "2020",
            "title": "Chương trình 2020",
        },
    ]
    for no in range(1, tasks + 1):
        rows.append(
            {
                "kind": "task.added",
                "org": "so-thu",
                "at": "2020-01-05",
                "programme": "2020",
                "no": no,
                "title": f"Nhiệm vụ {no}",
                "unit": "VP",
            }
        )
        rows.append(
            {
                "kind": "task.progressed",
                "org": "so-thu",
                "at": "2020-06-01",
                "programme": "2020",
                "no": no,
                "status": "completed",
            }
        )
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [*rows, *tail])


def named(stderr: str, line: int) -> list[str]:
    return [ln for ln in stderr.splitlines() if re.match(rf"dòng {line}\b", ln)]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        # Checked once every line is read: task 1's lifecycle, its record written pages ago.
        (
            {
                "kind": "task.progressed",
                "org": "so-thu",
                "at": "2020-07-01",
                "programme": "2020",
                "no": 1,
                "status": "deferral_proposed",
            },
            "status",
        ),
        # Found while reading: a task that was never added.
        (
            {
                "kind": "task.progressed",
                "org": "so-thu",
                "at": "2020-07-01",
                "programme": "2020",
                "no": 999,
                "status": "completed",
            },
            "no",
        ),
    ],
)
def test_a_line_rejected_after_pages_were_written_stores_nothing(
    cli: Cli, bad: dict[str, Any], field: str
) -> None:
    store = Store(cli.env)
    text = tasks_file(60, bad)
    last = text.count("\n")
    result = paged(cli, 5)("import", "--backfill", "-", input=text)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = named(result.stderr, last)
    assert lines and any(field in ln for ln in lines), result.stderr
    assert store.count() == 0
    # Without the bad line the same file is stored whole, and a second time adds nothing.
    good = text.rsplit("\n", 2)[0] + "\n"
    done = paged(cli, 5)("import", "--backfill", "--quiet", "-", input=good)
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"added {last - 1}, skipped 0")
    assert store.count() == last - 1
    again = paged(cli, 5)("import", "--backfill", "--quiet", "-", input=good)
    assert again.stdout.startswith(f"added 0, skipped {last - 1}")


def test_prerequisites_granted_pages_earlier_in_the_same_file_count(cli: Cli) -> None:
    def person(no: int) -> dict[str, Any]:
        return {**PERSON, "id": f"p{no}", "name": f"Người {no}"}

    def to(no: int, award: dict[str, Any]) -> dict[str, Any]:
        recipient = {"type": "individual", "name": f"Người {no}", "person": f"p{no}"}
        return {**award, "id": f"{award['id']}-{no}", "recipient": recipient}

    people = range(1, 13)
    rows = [ORG, *(person(n) for n in people)]
    rows += [to(n, grant("LD", "lao_dong_tien_tien", "2021-12-15")) for n in people]
    # Every Chiến sĩ thi đua cơ sở needs that person's Lao động tiên tiến: granted pages earlier.
    rows += [to(n, grant("CS", "chien_si_thi_dua_co_so", "2021-12-20")) for n in people]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    store = Store(cli.env)

    # Person 13 has no Lao động tiên tiến: only that line is refused, and nothing is stored.
    lonely = to(13, grant("CS", "chien_si_thi_dua_co_so", "2021-12-20"))
    refused = paged(cli, 2)(
        "import", "-", input=text + json.dumps(person(13)) + "\n" + json.dumps(lonely) + "\n"
    )
    assert refused.exit_code == 2, refused.output
    assert len(named(refused.stderr, len(rows) + 2)) == 1, refused.stderr
    assert "prerequisite_missing" in refused.stderr
    assert len(re.findall(r"^dòng \d+", refused.stderr, re.M)) == 1, refused.stderr
    assert store.count() == 0

    done = paged(cli, 2)("import", "--quiet", "-", input=text)
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"added {len(rows)}, skipped 0")
