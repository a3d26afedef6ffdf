"""Vietnamese numbers, money, percents, dates and the issuing body's short name."""

from __future__ import annotations

from datetime import date

import pytest

from documents.official.document import Organisation
from documents.official.vietnamese import (
    compared_with,
    count,
    next_period_phrase,
    number,
    pair_change,
    percent,
    percent_change,
    period_phrase,
    place_and_date,
    usd,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (2139, "2.139"),
        (1_595_000, "1.595.000"),
        (-1500, "-1.500"),
    ],
)
def test_numbers_group_thousands_with_dots(value: int, text: str) -> None:
    assert number(value) == text


def test_counts_below_ten_take_a_leading_zero_as_in_the_seeds() -> None:
    assert [count(v) for v in (4, 9, 10, 27, 2139)] == ["04", "09", "10", "27", "2.139"]


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (948_500, "948.500 USD"),
        (1_600_000, "1,6 triệu USD"),
        (1_595_000, "gần 1,6 triệu USD"),
        (1_620_000, "trên 1,6 triệu USD"),
        (2_263_000, "gần 2,3 triệu USD"),
    ],
)
def test_dollars(amount: int, text: str) -> None:
    assert usd(amount) == text


def test_percent_and_its_comparison() -> None:
    assert percent(63) == f"63{NBSP}%"
    assert percent_change(2139, 1584) == f"tăng 35{NBSP}%"
    assert percent_change(1584, 2139) == f"giảm 26{NBSP}%"
    assert percent_change(5, 0) is None


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2020, 12, 11), "Hà Tĩnh, ngày 11 tháng 12 năm 2020"),
        (date(2021, 1, 5), "Hà Tĩnh, ngày 05 tháng 01 năm 2021"),
        (date(2021, 2, 28), "Hà Tĩnh, ngày 28 tháng 02 năm 2021"),
        (date(2021, 3, 9), "Hà Tĩnh, ngày 09 tháng 3 năm 2021"),
        (date(2022, 11, 24), "Hà Tĩnh, ngày 24 tháng 11 năm 2022"),
    ],
)
def test_place_and_date_with_the_decrees_leading_zeros(day: date, text: str) -> None:
    assert place_and_date("Hà Tĩnh", day) == text


@pytest.mark.parametrize(
    ("label", "phrase", "following", "against"),
    [
        ("2020", "năm 2020", "năm 2021", "so với năm 2019"),
        ("2021-03", "tháng 3/2021", "tháng 4/2021", "so với cùng kỳ năm 2020"),
        ("2021-12", "tháng 12/2021", "tháng 1/2022", "so với cùng kỳ năm 2020"),
        ("2021-H1", "6 tháng đầu năm 2021", "6 tháng cuối năm 2021", "so với cùng kỳ năm 2020"),
        ("2021-H2", "6 tháng cuối năm 2021", "6 tháng đầu năm 2022", "so với cùng kỳ năm 2020"),
        ("2021-Q4", "quý IV năm 2021", "quý I năm 2022", "so với cùng kỳ năm 2020"),
        ("2021-9M", "9 tháng đầu năm 2021", "quý IV năm 2021", "so với cùng kỳ năm 2020"),
    ],
)
def test_periods_in_words(label: str, phrase: str, following: str, against: str) -> None:
    assert period_phrase(label) == phrase
    assert next_period_phrase(label) == following
    assert compared_with(label) == against


def test_two_differences_as_the_seeds_write_them() -> None:
    assert pair_change((4, 27), (51, 299), ("đoàn", "lượt")) == "giảm 47 đoàn/272 lượt"
    assert pair_change((28, 479), (15, 179), ("đoàn", "lượt")) == "tăng 13 đoàn/300 lượt"
    assert pair_change((5, 10), (3, 20), ("đoàn", "lượt")) == "tăng 02 đoàn, giảm 10 lượt"
    assert pair_change((3, 20), (3, 20), ("đoàn", "lượt")) == "bằng"


def test_the_issuing_body_is_named_under_its_parent_without_repeating_it() -> None:
    ha_tinh = Organisation("Sở Ngoại vụ tỉnh Hà Tĩnh", "UBND tỉnh Hà Tĩnh", "Hà Tĩnh")
    assert ha_tinh.short_name == "Sở Ngoại vụ"
    office = Organisation("Văn phòng UBND tỉnh Gia Lai", "UBND tỉnh Gia Lai", "Gia Lai")
    assert office.short_name == "Văn phòng"
    alone = Organisation("Sở Ngoại vụ tỉnh Hà Tĩnh", None, "Hà Tĩnh")
    assert alone.short_name == "Sở Ngoại vụ tỉnh Hà Tĩnh"
    other = Organisation("Sở Ngoại vụ", "UBND tỉnh Gia Lai", "Gia Lai")
    assert other.short_name == "Sở Ngoại vụ"
