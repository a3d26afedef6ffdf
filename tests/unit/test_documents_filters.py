"""The Vietnamese written forms of draft bodies, each as the seeds write it."""

from __future__ import annotations

from datetime import date as Date

import pytest

from documents.filters import (
    FilterError,
    MarkupText,
    NotRecordedError,
    breakdown,
    compare,
    count,
    date,
    grouped,
    label,
    lowerfirst,
    markup,
    money,
    number,
    percent,
    period,
    roman,
    since,
    table,
    upperfirst,
    words,
    wrap,
    year,
)

P2022 = {"label": "2022", "window": "nd09", "from": "2021-12-15", "to": "2022-12-14"}


@pytest.mark.parametrize(
    ("value", "written"),
    [(4, "04"), (7, "07"), (9, "09"), (10, "10"), (275, "275"), (1234, "1.234"), (2139, "2.139")],
)
def test_counts_as_the_seeds_write_them(value, written):
    assert count(value) == written


def test_counts_without_the_leading_zero_and_zero_itself():
    assert count(6, pad=False) == "6"
    assert count(0) == "0"
    assert number(6) == "6" and number(2139) == "2.139" and number(1234567) == "1.234.567"
    assert number(-1500) == "-1.500"


def test_small_counts_in_words():
    assert words(2) == "hai" and words(0) == "không" and words(10) == "mười"
    assert words(11) == "11"


def test_percents_as_the_seeds_write_them():
    assert percent(63) == "63%"


@pytest.mark.parametrize("bad", [None, "5", 1.5, True])
def test_a_figure_that_is_not_an_integer_is_refused(bad):
    with pytest.raises(FilterError):
        count(bad)


def test_null_is_not_recorded_not_zero():
    with pytest.raises(NotRecordedError, match="chưa được ghi nhận"):
        number(None)


@pytest.mark.parametrize(
    ("amount", "options", "written"),
    [
        (905000, {}, "905.000 USD"),
        (680000, {"round": 10000}, "680.000 USD"),  # exact: no word
        (948500, {"round": 10000}, "gần 950.000 USD"),  # rounded up: "gần"
        (905000, {"round": 100000}, "trên 900.000 USD"),  # rounded down: "trên"
        (1595000, {"round": 100000, "unit": "triệu"}, "gần 1,6 triệu USD"),
        (1650000, {"round": 100000, "unit": "triệu"}, "gần 1,7 triệu USD"),
        (1650000, {"unit": "triệu"}, "1,65 triệu USD"),
        (2000000, {"unit": "triệu"}, "2 triệu USD"),
        (2200000000, {"unit": "tỷ", "currency": "đồng"}, "2,2 tỷ đồng"),
        (300000000, {"unit": "triệu", "currency": "đồng"}, "300 triệu đồng"),
        (980000000, {"round": 100000000, "unit": "tỷ", "currency": "đồng"}, "gần 1 tỷ đồng"),
        (948500, {"round": 10000, "approx": "khoảng"}, "khoảng 950.000 USD"),
    ],
)
def test_money_rounds_half_up_and_says_which_side_it_rounded(amount, options, written):
    assert money(amount, **options) == written


def test_money_half_way_rounds_up():
    assert money(945000, round=10000) == "gần 950.000 USD"
    assert money(944999, round=10000) == "trên 940.000 USD"


def test_money_refuses_an_unknown_unit_or_step():
    with pytest.raises(FilterError, match="đơn vị"):
        money(1, unit="trieu")
    with pytest.raises(FilterError):
        money(1, round=0)


@pytest.mark.parametrize(
    ("value", "options", "written"),
    [
        ("2020-09-08", {"pad": "none"}, "8/9/2020"),
        ("2020-12-08", {"pad": "none"}, "8/12/2020"),
        ("2020-02-04", {}, "04/02/2020"),  # Nghị định 30/2020: day < 10 and months 1–2 padded
        ("2020-01-17", {}, "17/01/2020"),
        ("2022-11-07", {}, "07/11/2022"),
        ("2021-03-29", {}, "29/3/2021"),
        ("2021-02-02", {"pad": "day"}, "02/2/2021"),
        ("2020-09-08", {"pad": "full"}, "08/09/2020"),
        ("2020-12-11", {"style": "long"}, "ngày 11 tháng 12 năm 2020"),
        ("2021-01-05", {"style": "long"}, "ngày 05 tháng 01 năm 2021"),
        ("2020-11-30", {"style": "month", "pad": "none"}, "11/2020"),
        (Date(2020, 9, 8), {"pad": "none"}, "8/9/2020"),
    ],
)
def test_dates(value, options, written):
    assert date(value, **options) == written


def test_a_date_that_is_not_one_is_refused():
    with pytest.raises(FilterError):
        date("08/09/2020")
    with pytest.raises(FilterError):
        date("2020-09-08", style="iso")
    with pytest.raises(NotRecordedError):
        date(None)


@pytest.mark.parametrize(
    ("label_", "shift", "written"),
    [
        ("2021-03", 0, "tháng 3/2021"),
        ("2021-03", 1, "tháng 4/2021"),
        ("2021-12", 1, "tháng 1/2022"),
        ("2021-01", -1, "tháng 12/2020"),
        ("2021-H1", 0, "6 tháng đầu năm 2021"),
        ("2021-H1", 1, "6 tháng cuối năm 2021"),
        ("2021-H2", 1, "6 tháng đầu năm 2022"),
        ("2021-Q4", 1, "quý I năm 2022"),
        ("2021-Q3", 0, "quý III năm 2021"),
        ("2021-9M", 0, "9 tháng đầu năm 2021"),
        ("2022", 1, "năm 2023"),
    ],
)
def test_periods_in_words(label_, shift, written):
    assert period(label_, shift=shift) == written
    assert period({"label": label_}, shift=shift) == written


def test_year_of_a_period_a_label_or_a_date():
    assert year(P2022) == 2022 and year("2021-H1") == 2021 and year("2020-12-08") == 2020


Y = {"cung_ky": False}  # "so với năm 2021" rather than "so với cùng kỳ năm 2021"
U = ["đoàn", "lượt"]
H = "hội nghị, hội thảo"
CASES = [
    ((8, 1, "hội thảo", {"label": "2021-H1"}), {}, "tăng 07 hội thảo so với cùng kỳ năm 2020"),
    ((21, 15, "hội thảo", P2022), {**Y, "pad": False}, "tăng 6 hội thảo so với năm 2021"),
    ((14, 3, None, P2022), {**Y, "pad": False}, "tăng 11 so với năm 2021"),
    ((2, 7, H, "2020"), {}, "giảm 05 hội nghị, hội thảo so với cùng kỳ năm 2019"),
    (([4, 27], [51, 299], U, "2020"), {}, "giảm 47 đoàn/272 lượt so với cùng kỳ năm 2019"),
    (([44, 213], [95, 592], U, "2020"), Y, "giảm 51 đoàn/379 lượt so với năm 2019"),
    ((2139, 1584, None, "2021-H1"), {"percent": True}, "tăng 35% so với cùng kỳ năm 2020"),
    ((5, 5, "đoàn", "2021"), {}, "bằng cùng kỳ năm 2020"),
    ((5, 5, "đoàn"), {}, "bằng cùng kỳ"),
    (([5, 3], [4, 7], U, "2021"), {}, "tăng 01 đoàn, giảm 04 lượt so với cùng kỳ năm 2020"),
    (([5, 3], [5, 7], U, "2021"), {}, "bằng số đoàn, giảm 04 lượt so với cùng kỳ năm 2020"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "options", "written"), CASES)
def test_the_comparison_phrase(args, options, written):
    assert compare(*args, **options) == written


def test_the_comparison_writes_nothing_without_a_complete_earlier_window():
    assert compare(8, None, "hội thảo", P2022) == ""
    assert compare([4, 27], [None, None], ["đoàn", "lượt"], P2022) == ""
    assert compare(2139, 0, percent=True) == ""  # no percent of nothing


def test_the_comparison_percent_rounds_half_up():
    assert compare(2139, 1584, percent=True) == "tăng 35% so với cùng kỳ"  # 35.04
    assert compare(1625, 1000, percent=True) == "tăng 63% so với cùng kỳ"  # 62.5
    assert compare(1004, 1000, percent=True) == "bằng cùng kỳ"  # 0.4


def test_the_comparison_refuses_lists_of_different_lengths():
    with pytest.raises(FilterError):
        compare([1, 2], [1], ["đoàn", "lượt"])


def test_wrap_writes_nothing_around_nothing():
    assert wrap("tăng 06", " (", ")") == " (tăng 06)"
    assert wrap("", " (", ")") == ""


def test_labels_by_family():
    assert label("completed", "status") == "hoàn thành"
    assert label("bang_khen", "form") == "Bằng khen"
    assert label("chu_tich_nuoc", "grantor") == "Chủ tịch nước"
    with pytest.raises(FilterError):
        label("completed", "form")
    with pytest.raises(FilterError):
        label("x", "nope")


def test_first_letters():
    assert lowerfirst("Thanh tra đối ngoại") == "thanh tra đối ngoại"
    assert lowerfirst("UBND tỉnh") == "UBND tỉnh"
    assert upperfirst("tổ chức") == "Tổ chức"


def test_markup_marks_text_as_markup():
    assert isinstance(markup("- a"), MarkupText)


def test_table_of_a_list_escapes_its_cells_and_labels_codes():
    rows = [{"no": 1, "title": "A | B*", "status": "completed", "unit": None}]
    text = table(rows, "no:Số TT", "title:Nhiệm vụ", "status|status:Kết quả", "unit")
    assert text.splitlines() == [
        "| Số TT | Nhiệm vụ | Kết quả | unit |",
        "|---|---|---|---|",
        "| 1 | A \\| B\\* | hoàn thành |  |",
    ]


FUNDING = {"state_budget": 19, "self_funded": 10, "central": 7, "partner": 13, "unknown": 0}
APPROVAL = {"province": 44, "central": 5, "unknown": 3}


def test_a_breakdown_as_the_seeds_write_it():
    assert breakdown(FUNDING, "funding", "đoàn") == (
        "19 đoàn sử dụng ngân sách Nhà nước, 10 đoàn tự túc kinh phí, 07 đoàn do Trung ương "
        "đài thọ, 13 đoàn do đối tác đài thọ"
    )
    # `unknown` is never written: a partial breakdown is not presented as whole by a phrase
    assert breakdown(APPROVAL, "approval", "đoàn") == (
        "44 đoàn thuộc thẩm quyền tỉnh phê duyệt, 05 đoàn thuộc thẩm quyền Trung ương phê duyệt"
    )
    levels = {"province": 3, "agency": 11, "unknown": 0}
    assert breakdown(levels, "level", "thỏa thuận", last=" và ") == (
        "03 thỏa thuận nhân danh cấp tỉnh và 11 thỏa thuận nhân danh các cơ quan, tổ chức, đơn "
        "vị trực thuộc"
    )
    detail = {"certified": 85, "centre_certified": 82, "content": 88, "proofread": 1}
    assert breakdown(detail, "detail", "trang") == (
        "85 trang biên dịch có chứng thực, 82 trang biên dịch chứng nhận tại Trung tâm, 88 trang "
        "biên dịch nội dung, 01 trang hiệu đính nội dung"
    )


def test_a_breakdown_of_zeros_writes_nothing_and_an_unknown_family_is_refused():
    assert breakdown(dict.fromkeys(FUNDING, 0), "funding", "đoàn") == ""
    assert breakdown({"province": 0, "central": 2}, "approval", "đoàn", last=" và ") == (
        "02 đoàn thuộc thẩm quyền Trung ương phê duyệt"
    )
    with pytest.raises(FilterError):
        breakdown(FUNDING, "status", "đoàn")
    with pytest.raises(FilterError):
        breakdown([1, 2], "funding", "đoàn")


def test_since_is_cung_ky_unless_asked_for_the_whole_year():
    assert since(P2022) == "so với cùng kỳ năm 2021"
    assert since("2021-H1") == "so với cùng kỳ năm 2020"
    assert since(P2022, cung_ky=False) == "so với năm 2021"


def test_the_next_period_in_words():
    assert period("2021-03", shift=1) == "tháng 4/2021"
    assert period(P2022, shift=1) == "năm 2023"


def test_roman_numerals_for_numbered_sections():
    assert [roman(n) for n in (1, 2, 4, 9)] == ["I", "II", "IV", "IX"]
    with pytest.raises(FilterError):
        roman(0)


def test_grouped_keeps_the_order_of_each_groups_first_item():
    awards = [
        {"grantor": "ubnd_tinh", "form": "bang_khen", "recipient": {"type": "individual"}},
        {"grantor": "ubnd_tinh", "form": "co_thi_dua", "recipient": {"type": "collective"}},
        {"grantor": "ubnd_tinh", "form": "bang_khen", "recipient": {"type": "individual"}},
        {"grantor": "ubnd_tinh", "form": "bang_khen", "recipient": {"type": "collective"}},
    ]
    groups = grouped(awards, "grantor", "form", "recipient.type")
    assert [len(g["items"]) for g in groups] == [2, 1, 1]
    assert groups[0]["first"] is awards[0] and groups[0]["items"] == [awards[0], awards[2]]
    assert groups[2]["first"] is awards[3]
    with pytest.raises(FilterError):
        grouped("abc", "grantor")
