"""The same files give the same records on SQLite and on PostgreSQL.

Every sample file (and a file of corrections, voids and a note) is imported into an SQLite and a
PostgreSQL installation; every report kind, history, search, issue/reprint and a rebuild of the read
models must agree. When the two stores number their events alike, the reports are equal byte for
byte, digests included. PostgreSQL may leave gaps in its numbering (a rolled-back transaction
still consumes ids): then only `recorded_by` differs, and with it the digest; putting the SQLite
position in its place gives back the SQLite digest.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PG_ADMIN, SAMPLES, Cli

pytestmark = pytest.mark.postgres

FILES = sorted(SAMPLES.glob("*.jsonl"))

# Applied after the samples: a correction, voids and a note, some known later than the facts.
FIXES = [
    {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "task:2020/21",
        "set": {"status": "completed"},
        "reason": "Đã tổ chức tổng kết ngày 23/12/2020",
        "known_since": "2020-12-24",
    },
    {
        "kind": "record.voided",
        "org": "ha-tinh",
        "target": "task:2020/19",
        "reason": "Nhập trùng",
        "known_since": "2020-12-24",
    },
    {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "fact:task:2020/3#1",
        "set": {"title": "Ký kết quan hệ hợp tác hữu nghị với tỉnh Tula (Liên bang Nga)"},
        "reason": "Sai tên",
    },
    *[
        {
            "kind": "delegation.recorded",
            "org": "ha-tinh",
            "at": "2023-05-01",
            "id": ident,
            "direction": "inbound",
            "people": 3,
            "countries": ["Lào"],
            "purpose": f"Đoàn thử nghiệm sắp xếp {ident}",
        }
        # code-point order (SQLite's) is Z-01, z-02, z_03; a vi-VN collation's is z_03, Z-01, z-02
        for ident in ("z_03", "Z-01", "z-02")
    ],
    {
        "kind": "report.note",
        "org": "ha-tinh",
        "at": "2020-12-10",
        "known_since": "2020-12-10",
        "report": "key-tasks",
        "period": "2020",
        "section": "danh_gia",
        "text": 'Cơ bản hoàn thành chương trình; "Covid-19" ảnh hưởng\nnhiều nhiệm vụ.',
    },
]
NOTE = FIXES[-1]["text"]

# kind, org, period, as-of, further options
REPORTS: list[tuple[str, ...]] = [
    ("key-tasks", "ha-tinh", "2020", "2020-12-11"),
    ("key-tasks", "ha-tinh", "2020", "2020-12-31"),
    ("key-tasks", "ha-tinh", "2020", "2020-12-11", "--known-by", "2021-01-31"),
    ("key-tasks", "ha-tinh", "2020", "2020-12-11", "--window", "calendar"),
    ("key-tasks", "ha-tinh", "2021", "2021-12-14"),
    ("assigned-tasks", "gia-lai", "2020", "2020-12-31"),
    ("assigned-tasks", "ha-tinh", "2020", "2020-12-31"),
    ("foreign-affairs", "ha-tinh", "2021-03", "2021-03-14"),
    ("foreign-affairs", "ha-tinh", "2021-H1", "2021-06-14"),
    ("foreign-affairs", "ha-tinh", "2022", "2022-11-24"),
    ("foreign-affairs", "gia-lai", "2020", "2020-11-20"),
    ("emulation", "ha-tinh", "2020", "2021-06-14"),
    ("emulation", "ha-tinh", "2021-H1", "2021-06-14"),
    ("award-register", "ha-tinh", "2021", "2021-06-14"),
    ("award-irregular", "ha-tinh", "2021", "2021-06-14"),
]
HISTORIES = [
    ("ha-tinh", "task:2020/21"),
    ("ha-tinh", "task:2020/19"),
    ("gia-lai", "task:UBND-2020/1"),
]
SEARCHES = [
    ("ha-tinh", "hoi nghi"),
    ("ha-tinh", "doan"),
    ("gia-lai", "ke hoach"),
    ("ha-tinh", "Tula"),
    ("ha-tinh", "thu nghiem sap xep"),
]


def import_all(cli: Cli, tmp_path: Path, between: Any = None) -> list[int]:
    """Import the samples, then the fixes; the store position after each file."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    fixes = tmp_path / "fixes.jsonl"
    fixes.write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in FIXES) + "\n", "utf-8")
    heads = []
    for path in [*FILES, fixes]:
        options = ["--backfill"] if path != fixes else []
        result = cli("import", *options, "--quiet", "--actor", "samples", str(path))
        assert result.exit_code == 0, (path.name, result.output)
        heads.append(int(result.stdout.rsplit("position @", 1)[1].split()[0]))
        if between is not None:
            between()
    return heads


def report(cli: Cli, spec: tuple[str, ...], *more: str) -> dict[str, Any]:
    kind, org, period, as_of, *options = spec
    args = ["report", kind, "--org", org, "--period", period, "--as-of", as_of, *options, *more]
    result = cli(*args)
    assert result.exit_code == 0, (spec, result.output)
    return json.loads(result.stdout)


def digest_of(content: dict[str, Any]) -> str:
    """The CONTRACT's digest, computed here independently of the product."""
    body = {k: v for k, v in content.items() if k != "digest"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def history(cli: Cli, org: str, target: str) -> list[dict[str, Any]]:
    """A record's history without what depends on when and where it was stored."""
    result = cli("history", org, target, "--format", "json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    for ev in events:
        del ev["position"], ev["recorded_at"]
        if ev["known_since"] is None:  # known when recorded: the import's own instant
            del ev["known"]
    return events


def search(cli: Cli, org: str, text: str) -> list[dict[str, str]]:
    result = cli("search", org, text)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def pg_vi_url(pg_available: bool) -> Iterator[str]:
    """A fresh PostgreSQL database whose default collation is Vietnamese (ICU vi-VN), as a
    department's server may well be set up; the server's default when it has no ICU."""
    if not pg_available:
        pytest.skip("PostgreSQL is not reachable (see the warning): PostgreSQL tests SKIPPED")
    import psycopg

    name = f"ngoaivu_test_vi_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        try:
            conn.execute(
                f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                "ICU_LOCALE 'vi-VN' LOCALE 'C.UTF-8'"
            )
        except psycopg.Error as exc:
            warnings.warn(f"no ICU vi-VN collation ({exc}): default collation", stacklevel=1)
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_vi_cli(pg_vi_url: str, tmp_path: Path) -> Cli:
    data = str(tmp_path / "pg-vi-var")
    return Cli({"NGOAIVU_DATA": data, "NGOAIVU_ACTOR": "tester", "DATABASE_URL": pg_vi_url})


@pytest.fixture
def pg_cli(pg_url: str, tmp_path: Path) -> Cli:
    return Cli(
        {
            "NGOAIVU_DATA": str(tmp_path / "pg-var"),
            "NGOAIVU_ACTOR": "tester",
            "DATABASE_URL": pg_url,
        }
    )


def burn_ids(url: str, n: int) -> None:
    """Consume notification ids as rolled-back transactions do: a gap in PostgreSQL's numbering."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "SELECT nextval(pg_get_serial_sequence('ngoaivu_events', 'notification_id')) "
            "FROM generate_series(1, %s)",
            (n,),
        )


def test_reports_history_and_search_agree_byte_for_byte(
    sqlite_cli: Cli, pg_vi_cli: Cli, tmp_path: Path
) -> None:
    pg_cli = pg_vi_cli
    heads = import_all(sqlite_cli, tmp_path / "a")
    assert import_all(pg_cli, tmp_path / "b") == heads  # same numbering on both

    reports = {}
    for spec in REPORTS:
        mine = report(sqlite_cli, spec)
        theirs = report(pg_cli, spec)
        assert theirs == mine, spec
        assert mine["digest"] == digest_of(mine)
        reports[spec] = mine
    assert reports[REPORTS[0]]["recorded_by"] == f"@{heads[-1]}"
    # the fixes change what the reports say, on both backends alike
    assert reports[REPORTS[2]]["notes"] == {"danh_gia": NOTE}
    assert reports[REPORTS[1]] != reports[REPORTS[0]]
    # a past position: what the store held after the first files
    for spec in REPORTS[:2]:
        at = f"@{heads[1]}"
        assert report(pg_cli, spec, "--recorded-by", at) == report(
            sqlite_cli, spec, "--recorded-by", at
        )

    for org, target in HISTORIES:
        assert history(pg_cli, org, target) == history(sqlite_cli, org, target), target
    for org, text in SEARCHES:
        found = search(sqlite_cli, org, text)
        assert search(pg_cli, org, text) == found, text
    # Composed documents (drafts of samples/005_seed_drafts.jsonl) agree byte for byte too.
    for draft, org, as_of in (
        ("seed-002", "ha-tinh", "2021-06-14"),
        ("seed-004", "gia-lai", "2020-11-20"),
    ):
        args = ("report", "document", "--org", org, "--draft", draft, "--as-of", as_of)
        mine, theirs = sqlite_cli(*args), pg_cli(*args)
        assert mine.exit_code == 0, mine.output
        assert theirs.stdout == mine.stdout, draft
    # The task, and seed 002's draft, whose text names it.
    tula = ["draft:seed-002", "task:2020/3"]
    assert [f["target"] for f in search(sqlite_cli, "ha-tinh", "Tula")] == tula
    assert [f["target"] for f in search(pg_cli, "ha-tinh", "thu nghiem sap xep")] == [
        "delegation:Z-01",
        "delegation:z-02",
        "delegation:z_03",
    ]
    assert "task:2020/19" not in [f["target"] for f in search(pg_cli, "ha-tinh", "hoi nghi")]

    # an issued report: the same digest, and each reprints to it
    issue = (
        "issue", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--as-of", "2020-12-11",
        "--number", "849/SNgV-VP", "--signed-on", "2020-12-11", "--signer", "Nguyễn Văn A",
    )  # fmt: skip
    issued = []
    for cli in (sqlite_cli, pg_cli):
        result = cli(*issue)
        assert result.exit_code == 0, result.output
        issued.append(json.loads(result.stdout))
        reprinted = cli("reprint", "ha-tinh", "849/SNgV-VP")
        assert reprinted.exit_code == 0, reprinted.output
        assert json.loads(reprinted.stdout) == issued[-1]
    assert issued[0] == issued[1]

    # read models rebuilt from the store on PostgreSQL: the same answers again
    rebuilt = pg_cli("projections", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    for spec in REPORTS:
        assert report(pg_cli, spec) == report(sqlite_cli, spec), spec
    for org, text in SEARCHES:
        assert search(pg_cli, org, text) == search(sqlite_cli, org, text), text
    for cli in (sqlite_cli, pg_cli):
        verified = cli("verify")
        assert verified.exit_code == 0, verified.output


def test_gaps_in_postgresql_numbering_change_positions_only(
    sqlite_cli: Cli, pg_cli: Cli, tmp_path: Path
) -> None:
    url = pg_cli.env["DATABASE_URL"]
    plain = import_all(sqlite_cli, tmp_path / "a")
    gapped = import_all(pg_cli, tmp_path / "b", between=lambda: burn_ids(url, 7))
    assert gapped[-1] > plain[-1], "the gaps did not shift PostgreSQL's positions"

    def same_but_position(mine: dict[str, Any], theirs: dict[str, Any], at: str) -> None:
        assert theirs["recorded_by"] == at
        rest = {k: v for k, v in theirs.items() if k not in ("recorded_by", "digest")}
        assert rest == {k: v for k, v in mine.items() if k not in ("recorded_by", "digest")}
        # the digest differs only through recorded_by
        assert theirs["digest"] == digest_of(theirs)
        assert digest_of({**theirs, "recorded_by": mine["recorded_by"]}) == mine["digest"]

    for spec in REPORTS:
        same_but_position(report(sqlite_cli, spec), report(pg_cli, spec), f"@{gapped[-1]}")
    # the same cut-off written in each store's numbering; a position inside a gap sees as much
    # as the last event before it
    for spec in REPORTS[:2] + REPORTS[5:6]:
        for mine_at, theirs_at in [(plain[1], gapped[1]), (plain[1], gapped[1] + 3)]:
            mine = report(sqlite_cli, spec, "--recorded-by", f"@{mine_at}")
            theirs = report(pg_cli, spec, "--recorded-by", f"@{theirs_at}")
            same_but_position(mine, theirs, f"@{theirs_at}")

    for org, target in HISTORIES:
        assert history(pg_cli, org, target) == history(sqlite_cli, org, target), target
    for org, text in SEARCHES:
        assert search(pg_cli, org, text) == search(sqlite_cli, org, text), text

    # a rebuild reads the store page by page across the gaps, and skips nothing
    before = report(pg_cli, REPORTS[1])
    rebuilt = pg_cli("projections", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"position @{gapped[-1]}" in rebuilt.output
    assert report(pg_cli, REPORTS[1]) == before
    with sqlite_cli.runtime() as a, pg_cli.runtime() as b:
        assert a.projector.position() == plain[-1]
        assert b.projector.position() == gapped[-1]
    verified = pg_cli("verify")
    assert verified.exit_code == 0, verified.output
