"""Vietnamese display: dates dd/mm/yyyy, times in Vietnam, numbers 1.234.567, labels of codes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_decimal

from domain.codes import FORM_NAMES, GRANTOR_NAMES
from domain.metrics import CATALOGUE, DETAIL_LABELS
from domain.statuses import LABELS_VI
from domain.times import VN

CODE_LABELS = {
    **LABELS_VI,
    "outbound": "đoàn ra",
    "inbound": "đoàn vào",
    "state_budget": "ngân sách nhà nước",
    "self_funded": "tự túc",
    "central": "trung ương",
    "partner": "đối tác",
    "province": "tỉnh",
    "agency": "cơ quan",
    "unknown": "chưa rõ",
    "individual": "cá nhân",
    "collective": "tập thể",
    **FORM_NAMES,
    **GRANTOR_NAMES,
    "cong_trang": "Công trạng",
    "chuyen_de": "Chuyên đề",
    "dot_xuat": "Đột xuất",
    "cong_hien": "Quá trình cống hiến",
    "nien_han": "Niên hạn",
    "doi_ngoai": "Đối ngoại",
    "no_decision": "chưa ghi số quyết định",
    "granted": "đã quyết định",
    "nd09": "NĐ 09/2019 (15/12–14/12)",
    "calendar": "năm dương lịch",
}
# Report keys (and the keys of records' data) as headers, in Vietnamese.
KEY_LABELS = {
    "report": "Loại báo cáo",
    "org": "Tổ chức",
    "period": "Kỳ",
    "label": "Kỳ báo cáo",
    "window": "Cách tính kỳ",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "as_of": "Tính đến ngày (as-of)",
    "known_by": "Theo hiểu biết đến (known-by)",
    "recorded_by": "Theo dữ liệu ghi đến (recorded-by)",
    "format": "Phiên bản định dạng",
    "digest": "Mã băm (digest)",
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
    "position": "Vị trí trong kho",
    **{code: f"{m.label} ({m.unit})" for code, m in CATALOGUE.items()},
    **DETAIL_LABELS,
}


def vn_date(value: Any) -> str:
    """A date (or the date part of an ISO text) as dd/mm/yyyy."""
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime):
        return value.astimezone(VN).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if "T" in text:
        return vn_time(text)
    try:
        return date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return text


def vn_time(value: Any) -> str:
    """An instant in Vietnam time: dd/mm/yyyy HH:MM:SS (a bare date as dd/mm/yyyy)."""
    if value in (None, ""):
        return "–"
    text = str(value)
    if "T" not in text:
        return vn_date(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return moment.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S")


def vn_number(value: Any) -> str:
    """An integer with the locale's grouping (Vietnamese: 1.234.567)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–" if value is None else str(value)
    return format_decimal(value)


def label(code: Any) -> str:
    """The Vietnamese label of a code, or the code itself."""
    return CODE_LABELS.get(code, str(code)) if isinstance(code, str) else str(code)


def key_label(key: Any) -> str:
    """The Vietnamese header of a key (a report's or a record's), or the key itself."""
    if not isinstance(key, str):
        return str(key)
    return KEY_LABELS.get(key) or CODE_LABELS.get(key) or key


def register(app: Flask) -> None:
    """Make the filters available to every template."""
    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(vn_time, "vn_time")
    app.add_template_filter(vn_number, "vn_number")
    app.add_template_filter(label, "label")
    app.add_template_filter(key_label, "key_label")
