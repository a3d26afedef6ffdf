"""Seed 002 (six-month emulation and commendation report, Hà Tĩnh, 2021): every figure it states
about awards, proposals and movements comes out of records imported through the product."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES, Cli


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    data = tmp_path_factory.mktemp("seed002")
    cli = Cli({"NGOAIVU_DATA": str(data / "var"), "NGOAIVU_ACTOR": "tester"})
    result = cli("import", "--backfill", "--quiet", str(SAMPLES / "002_ha_tinh_emulation.jsonl"))
    assert result.exit_code == 0, result.output
    return cli


def report(cli: Cli, period: str) -> dict:
    result = cli(
        "report", "emulation", "--org", "ha-tinh", "--period", period, "--as-of", "2021-06-14"
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def granted(cli: Cli) -> list[dict]:
    return report(cli, "2020")["awards"]


def test_department_bang_khen_chuyen_de_from_ministry_and_province(seeded: Cli) -> None:
    """Seed: "Năm 2020, tập thể Sở Ngoại vụ được Bộ Ngoại giao, UBND tỉnh tặng Bằng khen
    chuyên đề"."""
    found = [
        a
        for a in granted(seeded)
        if a["recipient"]["name"] == "Sở Ngoại vụ tỉnh Hà Tĩnh"
        and a["form"] == "bang_khen"
        and a["category"] == "chuyen_de"
    ]
    assert sorted((a["grantor"], a["body"]) for a in found) == [
        ("bo_truong", "Bộ Ngoại giao"),
        ("ubnd_tinh", None),
    ]


def test_one_individual_with_the_prime_ministers_bang_khen(seeded: Cli) -> None:
    """Seed: "01 cá nhân được Thủ tướng Chính phủ tặng Bằng khen"."""
    found = [a for a in granted(seeded) if a["grantor"] == "thu_tuong"]
    assert len(found) == 1
    assert found[0]["form"] == "bang_khen" and found[0]["recipient"]["type"] == "individual"


def test_seven_thematic_bang_khen_to_staff(seeded: Cli) -> None:
    """Seed: "07 lượt CBCCVV được Bộ Ngoại giao và UBND tỉnh tặng Bằng khen chuyên đề"."""
    found = [
        a
        for a in granted(seeded)
        if a["recipient"]["type"] == "individual" and a["category"] == "chuyen_de"
    ]
    assert len(found) == 7
    assert {a["grantor"] for a in found} == {"bo_truong", "ubnd_tinh"}


def test_annual_achievements_of_2020(seeded: Cli) -> None:
    """Seed: "UBND tỉnh tặng Cờ thi đua xuất sắc cho tập thể Sở; 01 phòng chuyên môn được UBND tỉnh
    Bằng
    khen, 01 phòng chuyên môn đạt danh hiệu “tập thể lao động xuất sắc”; 03 cá nhân được UBND tỉnh
    tặng Bằng khen"."""
    annual = [a for a in granted(seeded) if a["for_year"] == 2020]
    assert all(a["grantor"] == "ubnd_tinh" for a in annual)
    forms = sorted((a["form"], a["recipient"]["type"]) for a in annual)
    assert forms == sorted(
        [
            ("co_thi_dua_cap_tinh", "collective"),
            ("bang_khen", "collective"),
            ("tap_the_lao_dong_xuat_sac", "collective"),
        ]
        + [("bang_khen", "individual")] * 3
    )


def test_breakdowns_add_up_to_the_awards_of_2020(seeded: Cli) -> None:
    """The year's breakdowns count each granted award once: 2 + 1 + 7 + 1 + 1 + 1 + 3 = 16."""
    body = report(seeded, "2020")
    assert len(body["awards"]) == 16
    for key in ("by_form", "by_grantor", "by_recipient_type", "by_category"):
        assert sum(body[key].values()) == 16, key
    assert body["by_form"]["bang_khen"] == 14
    assert body["by_grantor"] == {
        **dict.fromkeys(body["by_grantor"], 0),
        "bo_truong": 5,
        "thu_tuong": 1,
        "ubnd_tinh": 10,
    }


def test_two_pending_proposals(seeded: Cli) -> None:
    """Seed: "Hoàn thiện hồ sơ trình Chủ tịch nước tặng Huân chương Lao động hạng Nhì cho tập thể Sở
    Ngoại vụ. Đề xuất UBND tỉnh tặng Bằng khen cho Sở đã có thành tích trong thực hiện công tác vì
    sự tiến bộ phụ nữ giai đoạn 2011-2020"."""
    pending = report(seeded, "2021-H1")["proposed"]
    assert sorted((p["form"], p["grantor"]) for p in pending) == [
        ("bang_khen", "ubnd_tinh"),
        ("huan_chuong", "chu_tich_nuoc"),
    ]
    assert any("hạng Nhì" in p["title"] for p in pending)
    assert any("tiến bộ phụ nữ giai đoạn 2011-2020" in p["title"] for p in pending)


def test_movement_and_its_two_phases_of_2021(seeded: Cli) -> None:
    """Seed: "thời gian phát động chia làm hai đợt, trong đó: đợt 1 từ đầu năm đến 19/5/2021 …
    Đợt 2: Từ
    đầu tháng 6/2021 đến 31/12/2021"."""
    movements = {m["id"]: m for m in report(seeded, "2021-H1")["movements"]}
    phases = movements["PTTD-2021"]["phases"]
    assert [(p["from"], p["to"]) for p in phases] == [
        ("2021-01-01", "2021-05-19"),
        ("2021-06-01", "2021-12-31"),
    ]
    assert movements["PTTD-2021"]["ref"] == "84/KH-SNgV"


def test_a_grant_the_catalogue_forbids_is_refused_with_its_source(seeded: Cli) -> None:
    """A Giấy khen from the Prime Minister breaks the catalogue in force: exit 2, rule cited."""
    line = {
        "kind": "award.granted",
        "org": "ha-tinh",
        "at": "2021-01-20",
        "id": "SAI-1",
        "form": "giay_khen",
        "grantor": "thu_tuong",
        "category": "cong_trang",
        "recipient": {"type": "individual", "name": "X"},
    }
    result = seeded("import", "-", input=json.dumps(line, ensure_ascii=False) + "\n")
    assert result.exit_code == 2
    assert "dòng 1" in result.stderr and "Điều" in result.stderr
    irregular = {**line, "id": "SAI-2", "irregular": True, "reason": "hồ sơ giấy năm 2021"}
    result = seeded("import", "-", input=json.dumps(irregular, ensure_ascii=False) + "\n")
    assert result.exit_code == 0, result.output
    listed = seeded(
        "report", "award-irregular", "--org", "ha-tinh", "--period", "2021", "--known-by", "now"
    )
    ids = [a["id"] for a in json.loads(listed.stdout)["awards"]]
    assert "SAI-2" in ids and "SAI-1" not in ids
