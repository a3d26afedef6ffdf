"""Vietnam days and cut-offs (no I/O)."""

from datetime import date

import pytest

from domain.times import Cutoff, Moment, TimeFormatError, day_start_us, parse_instant, vn_iso


def test_an_instant_after_17h_utc_falls_on_the_next_vietnam_day():
    assert Moment.parse("2020-12-14T17:30:00Z").day == date(2020, 12, 15)
    assert Moment.parse("2020-12-14T16:59:59Z").day == date(2020, 12, 14)


def test_a_date_stands_for_0h_of_its_vietnam_day_and_sorts_before_instants_that_day():
    day = Moment.parse("2020-12-08")
    same_instant = Moment.parse("2020-12-08T00:00:00+07:00")
    assert day.us == same_instant.us == day_start_us(date(2020, 12, 8))
    assert day < same_instant


def test_end_of_day_cutoff_admits_the_whole_day_and_nothing_after():
    cut = Cutoff.end_of_day(date(2020, 12, 11))
    assert cut.admits(Moment.parse("2020-12-11").us)
    assert cut.admits(Moment.parse("2020-12-11T16:59:59.999999Z").us)
    assert not cut.admits(Moment.parse("2020-12-11T17:00:00Z").us)
    assert not cut.admits(Moment.parse("2020-12-12").us)


def test_instant_cutoff_is_inclusive():
    moment = parse_instant("2021-01-05T10:00:00+07:00")
    cut = Cutoff.at_instant(moment)
    assert cut.admits(Moment.parse("2021-01-05T03:00:00Z").us)
    assert not cut.admits(Moment.parse("2021-01-05T03:00:00.000001Z").us)
    assert cut.label == "2021-01-05T10:00:00.000000+07:00"


def test_written_instants_are_in_vietnam_time_with_microseconds():
    assert vn_iso(Moment.parse("2020-12-14T17:30:00Z").us) == "2020-12-15T00:30:00.000000+07:00"


@pytest.mark.parametrize(
    "text", ["2020-13-01", "2020-02-30", "20201201", "2020-12-01T10:00", "hôm qua", ""]
)
def test_unreadable_times_are_refused(text):
    with pytest.raises(TimeFormatError):
        Moment.parse(text)
