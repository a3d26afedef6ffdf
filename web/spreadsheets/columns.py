"""The columns of each import kind in a spreadsheet: labels, keys, types and hints, from the
kind's schema (`service.importing.schemas.SCHEMAS`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marshmallow import fields as mf
from marshmallow import validate
from openpyxl.styles import Font, PatternFill

from service.importing.fields import Day, Flag, Int, Items, Mapping, When
from service.importing.schemas import SCHEMAS

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROWS = 2  # labels, then keys
FIRST_DATA_ROW = HEADER_ROWS + 1
LEFT_OUT = ("kind", "org", "by")  # the sheet's kind, the page's department, the logged-in user
COMMON_LAST = ("at", "known_since", "ref", "reason")

KIND_LABELS = {
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
    "support.given": "Hỗ trợ tỉnh trao tặng (đồng)",
    "support.received": "Ủng hộ tỉnh nhận được (đồng)",
    "activity.counted": "Số liệu hoạt động trong tháng",
    "report.note": "Ghi chú báo cáo",
    "period.closed": "Chốt số liệu kỳ báo cáo",
    "figures.reported": "Số liệu đã báo cáo kỳ trước",
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
    "document.drafted": "Dự thảo văn bản",
    "record.corrected": "Đính chính bản ghi",
    "record.voided": "Hủy bản ghi",
}
FIELD_LABELS = {
    "amount_usd": "Số tiền (USD)",
    "amount_vnd": "Trị giá (đồng)",
    "beneficiary": "Nơi nhận",
    "arranged": "Theo lời mời/đề nghị hoặc kế hoạch",
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
    "window": "Cách tính kỳ (nd09/calendar)",
    "figures": "Số liệu đã báo cáo",
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
KIND_FIELD_LABELS = {
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
HINTS = {
    "text": "",
    "int": "Số nguyên.",
    "flag": "có / không (hoặc TRUE / FALSE).",
    "when": "Ngày dd/mm/yyyy, YYYY-MM-DD hoặc thời điểm ISO 8601 có múi giờ.",
    "day": "Ngày dd/mm/yyyy hoặc YYYY-MM-DD.",
    "list": "Nhiều giá trị cách nhau bằng dấu ; (hoặc danh sách JSON).",
    "json": "Văn bản JSON.",
    "mapping": "JSON {…} hoặc các cặp khóa=giá trị cách nhau bằng dấu ;",
}
YES = frozenset({"có", "co", "x", "true", "đúng", "yes", "1"})
NO = frozenset({"không", "khong", "false", "sai", "no", "0"})
INT_TEXT = re.compile(r"^-?\d+$")
VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
BOLD = Font(bold=True)
KEYS_FONT = Font(italic=True, color="5F6368", size=9)
HEAD_FILL = PatternFill("solid", fgColor="E8EAED")
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"


# --- the columns of each kind


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet: the key (dotted for a nested object's key) and how to read."""

    key: str
    label: str
    type: str  # text, int, flag, when, day, list, json, mapping
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def head(self) -> str:
        """The top-level key of the import line."""
        return self.key.partition(".")[0]


def _choices(f: mf.Field) -> tuple[str, ...]:
    for v in f.validators:
        if isinstance(v, validate.OneOf):
            return tuple(str(c) for c in v.choices)
    return ()


def _type(f: mf.Field) -> str:
    if isinstance(f, Flag):
        return "flag"
    if isinstance(f, Int):
        return "int"
    if isinstance(f, Day):
        return "day"
    if isinstance(f, When):
        return "when"
    if isinstance(f, Items):
        return "json" if isinstance(f.inner, mf.Nested) else "list"
    if isinstance(f, Mapping):
        return "mapping"
    return "text"


def label_of(kind: str, key: str) -> str:
    """The Vietnamese header of a key (the key itself when no label is known)."""
    return KIND_FIELD_LABELS.get((kind, key)) or FIELD_LABELS.get(key) or key


def columns(kind: str) -> tuple[Column, ...]:
    """The kind's columns: its required keys in the schema's order, `at`, its other keys, then
    known_since, ref, reason."""
    declared = SCHEMAS[kind]._declared_fields
    own = [n for n in declared if n not in LEFT_OUT and n not in COMMON_LAST]
    names = [n for n in own if declared[n].required]
    names += [n for n in ("at",) if n in declared]
    names += [n for n in own if not declared[n].required]
    names += [n for n in COMMON_LAST[1:] if n in declared]
    out: list[Column] = []
    for name in names:
        f = declared[name]
        key = f.data_key or name
        if isinstance(f, mf.Nested) and not f.many:
            nested = f.schema
            for sub_name, sub in nested.fields.items():
                sub_key = f"{key}.{sub.data_key or sub_name}"
                out.append(
                    Column(
                        sub_key,
                        label_of(kind, sub_key),
                        _type(sub),
                        f.required and sub.required,
                        _choices(sub),
                    )
                )
            continue
        out.append(Column(key, label_of(kind, key), _type(f), f.required, _choices(f)))
    return tuple(out)
