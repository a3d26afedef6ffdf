"""The words of every code (kinds, statuses, forms, grantors, metrics, fields…): one table each.

Pure data. Pages, forms, spreadsheets, messages and the API's descriptions read their words here;
`EN` gives each word in English (the web's English mode), keyed by the Vietnamese word.

Over 300 lines as one module: data only, one table per code family; the issue asks for one
label table per code, and splitting the tables would scatter that one place again.
"""

from __future__ import annotations

from domain.codes import FORM_NAMES, GRANTOR_NAMES
from domain.labels_en import EN, UNITS
from domain.metrics import CATALOGUE, DETAIL_LABELS
from domain.statuses import LABELS_VI

STATUSES: dict[str, str] = dict(LABELS_VI)
FORMS: dict[str, str] = dict(FORM_NAMES)
GRANTORS: dict[str, str] = dict(GRANTOR_NAMES)
CATEGORIES: dict[str, str] = {
    "cong_trang": "Công trạng",
    "chuyen_de": "Chuyên đề",
    "dot_xuat": "Đột xuất",
    "cong_hien": "Quá trình cống hiến",
    "nien_han": "Niên hạn",
    "doi_ngoai": "Đối ngoại",
}
RECIPIENT_TYPES: dict[str, str] = {"individual": "Cá nhân", "collective": "Tập thể"}
STAGES: dict[str, str] = {
    "proposed": "Đề nghị",
    "submitted": "Đã trình",
    "granted": "Đã khen thưởng",
    "rejected": "Không được khen thưởng",
    "withdrawn": "Rút đề nghị",
}
LAUNCHERS: dict[str, str] = {
    "ministry": "Bộ",
    "province": "Tỉnh",
    "department": "Sở",
    "bloc": "Khối thi đua",
    "cluster": "Cụm thi đua",
}
GROUPS: dict[str, str] = {"bloc": "Khối thi đua", "cluster": "Cụm thi đua"}
DIRECTIONS: dict[str, str] = {"outbound": "Đoàn ra", "inbound": "Đoàn vào"}
FUNDING: dict[str, str] = {
    "state_budget": "Ngân sách nhà nước",
    "self_funded": "Tự túc",
    "central": "Trung ương",
    "partner": "Đối tác",
    "unknown": "Chưa rõ",
}
APPROVAL: dict[str, str] = {"province": "Tỉnh", "central": "Trung ương", "unknown": "Chưa rõ"}
PARTNER_TYPES: dict[str, str] = {
    "embassy": "Cơ quan đại diện nước ngoài",
    "international_org": "Tổ chức quốc tế",
    "ngo": "Tổ chức phi chính phủ nước ngoài",
    "locality": "Địa phương nước ngoài",
    "business": "Doanh nghiệp",
}
ARRANGED: dict[str, str] = {
    "invited": "Theo lời mời của tỉnh",
    "own_request": "Theo đề nghị của đoàn",
    "province_plan": "Theo kế hoạch của tỉnh",
    "ministry_plan": "Theo kế hoạch của Bộ, ngành",
}
DOCUMENT_TYPES: dict[str, str] = {
    "bao_cao": "Báo cáo",
    "cong_van": "Công văn",
    "ke_hoach": "Kế hoạch",
    "to_trinh": "Tờ trình",
    "thong_bao": "Thông báo",
}
AGREEMENT_LEVELS: dict[str, str] = {"province": "Cấp tỉnh", "agency": "Cấp cơ quan"}
CONFERENCE_TYPES: dict[str, str] = {"conference": "Hội nghị", "workshop": "Hội thảo"}
TASK_SOURCES: dict[str, str] = {"programme": "Chương trình công tác", "ubnd": "UBND tỉnh giao"}
# The sections of a report's notes and of a draft's standard text (documents/standard.py).
SECTIONS: dict[str, str] = {
    "kinh_gui": "Kính gửi",
    "mo_dau": "Mở đầu",
    "ket_luan": "Kết luận",
    "nhiem_vu_chinh_tri": "Về thực hiện nhiệm vụ chính trị",
    "lanh_dao_chi_dao": "Công tác lãnh đạo, chỉ đạo",
    "danh_gia": "Nhận xét, đánh giá",
    "uu_diem": "Ưu điểm",
    "han_che": "Hạn chế",
    "kien_nghi": "Kiến nghị, đề xuất",
    "nhiem_vu_ky_toi": "Phương hướng, nhiệm vụ kỳ tới",
}
WINDOWS: dict[str, str] = {"nd09": "NĐ 09/2019 (15/12–14/12)", "calendar": "Năm dương lịch"}
OUTCOMES: dict[str, str] = {
    "completed_on_time": "Hoàn thành đúng hạn",
    "completed_late": "Hoàn thành quá hạn",
    "not_completed_on_time": "Chưa hoàn thành, quá hạn",
    "in_progress": "Đang triển khai",
    "cancelled": "Hủy bỏ, điều chỉnh",
}
PROBLEMS: dict[str, str] = {
    "irregular": "Không đúng quy định",
    "no_decision": "Chưa ghi số quyết định",
}
ROLES: dict[str, str] = {
    "admin": "Quản trị",
    "clerk": "Cán bộ nhập liệu",
    "director": "Lãnh đạo",
    "inspector": "Thanh tra",
}
ACCOUNT_ACTIONS: dict[str, str] = {
    "created": "Tạo tài khoản",
    "password_set": "Đặt lại mật khẩu",
    "disabled": "Khóa tài khoản",
    "enabled": "Mở lại tài khoản",
    "roles_set": "Đặt vai trò, đơn vị",
    "profile_set": "Đổi họ tên, chức vụ",
    "token_issued": "Cấp mã truy cập API",
}
RECORD_STATES: dict[str, str] = {"in_force": "Có hiệu lực", "voided": "Đã hủy"}
METRICS: dict[str, str] = {code: m.label for code, m in CATALOGUE.items()}
SUBCOUNTS: dict[str, str] = dict(DETAIL_LABELS)
REPORT_KINDS: dict[str, str] = {
    "key-tasks": "Nhiệm vụ trọng tâm",
    "assigned-tasks": "Nhiệm vụ UBND tỉnh giao",
    "foreign-affairs": "Công tác đối ngoại",
    "emulation": "Thi đua, khen thưởng",
    "award-register": "Sổ khen thưởng",
    "award-irregular": "Khen thưởng không đúng quy định",
    "document": "Văn bản soạn thảo",
}

KINDS: dict[str, str] = {
    "org.registered": "Đăng ký tổ chức",
    "org.renamed": "Đổi tên tổ chức",
    "org.merged": "Sáp nhập tổ chức",
    "programme.adopted": "Chương trình công tác trọng tâm",
    "task.added": "Thêm nhiệm vụ",
    "task.progressed": "Tiến độ nhiệm vụ",
    "delegation.recorded": "Đoàn ra, đoàn vào",
    "outbound_plan.approved": "Kế hoạch đoàn ra",
    "conference.recorded": "Hội nghị, hội thảo quốc tế",
    "agreement.signed": "Thỏa thuận quốc tế",
    "aid.committed": "Cam kết viện trợ",
    "aid.disbursed": "Giải ngân viện trợ",
    "activity.counted": "Số liệu hoạt động trong tháng",
    "report.note": "Ghi chú báo cáo",
    "person.registered": "Cán bộ",
    "unit.registered": "Đơn vị",
    "movement.launched": "Phát động phong trào thi đua",
    "movement.registered": "Đăng ký thi đua",
    "movement.assessed": "Đánh giá phong trào thi đua",
    "pledge.signed": "Ký giao ước thi đua",
    "award.proposed": "Đề nghị khen thưởng",
    "award.submitted": "Trình hồ sơ khen thưởng",
    "award.granted": "Quyết định khen thưởng",
    "award.rejected": "Không khen thưởng",
    "award.withdrawn": "Rút hồ sơ khen thưởng",
    "record.corrected": "Đính chính bản ghi",
    "record.voided": "Hủy bản ghi",
    "document.drafted": "Dự thảo văn bản",
    "period.closed": "Chốt số liệu kỳ báo cáo",
    "figures.reported": "Số liệu đã báo cáo kỳ trước",
    "support.given": "Hỗ trợ tỉnh trao tặng (đồng)",
    "support.received": "Ủng hộ tỉnh nhận được (đồng)",
}

FIELDS: dict[str, str] = {
    "amount_usd": "Số tiền (USD)",
    "amount_vnd": "Trị giá (đồng)",
    "beneficiary": "Nơi nhận",
    "arranged": "Theo lời mời/đề nghị hoặc kế hoạch",
    "window": "Cách tính kỳ",
    "figures": "Số liệu đã báo cáo",
    "approval": "Cấp phê duyệt",
    "at": "Ngày hiệu lực",
    "body": "Bộ, ngành",
    "carried_from": "Chuyển từ nhiệm vụ",
    "category": "Loại khen thưởng",
    "countries": "Quốc gia",
    "deadline": "Hạn hoàn thành",
    "detail": "Chỉ tiêu con",
    "direction": "Loại đoàn",
    "donor": "Nhà tài trợ",
    "end": "Ngày kết thúc",
    "for_year": "Thành tích năm",
    "form": "Hình thức",
    "funding": "Kinh phí",
    "grantor": "Cấp khen",
    "group": "Khối hay cụm",
    "group_name": "Tên khối, cụm",
    "id": "Mã hồ sơ",
    "into": "Sáp nhập vào",
    "irregular": "Không đúng quy định",
    "items": "Các mục kế hoạch",
    "known_since": "Biết từ ngày",
    "launched_by": "Cấp phát động",
    "leader_level": "Cấp trưởng đoàn",
    "level": "Cấp ký kết",
    "members": "Thành viên",
    "metric": "Chỉ tiêu",
    "month": "Tháng báo cáo",
    "movement": "Phong trào",
    "name": "Tên",
    "no": "Số thứ tự",
    "no_inferred": "Số thứ tự suy ra",
    "no_note": "Ghi chú số thứ tự",
    "parent": "Cơ quan cấp trên",
    "parties": "Các bên",
    "partner": "Đối tác",
    "partner_type": "Loại đối tác",
    "people": "Số người",
    "period": "Kỳ báo cáo",
    "phases": "Các đợt",
    "place": "Địa danh",
    "plan_item": "Mục kế hoạch đoàn ra",
    "programme": "Chương trình",
    "project": "Dự án",
    "purpose": "Mục đích",
    "reason": "Lý do",
    "received_by_leaders": "Lãnh đạo tỉnh tiếp",
    "recipient": "Đối tượng khen thưởng",
    "recipient.type": "Đối tượng (cá nhân/tập thể)",
    "recipient.name": "Tên cá nhân, tập thể",
    "recipient.person": "Mã cán bộ",
    "recipient.unit": "Mã đơn vị",
    "ref": "Văn bản",
    "registrant": "Người, đơn vị đăng ký",
    "registrant.type": "Đối tượng đăng ký (cá nhân/tập thể)",
    "registrant.name": "Tên cá nhân, tập thể đăng ký",
    "registrant.person": "Mã cán bộ đăng ký",
    "registrant.unit": "Mã đơn vị đăng ký",
    "report": "Loại báo cáo",
    "result": "Kết quả",
    "section": "Mục",
    "set": "Giá trị đính chính",
    "source": "Nguồn giao",
    "status": "Trạng thái",
    "target": "Bản ghi",
    "text": "Nội dung",
    "title": "Tiêu đề",
    "type": "Loại",
    "unit": "Đơn vị",
    "unplanned": "Ngoài kế hoạch",
    "value": "Tổng số",
    "year": "Năm",
    "position": "Chức vụ",
}
# Where a key means something narrower in one kind.
KIND_FIELDS: dict[tuple[str, str], str] = {
    ("document.drafted", "id"): "Mã dự thảo",
    ("document.drafted", "sources"): "Nguồn số liệu (báo cáo)",
    ("document.drafted", "type"): "Loại văn bản",
    ("document.drafted", "title"): "Trích yếu",
    ("document.drafted", "addressees"): "Kính gửi",
    ("document.drafted", "body"): "Nội dung dự thảo",
    ("delegation.recorded", "at"): "Ngày bắt đầu",
    ("delegation.recorded", "id"): "Mã đoàn",
    ("conference.recorded", "id"): "Mã hội nghị",
    ("agreement.signed", "id"): "Mã thỏa thuận",
    ("aid.committed", "id"): "Mã khoản viện trợ",
    ("aid.disbursed", "id"): "Mã khoản viện trợ",
    ("movement.launched", "id"): "Mã phong trào",
    ("movement.registered", "id"): "Mã phong trào",
    ("movement.assessed", "id"): "Mã phong trào",
    ("pledge.signed", "id"): "Mã giao ước",
    ("person.registered", "id"): "Mã cán bộ",
    ("unit.registered", "id"): "Mã đơn vị",
    ("org.registered", "name"): "Tên tổ chức",
    ("org.renamed", "name"): "Tên mới",
    ("person.registered", "name"): "Họ và tên",
    ("unit.registered", "name"): "Tên đơn vị",
    ("outbound_plan.approved", "year"): "Năm kế hoạch",
    ("movement.assessed", "year"): "Năm đánh giá",
    ("conference.recorded", "type"): "Loại hội nghị",
}
# Report keys (and the keys of records' data) as headers.
KEYS: dict[str, str] = {
    "support": "Hỗ trợ, ủng hộ (đồng)",
    "given": "Tỉnh trao tặng",
    "received": "Tỉnh nhận được",
    "amount_vnd": "Trị giá (đồng)",
    "by_partner_type": "Theo loại đối tác",
    "missions": "Cơ quan đại diện, tổ chức quốc tế, phi chính phủ",
    "invited": "Theo lời mời của tỉnh",
    "own_request": "Theo đề nghị của đoàn",
    "province_plan": "Theo kế hoạch của tỉnh",
    "ministry_plan": "Theo kế hoạch của Bộ, ngành",
    "adopted": "Ban hành chương trình",
    "status_on": "Ngày của trạng thái",
    "report": "Loại báo cáo",
    "org": "Tổ chức",
    "period": "Kỳ",
    "label": "Kỳ báo cáo",
    "window": "Cách tính kỳ",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "as_of": "Tính đến ngày",
    "known_by": "Theo hiểu biết đến",
    "recorded_by": "Theo dữ liệu ghi đến",
    "format": "Phiên bản định dạng",
    "digest": "Mã băm",
    "notes": "Ghi chú",
    "programme": "Chương trình",
    "summary": "Tổng hợp",
    "tasks": "Nhiệm vụ",
    "no": "Số thứ tự",
    "title": "Tiêu đề",
    "unit": "Đơn vị",
    "status": "Trạng thái",
    "reason": "Lý do",
    "ref": "Văn bản",
    "total": "Tổng số",
    "completed_on_time": "Hoàn thành đúng hạn",
    "completed_late": "Hoàn thành quá hạn",
    "not_completed_on_time": "Chưa hoàn thành, quá hạn",
    "in_progress": "Đang triển khai",
    "cancelled": "Hủy bỏ, điều chỉnh",
    "deadline": "Hạn hoàn thành",
    "outcome": "Kết quả",
    "completed_on": "Ngày hoàn thành",
    "outbound": "Đoàn ra",
    "inbound": "Đoàn vào",
    "delegations": "Số đoàn",
    "people": "Số người",
    "by_funding": "Theo kinh phí",
    "by_approval": "Theo cấp phê duyệt",
    "received_by_leaders": "Lãnh đạo tỉnh tiếp",
    "previous": "Cùng kỳ năm trước",
    "plan": "Kế hoạch đoàn ra",
    "items": "Số mục",
    "done": "Đã thực hiện",
    "rate_percent": "Tỷ lệ (%)",
    "unplanned": "Ngoài kế hoạch",
    "conferences": "Hội nghị, hội thảo quốc tế",
    "count": "Số lượng",
    "agreements": "Thỏa thuận quốc tế",
    "by_level": "Theo cấp ký kết",
    "aid": "Viện trợ",
    "committed_usd": "Cam kết (USD)",
    "disbursed_usd": "Giải ngân (USD)",
    "activity": "Số liệu hoạt động",
    "value": "Số liệu",
    "detail": "Chi tiết",
    "awards": "Khen thưởng",
    "by_form": "Theo hình thức",
    "by_grantor": "Theo cấp khen",
    "by_recipient_type": "Theo đối tượng",
    "by_category": "Theo loại khen thưởng",
    "proposed": "Đề nghị đang chờ",
    "movements": "Phong trào thi đua",
    "merged_from": "Sáp nhập từ",
    "problems": "Vấn đề",
    "body": "Bộ, ngành",
    "category": "Loại khen thưởng",
    "decided_on": "Ngày quyết định",
    "proposed_on": "Ngày đề nghị",
    "for_year": "Thành tích năm",
    "form": "Hình thức",
    "grantor": "Cấp khen",
    "id": "Mã",
    "irregular": "Không đúng quy định",
    "irregular_reason": "Lý do (không đúng quy định)",
    "movement": "Phong trào",
    "recipient": "Đối tượng",
    "name": "Tên",
    "type": "Loại",
    "stage": "Giai đoạn",
    "phases": "Các đợt",
    # registers
    "number": "Số văn bản",
    "year": "Năm",
    "kind": "Loại báo cáo",
    "signed_on": "Ngày ký",
    "signer": "Người ký",
    "position": "Chức vụ",
    "stored_at": "Thứ tự trong kho",
    "members": "Thành viên",
    "leader_level": "Cấp trưởng đoàn",
    "partner_type": "Loại đối tác",
    "countries": "Quốc gia",
    "purpose": "Mục đích",
    # a draft inside an issued document's content
    "draft": "Dự thảo",
    "version": "Phiên bản",
    "sources": "Nguồn số liệu (báo cáo)",
    "addressees": "Kính gửi",
    "on": "Ngày",
    "agency": "Cấp cơ quan",
    **SECTIONS,
    **{code: f"{m.label} ({m.unit})" for code, m in CATALOGUE.items()},
    **DETAIL_LABELS,
    **REPORT_KINDS,
}

# Every value family, for a lookup that does not know the key (a value shown alone).
FAMILIES: dict[str, dict[str, str]] = {
    "kind": KINDS,
    "status": STATUSES,
    "form": FORMS,
    "grantor": GRANTORS,
    "category": CATEGORIES,
    "recipient_type": RECIPIENT_TYPES,
    "stage": STAGES,
    "launched_by": LAUNCHERS,
    "group": GROUPS,
    "direction": DIRECTIONS,
    "funding": FUNDING,
    "approval": APPROVAL,
    "partner_type": PARTNER_TYPES,
    "level": AGREEMENT_LEVELS,
    "conference_type": CONFERENCE_TYPES,
    "source": TASK_SOURCES,
    "window": WINDOWS,
    "outcome": OUTCOMES,
    "problem": PROBLEMS,
    "metric": METRICS,
    "subcount": SUBCOUNTS,
    "report": REPORT_KINDS,
    "record_state": RECORD_STATES,
    "role": ROLES,
    "account_action": ACCOUNT_ACTIONS,
    "arranged": ARRANGED,
    "document_type": DOCUMENT_TYPES,
    "section": SECTIONS,
}
# A field's values by family (the field's key → the family naming its codes).
FIELD_FAMILY: dict[str, str] = {
    "kind": "kind",
    "status": "status",
    "form": "form",
    "grantor": "grantor",
    "category": "category",
    "stage": "stage",
    "launched_by": "launched_by",
    "group": "group",
    "direction": "direction",
    "funding": "funding",
    "approval": "approval",
    "partner_type": "partner_type",
    "level": "level",
    "source": "source",
    "window": "window",
    "outcome": "outcome",
    "problems": "problem",
    "metric": "metric",
    "report": "report",
    "arranged": "arranged",
    "role": "role",
    "action": "account_action",
    "recipient.type": "recipient_type",
    "registrant.type": "recipient_type",
    "section": "section",
    "document_type": "document_type",  # a draft's `type` (a conference's `type` is another family)
}
CODES: dict[str, str] = {}
for _family in (
    STATUSES,
    FORMS,
    GRANTORS,
    CATEGORIES,
    RECIPIENT_TYPES,
    LAUNCHERS,
    DIRECTIONS,
    FUNDING,
    PARTNER_TYPES,
    CONFERENCE_TYPES,
    WINDOWS,
    OUTCOMES,
    PROBLEMS,
    METRICS,
    SUBCOUNTS,
    REPORT_KINDS,
    KINDS,
    DOCUMENT_TYPES,
    AGREEMENT_LEVELS,
    SECTIONS,
):
    for _code, _word in _family.items():
        CODES.setdefault(_code, _word)
# Codes that are also ordinary words a page may show for another reason are never looked up
# alone; a family lookup (by the key) gives them their word.
CODES.update({"granted": STAGES["granted"], "proposed": STAGES["proposed"]})


def word(code: object, key: str | None = None) -> str:
    """The word for a code: by the key's family when the key is known, else any family."""
    if not isinstance(code, str):
        return str(code)
    family = FAMILIES.get(FIELD_FAMILY.get(key or "", ""), {})
    return family.get(code) or CODES.get(code, code)


def field(key: str, kind: str | None = None) -> str:
    """The name of a field (of an import line or a report), in Vietnamese."""
    if kind is not None and (kind, key) in KIND_FIELDS:
        return KIND_FIELDS[(kind, key)]
    return FIELDS.get(key) or KEYS.get(key) or key


def english(text: str) -> str:
    """The English of a Vietnamese word of these tables (the word itself when there is none);
    a metric with its unit, "Biên dịch (trang)", word by word."""
    if text in EN:
        return EN[text]
    lower = text[:1].lower() + text[1:]
    if lower != text and lower in EN:  # a label written with its first letter capitalised
        return EN[lower][:1].upper() + EN[lower][1:]
    name, sep, unit = text.rpartition(" (")
    if sep and unit.endswith(")") and name in EN and unit[:-1] in UNITS:
        return f"{EN[name]} ({UNITS[unit[:-1]]})"
    return text
