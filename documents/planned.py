"""Keys the report JSON does not have yet, that the seed drafts need (documents/SEED_FIGURES.md).

A draft naming one of these passes the check only with `planned=PLANNED`; the seed measure feeds
the seed's stated figure in its place. When a kind or key is added to a report builder, its entry
moves from here to documents/shapes.py (a test fails while a real report already has it)."""

from __future__ import annotations

from documents.shapes import (
    BOOL,
    DATE,
    DATE_OR_NULL,
    INT,
    INT_OR_NULL,
    STR,
    STR_OR_NULL,
    ListOf,
    Obj,
    obj,
)
from domain.metrics import Metric

# New activity metrics (domain/metrics.py): counted like the others, month by month.
METRICS = (
    Metric(
        "ngo.registrations", "Tổ chức phi chính phủ nước ngoài được cấp, bổ sung đăng ký", "tổ chức"
    ),
    Metric("ngo.registrations_new", "Tổ chức phi chính phủ nước ngoài đăng ký mới", "tổ chức"),
    Metric("ngo.projects_approved", "Chương trình, dự án phi chính phủ được phê duyệt", "dự án"),
    Metric("ngo.project_documents", "Văn kiện dự án viện trợ được góp ý", "văn kiện"),
    Metric("ngo.projects_extended", "Dự án viện trợ được gia hạn", "dự án"),
    Metric("fdi.dossiers", "Hồ sơ dự án đầu tư nước ngoài được góp ý", "hồ sơ"),
    Metric(
        "remains.repatriated", "Hài cốt liệt sỹ, quân tình nguyện được tiếp nhận về nước", "hài cốt"
    ),
    Metric("scholarships.granted", "Học bổng cấp cho học sinh, cán bộ Lào", "suất"),
    Metric("scholarships.quota", "Chỉ tiêu học bổng năm học tới", "chỉ tiêu"),
    Metric("consular.documents", "Văn bản hợp pháp hóa, chứng nhận lãnh sự", "văn bản"),
    Metric("foreigners.exit_assisted", "Người nước ngoài được hỗ trợ xuất cảnh về nước", "người"),
    Metric("students.entry_assisted", "Lưu học sinh được hỗ trợ nhập cảnh, cách ly", "trường hợp"),
    Metric("students.visas", "Học sinh được ủy quyền gia hạn thị thực", "học sinh"),
    Metric("abtc.approved", "Trường hợp được cho phép sử dụng thẻ ABTC", "trường hợp"),
    Metric("foreign_workers.cleared", "Chuyên gia nước ngoài được giải quyết nhập cảnh", "người"),
    Metric("illegal_entry.cases", "Trường hợp nhập cảnh trái phép được thông báo", "trường hợp"),
)


def _metric(metric: Metric) -> Obj:
    detail = obj(dict.fromkeys(metric.detail, INT), nullable=True)
    return obj({"value": INT_OR_NULL, "detail": detail, "previous": INT_OR_NULL})


PLANNED: dict[str, Obj] = {
    "key-tasks": obj(
        {
            # the programme.adopted fact: its document and day ("công văn số 53/SNgV-VP ngày
            # 04/02/2020")
            "adopted": obj({"title": STR, "ref": STR_OR_NULL, "on": DATE}, nullable=True),
            "tasks": ListOf(
                obj(
                    {
                        "status_on": DATE_OR_NULL,  # the day of the status in force
                        "no_inferred": BOOL,  # task.added's extension key (seed 000: 18, 19)
                    }
                )
            ),
        }
    ),
    "assigned-tasks": obj(
        {
            "tasks": ListOf(obj({"ref": STR_OR_NULL})),  # the completing fact's document
        }
    ),
    "foreign-affairs": obj(
        {
            "activity": obj({m.code: _metric(m) for m in METRICS}),
        }
    ),
}
