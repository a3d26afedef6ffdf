"""Complete periods on both stores (CONTRACT "Composed documents and complete periods"):
`previous` is cùng kỳ and null unless `period.closed` or `figures.reported` makes the earlier
window complete; an activity metric not counted in an open window is null."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Cli

ORG = {
    "kind": "org.registered",
    "org": "ha-tinh",
    "at": "2019-01-01",
    "name": "Sở Ngoại vụ",
    "place": "Hà Tĩnh",
}
FA = "foreign-affairs"


def conference(id: str, at: str) -> dict[str, Any]:
    return {"kind": "conference.recorded", "org": "ha-tinh", "at": at, "id": id, "title": id}


def inbound(id: str, at: str, people: int) -> dict[str, Any]:
    return {
        "kind": "delegation.recorded",
        "org": "ha-tinh",
        "at": at,
        "id": id,
        "direction": "inbound",
        "people": people,
        "countries": ["Lào"],
        "purpose": "Thăm",
    }


def pages(month: str, value: int, detail: dict[str, int] | None = None) -> dict[str, Any]:
    line: dict[str, Any] = {
        "kind": "activity.counted",
        "org": "ha-tinh",
        "at": f"{month}-14",
        "metric": "translation.pages",
        "month": month,
        "value": value,
    }
    if detail is not None:
        line["detail"] = detail
    return line


def closed(period: str, at: str, **extra: Any) -> dict[str, Any]:
    line = {"kind": "period.closed", "org": "ha-tinh", "at": at, "report": FA, "period": period}
    return line | extra


def reported(period: str, figures: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "figures.reported",
        "org": "ha-tinh",
        "at": "2021-12-20",
        "report": FA,
        "period": period,
        "figures": figures,
        "ref": "99/BC-SNgV",
    } | extra


def lines(*rows: dict[str, Any]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


BASE = (
    ORG,
    conference("C2021-1", "2021-03-01"),
    conference("C2021-2", "2021-12-01"),  # after 24/11/2021: outside cùng kỳ of 24/11/2022
    conference("C2022-1", "2022-02-01"),
    inbound("V2021", "2021-05-01", 2),
    inbound("V2022", "2022-05-01", 3),
    pages("2021-05", 100, {"certified": 100}),
    pages("2022-05", 50, {"certified": 30, "content": 20}),
    pages("2022-06", 20),  # no detail: the period's detail is not given
)


def load(cli: Cli, *rows: dict[str, Any]) -> None:
    result = cli("import", "--backfill", "--quiet", "-", input=lines(*rows))
    assert result.exit_code == 0, result.output


def report(cli: Cli, *extra: str, period: str = "2022") -> dict[str, Any]:
    args = ("report", FA, "--org", "ha-tinh", "--period", period, "--as-of", "2022-11-24")
    result = cli(*args, *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_previous_is_null_without_a_complete_earlier_window(cli: Cli) -> None:
    load(cli, *BASE)
    content = report(cli)
    assert content["format"] == 2
    assert content["conferences"] == {"count": 1, "previous": None}
    assert content["inbound"]["previous"] is None
    assert content["outbound"]["previous"] is None
    assert content["agreements"]["previous"] is None
    assert content["aid"]["previous"] is None
    pages_ = content["activity"]["translation.pages"]
    assert pages_ == {"value": 70, "detail": None, "previous": None}
    # not counted in any month of an open window: not recorded, never 0
    assert content["activity"]["passports.dossiers"] == {
        "value": None,
        "detail": None,
        "previous": None,
    }


def test_period_closed_gives_cung_ky_from_the_records(cli: Cli) -> None:
    load(cli, *BASE)
    load(cli, closed("2021", "2021-12-20"))
    content = report(cli)
    # cùng kỳ: the year 2021 cut at 24/11/2021, so C2021-2 (1/12/2021) is not in it
    assert content["conferences"] == {"count": 1, "previous": 1}
    assert content["inbound"]["previous"] == {"delegations": 1, "people": 2}
    assert content["outbound"]["previous"] == {"delegations": 0, "people": 0}
    assert content["agreements"]["previous"] == 0
    assert content["aid"]["previous"] == {"committed_usd": 0, "disbursed_usd": 0}
    assert content["activity"]["translation.pages"]["previous"] == 100
    # 2022 itself is still open: a metric it does not count stays null, its previous is 0
    assert content["activity"]["passports.dossiers"] == {
        "value": None,
        "detail": None,
        "previous": 0,
    }
    # under a knowledge cut-off before the closure was known, the window is open again
    assert report(cli, "--known-by", "2021-12-19")["conferences"]["previous"] is None
    # the nd09 year 2021 also covers the calendar window 1/1–24/11/2021
    assert report(cli, "--window", "calendar")["conferences"]["previous"] == 1
    # the year's closure covers its half-years; a calendar half-year does not cover a year
    assert report(cli, period="2022-H1")["conferences"]["previous"] == 1
    load(cli, closed("2020-H2", "2021-01-10", window="calendar"))
    assert report(cli, period="2021")["conferences"]["previous"] is None


def test_the_current_period_closed_counts_what_was_not_counted_as_zero(cli: Cli) -> None:
    load(cli, *BASE, closed("2022", "2022-11-24"))
    content = report(cli)
    assert content["activity"]["passports.dossiers"] == {
        "value": 0,
        "detail": {"diplomatic": 0, "official": 0},
        "previous": None,
    }
    assert content["conferences"]["previous"] is None  # 2021 is not closed


def test_detail_is_given_when_every_counted_month_has_one(cli: Cli) -> None:
    load(cli, *BASE)
    may = report(cli, period="2022-05")["activity"]["translation.pages"]
    assert may == {
        "value": 50,
        "detail": {"certified": 30, "centre_certified": 0, "content": 20, "proofread": 0},
        "previous": None,
    }


def test_figures_reported_give_the_figures_they_name(cli: Cli) -> None:
    load(cli, *BASE, reported("2021", {"conferences.count": 9, "inbound.delegations": 4}))
    content = report(cli)
    assert content["conferences"]["previous"] == 9  # not the records' 1
    assert content["inbound"]["previous"] == {"delegations": 4, "people": None}
    assert content["outbound"]["previous"] is None
    assert content["aid"]["previous"] is None
    assert content["activity"]["translation.pages"]["previous"] is None
    # for exactly that period and window: not the calendar year, not another period
    assert report(cli, "--window", "calendar")["conferences"]["previous"] is None
    assert report(cli, period="2022-H1")["conferences"]["previous"] is None
    # a later statement for the same window wins
    load(cli, reported("2021", {"conferences.count": 8}, at="2022-01-05"))
    assert report(cli)["conferences"]["previous"] == 8
    # with the period closed too, the records give what the figures do not name
    load(cli, closed("2021", "2021-12-20"))
    content = report(cli)
    assert content["conferences"]["previous"] == 8
    assert content["inbound"]["previous"] == {"delegations": 1, "people": 2}


def test_a_voided_closure_reopens_the_window_and_issued_reports_keep_theirs(cli: Cli) -> None:
    load(cli, *BASE, closed("2021", "2021-12-20"))
    issued = cli(
        "issue", FA, "--org", "ha-tinh", "--period", "2022", "--signed-on", "2022-11-24",
        "--number", "12/BC-SNgV", "--signer", "Nguyễn Văn An",
    )  # fmt: skip
    assert issued.exit_code == 0, issued.output
    assert json.loads(issued.stdout)["conferences"]["previous"] == 1
    void = {
        "kind": "record.voided",
        "org": "ha-tinh",
        "target": "closed:foreign-affairs/2021",
        "reason": "chốt nhầm: còn thiếu hồ sơ tháng 11",
    }
    assert cli("import", "-", input=lines(void)).exit_code == 0
    assert report(cli, "--known-by", "now")["conferences"]["previous"] is None
    again = cli("reprint", "ha-tinh", "12/BC-SNgV")
    assert again.exit_code == 0 and again.stdout_bytes == issued.stdout_bytes
    history = cli("history", "ha-tinh", "closed:foreign-affairs/2021", "--format", "json")
    assert history.exit_code == 0
    assert [e["kind"] for e in json.loads(history.stdout)] == ["period.closed", "record.voided"]


def test_bad_lines_are_refused_naming_the_field_and_nothing_is_stored(cli: Cli) -> None:
    load(cli, ORG)
    bad = [
        closed("2021", "2021-12-20", report="foreign-affair"),
        closed("2021-H3", "2021-12-20"),
        closed("2021", "2021-12-20", window="iso"),
        reported("2021", {"outbound.delegationz": 1}),
        reported("2021", {"conferences.count": -1}),
        reported("2021", {}),
        {k: v for k, v in reported("2021", {"conferences.count": 1}).items() if k != "ref"},
    ]
    result = cli("import", "--backfill", "-", input=lines(*bad))
    assert result.exit_code == 2
    for no, field in enumerate(
        ["report", "period", "window", "figures", "figures", "figures", "ref"], start=1
    ):
        assert f"dòng {no}, trường '{field}" in result.stderr, (no, field, result.stderr)
    assert "Traceback" not in result.output
    history = cli("history", "ha-tinh", "closed:foreign-affairs/2021")
    assert "closed:foreign-affairs/2021#1" not in history.stdout
    fix = {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "closed:foreign-affairs/2021",
        "set": {"period": "2020"},
        "reason": "x",
    }
    load(cli, closed("2021", "2021-12-20"))
    refused = cli("import", "-", input=lines(fix))
    assert refused.exit_code == 2 and "set.period" in refused.stderr


def test_a_withdrawn_declaration_leaves_the_record_open_for_a_later_one(cli: Cli) -> None:
    """Voiding `fact:closed:…#1` withdraws that closure only; voiding the record is final."""
    load(cli, *BASE, closed("2021", "2021-12-20"))
    assert report(cli)["conferences"]["previous"] == 1
    withdraw = {
        "kind": "record.voided",
        "org": "ha-tinh",
        "target": "fact:closed:foreign-affairs/2021#1",
        "reason": "chốt nhầm",
        "known_since": "2021-12-21",
    }
    assert cli("import", "-", input=lines(withdraw)).exit_code == 0
    assert report(cli)["conferences"]["previous"] is None
    fix = {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "closed:foreign-affairs/2021",
        "set": {"window": "nd09"},
        "reason": "x",
    }
    refused = cli("import", "-", input=lines(fix))  # nothing left to correct: named, no traceback
    assert refused.exit_code == 2 and "target" in refused.stderr
    load(cli, closed("2021", "2022-01-10"))  # the records completed, closed again
    assert report(cli)["conferences"]["previous"] == 1
    assert report(cli, "--known-by", "2022-01-09")["conferences"]["previous"] is None
    whole = withdraw | {"target": "closed:foreign-affairs/2021"}
    assert cli("import", "-", input=lines(whole)).exit_code == 0
    assert report(cli)["conferences"]["previous"] is None
    again = cli("import", "--backfill", "-", input=lines(closed("2021", "2022-02-01")))
    assert again.exit_code == 2
    assert (
        "trường 'period'" in again.stderr and "fact:closed:foreign-affairs/2021#N" in again.stderr
    )
