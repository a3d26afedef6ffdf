"""The Vietnamese words of the report codes, by family, for the `label` filter of draft bodies."""

from __future__ import annotations

from domain.codes import EMULATION_TITLES, FORM_NAMES, GRANTOR_NAMES
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
    # a form inside a sentence: a title (danh hiệu) takes the word, a flag or an order does not
    # ("tặng danh hiệu Lao động tiên tiến", "tặng Cờ thi đua xuất sắc")
    "award": {
        code: f"danh hiệu {name}"
        if code in EMULATION_TITLES and not code.startswith("co_thi_dua")
        else name
        for code, name in FORM_NAMES.items()
    },
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
    "problem": {
        "irregular": "không đúng danh mục khen thưởng",
        "no_decision": "chưa ghi số quyết định",
    },
    "metric": {code: metric.label for code, metric in CATALOGUE.items()},
    "detail": dict(DETAIL_LABELS),
}

# Families that word the codes of another one: `award` writes a `form` inside a sentence.
SAME_CODES: dict[str, str] = {"award": "form"}

# The phrases of a breakdown's codes after their count and unit (the `breakdown` filter), as the
# seeds write them: "19 đoàn sử dụng ngân sách Nhà nước", "44 đoàn thuộc thẩm quyền tỉnh phê
# duyệt", "03 thỏa thuận nhân danh cấp tỉnh". `unknown` has none: it is never written.
PHRASES: dict[str, dict[str, str]] = {
    "funding": {
        "state_budget": "sử dụng ngân sách Nhà nước",
        "self_funded": "tự túc kinh phí",
        "central": "do Trung ương đài thọ",
        "partner": "do đối tác đài thọ",
    },
    "approval": {
        "province": "thuộc thẩm quyền tỉnh phê duyệt",
        "central": "thuộc thẩm quyền Trung ương phê duyệt",
    },
    "level": {
        "province": "nhân danh cấp tỉnh",
        "agency": "nhân danh các cơ quan, tổ chức, đơn vị trực thuộc",
    },
    # an activity metric's sub-counts, in the terms of seed 001 ("85 trang biên dịch có chứng
    # thực", "04 hồ sơ cho phép tổ chức hội nghị, hội thảo quốc tế")
    "detail": {
        "certified": "biên dịch có chứng thực",
        "centre_certified": "biên dịch chứng nhận tại Trung tâm",
        "content": "biên dịch nội dung",
        "proofread": "hiệu đính nội dung",
        "certification": "chứng nhận lãnh sự",
        "legalisation": "hợp pháp hóa lãnh sự",
        "diplomatic": "hộ chiếu ngoại giao",
        "official": "hộ chiếu công vụ",
        "passports": "hộ chiếu",
        "consular": "lãnh sự",
        "conference_permits": "cho phép tổ chức hội nghị, hội thảo quốc tế",
    },
}
