"""The Vietnamese words of the report codes, by family, for the `label` filter of draft bodies."""

from __future__ import annotations

from domain.codes import FORM_NAMES, GRANTOR_NAMES
from domain.metrics import CATALOGUE, DETAIL_LABELS
from domain.statuses import LABELS_VI

# Data, not code: a family is a code list of the report JSON (shapes.code(family)).
LABELS: dict[str, dict[str, str]] = {
    "status": dict(LABELS_VI),
    "outcome": {
        "completed_on_time": "hoàn thành trong hạn",
        "completed_late": "hoàn thành quá hạn",
        "not_completed_on_time": "chưa hoàn thành trong hạn",
        "in_progress": "đang triển khai",
        "cancelled": "hủy bỏ hoặc điều chỉnh",
    },
    "form": dict(FORM_NAMES),
    "grantor": dict(GRANTOR_NAMES),
    "category": {
        "cong_trang": "thành tích công trạng",
        "chuyen_de": "chuyên đề",
        "dot_xuat": "đột xuất",
        "cong_hien": "quá trình cống hiến",
        "nien_han": "niên hạn",
        "doi_ngoai": "đối ngoại",
    },
    "recipient_type": {"individual": "cá nhân", "collective": "tập thể"},
    "stage": {
        "proposed": "đề nghị",
        "submitted": "đã trình",
        "granted": "đã khen thưởng",
        "rejected": "không được khen thưởng",
        "withdrawn": "rút đề nghị",
    },
    "launched_by": {
        "ministry": "Bộ",
        "province": "tỉnh",
        "department": "Sở",
        "bloc": "Khối thi đua",
        "cluster": "Cụm thi đua",
    },
    "funding": {
        "state_budget": "ngân sách Nhà nước",
        "self_funded": "tự túc kinh phí",
        "central": "Trung ương đài thọ",
        "partner": "đối tác đài thọ",
        "unknown": "chưa rõ nguồn kinh phí",
    },
    "approval": {
        "province": "thẩm quyền tỉnh",
        "central": "thẩm quyền Trung ương",
        "unknown": "chưa rõ thẩm quyền",
    },
    "level": {
        "province": "nhân danh cấp tỉnh",
        "agency": "nhân danh các cơ quan, tổ chức, đơn vị trực thuộc",
        "unknown": "chưa rõ cấp ký",
    },
    "metric": {code: metric.label for code, metric in CATALOGUE.items()},
    "detail": dict(DETAIL_LABELS),
}
