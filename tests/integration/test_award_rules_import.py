"""Awards on import: the catalogue in force on the award's date, prerequisites from the
recipient's history (stored or in the same file), and irregular records kept for the inspector."""

from __future__ import annotations

import json

from tests.conftest import Cli

ORG = {"kind": "org.registered", "org": "ha-tinh", "at": "2019-01-01", "name": "Sở Ngoại vụ"}
PERSON = {
    "kind": "person.registered",
    "org": "ha-tinh",
    "at": "2019-01-01",
    "id": "p1",
    "name": "Nguyễn Văn A",
}
RECIPIENT = {"type": "individual", "name": "Nguyễn Văn A", "person": "p1"}


def grant(id: str, form: str, at: str, **extra) -> dict:
    return {
        "kind": "award.granted",
        "org": "ha-tinh",
        "at": at,
        "id": id,
        "form": form,
        "grantor": "thu_truong_co_quan",
        "recipient": RECIPIENT,
        "category": "cong_trang",
        "for_year": 2021,
        "ref": f"{id}/QĐ-SNgV",
        **extra,
    }


def lines(*rows: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def test_chien_si_co_so_without_lao_dong_tien_tien_is_refused_with_its_article(cli: Cli) -> None:
    result = cli(
        "import", "-", input=lines(ORG, PERSON, grant("CS", "chien_si_thi_dua_co_so", "2021-12-20"))
    )
    assert result.exit_code == 2
    assert "dòng 3" in result.stderr and "prerequisite_missing" in result.stderr
    assert "Điều 23" in result.stderr
    assert cli.runtime().app.head() == 0


def test_the_prerequisite_may_stand_in_the_same_file(cli: Cli) -> None:
    result = cli(
        "import",
        "-",
        input=lines(
            ORG,
            PERSON,
            grant("CS", "chien_si_thi_dua_co_so", "2021-12-20"),
            grant("LD", "lao_dong_tien_tien", "2021-12-15"),
        ),
    )
    assert result.exit_code == 0, result.output


def test_the_prerequisite_may_be_stored_already(cli: Cli) -> None:
    first = cli(
        "import", "-", input=lines(ORG, PERSON, grant("LD", "lao_dong_tien_tien", "2021-12-15"))
    )
    assert first.exit_code == 0, first.output
    second = cli("import", "-", input=lines(grant("CS", "chien_si_thi_dua_co_so", "2021-12-20")))
    assert second.exit_code == 0, second.output


def test_a_district_chair_grants_no_giay_khen_from_1_july_2025(cli: Cli) -> None:
    def giay_khen(id: str, at: str) -> dict:
        return {
            "kind": "award.granted",
            "org": "ha-tinh",
            "at": at,
            "id": id,
            "form": "giay_khen",
            "grantor": "chu_tich_ubnd_huyen",
            "category": "cong_trang",
            "recipient": {"type": "individual", "name": "B"},
            "ref": f"{id}/QĐ-UBND",
        }

    before = cli("import", "-", input=lines(ORG, giay_khen("G1", "2025-06-30")))
    assert before.exit_code == 0, before.output
    after = cli("import", "-", input=lines(giay_khen("G2", "2025-07-01")))
    assert after.exit_code == 2 and "grantor_ceased" in after.stderr


def test_an_irregular_historical_award_is_kept_and_listed(cli: Cli) -> None:
    bad = {
        "kind": "award.granted",
        "org": "ha-tinh",
        "at": "2021-03-01",
        "id": "X",
        "form": "co_thi_dua_cap_tinh",
        "grantor": "ubnd_tinh",
        "category": "cong_trang",
        "recipient": {"type": "individual", "name": "C"},
    }
    refused = cli("import", "-", input=lines(ORG, bad))
    assert refused.exit_code == 2 and "recipient" in refused.stderr
    kept = cli(
        "import",
        "-",
        input=lines(ORG, {**bad, "irregular": True, "reason": "hồ sơ giấy, cấp sai đối tượng"}),
    )
    assert kept.exit_code == 0, kept.output
    register = cli(
        "report",
        "award-irregular",
        "--org",
        "ha-tinh",
        "--period",
        "2021",
        "--as-of",
        "2021-12-31",
        "--known-by",
        "now",
    )
    listed = json.loads(register.stdout)["awards"]
    assert [(a["id"], a["problems"]) for a in listed] == [("X", ["irregular", "no_decision"])]


def test_an_irregular_award_is_corrected_without_restating_its_reason(cli: Cli) -> None:
    # The award's reason is the event's own field, not a key of its data: re-validating the
    # corrected fact must see it, or every correction of an irregular award would be refused.
    kept = {
        "kind": "award.granted",
        "org": "ha-tinh",
        "at": "2021-03-01",
        "id": "X",
        "form": "co_thi_dua_cap_tinh",
        "grantor": "ubnd_tinh",
        "category": "cong_trang",
        "recipient": {"type": "individual", "name": "C"},
        "irregular": True,
        "reason": "hồ sơ giấy, cấp sai đối tượng",
    }
    assert cli("import", "-", input=lines(ORG, kept)).exit_code == 0
    fix = {
        "kind": "record.corrected",
        "org": "ha-tinh",
        "target": "award:X",
        "set": {"ref": "12/QĐ-UBND"},
        "reason": "bổ sung số quyết định theo hồ sơ giấy",
    }
    corrected = cli("import", "-", input=lines(fix))
    assert corrected.exit_code == 0, corrected.output
    register = cli(
        "report",
        "award-irregular",
        "--org",
        "ha-tinh",
        "--period",
        "2021",
        "--as-of",
        "2021-12-31",
        "--known-by",
        "now",
    )
    (award,) = json.loads(register.stdout)["awards"]
    assert award["ref"] == "12/QĐ-UBND"
    assert award["irregular_reason"] == "hồ sơ giấy, cấp sai đối tượng"
    assert award["problems"] == ["irregular"]
