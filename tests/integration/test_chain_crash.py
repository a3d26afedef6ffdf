"""Crashes and forged backups against the chain, on SQLite and PostgreSQL.

An import killed right after its commit leaves every event linked (the links are in its
transaction): `verify` says intact and no alarm is raised. A backup altered without the key
(an event appended, its last events cut, a document swapped) is refused by `restore`, and so is
one sealed with the key whose links or documents do not hold; a restore killed at any moment
leaves the target as it was or complete, and the same restore then works.
"""

from __future__ import annotations

import base64
import gzip
import json
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.backups import restore as restore_module
from tests.conftest import SAMPLES, Cli
from tests.integration.test_backup_migrate import (
    Databases,
    _databases,
    _rewrite,
    share_key,
)
from tests.integration.test_crash import Store, big_file, kill, run, spawn, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.flaky(reruns=2, reruns_delay=5)]

SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
ISSUE = (
    "issue", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--number", "849/SNgV-VP",
    "--signed-on", "2020-12-11", "--signer", "Lê Thị Khánh Cẩm",
)  # fmt: skip


def levels(store: Store) -> tuple[int, int]:
    """(events, links) counted in one statement: one snapshot ((0, 0) before the tables)."""
    try:
        rows = store._query(
            f"SELECT (SELECT COUNT(*) FROM {store.events_table}), "
            "(SELECT COUNT(*) FROM ngoaivu_chain)",
            events=True,
        )
    except Exception as exc:  # no table yet: nothing stored
        if any(w in str(exc) for w in ("does not exist", "no such table", "no database")):
            return 0, 0
        raise
    return int(rows[0][0]), int(rows[0][1])


def test_an_import_killed_right_after_its_commit_leaves_verify_intact(
    env: dict[str, str], tmp_path: Path
) -> None:
    store = Store(env)
    seen: list[tuple[int, int]] = []
    caught = 0
    for attempt in range(3):
        path = tmp_path / f"big-{attempt}.jsonl"
        lines = big_file(path, f"thu-nghiem-{attempt}", tasks=600)
        before = levels(store)[0] if attempt else 0
        proc = spawn(env, "import", "--backfill", "--quiet", str(path))

        def committed(before: int = before, lines: int = lines) -> bool:
            now = levels(store)
            seen.append(now)
            return now[0] == before + lines

        if wait_until(proc, committed, limit=600) and kill(proc):
            caught += 1  # killed after the commit, while it brought the read models level
        else:
            kill(proc)
    assert caught, "no import could be killed between its commit and its exit"
    # At every moment observed, every stored event had its link.
    assert all(events == linked for events, linked in seen), [s for s in seen if s[0] != s[1]]
    verified = run(env, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.rstrip().endswith("intact")
    alarm = run(env, "alarm")
    assert alarm.returncode == 0 and "không có báo động" in alarm.stdout


# --- backups ---------------------------------------------------------------------------------


@pytest.fixture
def dbs(pg_available: bool) -> Iterator[Databases]:
    yield from _databases(pg_available)


def new_target(source: Cli, base: Path, dbs: Databases | None, key: bool = True) -> Cli:
    """An empty installation of the source's backend (with the source's key unless told)."""
    env = {"NGOAIVU_DATA": str(base / f"target-{uuid.uuid4().hex[:8]}"), "NGOAIVU_ACTOR": "t"}
    if source.env.get("DATABASE_URL"):
        assert dbs is not None
        env["DATABASE_URL"] = dbs.new()
    target = Cli(env)
    if key:
        share_key(source, target)
    return target


@pytest.fixture
def source(cli: Cli, tmp_path: Path) -> tuple[Cli, Path]:
    """An installation with seed 000 and an issued report (its DOCX and PDF kept), backed up."""
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    assert cli(*ISSUE).exit_code == 0
    path = tmp_path / "good.gz"
    made = cli("backup", str(path))
    assert made.exit_code == 0 and ", 2 documents," in made.stdout, made.output
    return cli, path


def target_dbs(cli: Cli, request: pytest.FixtureRequest) -> Databases | None:
    return request.getfixturevalue("dbs") if cli.env.get("DATABASE_URL") else None


def assert_untouched(target: Cli) -> None:
    with target.runtime() as rt:
        assert rt.chain.levels() == (0, 0)
    documents = Path(target.env["NGOAIVU_DATA"]) / "documents"
    assert not documents.exists() or not any(documents.rglob("*.*"))


def _lines(path: Path) -> list[bytes]:
    with gzip.open(path, "rb") as handle:
        return handle.read().splitlines(keepends=True)


def append_event(line: bytes, last: list[Any] = []) -> bytes:  # noqa: B006
    """Keep each line; after the last event line, one more event (a copy at the next position)."""
    obj = json.loads(line)
    if "e" in obj:
        last[:] = [obj["e"]]
        return line
    if "d" in obj and last:
        copy = list(last[0])
        copy[0] += 1
        copy[2] += 1000
        last.clear()
        return json.dumps({"e": copy}).encode() + b"\n" + line
    return line


def cut_events(head: int, keep: int) -> Any:
    def edit(line: bytes) -> bytes:
        obj = json.loads(line)
        return b"" if "e" in obj and obj["e"][0] > keep else line

    return edit


def swap_document(line: bytes) -> bytes:
    obj = json.loads(line)
    if "d" in obj and obj["d"][0].endswith(".pdf"):
        data = base64.b64decode(obj["d"][1]).replace(b"%%EOF", b"%%EOF\n% swapped", 1)
        obj["d"][1] = base64.b64encode(data).decode()
        return json.dumps(obj).encode() + b"\n"
    return line


FORGERIES = {"appended": append_event, "cut": cut_events(50, 45), "swapped": swap_document}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_a_backup_altered_without_the_key_is_refused(
    source: tuple[Cli, Path], tmp_path: Path, forgery: str, request: pytest.FixtureRequest
) -> None:
    cli, good = source
    forged = tmp_path / f"{forgery}.gz"
    _rewrite(good, forged, FORGERIES[forgery], reseal=True)
    assert _lines(forged) != _lines(good)
    target = new_target(cli, tmp_path, target_dbs(cli, request))
    result = target("restore", str(forged))
    assert result.exit_code == 2, result.output
    assert "HMAC" in result.stderr and "Traceback" not in result.output
    assert_untouched(target)
    assert target("restore", str(good)).exit_code == 0  # the genuine file still restores


@pytest.mark.parametrize("forgery", ["appended", "swapped"])
def test_a_backup_sealed_with_the_key_but_not_holding_is_refused(
    source: tuple[Cli, Path], tmp_path: Path, forgery: str, request: pytest.FixtureRequest
) -> None:
    cli, good = source
    forged = tmp_path / f"{forgery}.gz"
    _rewrite(good, forged, FORGERIES[forgery], reseal=True, key_of=cli)
    target = new_target(cli, tmp_path, target_dbs(cli, request))
    result = target("restore", str(forged))
    assert result.exit_code == 1, result.output
    assert "HỎNG" in result.stderr and "Traceback" not in result.output
    if forgery == "appended":
        assert "HỎNG tại vị trí @51" in result.stderr
    assert_untouched(target)


def test_a_cut_backup_is_refused_by_the_anchors_noted_elsewhere(
    source: tuple[Cli, Path], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Cut and sealed with the key (an older backup is such a file): only the anchors tell."""
    cli, good = source
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(cli("anchor").output, encoding="utf-8")
    cut = tmp_path / "cut.gz"
    _rewrite(good, cut, cut_events(50, 45), reseal=True, key_of=cli)
    target = new_target(cli, tmp_path, target_dbs(cli, request))
    result = target("restore", str(cut), "--anchors", str(anchors))
    assert result.exit_code == 1, result.output
    assert "HỎNG tại vị trí @50" in result.stderr
    assert_untouched(target)
    ok = target("restore", str(good), "--anchors", str(anchors))
    assert ok.exit_code == 0 and "anchors checked: 1" in ok.stdout, ok.output


def test_a_backup_is_refused_without_its_key_or_with_another(
    source: tuple[Cli, Path], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    cli, good = source
    dbs = target_dbs(cli, request)
    keyless = new_target(cli, tmp_path, dbs, key=False)
    result = keyless("restore", str(good))
    assert result.exit_code == 2 and "khóa chuỗi" in result.stderr, result.output
    assert_untouched(keyless)
    other = new_target(cli, tmp_path, dbs, key=False)
    Path(other.env["NGOAIVU_DATA"]).mkdir(parents=True)
    (Path(other.env["NGOAIVU_DATA"]) / "chain_key").write_text(f"k1:{'ab' * 32}\n")
    result = other("restore", str(good))
    assert result.exit_code == 2 and "HMAC" in result.stderr, result.output
    assert_untouched(other)


def test_a_restore_stopped_after_its_commit_is_completed_by_the_next_command(
    source: tuple[Cli, Path],
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli, good = source
    target = new_target(cli, tmp_path, target_dbs(cli, request))
    real = restore_module.finish
    calls = []

    def killed_after_commit(engine: Any, data_dir: Path) -> None:
        calls.append(1)
        if len(calls) == 2:  # the first is the target's check before loading
            raise SystemExit(9)  # as if killed: rows committed, documents still staged
        real(engine, data_dir)

    monkeypatch.setattr(restore_module, "finish", killed_after_commit)
    stopped = target("restore", str(good))
    assert stopped.exit_code == 9, stopped.output
    monkeypatch.setattr(restore_module, "finish", real)
    data = Path(target.env["NGOAIVU_DATA"])
    assert list(data.glob(".documents-restore-*")), "the documents wait in their staging folder"
    verified = target("verify")  # any command completes the restore first
    assert verified.exit_code == 0 and "issued documents checked: 2" in verified.output
    again = target("restore", str(good))
    assert again.exit_code == 0 and "đã được khôi phục" in again.stdout, again.output
    assert not list(data.glob(".documents-restore-*"))


def test_a_restore_killed_at_any_moment_leaves_the_target_as_it_was_or_complete(
    source: tuple[Cli, Path], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    cli, good = source
    rng = random.Random()
    target = new_target(cli, tmp_path, target_dbs(cli, request))
    started = time.monotonic()
    full = run(new_target(cli, tmp_path, target_dbs(cli, request)).env, "restore", str(good))
    assert full.returncode == 0, full.stderr
    duration = time.monotonic() - started
    for _ in range(4):
        proc = spawn(target.env, "restore", str(good))
        time.sleep(rng.uniform(0.0, duration))
        kill(proc)
        with target.runtime() as rt:  # opening it completes a restore committed before
            events, linked = rt.chain.levels()
        assert (events, linked) in ((0, 0), (50, 50)), (events, linked)
        if events:
            break
    done = run(target.env, "restore", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    verified = run(target.env, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "issued documents checked: 2" in verified.stdout
