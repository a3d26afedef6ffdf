"""The entry forms as data: which command each builds, its fields, labels and widgets.

A form only translates what was typed into a command (numbers, lists, checkboxes); every rule is
checked by the command's marshmallow schema and the import, whose messages name the field.
More than 300 lines because it is a table: one entry per form, read together by
the entry pages, the form template and the fuzz tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from domain import labels
from domain.codes import AGREEMENT_LEVELS, CONFERENCE_TYPES, LAUNCHERS, PARTNER_TYPES
from domain.emulation import CATEGORIES, FORMS, GRANTORS, RECIPIENT_TYPES
from domain.foreign_affairs import APPROVAL, DIRECTIONS, FUNDING
from domain.metrics import CATALOGUE
from domain.statuses import REPORTABLE
from web.bodies import digits
from web.locale import N_

GROUP_CODES = ("bloc", "cluster")


@dataclass(frozen=True)
class Field:
    """One input: its command key (dotted for nested keys), label, widget and choices.

    `source` names choices read from the records when the page is shown (web.pickers);
    `suggest` offers words while the field stays free text."""

    name: str
    label: str
    widget: str = "text"  # text, int, date, month, select, check, list, pairs, area, members,
    # subcounts, phases
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    required: bool = False
    source: str = ""
    suggest: tuple[str, ...] = ()


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


DATE_HELP = N_("Ngày dạng dd/mm/yyyy, ví dụ 05/03/2021.")
AT = Field("at", N_("Ngày hiệu lực"), "date", required=True, help=N_("Ngày sự việc xảy ra."))
KNOWN = Field(
    "known_since", N_("Biết từ ngày"), "date", help=N_("Để trống nếu biết hôm nay (dd/mm/yyyy).")
)
REF = Field("ref", N_("Văn bản"), help=N_("Số ký hiệu văn bản, ví dụ 39/2020/QĐ-UBND."))
REASON = Field("reason", N_("Lý do"), "area")
APPROVAL_FIELD = Field("approval", N_("Cấp phê duyệt"), "select", _codes(APPROVAL, labels.APPROVAL))
LEADER_LEVELS = (
    "Lãnh đạo tỉnh",
    "Lãnh đạo UBND tỉnh",
    "Lãnh đạo Sở, ngành",
    "Lãnh đạo huyện, thị xã",
    "Cán bộ, chuyên viên",
)

FORM_LIST: tuple[Form, ...] = (
    Form(
        "task-progress",
        N_("Cập nhật tiến độ nhiệm vụ"),
        N_("Đánh dấu hoàn thành kèm quyết định, đề xuất điều chỉnh kèm lý do…"),
        (("task.progressed", N_("Tiến độ nhiệm vụ")),),
        (
            Field(
                "task",
                N_("Nhiệm vụ"),
                "select",
                required=True,
                source="tasks",
                help=N_("Số thứ tự, tên và trạng thái hiện tại của nhiệm vụ."),
            ),
            Field(
                "status",
                N_("Trạng thái mới"),
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
        N_("Ghi nhận đoàn ra, đoàn vào"),
        N_("Một đoàn công tác nước ngoài hoặc đoàn khách quốc tế."),
        (("delegation.recorded", N_("Đoàn")),),
        (
            Field(
                "id",
                N_("Mã đoàn"),
                required=True,
                source="delegation_code",
                help=N_("Duy nhất trong sở; mã gợi ý là mã còn trống tiếp theo."),
            ),
            Field(
                "direction",
                N_("Loại đoàn"),
                "select",
                _codes(DIRECTIONS, labels.DIRECTIONS),
                required=True,
            ),
            Field("people", N_("Số người"), "int", required=True),
            Field(
                "countries",
                N_("Quốc gia"),
                "list",
                required=True,
                help=N_("Cách nhau bằng dấu phẩy."),
            ),
            Field("purpose", N_("Mục đích"), "area", required=True),
            Field("at", N_("Ngày bắt đầu"), "date", required=True, help=DATE_HELP),
            Field("end", N_("Ngày kết thúc"), "date", help=DATE_HELP),
            Field("leader_level", N_("Cấp trưởng đoàn"), suggest=LEADER_LEVELS),
            Field(
                "partner_type",
                N_("Loại đối tác"),
                "select",
                _codes(PARTNER_TYPES, labels.PARTNER_TYPES),
            ),
            Field(
                "arranged",
                N_("Theo lời mời/đề nghị hoặc kế hoạch"),
                "select",
                _codes(tuple(labels.ARRANGED), labels.ARRANGED),
                help=N_("Đoàn vào: lời mời của tỉnh hoặc đề nghị của đoàn; đoàn ra: kế hoạch."),
            ),
            Field("members", N_("Thành viên"), "members"),
            Field("funding", N_("Kinh phí"), "select", _codes(FUNDING, labels.FUNDING)),
            APPROVAL_FIELD,
            Field("plan_item", N_("Mục kế hoạch đoàn ra"), "select", source="plan_items"),
            Field("unplanned", N_("Ngoài kế hoạch"), "check"),
            Field("received_by_leaders", N_("Lãnh đạo tỉnh tiếp"), "check"),
            REF,
            KNOWN,
        ),
    ),
    Form(
        "conference",
        N_("Hội nghị, hội thảo quốc tế"),
        N_("Một hội nghị, hội thảo quốc tế tổ chức tại tỉnh."),
        (("conference.recorded", N_("Hội nghị, hội thảo")),),
        (
            Field("id", N_("Mã hội nghị"), required=True, source="conference_code"),
            Field("title", N_("Tên hội nghị, hội thảo"), "area", required=True),
            Field(
                "type",
                N_("Loại hội nghị"),
                "select",
                _codes(CONFERENCE_TYPES, labels.CONFERENCE_TYPES),
            ),
            APPROVAL_FIELD,
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "agreement",
        N_("Thỏa thuận quốc tế"),
        N_("Một thỏa thuận quốc tế được ký kết."),
        (("agreement.signed", N_("Thỏa thuận")),),
        (
            Field("id", N_("Mã thỏa thuận"), required=True, source="agreement_code"),
            Field("title", N_("Tên thỏa thuận"), "area", required=True),
            Field("partner", N_("Đối tác"), required=True),
            Field(
                "level",
                N_("Cấp ký kết"),
                "select",
                _codes(AGREEMENT_LEVELS, labels.AGREEMENT_LEVELS),
                required=True,
            ),
            Field("at", N_("Ngày ký"), "date", required=True, help=DATE_HELP),
            REF,
            KNOWN,
        ),
    ),
    Form(
        "aid-commitment",
        N_("Cam kết viện trợ"),
        N_("Một khoản viện trợ được cam kết (số tiền bằng USD)."),
        (("aid.committed", N_("Cam kết viện trợ")),),
        (
            Field("id", N_("Mã khoản viện trợ"), required=True, source="aid_code"),
            Field("donor", N_("Nhà tài trợ"), required=True),
            Field("project", N_("Dự án"), "area", required=True),
            Field("amount_usd", N_("Số tiền (USD)"), "int", required=True),
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "aid-disbursement",
        N_("Giải ngân viện trợ"),
        N_("Một lần giải ngân của khoản viện trợ đã cam kết."),
        (("aid.disbursed", N_("Giải ngân viện trợ")),),
        (
            Field("id", N_("Khoản viện trợ"), "select", required=True, source="aid"),
            Field("amount_usd", N_("Số tiền (USD)"), "int", required=True),
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "support-given",
        N_("Hỗ trợ tỉnh trao tặng"),
        N_("Tiền hoặc hàng tỉnh hỗ trợ một địa phương, tổ chức nước ngoài (trị giá bằng đồng)."),
        (("support.given", N_("Hỗ trợ trao tặng")),),
        (
            Field("id", N_("Mã khoản hỗ trợ"), required=True, source="support_code"),
            Field(
                "beneficiary",
                N_("Nơi nhận"),
                required=True,
                help=N_("Địa phương, tổ chức nhận, ví dụ Tỉnh Bolykhămxay."),
            ),
            Field("title", N_("Nội dung hỗ trợ"), "area", required=True),
            Field(
                "amount_vnd",
                N_("Trị giá (đồng)"),
                "int",
                required=True,
                help=N_("Ví dụ 1.100.000.000."),
            ),
            Field("at", N_("Ngày trao"), "date", required=True, help=DATE_HELP),
            REF,
            KNOWN,
        ),
    ),
    Form(
        "support-received",
        N_("Ủng hộ tỉnh nhận được"),
        N_("Tiền hoặc hàng tỉnh tiếp nhận từ kiều bào, tổ chức, cá nhân (trị giá bằng đồng)."),
        (("support.received", N_("Ủng hộ nhận được")),),
        (
            Field("id", N_("Mã khoản ủng hộ"), required=True, source="support_code"),
            Field(
                "donor",
                N_("Người, tổ chức ủng hộ"),
                required=True,
                help=N_("Ví dụ Kiều bào tại Lào."),
            ),
            Field("title", N_("Nội dung ủng hộ"), "area", required=True),
            Field(
                "amount_vnd",
                N_("Trị giá (đồng)"),
                "int",
                required=True,
                help=N_("Ví dụ 300.000.000."),
            ),
            Field("at", N_("Ngày tiếp nhận"), "date", required=True, help=DATE_HELP),
            REF,
            KNOWN,
        ),
    ),
    Form(
        "activity",
        N_("Số liệu hoạt động trong tháng"),
        N_("Một chỉ tiêu cho một tháng báo cáo; các chỉ tiêu con phải cộng đúng tổng."),
        (("activity.counted", N_("Số liệu")),),
        (
            Field(
                "metric",
                N_("Chỉ tiêu"),
                "select",
                tuple((c, m.label) for c, m in CATALOGUE.items()),
                required=True,
            ),
            Field("month", N_("Tháng báo cáo"), "month", required=True, help=N_("mm/yyyy")),
            Field("value", N_("Tổng số"), "int", required=True, help=N_("Ví dụ 1.234.")),
            Field("detail", N_("Chỉ tiêu con"), "subcounts"),
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "movement",
        N_("Phát động phong trào thi đua"),
        N_("Một phong trào thi đua, các đợt nếu có."),
        (("movement.launched", N_("Phong trào")),),
        (
            Field("id", N_("Mã phong trào"), required=True, source="movement_code"),
            Field("title", N_("Tên phong trào"), "area", required=True),
            Field(
                "launched_by", N_("Cấp phát động"), "select", _codes(LAUNCHERS, labels.LAUNCHERS)
            ),
            Field("phases", N_("Các đợt"), "phases"),
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "registration",
        N_("Đăng ký thi đua"),
        N_("Một cá nhân hoặc tập thể đăng ký tham gia phong trào."),
        (("movement.registered", N_("Đăng ký thi đua")),),
        (
            Field("id", N_("Phong trào"), "select", required=True, source="movements"),
            Field(
                "registrant.type",
                N_("Đối tượng"),
                "select",
                _codes(RECIPIENT_TYPES, labels.RECIPIENT_TYPES),
                required=True,
            ),
            Field("registrant.name", N_("Tên cá nhân, tập thể"), required=True),
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "assessment",
        N_("Đánh giá phong trào thi đua"),
        N_("Kết quả đánh giá một phong trào trong năm."),
        (("movement.assessed", N_("Đánh giá")),),
        (
            Field("id", N_("Phong trào"), "select", required=True, source="movements"),
            Field("year", N_("Năm đánh giá"), "int", required=True),
            Field("result", N_("Kết quả"), "area", required=True),
            AT,
            REF,
            KNOWN,
        ),
    ),
    Form(
        "pledge",
        N_("Ký giao ước thi đua"),
        N_("Giao ước thi đua của khối hoặc cụm thi đua."),
        (("pledge.signed", N_("Giao ước")),),
        (
            Field("id", N_("Mã giao ước"), required=True, source="pledge_code"),
            Field(
                "group",
                N_("Khối hay cụm"),
                "select",
                _codes(GROUP_CODES, labels.GROUPS),
                required=True,
            ),
            Field("group_name", N_("Tên khối, cụm"), required=True),
            Field("parties", N_("Các bên"), "list", help=N_("Cách nhau bằng dấu phẩy.")),
            Field("movement", N_("Phong trào"), "select", source="movements"),
            Field("at", N_("Ngày ký"), "date", required=True, help=DATE_HELP),
            REF,
            KNOWN,
        ),
    ),
    Form(
        "award",
        N_("Đề nghị hoặc quyết định khen thưởng"),
        N_("Đề nghị khen thưởng, hoặc ghi quyết định khen thưởng (số quyết định ở ô Văn bản)."),
        (
            ("award.proposed", N_("Đề nghị khen thưởng")),
            ("award.granted", N_("Quyết định khen thưởng")),
        ),
        (
            Field("id", N_("Mã hồ sơ"), required=True, source="award_code"),
            Field("form", N_("Hình thức"), "select", _codes(FORMS, labels.FORMS)),
            Field("grantor", N_("Cấp khen"), "select", _codes(GRANTORS, labels.GRANTORS)),
            Field("body", N_("Bộ, ngành"), help=N_("Khi cấp khen là Bộ trưởng.")),
            Field(
                "recipient.type",
                N_("Đối tượng"),
                "select",
                _codes(RECIPIENT_TYPES, labels.RECIPIENT_TYPES),
            ),
            Field("recipient.name", N_("Tên cá nhân, tập thể")),
            Field(
                "category",
                N_("Loại khen thưởng"),
                "select",
                _codes(CATEGORIES, labels.CATEGORIES),
            ),
            Field("title", N_("Danh hiệu, tên gọi")),
            Field("movement", N_("Phong trào"), "select", source="movements"),
            Field("for_year", N_("Thành tích năm"), "int"),
            AT,
            REF,
            REASON,
            KNOWN,
        ),
    ),
    Form(
        "correction",
        N_("Đính chính hoặc hủy bản ghi"),
        N_("Không sửa xóa dữ liệu: đính chính hay hủy là một sự kiện mới, kèm lý do."),
        (("record.corrected", N_("Đính chính")), ("record.voided", N_("Hủy bản ghi"))),
        (
            Field(
                "target",
                N_("Bản ghi"),
                "select",
                required=True,
                source="records",
                help=N_(
                    "Chọn bản ghi rồi bấm “Hiện các trường để sửa”: mỗi trường hiện trong "
                    "một ô với giá trị hiện tại."
                ),
            ),
            Field(
                "set",
                N_("Giá trị đính chính"),
                "pairs",
                help=N_(
                    "Nếu không dùng các ô trên: mỗi dòng tên trường=giá trị mới, ví dụ Số người=5."
                ),
            ),
            Field("reason", N_("Lý do"), "area", required=True),
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
    """`khóa=giá trị` lines; a date key's value typed dd/mm/yyyy read as the store's date."""
    try:
        pairs = read_pairs(text.splitlines())
    except ValueError as exc:
        raise FormInputError(name, f"dòng {str(exc)!r} phải có dạng khóa=giá trị") from None
    return {
        k: iso_day(v) if k in date_keys() and isinstance(v, str) else v for k, v in pairs.items()
    }


@cache
def date_keys() -> frozenset[str]:
    """The keys that hold a date in some kind's schema (`at`, `end`, `deadline`…)."""
    from service.importing.fields import Day, When
    from service.importing.schemas import SCHEMAS

    return frozenset(
        f.data_key or name
        for schema in SCHEMAS.values()
        for name, f in schema._declared_fields.items()
        if isinstance(f, When | Day)
    )


_GROUPED = re.compile(r"^-?\d{1,3}(?:[.\s]\d{3})+$")  # 1.234.567 or 1 234 567
_VN_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_VN_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")


def iso_day(text: str) -> str:
    """dd/mm/yyyy (also d/m/yyyy, dd.mm.yyyy) as YYYY-MM-DD; anything else as typed."""
    found = _VN_DAY.match(text.strip())
    if not found:
        return text.strip()
    day, month, year = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def as_typed(message: str, typed: str) -> str:
    """A message about a date typed dd/mm/yyyy (or mm/yyyy), with the date as the user typed
    it where the service wrote the form it was read as: "ngày không tồn tại: '31/02/2021'",
    not '2021-02-31'."""
    typed = typed.strip()
    for read in (iso_day, iso_month):
        stored = read(typed)
        if stored and stored != typed:
            return message.replace(stored, typed)
    return message


def typed_dates(form: Form, values: dict[str, str]) -> dict[str, list[str]]:
    """The dates typed in each date field of a form (a table's rows: their from and to, a
    correction's date keys), by the field's name, as typed."""
    out: dict[str, list[str]] = {}
    for spec in form.fields:
        if spec.widget in ("date", "month") and values.get(spec.name, "").strip():
            out[spec.name] = [values[spec.name]]
        elif spec.widget == "pairs":  # a correction's `at=31/02/2021`
            pairs = (line.partition("=") for line in values.get(spec.name, "").splitlines())
            out[spec.name] = [v for k, _sep, v in pairs if k.strip() in date_keys()]
        elif spec.widget == "phases":
            cells = rf"{spec.name}-\d{{1,3}}-(from|to)"
            out[spec.name] = [v for k, v in values.items() if re.fullmatch(cells, k) and v.strip()]
    return out


def echo_typed(
    form: Form, values: dict[str, str], errors: dict[str, list[str]]
) -> dict[str, list[str]]:
    """A form's errors (by the command's keys) with each date field's dates as typed."""
    typed = typed_dates(form, values)
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        texts = typed.get(key) or typed.get(key.split(".")[0]) or []
        for text in texts:
            messages = [as_typed(m, text) for m in messages]
        out[key] = messages
    return out


def iso_month(text: str) -> str:
    """mm/yyyy as YYYY-MM; anything else as typed."""
    found = _VN_MONTH.match(text.strip())
    if not found:
        return text.strip()
    month, year = found.groups()
    return f"{year}-{int(month):02d}"


def whole_number(text: str) -> str:
    """1.234 (Vietnamese grouping) as 1234; anything else as typed."""
    text = text.strip()
    return re.sub(r"[.\s]", "", text) if _GROUPED.match(text) else text


def _int_value(name: str, raw: str) -> Any:
    raw = whole_number(raw)
    if not _INT.match(raw):
        return raw  # the schema says it is not a whole number
    if len(raw.lstrip("-")) > 19:  # past a 64-bit column (and Python's 4,300-digit limit)
        raise FormInputError(name, f"số quá lớn ({digits(len(raw.lstrip('-')))})")
    return int(raw)


def _rows(name: str, keys: tuple[str, ...], values: dict[str, str]) -> list[dict[str, Any]] | None:
    """Table rows `name-N-key` (N from 0), blank rows skipped; dates read as dd/mm/yyyy."""
    numbers = sorted(
        {int(k.split("-")[1]) for k in values if re.fullmatch(rf"{name}-\d{{1,3}}-\w+", k)}
    )
    rows = []
    for n in numbers:
        row = {}
        for key in keys:
            text = values.get(f"{name}-{n}-{key}", "").strip()
            if text:
                row[key] = iso_day(text) if key in ("from", "to") else text
        if row:
            rows.append(row)
    return rows or None


def _subcounts(values: dict[str, str]) -> dict[str, Any] | None:
    metric = CATALOGUE.get(values.get("metric", ""))
    if metric is None:
        return None
    out: dict[str, Any] = {}
    for code in metric.detail:
        raw = values.get(f"detail-{metric.code}-{code}", "").strip()
        if raw:
            out[code] = _int_value("detail", raw)
    return out or None


def _value(spec: Field, values: dict[str, str]) -> Any:
    if spec.widget == "members":
        return _rows(spec.name, ("name", "position", "unit"), values)
    if spec.widget == "phases":
        return _rows(spec.name, ("name", "from", "to"), values)
    if spec.widget == "subcounts":
        return _subcounts(values)
    raw = values.get(spec.name, "")
    if spec.name == "task" and not raw.strip() and (values.get("programme") or values.get("no")):
        raw = f"{values.get('programme', '').strip()}/{values.get('no', '').strip()}"
    if spec.widget == "check":
        return True if raw else None
    raw = raw.strip().replace("\r\n", "\n")  # a browser sends a textarea's lines with CR LF
    if not raw:
        return None
    if spec.widget == "int":
        return _int_value(spec.name, raw)
    if spec.widget == "date":
        return iso_day(raw)
    if spec.widget == "month":
        return iso_month(raw)
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
        if spec.name == "task":  # the picker's "2020/11": programme and number
            programme, _sep, no = str(value).rpartition("/")
            cmd["programme"] = programme
            cmd["no"] = int(no) if no.isdigit() else no
            continue
        head, _, tail = spec.name.partition(".")
        if tail:
            cmd.setdefault(head, {})[tail] = value
        else:
            cmd[head] = value
    return cmd
