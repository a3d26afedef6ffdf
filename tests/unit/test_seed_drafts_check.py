"""The seed drafts (samples/005_seed_drafts.jsonl) pass the import check against today's report
shapes: every figure they name is a live key of a report (documents/SEED_FIGURES.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from documents import check_body

DRAFTS = Path(__file__).resolve().parents[2] / "samples" / "005_seed_drafts.jsonl"


def _drafts() -> list[dict]:
    lines = DRAFTS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if '"document.drafted"' in line]


def test_the_five_seeds_have_drafts() -> None:
    assert [d["id"] for d in _drafts()] == [f"seed-00{n}" for n in range(5)]


@pytest.mark.parametrize("draft", _drafts(), ids=lambda d: d["id"])
def test_every_seed_draft_passes_the_import_check(draft: dict) -> None:
    kinds = {name: spec["report"] for name, spec in draft["sources"].items()}
    assert check_body(draft["body"], kinds) == []
