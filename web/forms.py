"""The entry forms as data: which command each builds, its fields, labels and widgets.

A form only translates what was typed into a command (numbers, lists, checkboxes); every rule is
checked by the command's marshmallow schema and the import, whose messages name the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from domain import labels
from domain.emulation import CATEGORIES, FORMS, GRANTORS, RECIPIENT_TYPES
from domain.foreign_affairs import APPROVAL, DIRECTIONS, FUNDING
from domain.metrics import CATALOGUE
from domain.statuses import REPORTABLE
from web.bodies import digits


@dataclass(frozen=True)
class Field:
    """One input: its command key (dotted for nested keys), label, widget and choices."""

    name: str
    label: str
    widget: str = "text"  # text, int, date, month, select, check, list, pairs, area
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class Form:
    """A task-oriented form building one kind of command (or one of `kinds`, chosen by the user)."""

    slug: str
    title: str
    intro: str
    kinds: tuple[tuple[str, str], ...]
    fields: tuple[Field, ...] = field(default_factory=tuple)


def _codes(codes: tuple[str, ...], words: dict[str, str]) -> tuple:
    return tuple((c, words[c]) for c in codes)


AT = Field("at", "Ngày hiệu lực", "date", required=True, help="Ngày sự việc xảy ra.")
KNOWN = Field("known_since", "Biết từ ngày", "date", help="Để trống nếu biết hôm nay.")
REF = Field("ref", "Văn bản", help="Số ký hiệu văn bản, ví dụ 39/2020/QĐ-UBND.")
REASON = Field("reason", "Lý do", "area")

FORM_LIST: tuple[Form, ...] = (
    Form(
        "task-progress",
        "Cập nhật tiến độ nhiệm vụ",
        "Đánh dấu hoàn thành kèm quyết định, đề xuất điều chỉnh kèm lý do…",
        (("task.progressed", "Tiến độ nhiệm vụ"),),
        (
            Field("programme", "Chương trình", required=True, help="Ví dụ 2020."),
            Field("no", "Số thứ tự nhiệm vụ", "int", required=True),
            Field(
                "status",
                "Trạng thái mới",
                "select",
                _codes(REPORTABLE, labels.STATUSES),
                required=True,
            ),
            AT,
            REF,
            REASON,
            KNOWN,
        ),
    ),
    Form(
        "delegation",
        "Ghi nhận đoàn ra, đoàn vào",
        "Một đoàn công tác nước ngoài hoặc đoàn khách quốc tế.",
        (("delegation.recorded", "Đoàn"),),
        (
            Field("id", "Mã đoàn", required=True, help="Duy nhất trong sở, ví dụ 2021-DR-07."),
            Field(
                "direction",
                "Loại đoàn",
                "select",
                _codes(DIRECTIONS, labels.DIRECTIONS),
                required=True,
            ),
            Field("people", "Số người", "int", required=True),
            Field("countries", "Quốc gia", "list", required=True, help="Cách nhau bằng dấu phẩy."),
            Field("purpose", "Mục đích", "area", required=True),
            Field("at", "Ngày bắt đầu", "date", required=True),
            Field("end", "Ngày kết thúc", "date"),
            Field(
                "funding",
                "Kinh phí",
                "select",
                _codes(FUNDING, labels.FUNDING),
            ),
            Field(
                "approval",
                "Cấp phê duyệt",
                "select",
                _codes(APPROVAL, labels.APPROVAL),
            ),
            Field("plan_item", "Mục kế hoạch đoàn ra"),
            Field("unplanned", "Ngoài kế hoạch", "check"),
            Field("received_by_leaders", "Lãnh đạo tỉnh tiếp", "check"),
            REF,
            KNOWN,
        ),
    ),
    Form(
        "activity",
        "Số liệu hoạt động trong tháng",
        "Một chỉ tiêu cho một tháng báo cáo; các chỉ tiêu con phải cộng đúng tổng.",
        (("activity.counted", "Số liệu"),),
        (
            Field(
                "metric",
                "Chỉ tiêu",
                "select",
                tuple((c, m.label) for c, m in CATALOGUE.items()),
                required=True,
            ),
            Field("month", "Tháng báo cáo", "month", required=True, help="YYYY-MM"),
            Field("value", "Tổng số", "int", required=True),
            Field(
                "detail",
                "Chỉ tiêu con",
                "pairs",
                help="Mỗi dòng một chỉ tiêu: mã=số, ví dụ certified=12.",
            ),
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "award",
        "Đề nghị hoặc quyết định khen thưởng",
        "Đề nghị khen thưởng, hoặc ghi quyết định khen thưởng (số quyết định ở ô Văn bản).",
        (("award.proposed", "Đề nghị khen thưởng"), ("award.granted", "Quyết định khen thưởng")),
        (
            Field("id", "Mã hồ sơ", required=True),
            Field("form", "Hình thức", "select", _codes(FORMS, labels.FORMS)),
            Field("grantor", "Cấp khen", "select", _codes(GRANTORS, labels.GRANTORS)),
            Field("body", "Bộ, ngành", help="Khi cấp khen là Bộ trưởng."),
            Field(
                "recipient.type",
                "Đối tượng",
                "select",
                _codes(RECIPIENT_TYPES, labels.RECIPIENT_TYPES),
            ),
            Field("recipient.name", "Tên cá nhân, tập thể"),
            Field("category", "Loại khen thưởng", "select", _codes(CATEGORIES, labels.CATEGORIES)),
            Field("title", "Danh hiệu, tên gọi"),
            Field("movement", "Phong trào"),
            Field("for_year", "Thành tích năm", "int"),
            AT,
            REF,
            REASON,
            KNOWN,
        ),
    ),
    Form(
        "correction",
        "Đính chính hoặc hủy bản ghi",
        "Không sửa xóa dữ liệu: đính chính hay hủy là một sự kiện mới, kèm lý do.",
        (("record.corrected", "Đính chính"), ("record.voided", "Hủy bản ghi")),
        (
            Field(
                "target",
                "Bản ghi",
                required=True,
                help="Ví dụ task:2020/11, delegation:ID hoặc fact:ID.",
            ),
            Field(
                "set",
                "Giá trị đính chính",
                "pairs",
                help="Chỉ khi đính chính; mỗi dòng khóa=giá trị, ví dụ status=completed.",
            ),
            Field("reason", "Lý do", "area", required=True),
            KNOWN,
        ),
    ),
)
FORMS_BY_SLUG = {form.slug: form for form in FORM_LIST}
_INT = re.compile(r"^-?\d+$")


class FormInputError(ValueError):
    """What was typed cannot be read as the field's type (named by the field)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def read_pairs(parts: list[str]) -> dict[str, Any]:
    """`khóa=giá trị` pairs (a value read as JSON when it is JSON, else as text); blank parts are
    skipped. Raises ValueError with the first part that is not a pair."""
    out: dict[str, Any] = {}
    for part in parts:
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ValueError(part.strip())
        value = value.strip()
        try:
            out[key.strip()] = json.loads(value)
        except (ValueError, RecursionError):  # not JSON (or nested past Python's stack): text
            out[key.strip()] = value
    return out


def _pairs(name: str, text: str) -> dict[str, Any]:
    try:
        return read_pairs(text.splitlines())
    except ValueError as exc:
        raise FormInputError(name, f"dòng {str(exc)!r} phải có dạng khóa=giá trị") from None


def _value(spec: Field, values: dict[str, str]) -> Any:
    raw = values.get(spec.name, "")
    if spec.widget == "check":
        return True if raw else None
    raw = raw.strip().replace("\r\n", "\n")  # a browser sends a textarea's lines with CR LF
    if not raw:
        return None
    if spec.widget == "int":
        if not _INT.match(raw):
            return raw  # the schema says it is not a whole number
        if len(raw.lstrip("-")) > 19:  # past a 64-bit column (and Python's 4,300-digit limit)
            raise FormInputError(spec.name, f"số quá lớn ({digits(len(raw.lstrip('-')))})")
        return int(raw)
    if spec.widget == "list":
        return [part.strip() for part in re.split(r"[,;]", raw) if part.strip()] or None
    if spec.widget == "pairs":
        return _pairs(spec.name, raw) or None
    return raw


def to_command(form: Form, kind: str, org: str, values: dict[str, str]) -> dict[str, Any]:
    """The command the typed values stand for (empty fields left out)."""
    cmd: dict[str, Any] = {"kind": kind, "org": org}
    for spec in form.fields:
        value = _value(spec, values)
        if value is None:
            continue
        head, _, tail = spec.name.partition(".")
        if tail:
            cmd.setdefault(head, {})[tail] = value
        else:
            cmd[head] = value
    return cmd
