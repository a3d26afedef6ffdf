"""The line-end fix of renderer version 3 (issue 14) changes no word the office already has: the
standard bodies and the seed drafts never hold a line the version-2 rule got wrong, and over the
samples they render the same text under both rules. (What a clerk's own draft issued before
renders with is pinned by its format: tests/integration/test_documents.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from documents import render_body
from documents.sandbox import _TAGS_ONLY, _V2_TAGS_ONLY
from documents.standard import STANDARDS
from tests.conftest import Cli
from tests.render.test_standard_drafts import report

DRAFTS = Path(__file__).resolve().parents[2] / "samples" / "005_seed_drafts.jsonl"
SEED_DAYS = {
    "seed-000": ("ha-tinh", "2020-12-11"),
    "seed-001": ("ha-tinh", "2021-03-14"),
    "seed-002": ("ha-tinh", "2021-06-14"),
    "seed-003": ("ha-tinh", "2022-11-24"),
    "seed-004": ("gia-lai", "2020-11-20"),
}


def seed_drafts() -> dict[str, str]:
    lines = DRAFTS.read_text(encoding="utf-8").splitlines()
    drafts = [json.loads(line) for line in lines if line.strip()]
    return {d["id"]: d["body"] for d in drafts if d.get("kind") == "document.drafted"}


def bodies() -> dict[str, str]:
    return {**{k: s.body for k, s in STANDARDS.items()}, **seed_drafts()}


def test_the_seed_drafts_are_all_measured() -> None:
    assert sorted(seed_drafts()) == sorted(SEED_DAYS)


@pytest.mark.parametrize("name", sorted(bodies()))
def test_no_line_of_the_office_s_bodies_is_one_the_version_2_rule_got_wrong(name: str) -> None:
    """Every line the version-2 rule took for a line of tags is one (its defect needs a line
    that starts and ends with a tag and has text between)."""
    for number, line in enumerate(bodies()[name].split("\n"), 1):
        if _V2_TAGS_ONLY.fullmatch(line):
            assert _TAGS_ONLY.fullmatch(line), (number, line)


@pytest.mark.parametrize("kind", sorted(STANDARDS))
def test_standard_bodies_give_the_same_text_under_renderer_2_and_3(
    samples_cli: Cli, kind: str
) -> None:
    standard = STANDARDS[kind]
    sources = {standard.source: report(samples_cli, kind)}
    v2 = render_body(standard.body, sources, renderer=2)
    assert render_body(standard.body, sources, renderer=3) == v2
    assert v2.count("\n") > 5  # a whole document, not an empty one


@pytest.mark.parametrize("draft", sorted(SEED_DAYS))
def test_seed_drafts_give_the_same_text_under_renderer_2_and_3(
    samples_cli: Cli, draft: str
) -> None:
    org, as_of = SEED_DAYS[draft]
    result = samples_cli("report", "document", "--org", org, "--draft", draft, "--as-of", as_of)
    assert result.exit_code == 0, result.output
    content = json.loads(result.stdout)
    assert content["format"] == 2
    body = seed_drafts()[draft]
    assert content["text"] == render_body(body, content["sources"], renderer=2)
