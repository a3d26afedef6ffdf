"""The chain's keys: rotation, processes with a wrong or out-of-date keyring, and the upgrade of
a first-version (unkeyed) chain; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from domain.chain import GENESIS, event_bytes, link
from service.integrity.keyring import Keys
from tests.conftest import SAMPLES, Cli
from tests.integration.test_outside_writes import named
from tests.integration.test_tampering import Store

SEED_000 = SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"
SEED_004 = SAMPLES / "004_gia_lai_assigned_tasks_2020.jsonl"
SEED_002 = SAMPLES / "002_ha_tinh_key_tasks_2021.jsonl"


def keyring_text(cli: Cli) -> str:
    return (Path(cli.env["NGOAIVU_DATA"]) / "chain_key").read_text()


def test_rotation_signs_later_links_with_the_new_key(cli: Cli) -> None:
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    old = keyring_text(cli)
    rotated = cli("chain", "rotate-key")
    assert rotated.exit_code == 0, rotated.output
    assert "k2" in rotated.output and "@50" in rotated.output
    assert keyring_text(cli).startswith(old.strip().split("\n")[0])
    assert cli("import", "--backfill", "--quiet", str(SEED_004)).exit_code == 0
    store = Store(cli.env)
    keys = {row[0] for row in store.run("SELECT DISTINCT key_id FROM ngoaivu_chain")}
    assert keys == {"k1", "k2"}
    assert store.run("SELECT MIN(position) FROM ngoaivu_chain WHERE key_id = 'k2'")[0][0] == 50
    assert cli("verify").exit_code == 0
    # A process that still has only the old key is refused before it writes anything.
    stale = Cli({**cli.env, "NGOAIVU_CHAIN_KEY": old.strip()})
    before = store.max_id()
    refused = stale("import", "--backfill", "--quiet", str(SEED_002))
    assert refused.exit_code == 3 and "k2" in refused.output, refused.output
    assert store.max_id() == before
    # A later link relabelled with the retired key does not verify.
    store.run("UPDATE ngoaivu_chain SET key_id = 'k1' WHERE position = 60")
    assert named(cli("verify")) == 60


def test_a_wrong_key_is_refused_before_writing(cli: Cli) -> None:
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    wrong = Cli({**cli.env, "NGOAIVU_CHAIN_KEY": f"k1:{'cd' * 32}"})
    result = wrong("import", "--backfill", "--quiet", str(SEED_004))
    assert result.exit_code == 3 and "không phải khóa đã ký" in result.output
    assert named(wrong("verify")) == 1
    malformed = Cli({**cli.env, "NGOAIVU_CHAIN_KEY": "k1:xyz"})
    result = malformed("import", "--backfill", "--quiet", str(SEED_004))
    assert result.exit_code == 3 and "HEX" in result.output and "Traceback" not in result.output


def make_first_version(cli: Cli) -> None:
    """Turn an installation into what the first version left: unkeyed SHA-256 links, no keys."""
    store = Store(cli.env)
    with cli.runtime() as rt:
        notifications = rt.app.recorder.select_notifications(start=1, limit=10_000)
        heads: dict[str, str] = {}
        head = GENESIS
        rows = []
        for n in notifications:
            org = rt.app.mapper.to_domain_event(n).org
            payload = event_bytes(
                n.id, org, n.originator_id, n.originator_version, n.topic, n.state
            )
            heads[org] = link(heads.get(org, GENESIS), payload)
            head = link(head, payload)
            rows.append((n.id, heads[org], head))
    for position, org_hash, global_hash in rows:
        store.run(
            "UPDATE ngoaivu_chain SET org_hash = ?, global_hash = ?, key_id = NULL "
            "WHERE position = ?",
            org_hash,
            global_hash,
            position,
        )
    store.run("DELETE FROM ngoaivu_chain_keys")
    store.run("DELETE FROM ngoaivu_chain_heads")
    (Path(cli.env["NGOAIVU_DATA"]) / "chain_key").unlink()


def test_a_first_version_chain_is_upgraded_once_and_stays_closed(cli: Cli) -> None:
    assert cli("import", "--backfill", "--quiet", str(SEED_000)).exit_code == 0
    make_first_version(cli)
    # Before the upgrade: unkeyed links prove nothing; writes wait for the administrator.
    unkeyed = cli("verify")
    assert unkeyed.exit_code == 1 and "chain upgrade" in unkeyed.output
    refused = cli("import", "--backfill", "--quiet", str(SEED_004))
    assert refused.exit_code == 3 and "chain upgrade" in refused.output
    upgraded = cli("chain", "upgrade")
    assert upgraded.exit_code == 0 and "@49" in upgraded.output, upgraded.output
    keyring = Keys(None, Path(cli.env["NGOAIVU_DATA"])).load()
    assert keyring is not None and keyring.legacy is not None and keyring.legacy.until == 49
    assert keyring.current.start == 50
    assert cli("chain", "upgrade").output.startswith("đã nâng cấp")
    assert cli("import", "--backfill", "--quiet", str(SEED_004)).exit_code == 0
    assert cli("verify").exit_code == 0
    store = Store(cli.env)
    assert store.run("SELECT COUNT(*) FROM ngoaivu_chain WHERE key_id IS NULL")[0][0] == 49
    # Someone with database access rewrites an old event and its unkeyed links consistently:
    # the head recorded in the keyring at the upgrade (outside the database) tells.
    topic, state = store.event(49)
    store.set_event(49, topic, state.replace(b'"actor":"', b'"actor":"x', 1))
    assert named(cli("verify")) == 49
