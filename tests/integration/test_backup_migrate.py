"""Issue 6, "Exactness survives everything": backup, restore and migration to PostgreSQL.

A source installation gets the seed samples, two issued reports (key-tasks and assigned-tasks) and
corrections imported after the issue. After backup → restore (every pair of backends) and after
`migrate --to postgresql://…`, the copy must be the same store: `verify` exits 0 with the same
chain head, every issued report reprints with the issued digest, reports and histories are the
same JSON (positions and recorded instants included), and the next import continues the positions.
Bad input (non-empty target, unreadable file) exits 2 with a message, no traceback, nothing stored.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import select

from domain.chain import GENESIS, event_bytes
from service.backups.backup_file import sealing_key
from service.backups.snapshot import Snapshot
from service.config import Settings
from service.integrity.chain import Payloads, links
from service.integrity.keyring import Keys
from tests.conftest import PG_ADMIN, SAMPLES, Cli

SEEDS = [
    "000_ha_tinh_key_tasks_2020.jsonl",
    "002_ha_tinh_key_tasks_2021.jsonl",
    "004_gia_lai_assigned_tasks_2020.jsonl",
]
ISSUES = [
    (
        "ha-tinh",
        "849/SNgV-VP",
        ["key-tasks", "--org", "ha-tinh", "--period", "2020", "--signed-on", "2020-12-11"],
    ),
    (
        "gia-lai",
        "15/BC-SNgV",
        [
            "assigned-tasks",
            "--org",
            "gia-lai",
            "--period",
            "2020",
            "--programme",
            "UBND-2020",
            "--signed-on",
            "2020-12-14",
        ],
    ),
]
# Found wrong after the reports were issued: they change today's knowledge of 2020, not the issues.
CORRECTIONS = [
    {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "task:2020/21",
        "set": {"status": "completed"},
        "known_since": "2021-01-15",
        "reason": "Hội nghị tổng kết đã tổ chức ngày 23/12/2020",
        "ref": "05/SNgV-VP",
    },
    {
        "kind": "record.corrected",
        "org": "gia-lai",
        "target": "task:UBND-2020/1",
        "set": {"at": "2020-02-10"},
        "known_since": "2021-01-15",
        "reason": "Ngày hoàn thành ghi nhầm",
    },
    {
        "kind": "record.voided",
        "org": "gia-lai",
        "target": "task:UBND-2020/2",
        "known_since": "2021-01-20",
        "reason": "Nhiệm vụ nhập trùng",
    },
]
REPORTS = [
    ["key-tasks", "--org", "ha-tinh", "--period", "2020", "--as-of", "2020-12-11"],
    [
        "key-tasks",
        "--org",
        "ha-tinh",
        "--period",
        "2020",
        "--as-of",
        "2020-12-11",
        "--known-by",
        "2021-03-01",
    ],
    ["key-tasks", "--org", "ha-tinh", "--period", "2021-H1", "--as-of", "2021-06-14"],
    [
        "assigned-tasks",
        "--org",
        "gia-lai",
        "--period",
        "2020",
        "--programme",
        "UBND-2020",
        "--as-of",
        "2020-12-14",
        "--known-by",
        "2021-03-01",
    ],
]
HISTORIES = [("ha-tinh", "task:2020/21"), ("gia-lai", "task:UBND-2020/1")]
LATER = {
    "kind": "record.corrected",
    "org": "ha-tinh",
    "target": "task:2020/11",
    "set": {"reason": "Đã có văn bản đồng ý lùi"},
    "known_since": "2021-02-01",
    "reason": "Bổ sung lý do",
}


def ok(result: Result) -> Result:
    """A command that succeeded, without a traceback."""
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def refused(result: Result, *words: str) -> Result:
    """Bad input: exit 2, a message on stderr naming the problem, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Lỗi hệ thống" not in result.output
    assert result.stderr.startswith("Lỗi: ")
    for word in words:
        assert word in result.stderr
    return result


def chain_head(result: Result) -> str:
    """The `chain head:` line of `verify`."""
    return next(ln for ln in result.stdout.splitlines() if ln.startswith("chain head:"))


@dataclass
class Source:
    """A populated installation and what it answers (the copies must answer the same)."""

    cli: Cli
    head: int
    verify: str
    reprints: dict[str, str]
    reports: list[str]
    histories: list[str]


class Databases:
    """Fresh PostgreSQL databases, dropped at the end (several per test: source and targets)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def new(self) -> str:
        """A new empty database's URL."""
        import psycopg

        name = f"ngoaivu_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.names.append(name)
        return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"

    def drop(self) -> None:
        """Drop every database made."""
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in self.names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _databases(pg_available: bool) -> Iterator[Databases]:
    if not pg_available:
        pytest.skip("PostgreSQL is not reachable (see the warning): PostgreSQL tests SKIPPED")
    dbs = Databases()
    try:
        yield dbs
    finally:
        dbs.drop()


@pytest.fixture(scope="module")
def module_pg(pg_available: bool) -> Iterator[Databases]:
    """Databases living as long as this module's shared sources."""
    yield from _databases(pg_available)


@pytest.fixture
def pg(pg_available: bool) -> Iterator[Databases]:
    """Databases for one test."""
    yield from _databases(pg_available)


def installation(
    base: Path, backend: str, dbs: Databases | None, keys_of: Cli | None = None
) -> Cli:
    """The CLI on a new, empty installation of a backend; with `keys_of`, holding that
    installation's chain key (as an administrator copies `chain_key` before a restore)."""
    data = base / f"var-{uuid.uuid4().hex[:8]}"
    env = {"NGOAIVU_DATA": str(data), "NGOAIVU_ACTOR": "tester"}
    if backend == "postgres":
        assert dbs is not None
        env["DATABASE_URL"] = dbs.new()
    if keys_of is not None:
        share_key(keys_of, Cli(env))
    return Cli(env)


def share_key(source: Cli, target: Cli) -> None:
    """Copy the source installation's keyring file into the target's data folder."""
    data = Path(target.env["NGOAIVU_DATA"])
    data.mkdir(parents=True, exist_ok=True)
    key = (Path(source.env["NGOAIVU_DATA"]) / "chain_key").read_bytes()
    (data / "chain_key").write_bytes(key)
    (data / "chain_key").chmod(0o600)


def answers(cli: Cli) -> tuple[str, dict[str, str], list[str], list[str]]:
    """What an installation says: verify's chain head, reprints, reports, histories."""
    verify = ok(cli("verify"))
    assert "issued reports checked: 2" in verify.stdout
    reprints = {}
    for org, number, _args in ISSUES:
        reprinted = ok(cli("reprint", org, number))
        assert reprinted.stderr.startswith("khớp: sha256:")
        reprints[number] = reprinted.stdout
    reports = [ok(cli("report", *args)).stdout for args in REPORTS]
    histories = [
        ok(cli("history", org, target, "--format", "json")).stdout for org, target in HISTORIES
    ]
    return chain_head(verify), reprints, reports, histories


def populate(cli: Cli, base: Path) -> Source:
    """Seeds, two issued reports, then corrections found later."""
    for name in SEEDS:
        ok(cli("import", "--backfill", "--quiet", str(SAMPLES / name)))
    issued = {}
    for _org, number, args in ISSUES:
        result = ok(cli("issue", *args, "--number", number, "--signer", "Nguyễn Văn An"))
        issued[number] = json.loads(result.stdout)["digest"]
    fixes = base / "corrections.jsonl"
    fixes.write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CORRECTIONS), encoding="utf-8"
    )
    ok(cli("import", "--quiet", str(fixes)))
    verify, reprints, reports, histories = answers(cli)
    for number, digest in issued.items():
        assert json.loads(reprints[number])["digest"] == digest
    # The corrections change today's knowledge of 2020: the reprints must not pick them up.
    assert json.loads(reports[1])["digest"] != issued["849/SNgV-VP"]
    assert json.loads(reports[3])["digest"] != issued["15/BC-SNgV"]
    with cli.runtime() as rt:
        head = rt.app.head()
    return Source(cli, head, verify, reprints, reports, histories)


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    """A populated SQLite installation, built once for the module (and never changed)."""
    base = tmp_path_factory.mktemp("source-sqlite")
    return populate(installation(base, "sqlite", None), base)


@pytest.fixture(scope="module")
def postgres_source(tmp_path_factory: pytest.TempPathFactory, module_pg: Databases) -> Source:
    """A populated PostgreSQL installation, built once for the module (and never changed)."""
    base = tmp_path_factory.mktemp("source-postgres")
    return populate(installation(base, "postgres", module_pg), base)


def assert_same(copy: Cli, source: Source, tmp_path: Path) -> None:
    """The copy answers as the source, and its next import continues the positions."""
    verify, reprints, reports, histories = answers(copy)
    assert verify == source.verify
    assert reprints == source.reprints
    assert reports == source.reports
    assert histories == source.histories
    later = tmp_path / f"later-{uuid.uuid4().hex[:6]}.jsonl"
    later.write_text(json.dumps(LATER, ensure_ascii=False) + "\n", encoding="utf-8")
    result = ok(copy("import", "--quiet", str(later)))
    assert f"position @{source.head + 1}" in result.stdout
    ok(copy("verify"))


PAIRS = [
    ("sqlite", "sqlite"),
    pytest.param("postgres", "postgres", marks=pytest.mark.postgres),
    pytest.param("sqlite", "postgres", marks=pytest.mark.postgres),
    pytest.param("postgres", "sqlite", marks=pytest.mark.postgres),
]


@pytest.mark.parametrize(("source_backend", "target_backend"), PAIRS)
def test_backup_then_restore_gives_the_same_store(
    source_backend: str, target_backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    source: Source = request.getfixturevalue(f"{source_backend}_source")
    backup = tmp_path / "ngoaivu.backup.gz"
    result = ok(source.cli("backup", str(backup)))
    assert f"head @{source.head}" in result.stdout
    with gzip.open(backup, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    assert header["format"] == "ngoaivu-backup" and header["head"] == source.head

    dbs = request.getfixturevalue("pg") if target_backend == "postgres" else None
    target = installation(tmp_path, target_backend, dbs, keys_of=source.cli)
    restored = ok(target("restore", str(backup)))
    assert "issued reports checked against the backup's chain: 2" in restored.stdout
    assert "chain intact" in restored.stdout
    assert_same(target, source, tmp_path)


@pytest.mark.postgres
def test_migrate_sqlite_to_postgresql(sqlite_source: Source, tmp_path: Path, pg: Databases) -> None:
    source = sqlite_source
    url = pg.new()
    result = ok(source.cli("migrate", "--to", url))
    assert f"head @{source.head}" in result.stdout and "chain intact" in result.stdout
    moved = Cli({**source.cli.env, "DATABASE_URL": url})
    assert_same(moved, source, tmp_path)
    # Same rows, byte for byte: positions, originator ids and versions, topics, states.
    settings = Settings(Path(source.cli.env["NGOAIVU_DATA"]))
    with Snapshot(settings) as a, Snapshot(Settings(settings.data_dir, url)) as b:
        before = list(a.events())
        after = [row for row in b.events() if row[0] <= source.head]
    assert before == after and len(before) == source.head


@pytest.mark.postgres
def test_migrate_refuses_a_database_that_is_not_empty(sqlite_source: Source, pg: Databases) -> None:
    source = sqlite_source
    url = pg.new()
    other = Cli({"NGOAIVU_DATA": source.cli.env["NGOAIVU_DATA"], "DATABASE_URL": url})
    ok(other("import", "--backfill", "--quiet", str(SAMPLES / SEEDS[0])))
    refused(source.cli("migrate", "--to", url), "không trống")
    with other.runtime() as rt:
        assert rt.app.head() == 49  # untouched
    refused(source.cli("migrate", "--to", "mysql://root@127.0.0.1/ngoaivu"), "postgresql")
    missing = f"{PG_ADMIN.rsplit('/', 1)[0]}/ngoaivu_absent_{uuid.uuid4().hex[:8]}"
    refused(source.cli("migrate", "--to", missing), "không kết nối được")


def test_restore_refuses_a_store_that_is_not_empty(
    sqlite_source: Source, cli: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "b.gz"
    ok(sqlite_source.cli("backup", str(backup)))
    ok(cli("import", "--backfill", "--quiet", str(SAMPLES / SEEDS[0])))
    before = ok(cli("verify")).stdout
    refused(cli("restore", str(backup)), "không trống")
    assert ok(cli("verify")).stdout == before


def _rewrite(
    source: Path, target: Path, edit: Any, *, reseal: bool, key_of: Cli | None = None
) -> None:
    """Copy a backup, editing its lines (an edit returns b"" to drop a line, or several lines).

    `reseal` recounts the lines and seals the footer as a forger without the key can: a SHA-256
    of the body, as the files of the first versions were. With `key_of`, it is sealed with that
    installation's real key (someone who holds the key)."""
    with gzip.open(source, "rb") as handle:
        lines = handle.read().splitlines(keepends=True)
    body = [edit(line) for line in lines[:-1]]
    body = [part for part in body if part]
    footer = json.loads(lines[-1])
    if reseal:
        text = b"".join(body)
        rows = [json.loads(x) for x in text.splitlines()[1:]]
        footer["end"]["events"] = sum(1 for r in rows if "e" in r)
        footer["end"]["documents"] = sum(1 for r in rows if "d" in r)
        footer["end"]["hmac"] = hashlib.sha256(text).hexdigest()
        if key_of is not None:
            keyring = Keys(None, Path(key_of.env["NGOAIVU_DATA"])).load()
            assert keyring is not None
            mac = hmac.new(sealing_key(keyring.current), text, "sha256")
            footer["end"]["hmac"] = mac.hexdigest()
    with gzip.open(target, "wb") as out:
        out.write(b"".join(body) + json.dumps(footer).encode() + b"\n")


def _change_state(line: bytes) -> bytes:
    obj = json.loads(line)
    if "e" in obj and obj["e"][0] == 7:
        stored = base64.b64decode(obj["e"][4])
        state = stored.replace(b'"actor":"', b'"actor":"x', 1)
        assert state != stored
        obj["e"][4] = base64.b64encode(state).decode()
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    return line


def test_unreadable_backup_files_are_refused(
    sqlite_source: Source, cli: Cli, tmp_path: Path
) -> None:
    share_key(sqlite_source.cli, cli)
    good = tmp_path / "good.gz"
    ok(sqlite_source.cli("backup", str(good)))
    data = good.read_bytes()
    bad: dict[str, tuple[bytes, str]] = {
        "not-gzip.gz": (b"this is not a backup\n", "không đọc được"),
        "truncated-gzip.gz": (data[: len(data) // 2], "cắt cụt"),
        "no-footer.gz": (
            gzip.compress(b"".join(gzip.decompress(data).splitlines(keepends=True)[:-1])),
            "cắt cụt",
        ),
        "other-json.gz": (gzip.compress(b'{"hello":"world"}\n'), "ngoaivu-backup"),
        "empty.gz": (gzip.compress(b""), "rỗng"),
    }
    for name, (content, _word) in bad.items():
        (tmp_path / name).write_bytes(content)
    _rewrite(good, tmp_path / "edited.gz", _change_state, reseal=False)
    bad["edited.gz"] = (b"", "HMAC")
    for name, (_content, word) in bad.items():
        refused(cli("restore", str(tmp_path / name)), word)
        with cli.runtime() as rt:
            assert rt.app.head() == 0, name  # nothing stored
    refused(cli("restore", str(tmp_path / "absent.gz")), "không tìm thấy")
    # After every refusal the installation is still empty: the good file restores.
    ok(cli("restore", str(good)))


def test_a_forged_backup_is_refused_and_stores_nothing(
    sqlite_source: Source, sqlite_cli: Cli, tmp_path: Path
) -> None:
    share_key(sqlite_source.cli, sqlite_cli)
    good = tmp_path / "good.gz"
    ok(sqlite_source.cli("backup", str(good)))
    # Resealed as the first versions' checksum was (no key): the HMAC does not match.
    forged = tmp_path / "forged.gz"
    _rewrite(good, forged, _change_state, reseal=True)
    refused(sqlite_cli("restore", str(forged)), "HMAC")
    # Sealed with the real key (someone who holds it): the event's link does not match.
    sealed = tmp_path / "sealed.gz"
    _rewrite(good, sealed, _change_state, reseal=True, key_of=sqlite_source.cli)
    result = sqlite_cli("restore", str(sealed))
    assert result.exit_code == 1 and "HỎNG tại vị trí @7" in result.stderr, result.output
    assert "Traceback" not in result.output
    with sqlite_cli.runtime() as rt:
        assert rt.chain.levels() == (0, 0)  # nothing stored
    ok(sqlite_cli("restore", str(good)))


def test_backup_is_one_snapshot_while_others_import(cli: Cli, tmp_path: Path) -> None:
    ok(cli("import", "--backfill", "--quiet", str(SAMPLES / SEEDS[0])))
    settings = Settings(Path(cli.env["NGOAIVU_DATA"]), cli.env.get("DATABASE_URL"))
    with Snapshot(settings) as snapshot:
        head = snapshot.head()
        ok(cli("import", "--backfill", "--quiet", str(SAMPLES / SEEDS[2])))  # commits meanwhile
        items = list(snapshot.items())
    events = [row for key, row in items if key == "e"]
    assert head == 49 and [row[0] for row in events] == list(range(1, 50))
    assert all(row[5] == "ha-tinh" and row[8] == "k1" for row in events)  # each with its link
    with cli.runtime() as rt:
        assert rt.app.head() == 145


def test_backup_refuses_a_directory(sqlite_cli: Cli, tmp_path: Path) -> None:
    refused(sqlite_cli("backup", str(tmp_path)), "thư mục")
    refused(sqlite_cli("backup", str(tmp_path / "absent" / "b.gz")), "thư mục")
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*.partial"))


@pytest.mark.parametrize(
    ("org", "topic"),
    [
        ("ha-tinh", "domain.programmes:Task.Completed"),
        ('q"uote', "domain.x:Y"),
        ("back\\slash", "domain.x:Y"),
        ("Hà Tĩnh", "domain.x:Y"),
        ("tab\there", "domain.x:Y"),
        ("", ""),
    ],
)
def test_the_chains_fast_payload_is_domain_event_bytes(org: str, topic: str) -> None:
    uid = uuid.uuid4()
    fast = Payloads()(1234, org, str(uid), 7, topic, b'{"state":1}')
    assert fast == event_bytes(1234, org, uid, 7, topic, b'{"state":1}')


def test_stored_links_follow_the_domain_definition(sqlite_source: Source) -> None:
    """Every link is HMAC-SHA256 under the installation's key of "E", the previous link and
    `event_bytes` (written by the importer and by issuing, in their own transactions)."""
    keyring = Keys(None, Path(sqlite_source.cli.env["NGOAIVU_DATA"])).load()
    assert keyring is not None and [k.id for k in keyring.keys] == ["k1"]
    secret = keyring.current.secret
    with sqlite_source.cli.runtime() as rt:
        notifications = rt.app.recorder.select_notifications(start=1, limit=10_000)
        with rt.chain.engine.connect() as conn:
            stored = [tuple(row) for row in conn.execute(select(links).order_by(links.c.position))]
        heads: dict[str, bytes] = {}
        head = bytes.fromhex(GENESIS)
        expected = []
        for n in notifications:
            org = rt.app.mapper.to_domain_event(n).org
            payload = event_bytes(
                n.id, org, n.originator_id, n.originator_version, n.topic, n.state
            )
            previous = heads.get(org, bytes.fromhex(GENESIS))
            heads[org] = hmac.digest(secret, b"E" + previous + payload, "sha256")
            head = hmac.digest(secret, b"E" + head + payload, "sha256")
            expected.append((n.id, org, heads[org].hex(), head.hex(), "k1", None))
    assert stored == expected and len(expected) == sqlite_source.head
