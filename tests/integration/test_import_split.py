"""A large file is validated in two processes (its second half in a forked child): the same
lines stored, the same rejections with the same line numbers, as when one process reads it all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.importing import spool as import_spool
from service.importing.handlers import RANKS
from service.importing.importer import parse_line
from tests.conftest import SAMPLES, Cli
from tests.integration.test_paged_import import tasks_file


def spool(path: Path, split_bytes: int, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """(items by rank, first errors, total errors) of a file, split at `split_bytes` or more."""
    monkeypatch.setattr(import_spool, "SPLIT_BYTES", split_bytes)
    spooled = import_spool.spool_file(path, parse_line, True, RANKS, 100)
    try:
        items = {rank: list(spooled.read(rank)) for rank in RANKS}
        return items, spooled.errors.first(), spooled.errors.total, len(spooled.parts)
    finally:
        spooled.close()


def test_two_parts_read_what_one_part_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = tasks_file(150).splitlines()
    lines[3] = "{not json"  # an error in the first half
    lines[-2] = json.dumps({"kind": "task.progressed", "org": "so-thu"})  # and in the second
    lines.insert(len(lines) // 2 + 7, "   ")  # a blank line: numbered, skipped
    path = tmp_path / "file.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode())
    whole = spool(path, 1 << 40, monkeypatch)
    halves = spool(path, 1, monkeypatch)
    assert whole[3] == 1 and halves[3] == 2
    assert halves[:3] == whole[:3]
    # The second half's line lacks four keys: each named, across the pipe from the child too.
    assert [(e.line, e.field) for e in whole[1]] == [
        (4, None),
        *((len(lines) - 1, key) for key in ("at", "programme", "no", "status")),
    ]
    assert sum(len(v) for v in whole[0].values()) == len(lines) - 3  # two bad lines, one blank


def test_more_than_a_hundred_rejections_across_the_halves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(f'{{"kind": "nope-{n}"}}\n' for n in range(1, 351)), "utf-8")
    whole = spool(path, 1 << 40, monkeypatch)
    halves = spool(path, 1, monkeypatch)
    assert halves[3] == 2
    assert halves[2] == whole[2] == 350
    assert [e.line for e in halves[1]] == [e.line for e in whole[1]] == list(range(1, 101))


def test_a_split_import_stores_the_samples_as_they_read(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(import_spool, "SPLIT_BYTES", 1)
    one_part = Cli({"NGOAIVU_DATA": str(tmp_path / "one-part")})
    for path in sorted(SAMPLES.glob("*.jsonl")):
        split = cli("import", "--backfill", str(path))
        monkeypatch.setattr(import_spool, "SPLIT_BYTES", 1 << 40)
        whole = one_part("import", "--backfill", str(path))
        monkeypatch.setattr(import_spool, "SPLIT_BYTES", 1)
        assert split.exit_code == whole.exit_code == 0, split.output + whole.output
        assert split.stdout.splitlines()[1:] == whole.stdout.splitlines()[1:]  # the fact ids
