"""Real reports of the samples conform to the shapes the body check uses: every path a real
report has exists in its kind's shape (lists and nulls included); no planned key is there yet."""

from __future__ import annotations

import json

import pytest

from documents.planned import PLANNED
from documents.shapes import SHAPES, conform, paths
from tests.conftest import SAMPLES, Cli

ASKED = [
    ("key-tasks", "ha-tinh", "2020", "2020-12-11", []),
    ("key-tasks", "ha-tinh", "2021-H1", "2021-06-14", []),
    ("key-tasks", "gia-lai", "2020", "2020-11-20", ["--programme", "QD70-2020"]),
    ("assigned-tasks", "ha-tinh", "2020", "2020-12-11", ["--programme", "UBND-2020"]),
    ("assigned-tasks", "gia-lai", "2020", "2020-11-20", []),
    ("assigned-tasks", "gia-lai", "2020", "2020-11-20", ["--programme", "QD70-2020"]),
    ("foreign-affairs", "ha-tinh", "2021-03", "2021-03-14", []),
    ("foreign-affairs", "ha-tinh", "2021-H1", "2021-06-14", []),
    ("foreign-affairs", "ha-tinh", "2022", "2022-11-24", []),
    ("foreign-affairs", "ha-tinh", "2021-9M", "2022-11-24", ["--window", "calendar"]),
    ("foreign-affairs", "gia-lai", "2020", "2020-11-20", []),
    ("foreign-affairs", "gia-lai", "2019-Q4", "2020-11-20", []),
    ("emulation", "ha-tinh", "2020", "2021-06-14", []),
    ("emulation", "ha-tinh", "2021-H1", "2021-06-14", []),
    ("award-register", "ha-tinh", "2020", "2021-06-14", []),
    ("award-irregular", "ha-tinh", "2020", "2021-06-14", []),
]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """One installation with every sample file, as `make samples` loads them."""
    cli = Cli({"NGOAIVU_DATA": str(tmp_path_factory.mktemp("shapes") / "var")})
    for path in sorted(SAMPLES.glob("*.jsonl")):
        result = cli("import", "--backfill", "--quiet", str(path))
        assert result.exit_code == 0, result.output
    return cli


def report(cli: Cli, kind: str, org: str, period: str, as_of: str, extra: list[str]) -> dict:
    result = cli("report", kind, "--org", org, "--period", period, "--as-of", as_of, *extra)
    assert result.exit_code == 0, result.output
    content = json.loads(result.stdout)
    content.pop("digest")
    return content


@pytest.mark.parametrize("asked", ASKED, ids=lambda a: f"{a[0]}-{a[1]}-{a[2]}")
def test_a_real_report_conforms_to_its_kinds_shape(cli, asked):
    content = report(cli, *asked)
    assert conform(content, SHAPES[asked[0]]) == []


@pytest.mark.parametrize("asked", ASKED, ids=lambda a: f"{a[0]}-{a[1]}-{a[2]}")
def test_no_planned_key_is_in_a_real_report_yet(cli, asked):
    """When a builder gains a planned key, its entry moves from documents/planned.py to
    documents/shapes.py: this test says so."""
    kind = asked[0]
    if kind not in PLANNED:
        return
    present = set(_paths_of(report(cli, *asked)))
    planned_only = set(paths(PLANNED[kind])) - set(paths(SHAPES[kind]))
    assert not present & planned_only


def _paths_of(value, prefix: str = "") -> list[str]:
    """The paths of a JSON value written as documents.shapes.paths writes them."""
    if isinstance(value, list):
        return [p for item in value for p in _paths_of(item, f"{prefix}[]")] or [f"{prefix}[]"]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            step = f"{prefix}[{key!r}]" if "." in key else (f"{prefix}.{key}" if prefix else key)
            found.extend(_paths_of(item, step))
        return found
    return [prefix]
