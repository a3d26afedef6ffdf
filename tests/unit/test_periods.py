"""Reporting windows of Nghị định 09/2019 Điều 12 and calendar periods (no I/O)."""

from datetime import date

import pytest

from domain.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2020", date(2019, 12, 15), date(2020, 12, 14)),
        ("2021-H1", date(2020, 12, 15), date(2021, 6, 14)),
        ("2021-H2", date(2021, 6, 15), date(2021, 12, 14)),
        ("2021-Q1", date(2020, 12, 15), date(2021, 3, 14)),
        ("2021-Q3", date(2021, 6, 15), date(2021, 9, 14)),
        ("2021-9M", date(2020, 12, 15), date(2021, 9, 14)),
        ("2021-03", date(2021, 2, 15), date(2021, 3, 14)),
        ("2021-01", date(2020, 12, 15), date(2021, 1, 14)),
    ],
)
def test_nd09_windows(label, start, end):
    period = parse_period(label, "nd09")
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("2021-H1", date(2021, 1, 1), date(2021, 6, 30)),
        ("2021-9M", date(2021, 1, 1), date(2021, 9, 30)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
        ("2021-Q4", date(2021, 10, 1), date(2021, 12, 31)),
    ],
)
def test_calendar_windows(label, start, end):
    period = parse_period(label, "calendar")
    assert (period.start, period.end) == (start, end)


def test_previous_is_the_same_window_a_year_earlier():
    previous = parse_period("2021-H1").previous()
    assert previous.label == "2020-H1"
    assert (previous.start, previous.end) == (date(2019, 12, 15), date(2020, 6, 14))


@pytest.mark.parametrize("label", ["2021-H3", "2021-13", "2021-Q5", "21", "2021-6M", ""])
def test_unknown_periods_are_refused(label):
    with pytest.raises(PeriodError):
        parse_period(label)


def test_unknown_window_is_refused():
    with pytest.raises(PeriodError):
        parse_period("2021", "fiscal")


@pytest.mark.parametrize(
    ("label", "months"),
    [
        ("2021-03", ["2021-03"]),
        ("2021-Q3", ["2021-07", "2021-08", "2021-09"]),
        ("2021-9M", [f"2021-{m:02d}" for m in range(1, 10)]),
        ("2020", [f"2020-{m:02d}" for m in range(1, 13)]),
    ],
)
def test_a_period_contains_its_labels_reporting_months_whatever_the_window(label, months):
    assert (
        parse_period(label, "nd09").months() == months == parse_period(label, "calendar").months()
    )
