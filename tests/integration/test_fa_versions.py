"""Foreign-affairs versions (issue 16): what the projector writes, and the format that rebuilds.

A correction known at K closes the version it changes at K and opens the corrected one; a void
closes it without a successor; a read model of format 2 (no foreign-affairs versions) rebuilds
itself when opened, and the report of a seed then reads the same from the versions as by the
fold, on both backends.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import delete, func, select, update

from projections.projector import FORMAT, NAME
from projections.reports import BUILDERS, FOLD_BUILDERS, build
from projections.tables import fa_counts, fa_details, fa_versions, tracking
from service.reporting.requests import make_request
from tests.conftest import SAMPLES, Cli

ORG = {"kind": "org.registered", "org": "ha-tinh", "at": "2019-01-01", "name": "Sở Ngoại vụ"}
TRIP = {
    "kind": "delegation.recorded",
    "org": "ha-tinh",
    "at": "2022-03-01",
    "id": "D1",
    "direction": "outbound",
    "people": 5,
    "countries": ["Lào"],
    "purpose": "Làm việc",
    "funding": "partner",
}


def load(cli: Cli, tmp: Path, *rows: dict) -> None:
    path = tmp / f"f{len(list(tmp.glob('f*.jsonl')))}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = cli("import", "--backfill", str(path))
    assert result.exit_code == 0, result.output


def versions_of(cli: Cli, target: str) -> list[tuple[int, int, int, int, int | None, str | None]]:
    """(known_from, known_to, pos_from, pos_to, people, funding) of a record's versions."""
    with cli.runtime() as rt, rt.models.reading() as conn:
        v = fa_versions.c
        rows = conn.execute(
            select(v.known_from, v.known_to, v.pos_from, v.pos_to, v.people, v.funding)
            .where(v.target == target)
            .order_by(v.known_from, v.pos_from)
        )
        return [tuple(r) for r in rows]


def test_a_correction_known_at_k_closes_the_version_at_k(cli: Cli, tmp_path: Path) -> None:
    load(cli, tmp_path, ORG, TRIP)
    [(known, open_end, pos, pos_end, people, funding)] = versions_of(cli, "delegation:D1")
    assert (people, funding) == (5, "partner") and open_end == pos_end
    fix = {"kind": "record.corrected", "org": "ha-tinh", "target": "delegation:D1"}
    fix |= {"set": {"people": 7}, "reason": "Sai số người", "known_since": "2022-06-30"}
    load(cli, tmp_path, fix)
    rows = versions_of(cli, "delegation:D1")
    # before K, or before the correction was recorded: 5 people; from both on: 7
    assert [(r[4], r[0] == known, r[2] == pos) for r in rows] == [
        (5, True, True),
        (5, True, False),
        (5, False, True),
        (7, False, False),
    ]
    before, _, after_k, corrected = rows
    assert before[1] == after_k[0] == corrected[0]  # split at K, the correction's knowledge
    assert before[3] == corrected[2]  # and at the correction's position
    void = {"kind": "record.voided", "org": "ha-tinh", "target": "delegation:D1"}
    load(cli, tmp_path, void | {"reason": "Trùng", "known_since": "2022-09-30"})
    kept = versions_of(cli, "delegation:D1")
    # known after the void and recorded after it: no version (before either: still there)
    assert kept and all(r[1] != open_end or r[3] != open_end for r in kept)
    assert (5, "partner") in {r[4:] for r in kept} and (7, "partner") in {r[4:] for r in kept}


def test_format_2_read_models_rebuild_with_the_versions(cli: Cli) -> None:
    seed = SAMPLES / "004_gia_lai_foreign_affairs_2020.jsonl"
    assert cli("import", "--backfill", "--quiet", str(seed)).exit_code == 0
    with cli.runtime() as rt, rt.models.writing() as conn:
        for table in (fa_versions, fa_counts, fa_details):
            conn.execute(delete(table))
        conn.execute(update(tracking).where(tracking.c.name == NAME).values(format=2))
    with cli.runtime() as rt:  # opening a stale read model rebuilds it
        with rt.models.reading() as conn:
            stored = conn.execute(select(tracking.c.format)).scalar()
            count = conn.execute(select(func.count()).select_from(fa_versions)).scalar()
            months = conn.execute(select(func.count()).select_from(fa_counts)).scalar()
        assert stored == FORMAT >= 3 and count and months
        for version in (1, 2):
            request = make_request(rt, "foreign-affairs", "gia-lai", "2020", format=version)
            with rt.models.reading() as conn:
                got = build(conn, request, BUILDERS)
                assert got == build(conn, request, FOLD_BUILDERS)
            assert got["outbound"]["delegations"] + got["inbound"]["delegations"] > 0


def test_disbursements_count_only_while_their_commitment_is_in_force(
    cli: Cli, tmp_path: Path
) -> None:
    aid = {"kind": "aid.committed", "org": "ha-tinh", "at": "2020-03-01", "id": "A1"}
    aid |= {"donor": "World Vision", "project": "Nước sạch", "amount_usd": 1000}
    paid = {"kind": "aid.disbursed", "org": "ha-tinh", "at": "2020-04-01", "id": "A1"}
    load(cli, tmp_path, ORG, aid, paid | {"amount_usd": 300})
    moved = {"kind": "record.corrected", "org": "ha-tinh", "target": "fact:aid:A1#1"}
    moved |= {"set": {"at": "2020-06-01"}, "reason": "Sai ngày", "known_since": "2020-05-01"}
    load(cli, tmp_path, moved)

    def disbursed(as_of: str, known_by: str) -> int:
        with cli.runtime() as rt:
            request = make_request(
                rt, "foreign-affairs", "ha-tinh", "2020", as_of=as_of, known_by=known_by
            )
            with rt.models.reading() as conn:
                got = build(conn, request, BUILDERS)
                assert got == build(conn, request, FOLD_BUILDERS)
        return int(got["aid"]["disbursed_usd"])

    assert disbursed("2020-05-15", "2020-04-15") == 300  # the commitment as first dated
    assert disbursed("2020-05-15", "2020-05-15") == 0  # known moved after D: not yet in force
    assert disbursed("2020-06-15", "2020-05-15") == 300
