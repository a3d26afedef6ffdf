"""The catalogue of monthly activity counts (số liệu hoạt động): codes, labels, sub-counts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """A counted activity: its code, Vietnamese label, unit and the sub-counts it may split into."""

    code: str
    label: str
    unit: str
    detail: tuple[str, ...] = ()


# Data, not code: a new metric is a new line here. Sub-count codes are stable.
CATALOGUE: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric(
            "translation.pages",
            "Biên dịch",
            "trang",
            ("certified", "centre_certified", "content", "proofread"),
        ),
        Metric(
            "consular.dossiers",
            "Hồ sơ chứng nhận lãnh sự, hợp pháp hóa lãnh sự",
            "hồ sơ",
            ("certification", "legalisation"),
        ),
        Metric(
            "passports.dossiers",
            "Hồ sơ hộ chiếu ngoại giao, công vụ",
            "hồ sơ",
            ("diplomatic", "official"),
        ),
        Metric("conference.permits", "Hồ sơ cấp phép tổ chức hội nghị, hội thảo quốc tế", "hồ sơ"),
        Metric(
            "admin.dossiers",
            "Hồ sơ thủ tục hành chính tiếp nhận",
            "hồ sơ",
            ("passports", "consular", "conference_permits"),
        ),
        Metric("admin.on_time", "Thủ tục hành chính giải quyết đúng hạn", "hồ sơ"),
        Metric("citizen_protection.cases", "Vụ việc lãnh sự, bảo hộ công dân", "vụ việc"),
        Metric("foreign_element.cases", "Vụ việc có yếu tố nước ngoài", "vụ việc"),
    )
}
# The metrics of foreign-affairs format 1: its reprints list exactly these, whatever is added.
FORMAT1_CODES = (
    "translation.pages",
    "consular.dossiers",
    "passports.dossiers",
    "conference.permits",
    "admin.dossiers",
    "admin.on_time",
    "citizen_protection.cases",
    "foreign_element.cases",
)
DETAIL_LABELS = {
    "certified": "dịch công chứng",
    "centre_certified": "dịch có xác nhận của Trung tâm",
    "content": "dịch nội dung",
    "proofread": "hiệu đính",
    "certification": "chứng nhận lãnh sự",
    "legalisation": "hợp pháp hóa lãnh sự",
    "diplomatic": "hộ chiếu ngoại giao",
    "official": "hộ chiếu công vụ",
    "passports": "hộ chiếu",
    "consular": "lãnh sự",
    "conference_permits": "cấp phép hội nghị, hội thảo",
}
