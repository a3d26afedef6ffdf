"""`ngoaivu awards history`: one person's or unit's awards across the years (one history)."""

from __future__ import annotations

import json

import click

from cli.common import BadInput, guarded, runtime
from domain.text import fold
from projections.reports.emulation import cases, public
from service.reporting.requests import make_request, vn_today


@click.group("awards")
def awards() -> None:
    """Khen thưởng: lịch sử khen thưởng của cá nhân, tập thể."""


@awards.command("history")
@click.argument("org")
@click.option("--person", default=None, help="Mã cán bộ (person.registered).")
@click.option("--unit", default=None, help="Mã đơn vị (unit.registered).")
@click.option("--name", default=None, help="Tên người nhận (không phân biệt dấu).")
@click.option("--as-of", "as_of", default=None, help="Ngày D (mặc định hôm nay).")
@click.option("--known-by", "known_by", default=None)
@guarded
def history(
    org: str,
    person: str | None,
    unit: str | None,
    name: str | None,
    as_of: str | None,
    known_by: str | None,
) -> None:
    """Mọi hồ sơ khen thưởng của một người hoặc một tập thể, theo ngày quyết định."""
    if not (person or unit or name):
        raise BadInput("cần --person, --unit hoặc --name")
    with runtime() as rt:
        # The period does not matter here: every case visible at the end of D is read.
        year = (as_of or vn_today().isoformat())[:4]
        request = make_request(rt, "emulation", org, year, as_of=as_of, known_by=known_by)
        with rt.models.reading() as conn:
            found = cases(conn, request)

    def matches(case: dict) -> bool:
        if person and case["_person"] == person:
            return True
        if unit and case["_unit"] == unit:
            return True
        return bool(name) and fold(name or "") in fold(case["recipient"]["name"] or "")

    click.echo(json.dumps([public(c) for c in found if matches(c)], ensure_ascii=False, indent=2))
