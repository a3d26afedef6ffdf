"""The award catalogue as law in force by date, and its checker (no I/O beyond the packaged JSON).

The expectations below are written by hand from the legal texts recorded in
domain/AWARD_CATALOGUE.md, independently of the JSON, so a wrong line of data fails a test.
"""

import copy
import json
import unicodedata
from datetime import date

import pytest

from domain.award_rules import (
    RULES,
    Violation,
    allowed_grantors,
    check,
    load_catalogue,
    validate_catalogue,
    version_on,
)

# CONTRACT.md "Award codes".
FORMS = (
    "huan_chuong",
    "huy_chuong",
    "danh_hieu_vinh_du",
    "giai_thuong",
    "ky_niem_chuong",
    "bang_khen",
    "giay_khen",
    "chien_si_thi_dua_toan_quoc",
    "chien_si_thi_dua_cap_tinh",
    "chien_si_thi_dua_co_so",
    "lao_dong_tien_tien",
    "co_thi_dua_chinh_phu",
    "co_thi_dua_cap_tinh",
    "tap_the_lao_dong_xuat_sac",
    "tap_the_lao_dong_tien_tien",
)
GRANTORS = (
    "chu_tich_nuoc",
    "thu_tuong",
    "bo_truong",
    "ubnd_tinh",
    "thu_truong_co_quan",
    "chu_tich_ubnd_huyen",
    "chu_tich_ubnd_xa",
)
CATEGORIES = {"cong_trang", "chuyen_de", "dot_xuat", "cong_hien", "nien_han", "doi_ngoai"}
IND, COL, BOTH = {"individual"}, {"collective"}, {"individual", "collective"}
HEAD, HUYEN, XA = "thu_truong_co_quan", "chu_tich_ubnd_huyen", "chu_tich_ubnd_xa"

# Who may grant each form, and to whom: Luật 2003 (sửa đổi 2005, 2013) Điều 77–80 with
# Nghị định 91/2017 Điều 43 (cấp xã: Lao động tiên tiến); Kỷ niệm chương only of ministries
# (Điều 69).
LAW_2003 = {
    "huan_chuong": ({"chu_tich_nuoc"}, BOTH),
    "huy_chuong": ({"chu_tich_nuoc"}, BOTH),
    "danh_hieu_vinh_du": ({"chu_tich_nuoc"}, BOTH),
    "giai_thuong": ({"chu_tich_nuoc"}, BOTH),
    "ky_niem_chuong": ({"bo_truong"}, IND),
    "bang_khen": ({"thu_tuong", "bo_truong", "ubnd_tinh"}, BOTH),
    "giay_khen": ({HEAD, HUYEN, XA}, BOTH),
    "chien_si_thi_dua_toan_quoc": ({"thu_tuong"}, IND),
    "chien_si_thi_dua_cap_tinh": ({"bo_truong", "ubnd_tinh"}, IND),
    "chien_si_thi_dua_co_so": ({HEAD, HUYEN}, IND),
    "lao_dong_tien_tien": ({HEAD, HUYEN, XA}, IND),
    "co_thi_dua_chinh_phu": ({"thu_tuong"}, COL),
    "co_thi_dua_cap_tinh": ({"bo_truong", "ubnd_tinh"}, COL),
    "tap_the_lao_dong_xuat_sac": ({"bo_truong", "ubnd_tinh"}, COL),
    "tap_the_lao_dong_tien_tien": ({HEAD, HUYEN}, COL),
}
# Luật 2022 Điều 71, 77–80: provinces also grant Kỷ niệm chương; Huy chương only to individuals
# (Điều 54).
LAW_2022 = {
    **LAW_2003,
    "huy_chuong": ({"chu_tich_nuoc"}, IND),
    "ky_niem_chuong": ({"bo_truong", "ubnd_tinh"}, IND),
}
# From 1/7/2025 there is no district level: every grant of the district chair is gone.
LAW_2022_152 = {form: (who - {HUYEN}, to) for form, (who, to) in LAW_2022.items()}

SAMPLE_DAYS = [
    (date(2017, 10, 1), "2003-2013", LAW_2003),
    (date(2020, 12, 11), "2003-2013", LAW_2003),
    (date(2023, 12, 31), "2003-2013", LAW_2003),
    (date(2024, 1, 1), "2022-98", LAW_2022),
    (date(2025, 6, 30), "2022-98", LAW_2022),
    (date(2025, 7, 1), "2022-152", LAW_2022_152),
    (date(2031, 3, 4), "2022-152", LAW_2022_152),
]


def rules(violations: list[Violation]) -> set[str]:
    return {v.rule for v in violations}


# ---------------------------------------------------------------------- versions


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 9, 30), None),
        (date(2017, 10, 1), "2003-2013"),
        (date(2023, 12, 31), "2003-2013"),
        (date(2024, 1, 1), "2022-98"),
        (date(2025, 6, 30), "2022-98"),
        (date(2025, 7, 1), "2022-152"),
        (date(2040, 1, 1), "2022-152"),
    ],
)
def test_the_version_in_force_follows_the_law_of_the_day(day, expected):
    version = version_on(day)
    assert (version["id"] if version else None) == expected


def test_before_the_first_version_nothing_is_allowed():
    found = check(date(2017, 9, 30), "giay_khen", HEAD, "individual")
    assert [v.rule for v in found] == ["no_catalogue"]
    assert "01/10/2017" in found[0].message
    assert "Nghị định 91/2017/NĐ-CP" in found[0].source


# ---------------------------------------------------------------------- every form, both laws


@pytest.mark.parametrize(("day", "version_id", "law"), SAMPLE_DAYS)
@pytest.mark.parametrize("form", FORMS)
def test_every_form_allows_and_refuses_grantors_and_recipients_as_the_law_says(
    day, version_id, law, form
):
    allowed_who, allowed_to = law[form]
    assert version_on(day)["id"] == version_id
    assert set(allowed_grantors(day, form)) == allowed_who
    for grantor in GRANTORS:
        for recipient in ("individual", "collective"):
            expected = set()
            if grantor == HUYEN and day >= date(2025, 7, 1):
                expected.add("grantor_ceased")
            elif grantor not in allowed_who:
                expected.add("grantor_not_allowed")
            if recipient not in allowed_to:
                expected.add("recipient_type_not_allowed")
            found = check(day, form, grantor, recipient)
            assert rules(found) == expected, (day, form, grantor, recipient, found)
            for violation in found:
                assert violation.source.strip(), violation
                assert violation.message == unicodedata.normalize("NFC", violation.message)


@pytest.mark.parametrize(("day", "version_id", "law"), SAMPLE_DAYS)
def test_each_refusal_cites_the_article_the_data_gives(day, version_id, law):
    version = version_on(day)
    for form, spec in version["forms"].items():
        grant_sources = {part for g in spec["grants"] for part in g["source"].split("; ")}
        for grantor in set(GRANTORS) - law[form][0] - {HUYEN}:
            (violation,) = check(day, form, grantor, next(iter(law[form][1])))
            assert set(violation.source.split("; ")) == grant_sources
            assert violation.field == "grantor"
        for recipient in BOTH - law[form][1]:
            (violation,) = check(day, form, next(iter(law[form][0])), recipient)
            assert violation.source == spec["recipients"]["source"]
            assert violation.field == "recipient"


# ---------------------------------------------------------------------- hand-written cases


def test_district_chair_giay_khen_allowed_until_30_june_2025_then_ceased():
    assert check(date(2025, 6, 30), "giay_khen", HUYEN, "individual") == []
    assert check(date(2020, 12, 11), "giay_khen", HUYEN, "collective") == []
    (violation,) = check(date(2025, 7, 1), "giay_khen", HUYEN, "individual")
    assert violation.rule == "grantor_ceased"
    assert violation.field == "grantor"
    assert "Nghị quyết 203/2025/QH15" in violation.source
    assert "01/07/2025" in violation.message
    assert "Chủ tịch Ủy ban nhân dân cấp huyện" in violation.message
    # the commune chair keeps the Giấy khen of Điều 80 khoản 3
    assert check(date(2025, 7, 1), "giay_khen", XA, "individual") == []


@pytest.mark.parametrize(
    ("day", "article"),
    [
        (date(2020, 12, 11), "Luật Thi đua, khen thưởng 2003, Điều 80"),
        (date(2024, 5, 2), "Luật Thi đua, khen thưởng 2022, Điều 80"),
        (date(2025, 9, 2), "Luật Thi đua, khen thưởng 2022, Điều 80"),
    ],
)
def test_a_giay_khen_of_the_prime_minister_is_refused(day, article):
    (violation,) = check(day, "giay_khen", "thu_tuong", "individual")
    assert violation.rule == "grantor_not_allowed"
    assert article in violation.source
    assert "Giấy khen" in violation.message and "Thủ tướng Chính phủ" in violation.message


@pytest.mark.parametrize(
    ("day", "form", "grantor", "article"),
    [
        (
            date(2021, 1, 20),
            "co_thi_dua_cap_tinh",
            "ubnd_tinh",
            "Luật Thi đua, khen thưởng 2003, Điều 26",
        ),
        (
            date(2021, 1, 20),
            "co_thi_dua_chinh_phu",
            "thu_tuong",
            "Luật Thi đua, khen thưởng 2003, Điều 25",
        ),
        (
            date(2024, 1, 1),
            "co_thi_dua_cap_tinh",
            "bo_truong",
            "Luật Thi đua, khen thưởng 2022, Điều 26",
        ),
        (
            date(2025, 7, 1),
            "co_thi_dua_chinh_phu",
            "thu_tuong",
            "Luật Thi đua, khen thưởng 2022, Điều 25",
        ),
    ],
)
def test_a_co_thi_dua_to_an_individual_is_refused(day, form, grantor, article):
    assert check(day, form, grantor, "collective") == []
    (violation,) = check(day, form, grantor, "individual")
    assert violation.rule == "recipient_type_not_allowed"
    assert article in violation.source
    assert "tập thể" in violation.message and "cá nhân" in violation.message


def test_individual_titles_are_refused_to_collectives():
    (violation,) = check(date(2020, 12, 11), "lao_dong_tien_tien", HEAD, "collective")
    assert violation.rule == "recipient_type_not_allowed"
    assert "Luật Thi đua, khen thưởng 2003, Điều 20" in violation.source


def test_province_ky_niem_chuong_only_under_the_2022_law():
    (violation,) = check(date(2023, 12, 31), "ky_niem_chuong", "ubnd_tinh", "individual")
    assert violation.rule == "grantor_not_allowed"
    assert "Luật Thi đua, khen thưởng 2003, Điều 69" in violation.source
    assert check(date(2024, 1, 1), "ky_niem_chuong", "ubnd_tinh", "individual") == []
    (violation,) = check(date(2024, 1, 1), "ky_niem_chuong", "ubnd_tinh", "collective")
    assert "Luật Thi đua, khen thưởng 2022, Điều 71" in violation.source


def test_commune_chair_may_grant_lao_dong_tien_tien_but_not_chien_si_thi_dua_co_so():
    assert check(date(2020, 12, 11), "lao_dong_tien_tien", XA, "individual") == []
    (violation,) = check(date(2020, 12, 11), "chien_si_thi_dua_co_so", XA, "individual")
    assert violation.rule == "grantor_not_allowed"
    assert "Nghị định 91/2017/NĐ-CP, Điều 43" in violation.source


def test_the_seed_002_awards_of_2020_and_2021_are_allowed():
    day = date(2021, 1, 15)
    assert check(day, "bang_khen", "bo_truong", "collective", category="chuyen_de") == []
    assert check(day, "bang_khen", "ubnd_tinh", "individual", category="chuyen_de") == []
    assert check(day, "bang_khen", "thu_tuong", "individual", category="cong_trang") == []
    assert check(day, "co_thi_dua_cap_tinh", "ubnd_tinh", "collective") == []
    assert check(day, "tap_the_lao_dong_xuat_sac", "ubnd_tinh", "collective") == []
    assert check(date(2021, 6, 1), "huan_chuong", "chu_tich_nuoc", "collective") == []


def test_unknown_codes_are_named():
    found = check(date(2021, 1, 15), "huy_hieu", "giam_doc", "family", category="thuong_nien")
    assert rules(found) == {
        "unknown_form",
        "unknown_grantor",
        "unknown_recipient_type",
        "unknown_category",
    }
    assert {v.field for v in found} == {"form", "grantor", "recipient", "category"}
    assert rules(found) <= set(RULES)


# ---------------------------------------------------------------------- prerequisites


def test_chien_si_thi_dua_co_so_needs_lao_dong_tien_tien_the_same_year():
    day = date(2021, 1, 10)
    args = (day, "chien_si_thi_dua_co_so", HEAD, "individual")
    (violation,) = check(*args, history=[], for_year=2020)
    assert violation.rule == "prerequisite_missing"
    assert "Luật Thi đua, khen thưởng 2003, Điều 23 khoản 1" in violation.source
    assert "Lao động tiên tiến" in violation.message
    assert check(*args, history=[("lao_dong_tien_tien", 2019)], for_year=2020)
    assert check(*args, history=[("lao_dong_tien_tien", 2020)], for_year=2020) == []
    assert (
        check(*args, history=[{"form": "lao_dong_tien_tien", "for_year": 2020}], for_year=2020)
        == []
    )
    # without for_year, the year of the decision; a decision date stands for its year
    assert check(*args, history=[("lao_dong_tien_tien", date(2021, 1, 5))]) == []
    # history unknown: the prerequisite is not checked
    assert check(*args) == []


@pytest.mark.parametrize(
    ("years", "ok"),
    [
        ((2018, 2019, 2020), True),
        ((2016, 2017, 2018), True),
        ((2017, 2018, 2020), False),
        ((2019, 2020), False),
        ((2019, 2020, 2021), False),  # 2021 is after the year rewarded
        ((2015, 2017, 2018, 2019, 2020), True),
    ],
)
def test_chien_si_thi_dua_cap_tinh_needs_three_consecutive_co_so(years, ok):
    history = [("chien_si_thi_dua_co_so", y) for y in years] + [("lao_dong_tien_tien", 2020)]
    found = check(
        date(2021, 2, 1),
        "chien_si_thi_dua_cap_tinh",
        "ubnd_tinh",
        "individual",
        history,
        for_year=2020,
    )
    assert (found == []) is ok
    if not ok:
        (violation,) = found
        assert violation.rule == "prerequisite_missing"
        assert violation.source == "Luật Thi đua, khen thưởng 2003, Điều 22"
        assert "03 lần liên tục" in violation.message


def test_chien_si_thi_dua_toan_quoc_needs_two_consecutive_provincial_titles_under_2022_law():
    day = date(2024, 4, 1)
    args = (day, "chien_si_thi_dua_toan_quoc", "thu_tuong", "individual")
    ok = [("chien_si_thi_dua_cap_tinh", 2022), ("chien_si_thi_dua_cap_tinh", 2023)]
    assert check(*args, history=ok, for_year=2023) == []
    (violation,) = check(*args, history=ok[1:], for_year=2023)
    assert violation.rule == "prerequisite_missing"
    assert "Luật Thi đua, khen thưởng 2022, Điều 21" in violation.source
    gap = [("chien_si_thi_dua_cap_tinh", 2021), ("chien_si_thi_dua_cap_tinh", 2023)]
    assert rules(check(*args, history=gap, for_year=2023)) == {"prerequisite_missing"}


def test_prerequisites_are_checked_beside_grantor_rules():
    found = check(date(2025, 7, 1), "chien_si_thi_dua_co_so", HUYEN, "individual", history=[])
    assert rules(found) == {"grantor_ceased", "prerequisite_missing"}


# ---------------------------------------------------------------------- the data itself


def test_the_packaged_catalogue_is_well_formed_and_every_rule_cited():
    assert validate_catalogue(load_catalogue()) == []


@pytest.mark.parametrize("version", load_catalogue()["versions"], ids=lambda v: v["id"])
def test_every_version_carries_every_contract_code(version):
    assert set(version["forms"]) == set(FORMS)
    assert set(version["grantors"]) == set(GRANTORS)
    assert {c["code"] for c in version["categories"]} == CATEGORIES
    assert version["grantors"]["bo_truong"]["bodies_required"] is True
    kinds = {code: spec["kind"] for code, spec in version["forms"].items()}
    assert {c for c, k in kinds.items() if k == "commendation"} == set(FORMS[:7])
    legal = ("Luật", "Nghị định", "Nghị quyết", "Thông tư")
    for spec in version["forms"].values():
        cited = [g["source"] for g in spec["grants"]] + [spec["recipients"]["source"]]
        cited += [p["source"] for p in spec["prerequisites"]]
        for source in cited:
            assert source.startswith(legal) and "Điều" in source, source


def test_labels_are_composed_vietnamese():
    raw = json.dumps(load_catalogue(), ensure_ascii=False)
    assert raw == unicodedata.normalize("NFC", raw)
    version = version_on(date(2024, 1, 1))
    assert version["forms"]["giay_khen"]["label"] == "Giấy khen"
    assert version["forms"]["tap_the_lao_dong_xuat_sac"]["label"] == "Tập thể lao động xuất sắc"
    assert version["grantors"]["chu_tich_nuoc"]["label"] == "Chủ tịch nước"


def test_validation_finds_an_uncited_rule_and_a_gap_between_versions():
    catalogue = copy.deepcopy(load_catalogue())
    catalogue["versions"][1]["forms"]["giay_khen"]["grants"][0]["source"] = ""
    catalogue["versions"][2]["from"] = "2025-07-02"
    problems = validate_catalogue(catalogue)
    assert any("uncited" in p for p in problems)
    assert any("does not start the day after" in p for p in problems)


def test_a_new_decree_is_a_new_version_of_data_not_code(tmp_path):
    catalogue = copy.deepcopy(load_catalogue())
    last = catalogue["versions"][-1]
    last["to"] = "2029-12-31"
    future = copy.deepcopy(last)
    future.update(id="future", to=None, law=["Nghị định giả định, Điều 1"])
    future["forms"]["giay_khen"]["grants"] = [
        g for g in future["forms"]["giay_khen"]["grants"] if g["grantor"] != XA
    ]
    future["from"] = "2030-01-01"
    catalogue["versions"].append(future)
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue, ensure_ascii=False), "utf-8")
    loaded = load_catalogue(path)
    assert validate_catalogue(loaded) == []
    assert check(date(2029, 12, 31), "giay_khen", XA, "individual", catalogue=loaded) == []
    (violation,) = check(date(2030, 1, 1), "giay_khen", XA, "individual", catalogue=loaded)
    assert violation.rule == "grantor_not_allowed"
    assert "future" in violation.message
