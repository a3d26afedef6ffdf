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
        # Issue 14 (documents/SEED_FIGURES.md): what the seeds count that had no metric.
        Metric(
            "ngo.registrations",
            "Tổ chức phi chính phủ nước ngoài được cấp, bổ sung đăng ký",
            "tổ chức",
        ),
        Metric("ngo.registrations_new", "Tổ chức phi chính phủ nước ngoài đăng ký mới", "tổ chức"),
        Metric(
            "ngo.projects_approved", "Chương trình, dự án phi chính phủ được phê duyệt", "dự án"
        ),
        Metric("ngo.project_documents", "Văn kiện dự án viện trợ được góp ý", "văn kiện"),
        Metric("ngo.projects_extended", "Dự án viện trợ được gia hạn", "dự án"),
        Metric("fdi.dossiers", "Hồ sơ dự án đầu tư nước ngoài được góp ý", "hồ sơ"),
        Metric(
            "remains.repatriated",
            "Hài cốt liệt sỹ, quân tình nguyện được tiếp nhận về nước",
            "hài cốt",
        ),
        Metric("scholarships.granted", "Học bổng cấp cho học sinh, cán bộ Lào", "suất"),
        Metric("scholarships.quota", "Chỉ tiêu học bổng năm học tới", "chỉ tiêu"),
        Metric("consular.documents", "Văn bản hợp pháp hóa, chứng nhận lãnh sự", "văn bản"),
        Metric(
            "foreigners.exit_assisted", "Người nước ngoài được hỗ trợ xuất cảnh về nước", "người"
        ),
        Metric(
            "students.entry_assisted", "Lưu học sinh được hỗ trợ nhập cảnh, cách ly", "trường hợp"
        ),
        Metric("students.visas", "Học sinh được ủy quyền gia hạn thị thực", "học sinh"),
        Metric("abtc.approved", "Trường hợp được cho phép sử dụng thẻ ABTC", "trường hợp"),
        Metric(
            "foreign_workers.cleared", "Chuyên gia nước ngoài được giải quyết nhập cảnh", "người"
        ),
        Metric(
            "illegal_entry.cases", "Trường hợp nhập cảnh trái phép được thông báo", "trường hợp"
        ),
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
