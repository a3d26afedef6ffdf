"""Award case versions (issue 16): what the projector writes, and the format that rebuilds.

A case's state changes at each of its facts' effective instants (a grant after a proposal) and
at a correction's knowledge time; a read model of format 3 (no award versions) rebuilds itself
when opened, and the seed's emulation reports then read the same from the versions as by the
fold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update

from projections.projector import FORMAT, NAME
from projections.reports import BUILDERS, FOLD_BUILDERS, build
from projections.tables import award_versions, tracking
from service.reporting.requests import make_request
from tests.conftest import SAMPLES, Cli
from tests.integration.test_fa_versions import ORG, load

PROPOSED = {
    "kind": "award.proposed",
    "org": "ha-tinh",
    "at": "2022-03-01",
    "id": "A1",
    "form": "giay_khen",
    "grantor": "thu_truong_co_quan",
    "recipient": {"type": "individual", "name": "Nguyễn Văn A"},
    "category": "cong_trang",
}


def states(cli: Cli) -> list[tuple[str, str | None, str | None, int, int]]:
    """The case's versions: (stage, ref, decided_on, whether open in effective time, in
    knowledge time), in order of effective time."""
    with cli.runtime() as rt, rt.models.reading() as conn:
        rows = conn.execute(
            select(award_versions).order_by(award_versions.c.known_from, award_versions.c.eff_from)
        ).all()
    return [
        (r.stage, r.ref, r.decided_on, r.eff_to == 1 << 62, r.known_to == 1 << 62) for r in rows
    ]


def test_a_case_changes_at_its_grant_and_at_a_correction(cli: Cli, tmp_path: Path) -> None:
    granted = {"kind": "award.granted", "org": "ha-tinh", "at": "2022-06-01", "id": "A1"}
    load(cli, tmp_path, ORG, PROPOSED, granted | {"ref": "5/QĐ"})
    found = states(cli)
    # before the grant was known (backfilled: known on its day), proposed whatever D; once it
    # is known, proposed until the grant's day and granted after it
    assert ("proposed", None, None, True, False) in found
    assert ("proposed", None, None, False, True) in found
    assert ("granted", "5/QĐ", "2022-06-01", True, True) in found
    fix: dict[str, Any] = {"kind": "record.corrected", "org": "ha-tinh"}
    fix["target"] = "fact:award:A1#2"
    fix |= {"set": {"ref": "6/QĐ"}, "reason": "Sai số", "known_since": "2022-09-30"}
    load(cli, tmp_path, fix)
    found = states(cli)
    # the grant with its first number, closed at K; the corrected one opened there
    assert ("granted", "5/QĐ", "2022-06-01", True, False) in found
    assert ("granted", "6/QĐ", "2022-06-01", True, True) in found


def test_format_3_read_models_rebuild_with_the_award_versions(cli: Cli) -> None:
    seed = SAMPLES / "002_ha_tinh_emulation.jsonl"
    assert cli("import", "--backfill", "--quiet", str(seed)).exit_code == 0
    with cli.runtime() as rt, rt.models.writing() as conn:
        conn.execute(delete(award_versions))
        conn.execute(update(tracking).where(tracking.c.name == NAME).values(format=3))
    with cli.runtime() as rt:  # opening a stale read model rebuilds it
        with rt.models.reading() as conn:
            stored = conn.execute(select(tracking.c.format)).scalar()
            count = conn.execute(select(func.count()).select_from(award_versions)).scalar()
        assert stored == FORMAT >= 4 and count
        for kind in ("emulation", "award-register", "award-irregular"):
            request = make_request(rt, kind, "ha-tinh", "2020")
            with rt.models.reading() as conn:
                got = build(conn, request, BUILDERS)
                assert got == build(conn, request, FOLD_BUILDERS)
            if kind != "award-irregular":
                assert got["awards"], kind
