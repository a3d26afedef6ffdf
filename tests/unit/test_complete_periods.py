"""Complete periods (CONTRACT "Composed documents and complete periods"): the cùng-kỳ window and
the rule that lets a report compare with it. Pure domain, no store."""

from __future__ import annotations

from datetime import date

import pytest

from domain.complete_periods import (
    Closure,
    Earlier,
    Reported,
    closure_of,
    cung_ky,
    current_window,
    figure_paths,
    is_closed,
    reported_figures,
    year_before,
)
from domain.periods import parse_period

FA = "foreign-affairs"


def test_year_before_keeps_the_day_and_folds_29_february() -> None:
    assert year_before(date(2022, 11, 24)) == date(2021, 11, 24)
    assert year_before(date(2024, 2, 29)) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("label", "window", "as_of", "start", "end"),
    [
        # a year asked before its end: the earlier year cut at the same day (seed 003)
        ("2022", "nd09", "2022-11-24", "2020-12-15", "2021-11-24"),
        # a half-year asked on its last day: the whole earlier half-year (seed 002)
        ("2021-H1", "nd09", "2021-06-14", "2019-12-15", "2020-06-14"),
        # asked after the period's end: the whole earlier window
        ("2020", "calendar", "2021-03-01", "2019-01-01", "2019-12-31"),
        ("2021-03", "nd09", "2021-03-10", "2020-02-15", "2020-03-10"),
        ("2021-Q3", "calendar", "2021-08-31", "2020-07-01", "2020-08-31"),
    ],
)
def test_cung_ky_is_the_earlier_window_cut_at_d_minus_a_year(
    label: str, window: str, as_of: str, start: str, end: str
) -> None:
    earlier, day = cung_ky(parse_period(label, window), date.fromisoformat(as_of))
    assert (earlier.start.isoformat(), earlier.end.isoformat()) == (start, end)
    assert day == year_before(date.fromisoformat(as_of))
    assert earlier.period.label == f"{int(label[:4]) - 1}{label[4:]}"
    assert earlier.period.window == window


def test_current_window_ends_at_d() -> None:
    now = current_window(parse_period("2022"), date(2022, 11, 24))
    assert (now.start, now.end) == (date(2021, 12, 15), date(2022, 11, 24))
    whole = current_window(parse_period("2022"), date(2023, 1, 1))
    assert whole.end == date(2022, 12, 14)


def test_a_closure_covers_a_window_held_by_its_period() -> None:
    earlier, _ = cung_ky(parse_period("2022"), date(2022, 11, 24))  # 15/12/2020–24/11/2021
    assert closure_of("ha-tinh", FA, "2021", None).covers(earlier)
    assert closure_of("ha-tinh", FA, "2021", "nd09").covers(earlier)
    # the calendar year 2021 starts on 1/1: it misses 15/12–31/12/2020
    assert not closure_of("ha-tinh", FA, "2021", "calendar").covers(earlier)
    assert not closure_of("ha-tinh", FA, "2021-H1", None).covers(earlier)
    assert not closure_of("ha-tinh", FA, "2021-9M", None).covers(earlier)
    # a half-year window is covered by its year
    half, _ = cung_ky(parse_period("2021-H1"), date(2021, 6, 14))
    assert closure_of("ha-tinh", FA, "2020", None).covers(half)
    assert closure_of("ha-tinh", FA, "2020-H1", None).covers(half)


def test_closed_only_when_every_counted_organisation_closed_it() -> None:
    earlier, _ = cung_ky(parse_period("2025"), date(2025, 12, 14))
    mine = closure_of("gia-lai", FA, "2024", None)
    merged = closure_of("binh-dinh", FA, "2024", None)
    other_kind = closure_of("binh-dinh", "key-tasks", "2024", None)
    assert is_closed(earlier, FA, [mine], ["gia-lai"])
    assert not is_closed(earlier, FA, [mine], ["gia-lai", "binh-dinh"])
    assert not is_closed(earlier, FA, [mine, other_kind], ["gia-lai", "binh-dinh"])
    assert is_closed(earlier, FA, [mine, merged], ["gia-lai", "binh-dinh"])
    assert not is_closed(earlier, "key-tasks", [mine, merged], ["gia-lai"])
    assert not is_closed(earlier, FA, [], ["gia-lai"])


def test_reported_figures_are_for_exactly_that_period_and_window() -> None:
    earlier, _ = cung_ky(parse_period("2020"), date(2020, 11, 20))  # cut at 20/11/2019
    y2019 = Reported("gia-lai", FA, parse_period("2019"), {"outbound.delegations": 51})
    calendar = Reported("gia-lai", FA, parse_period("2019", "calendar"), {"x": 1})
    half = Reported("gia-lai", FA, parse_period("2019-H1"), {"x": 2})
    elsewhere = Reported("kon-tum", FA, parse_period("2019"), {"x": 3})
    assert reported_figures(earlier, FA, [y2019, calendar, half, elsewhere], "gia-lai") == {
        "outbound.delegations": 51
    }
    assert reported_figures(earlier, FA, [calendar, half], "gia-lai") is None
    later = Reported("gia-lai", FA, parse_period("2019"), {"outbound.delegations": 52})
    assert reported_figures(earlier, FA, [y2019, later], "gia-lai") == {"outbound.delegations": 52}


def test_earlier_values_null_unless_closed_or_reported() -> None:
    window, _ = cung_ky(parse_period("2020"), date(2020, 11, 20))
    open_ = Earlier(window, closed=False, figures=None)
    assert not open_.complete and open_.value("conferences.count", 7) is None
    closed = Earlier(window, closed=True, figures=None)
    assert closed.complete and closed.value("conferences.count", 7) == 7
    reported = Earlier(window, closed=False, figures={"conferences.count": 5})
    assert reported.value("conferences.count", 7) == 5
    assert reported.value("agreements.count", 2) is None  # not named: not known
    both = Earlier(window, closed=True, figures={"conferences.count": 5})
    assert both.value("conferences.count", 7) == 5 and both.value("agreements.count", 2) == 2


def test_figure_paths_are_the_reports_counts() -> None:
    paths = figure_paths(FA)
    assert "outbound.delegations" in paths and "inbound.people" in paths
    assert "activity.translation.pages.value" in paths
    assert "activity.ngo.projects_approved.value" in paths
    assert "outbound.by_funding" not in paths
    assert "summary.completed" in figure_paths("key-tasks")
    assert "completed_late" in figure_paths("assigned-tasks")
    assert figure_paths("award-register") == ()


def test_closure_dataclass_compares_by_value() -> None:
    assert closure_of("a", FA, "2021", None) == Closure("a", FA, parse_period("2021"))


@pytest.mark.parametrize(
    "path",
    [
        'activity["translation.pages"].value',
        "activity['translation.pages']",
        "activity.translation.pages",
        "activity.translation.pages.value",
    ],
)
def test_a_metric_figure_may_be_written_as_the_body_language_writes_it(path: str) -> None:
    from service.importing.schemas import schema_for

    line = {
        "kind": "figures.reported",
        "org": "ha-tinh",
        "at": "2020-01-05",
        "report": "foreign-affairs",
        "period": "2019",
        "ref": "Báo cáo số 12/BC-SNgV",
        "figures": {path: 1234},
    }
    loaded = schema_for("figures.reported").load(line)
    assert loaded["figures"] == {"activity.translation.pages.value": 1234}
