"""Foreign-affairs records on import: every rule of issue 4's bad input, and mergers."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli

ORG = {"kind": "org.registered", "org": "ha-tinh", "at": "2019-01-01", "name": "Sở Ngoại vụ"}
PLAN = {
    "kind": "outbound_plan.approved",
    "org": "ha-tinh",
    "at": "2022-01-10",
    "year": 2022,
    "items": [{"id": "P1", "title": "Lào"}],
}
TRIP = {
    "kind": "delegation.recorded",
    "org": "ha-tinh",
    "at": "2022-03-01",
    "id": "D1",
    "direction": "outbound",
    "people": 5,
    "countries": ["Lào"],
    "purpose": "Làm việc",
}
AID = {
    "kind": "aid.committed",
    "org": "ha-tinh",
    "at": "2022-02-01",
    "id": "A1",
    "donor": "World Vision",
    "project": "Nước sạch",
    "amount_usd": 1000,
}
COUNT = {
    "kind": "activity.counted",
    "org": "ha-tinh",
    "at": "2021-03-14",
    "metric": "translation.pages",
    "month": "2021-03",
    "value": 256,
    "detail": {"certified": 85, "centre_certified": 82, "content": 88, "proofread": 1},
}


def lines(*rows: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


BAD = [
    ("unknown funding code", {**TRIP, "funding": "ngan_sach"}, "funding"),
    ("unknown approval code", {**TRIP, "approval": "bo"}, "approval"),
    ("people below one", {**TRIP, "people": 0}, "people"),
    ("people not a number", {**TRIP, "people": "5"}, "people"),
    ("end before start", {**TRIP, "end": "2022-02-27"}, "end"),
    ("a plan item that does not exist", {**TRIP, "plan_item": "P9"}, "plan_item"),
    ("sub-counts that disagree with the count", {**COUNT, "value": 255}, "detail"),
    (
        "an unknown sub-count",
        {**COUNT, "detail": {"certified": 256}, "value": 256, "metric": "conference.permits"},
        "detail",
    ),
    ("a negative amount", {**AID, "amount_usd": -5}, "amount_usd"),
    ("an amount that is not a number", {**AID, "amount_usd": "950.000"}, "amount_usd"),
    ("an unknown metric", {**COUNT, "metric": "visas"}, "metric"),
    (
        "a disbursement without commitment",
        {
            "kind": "aid.disbursed",
            "org": "ha-tinh",
            "at": "2022-03-01",
            "id": "A9",
            "amount_usd": 5,
        },
        "id",
    ),
]


@pytest.mark.parametrize(("why", "line", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_lines_are_refused_naming_line_and_field(
    cli: Cli, why: str, line: dict, field: str
) -> None:
    result = cli("import", "-", input=lines(ORG, PLAN, AID, line))
    assert result.exit_code == 2, why
    assert f"dòng 4, trường '{field}'" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert cli.runtime().app.head() == 0  # nothing stored, not even the good lines


def test_a_duplicate_id_with_other_content_is_refused(cli: Cli) -> None:
    assert cli("import", "-", input=lines(ORG, TRIP)).exit_code == 0
    head = cli.runtime().app.head()
    again = cli("import", "-", input=lines({**TRIP, "people": 6}))
    assert again.exit_code == 2 and "dòng 1, trường 'id'" in again.stderr
    assert cli("import", "-", input=lines(TRIP)).stdout.startswith("added 0, skipped 1")
    assert cli.runtime().app.head() == head


def test_a_second_count_for_the_same_metric_and_month_is_refused(cli: Cli) -> None:
    assert cli("import", "-", input=lines(ORG, COUNT)).exit_code == 0
    other = {k: v for k, v in COUNT.items() if k != "detail"} | {"value": 300}
    second = cli("import", "-", input=lines(other))
    assert second.exit_code == 2 and "dòng 1, trường 'month'" in second.stderr, second.stderr


def test_a_successor_adds_up_its_predecessors_records_before_the_merger(cli: Cli) -> None:
    """DOMAIN.md: Bình Định merged into the new Gia Lai on 1/7/2025; Gia Lai's 2025 report and its
    comparison with 2024 add up Bình Định's records dated before the merger, and say so."""
    gia_lai = {"kind": "org.registered", "org": "gia-lai", "at": "2019-01-01", "name": "Gia Lai"}
    binh_dinh = {
        "kind": "org.registered",
        "org": "binh-dinh",
        "at": "2019-01-01",
        "name": "Bình Định",
    }

    def trip(org: str, id: str, at: str, people: int) -> dict:
        return {**TRIP, "org": org, "id": id, "at": at, "people": people}

    rows = [
        gia_lai,
        binh_dinh,
        trip("binh-dinh", "B1", "2024-03-01", 4),
        trip("binh-dinh", "B2", "2025-03-01", 6),
        trip("binh-dinh", "B3", "2025-08-01", 9),  # after the merger: Bình Định's own record
        trip("gia-lai", "G1", "2025-03-05", 2),
        {
            "kind": "org.merged",
            "org": "binh-dinh",
            "at": "2025-07-01",
            "into": "gia-lai",
            "ref": "202/2025/QH15",
        },
    ]
    assert cli("import", "--backfill", "-", input=lines(*rows)).exit_code == 0

    def outbound(as_of: str) -> dict:
        result = cli(
            "report", "foreign-affairs", "--org", "gia-lai", "--period", "2025", "--as-of", as_of
        )
        return json.loads(result.stdout)

    before = outbound("2025-06-30")  # the merger is not yet effective
    assert (before["outbound"]["delegations"], before["merged_from"]) == (1, [])
    after = outbound("2025-12-14")
    assert after["outbound"]["delegations"] == 2 and after["outbound"]["people"] == 8
    assert after["merged_from"] == [{"org": "binh-dinh", "until": "2025-07-01"}]
    # Format 2: 2024 is compared only once every organisation counted there closed it.
    assert after["outbound"]["previous"] is None

    def closed(org: str) -> dict:
        return {
            "kind": "period.closed",
            "org": org,
            "at": "2024-12-20",
            "report": "foreign-affairs",
            "period": "2024",
        }

    assert cli("import", "--backfill", "-", input=lines(closed("gia-lai"))).exit_code == 0
    assert outbound("2025-12-14")["outbound"]["previous"] is None  # Bình Định's 2024 is open
    assert outbound("2025-06-30")["outbound"]["previous"] == {"delegations": 0, "people": 0}
    assert cli("import", "--backfill", "-", input=lines(closed("binh-dinh"))).exit_code == 0
    after = outbound("2025-12-14")
    assert after["outbound"]["previous"] == {"delegations": 1, "people": 4}
