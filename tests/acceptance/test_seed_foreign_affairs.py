"""Seeds 001–004: every foreign-affairs figure they state comes out of `ngoaivu report
foreign-affairs` over the sample records imported through the product. One case per figure,
each naming its seed and quoting its sentence."""

from __future__ import annotations

import json
from functools import cache

import pytest

from tests.conftest import SAMPLES, Cli

FILES = {
    "001": ["001_ha_tinh_foreign_affairs_2021_03.jsonl"],
    "002": ["002_ha_tinh_foreign_affairs_2021_h1.jsonl"],
    "003": ["003_ha_tinh_foreign_affairs_2022.jsonl"],
    "004": ["004_gia_lai_foreign_affairs_2020.jsonl"],
}
ASKED = {
    "001": ("ha-tinh", "2021-03", "2021-03-14"),
    "002": ("ha-tinh", "2021-H1", "2021-06-14"),
    "003": ("ha-tinh", "2022", "2022-11-24"),
    "003@07/11": ("ha-tinh", "2022", "2022-11-07"),
    "004": ("gia-lai", "2020", "2020-11-20"),
}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory):
    """One installation per seed (each file alone reproduces its seed); reports cached."""
    clis: dict[str, Cli] = {}
    for seed, names in FILES.items():
        cli = Cli(
            {"NGOAIVU_DATA": str(tmp_path_factory.mktemp(seed) / "var"), "NGOAIVU_ACTOR": "tester"}
        )
        for name in names:
            result = cli("import", "--backfill", "--quiet", str(SAMPLES / name))
            assert result.exit_code == 0, result.output
        clis[seed] = cli

    @cache
    def get(key: str) -> dict:
        org, period, as_of = ASKED[key]
        result = clis[key.split("@")[0]](
            "report", "foreign-affairs", "--org", org, "--period", period, "--as-of", as_of
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return get


def at(report: dict, path: str):
    value = report
    for key in path.split("/"):
        value = value[key]
    return value


CASES = [
    ("001", "activity/translation.pages/value", 256, "Thực hiện 256 trang biên dịch các loại"),
    (
        "001",
        "activity/translation.pages/detail",
        {"certified": 85, "centre_certified": 82, "content": 88, "proofread": 1},
        "85 trang biên dịch có chứng thực tư pháp, 82 trang biên dịch chứng nhận tại Trung tâm; "
        "88 trang biên dịch nội dung; 01 trang hiệu đính nội dung",
    ),
    (
        "001",
        "activity/consular.dossiers/value",
        1,
        "Hợp pháp hóa lãnh sự tại cơ quan đại diện ngoại giao nước ngoài: 01 hồ sơ",
    ),
    (
        "001",
        "activity/conference.permits/value",
        4,
        "04 hồ sơ cho phép tổ chức hội nghị, hội thảo quốc tế",
    ),
    ("002", "outbound/delegations", 0, "tỉnh không tổ chức đoàn CBCC đi công tác nước ngoài"),
    ("002", "inbound/delegations", 15, "tiếp đón 15 đoàn với 179 lượt khách quốc tế"),
    ("002", "inbound/people", 179, "tiếp đón 15 đoàn với 179 lượt khách quốc tế"),
    ("002", "conferences/count", 8, "tổ chức 08 hội thảo quốc tế"),
    ("002", "conferences/previous", 1, "(tăng 07 hội thảo so với cùng kỳ năm 2020)"),
    ("002", "aid/disbursed_usd", 680_000, "giá trị giải ngân là 680.000 USD"),
    ("002", "activity/translation.pages/value", 2139, "đã thực hiện 2.139 trang biên dịch"),
    (
        "002",
        "activity/consular.dossiers/value",
        11,
        "11 hồ sơ đề nghị chứng nhận lãnh sự, hợp pháp hóa lãnh sự",
    ),
    (
        "002",
        "activity/admin.on_time/value",
        39,
        "tiếp nhận và xử lý 39 thủ tục hành chính đảm bảo thời gian",
    ),
    (
        "002",
        "activity/citizen_protection.cases/value",
        9,
        "xử lý 09 vụ việc liên quan đến công tác lãnh sự và bảo hộ công dân",
    ),
    ("003", "outbound/delegations", 49, "có 49 đoàn với 275 lượt CBCCVN đi công tác nước ngoài"),
    ("003", "outbound/people", 275, "có 49 đoàn với 275 lượt CBCCVN đi công tác nước ngoài"),
    (
        "003",
        "outbound/by_funding",
        {"state_budget": 19, "self_funded": 10, "central": 7, "partner": 13, "unknown": 0},
        "19 đoàn sử dụng ngân sách Nhà nước, 10 đoàn tự túc kinh phí, 07 đoàn do Trung ương đài "
        "thọ, 13 đoàn do đối tác đài thọ",
    ),
    (
        "003",
        "outbound/by_approval",
        {"province": 44, "central": 5, "unknown": 0},
        "44 đoàn thuộc thẩm quyền tỉnh phê duyệt, 05 đoàn thuộc thẩm quyền Trung ương phê duyệt",
    ),
    ("003@07/11", "outbound/delegations", 49, "Tính đến ngày 07/11/2022, có 49 đoàn"),
    ("003@07/11", "outbound/people", 275, "Tính đến ngày 07/11/2022, có … 275 lượt"),
    (
        "003",
        "outbound/plan",
        {"items": 8, "done": 5, "rate_percent": 63},
        "Thực hiện 05/08 (tỷ lệ 63%) các đoàn ra theo kế hoạch",
    ),
    ("003", "outbound/unplanned", 2, "Trong năm có 02 đoàn phát sinh ngoài kế hoạch"),
    ("003", "inbound/delegations", 28, "Đoàn vào có 28 đoàn với 479 lượt khách quốc tế"),
    ("003", "inbound/people", 479, "Đoàn vào có 28 đoàn với 479 lượt khách quốc tế"),
    ("003", "inbound/received_by_leaders", 9, "trong đó có 09 đoàn do lãnh đạo tỉnh đón tiếp"),
    ("003", "conferences/count", 21, "tổ chức 21 hội thảo quốc tế"),
    ("003", "conferences/previous", 15, "(tăng 6 hội thảo so với năm 2021)"),
    (
        "003",
        "agreements/by_level",
        {"province": 3, "agency": 11, "unknown": 0},
        "3 thoả thuận nhân danh cấp tỉnh và 11 thoả thuận nhân danh các cơ quan",
    ),
    ("003", "activity/admin.dossiers/value", 99, "Tiếp nhận, xử lý và trả kết quả 99 hồ sơ"),
    (
        "003",
        "activity/admin.dossiers/detail",
        {"passports": 25, "consular": 62, "conference_permits": 12},
        "25 hồ sơ Cấp hộ chiếu ngoại giao, hộ chiếu công vụ …; 62 hồ sơ Chứng nhận lãnh sự, Hợp "
        "pháp hóa lãnh sự; 12 hồ sơ Cho phép tổ chức hội nghị, hội thảo quốc tế",
    ),
    ("004", "outbound/delegations", 4, "Có 04 đoàn/27 lượt cán bộ, công chức, viên chức"),
    ("004", "outbound/people", 27, "Có 04 đoàn/27 lượt cán bộ, công chức, viên chức"),
    ("004", "inbound/delegations", 44, "Có 44 đoàn/213 lượt khách nước ngoài"),
    ("004", "inbound/people", 213, "Có 44 đoàn/213 lượt khách nước ngoài"),
]


@pytest.mark.parametrize(
    ("seed", "path", "expected", "quote"), CASES, ids=[f"seed{c[0]}:{c[1]}" for c in CASES]
)
def test_figure(reports, seed: str, path: str, expected, quote: str) -> None:
    """Each case: the seed, the figure's place in the report JSON, the value, the seed's words."""
    assert at(reports(seed), path) == expected, quote


def test_seed_002_aid_committed_rounds_to_nearly_950000(reports) -> None:
    """Seed 002: "giá trị cam kết … đạt gần 950.000 USD": the exact records are 948.500 USD."""
    committed = reports("002")["aid"]["committed_usd"]
    assert committed < 950_000 and round(committed, -4) == 950_000


def test_seed_002_translation_grew_35_percent(reports) -> None:
    """Seed 002: "2.139 trang biên dịch các loại (tăng 35% so với cùng kỳ năm 2020)"."""
    from projections.reports.foreign_affairs import percent

    entry = reports("002")["activity"]["translation.pages"]
    assert percent(entry["value"] - entry["previous"], entry["previous"]) == 35


def test_seed_003_agreements_contradict_themselves(reports) -> None:
    """Seed 003: "ký kết 13 Thỏa thuận quốc tế, trong đó có 3 … và 11 …": 3 + 11 = 14. Records
    can give only one total: the report says 14, the sum of its parts, not the seed's 13."""
    agreements = reports("003")["agreements"]
    assert agreements["count"] == 14 == 3 + 11


def test_seed_004_down_47_and_51_on_2019(reports) -> None:
    """Seed 004: "(giảm 47 đoàn/272 lượt so với cùng kỳ năm 2019)" and "(giảm 51 đoàn/379 lượt
    so với cùng kỳ năm 2019)": the differences with the same window of 2019."""
    body = reports("004")
    out, inn = body["outbound"], body["inbound"]
    assert (
        out["previous"]["delegations"] - out["delegations"],
        out["previous"]["people"] - out["people"],
    ) == (47, 272)
    assert (
        inn["previous"]["delegations"] - inn["delegations"],
        inn["previous"]["people"] - inn["people"],
    ) == (51, 379)
