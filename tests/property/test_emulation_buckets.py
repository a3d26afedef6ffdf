"""Property: an award the catalogue accepts lands in exactly one bucket of each breakdown of its
period, and every breakdown sums to the number of granted awards that count in the period."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain import award_rules
from domain.emulation import CATEGORIES, FORMS, GRANTORS
from domain.periods import parse_period
from tests.conftest import Cli

ORG = {"kind": "org.registered", "org": "ha-tinh", "at": "2015-01-01", "name": "Sở Ngoại vụ"}
DAYS = st.integers(min_value=0, max_value=4 * 365).map(lambda n: date(2019, 1, 1) + timedelta(n))

award = st.fixed_dictionaries(
    {
        "form": st.sampled_from(FORMS),
        "grantor": st.sampled_from(GRANTORS),
        "type": st.sampled_from(["individual", "collective"]),
        "category": st.sampled_from(CATEGORIES),
        "day": DAYS,
        "for_year": st.one_of(st.none(), st.integers(min_value=2018, max_value=2022)),
    }
)


def line(i: int, a: dict) -> dict:
    out = {
        "kind": "award.granted",
        "org": "ha-tinh",
        "at": a["day"].isoformat(),
        "id": f"A{i}",
        "form": a["form"],
        "grantor": a["grantor"],
        "category": a["category"],
        "recipient": {"type": a["type"], "name": f"Người nhận {i}"},
        "ref": f"{i}/QĐ-UBND",
    }
    if a["grantor"] == "bo_truong":
        out["body"] = "Bộ Ngoại giao"
    if a["for_year"] is not None:
        out["for_year"] = a["for_year"]
    return out


def counts_in(a: dict, label: str) -> bool:
    """CONTRACT fine point 7, written again here on purpose."""
    period = parse_period(label)
    if len(label) == 4 and a["for_year"] is not None:
        return a["for_year"] == int(label)
    return period.start <= a["day"] <= period.end


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    awards=st.lists(award, min_size=1, max_size=25),
    label=st.sampled_from(["2020", "2021", "2021-H1", "2020-9M", "2021-Q3", "2020-03"]),
)
def test_accepted_awards_fall_in_exactly_one_bucket(awards: list[dict], label: str) -> None:
    accepted = [
        (i, a)
        for i, a in enumerate(awards)
        if not award_rules.check(
            a["day"],
            a["form"],
            a["grantor"],
            a["type"],
            for_year=a["for_year"],
            category=a["category"],
        )
    ]
    with tempfile.TemporaryDirectory() as tmp:
        cli = Cli({"NGOAIVU_DATA": str(Path(tmp) / "var"), "NGOAIVU_ACTOR": "tester"})
        path = Path(tmp) / "awards.jsonl"
        rows = [ORG, *(line(i, a) for i, a in accepted)]
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
        result = cli("import", "--backfill", "--quiet", str(path))
        assert result.exit_code == 0, result.output
        report = cli(
            "report", "emulation", "--org", "ha-tinh", "--period", label, "--as-of", "2023-06-30"
        )
        body = json.loads(report.stdout)
    expected = [(i, a) for i, a in accepted if counts_in(a, label)]
    assert sorted(x["id"] for x in body["awards"]) == sorted(f"A{i}" for i, _a in expected)
    for key, field in (
        ("by_form", "form"),
        ("by_grantor", "grantor"),
        ("by_recipient_type", "type"),
        ("by_category", "category"),
    ):
        assert sum(body[key].values()) == len(expected), key
        want = Counter(a[field] for _i, a in expected)
        assert {k: v for k, v in body[key].items() if v} == dict(want), key
