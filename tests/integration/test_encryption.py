"""Encryption at rest: with NGOAIVU_CIPHER_KEY the stored event state is encrypted; the hash chain
covers the stored bytes, so `verify` checks it without the key; reports and reprints need the key;
a wrong key is a clear error (exit 3), never a traceback."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from eventsourcing.cryptography import AESCipher

from tests.conftest import SAMPLES, Cli

SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
ISSUE = [
    "issue", "key-tasks", "--org", "ha-tinh", "--period", "2020", "--number", "849/SNgV-VP",
    "--signed-on", "2020-12-11", "--signer", "Lê Thị Khánh Cẩm",
]  # fmt: skip


def raw_states(env: dict[str, str]) -> list[bytes]:
    if env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            rows = conn.execute("SELECT state FROM ngoaivu_events ORDER BY notification_id")
            return [bytes(r[0]) for r in rows]
    with closing(sqlite3.connect(Path(env["NGOAIVU_DATA"]) / "events.sqlite")) as conn:
        return [bytes(r[0]) for r in conn.execute("SELECT state FROM stored_events ORDER BY rowid")]


def is_json(state: bytes) -> bool:
    try:
        json.loads(state)
    except ValueError:
        return False
    return True


def head_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("chain head: "))


def test_encrypted_store_reprints_with_the_key_and_verifies_without(
    env: dict[str, str], tmp_path: Path
) -> None:
    key = AESCipher.create_key(num_bytes=32)
    keyed = Cli({**env, "NGOAIVU_CIPHER_KEY": key})
    assert keyed("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    issued = keyed(*ISSUE)
    assert issued.exit_code == 0, issued.output

    states = raw_states(env)
    assert len(states) == 50
    for state in states:  # nothing readable at rest
        assert not is_json(state)
        assert "Hà Tĩnh".encode() not in state and b"ha-tinh" not in state

    # The same records in a plain store give the same report: encryption changes no content.
    plain = Cli({"NGOAIVU_DATA": str(tmp_path / "plain"), "NGOAIVU_ACTOR": "tester"})
    assert plain("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    assert plain(*ISSUE).stdout_bytes == issued.stdout_bytes

    reprinted = keyed("reprint", "ha-tinh", "849/SNgV-VP")
    assert reprinted.exit_code == 0, reprinted.output
    assert reprinted.stdout_bytes == issued.stdout_bytes
    assert keyed("projections", "rebuild").exit_code == 0
    assert keyed("reprint", "ha-tinh", "849/SNgV-VP").stdout_bytes == issued.stdout_bytes
    with_key = keyed("verify")
    assert with_key.exit_code == 0, with_key.output
    assert "issued reports checked: 1" in with_key.output

    # Without the key: the chain is verified all the same (it covers the encrypted bytes)...
    sealed = Cli(env)
    without_key = sealed("verify")
    assert without_key.exit_code == 0, without_key.output
    assert head_line(without_key.output) == head_line(with_key.output)
    assert "issued reports checked: 0" in without_key.output
    # ...but nothing can be read or written.
    for args in (
        ["reprint", "ha-tinh", "849/SNgV-VP"],
        ["report", "key-tasks", "--org", "ha-tinh", "--period", "2020"],
        ["import", "--backfill", str(SEED_000)],
    ):
        refused = sealed(*args)
        assert refused.exit_code == 3, refused.output
        assert "NGOAIVU_CIPHER_KEY" in refused.output
        assert "Traceback" not in refused.output
    assert len(raw_states(env)) == 50

    # A tampered encrypted event is found without the key.
    if not env.get("DATABASE_URL"):
        with closing(sqlite3.connect(Path(env["NGOAIVU_DATA"]) / "events.sqlite")) as conn:
            state = conn.execute("SELECT state FROM stored_events WHERE rowid = 7").fetchone()[0]
            changed = bytes([state[0] ^ 1]) + bytes(state[1:])
            conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 7", (changed,))
            conn.commit()
        broken = sealed("verify")
        assert broken.exit_code == 1
        assert "@7" in broken.output


def test_a_wrong_or_malformed_key_is_a_clear_error(env: dict[str, str]) -> None:
    keyed = Cli({**env, "NGOAIVU_CIPHER_KEY": AESCipher.create_key(num_bytes=32)})
    assert keyed("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0

    wrong = Cli({**env, "NGOAIVU_CIPHER_KEY": AESCipher.create_key(num_bytes=32)})
    for args in (["verify"], ["report", "key-tasks", "--org", "ha-tinh", "--period", "2020"]):
        result = wrong(*args)
        assert result.exit_code == 3, result.output
        assert "NGOAIVU_CIPHER_KEY không đúng" in result.output
        assert "Traceback" not in result.output and "Lỗi hệ thống" not in result.output

    malformed = Cli({**env, "NGOAIVU_CIPHER_KEY": "not-a-key"})
    result = malformed("verify")
    assert result.exit_code == 2
    assert "NGOAIVU_CIPHER_KEY" in result.output


def test_a_key_on_a_plain_store_is_refused(sqlite_env: dict[str, str]) -> None:
    plain = Cli(sqlite_env)
    assert plain("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    keyed = Cli({**sqlite_env, "NGOAIVU_CIPHER_KEY": AESCipher.create_key(num_bytes=32)})
    result = keyed("import", "--backfill", str(SEED_000))
    assert result.exit_code == 3
    assert "không mã hóa" in result.output
    states = raw_states(sqlite_env)
    assert all(is_json(state) for state in states)  # nothing encrypted was mixed in
