"""The service's messages (the import's schemas and rules) in the page's language.

The service speaks Vietnamese only (the CLI, the import, the API keep its words); the web shows
its messages through this table: each Vietnamese message is a catalogue entry whose `%(name)s`
parts match whatever the service put there (a value, a code, a line), so English mode gets the
English sentence with the same values. A message the table does not know is shown as it came.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from flask_babel import format_decimal, gettext

from domain import labels
from web.locale import N_, english_mode

# The messages of service/importing (fields.py, schemas.py, importer.py, handlers.py), of
# domain/times.py and of web/writing.py, as the service writes them.
MESSAGES = (
    N_("thiếu trường bắt buộc"),
    N_("thiếu trường bắt buộc (không có đề nghị trước đó)"),
    N_("không được để trống (null)"),
    N_("không được để trống"),
    N_("không được rỗng"),
    N_("giá trị không hợp lệ"),
    N_("phải là chuỗi ký tự"),
    N_("phải là số nguyên"),
    N_("phải là true hoặc false"),
    N_("phải là danh sách"),
    N_("phải là đối tượng JSON"),
    N_("phải là ngày hoặc thời điểm dạng chuỗi"),
    N_("phải là ngày dạng chuỗi YYYY-MM-DD"),
    N_("phải là ngày dạng YYYY-MM-DD, không kèm giờ"),
    N_("phải có dạng YYYY-MM"),
    N_("phải là mã viết thường không dấu, ví dụ ha-tinh"),
    N_("mã chương trình không hợp lệ (ví dụ 2020)"),
    N_("phải có dạng CHƯƠNG_TRÌNH/SỐ, ví dụ 2020/11"),
    N_("trường không được phép với loại này"),
    N_("trường không được phép"),
    N_("mỗi dòng phải là một đối tượng JSON"),
    N_("không được ở tương lai"),
    N_("ngoài khoảng ngày xử lý được: %(value)s"),
    N_("giá trị %(value)s không hợp lệ; phải là một trong: %(choices)s"),
    N_("phải từ %(low)s đến %(high)s"),
    N_("không phải ngày dạng YYYY-MM-DD: %(value)s"),
    N_("ngày không tồn tại: %(value)s"),
    N_("không phải thời điểm ISO 8601: %(value)s"),
    N_("thời điểm thiếu múi giờ: %(value)s"),
    N_("ngày kết thúc trước ngày bắt đầu (at)"),
    N_("chỉ đoàn ra mới thuộc kế hoạch đoàn ra"),
    N_("đoàn theo kế hoạch không thể đồng thời ngoài kế hoạch"),
    N_("chỉ tiêu con không có: %(unknown)s (có: %(known)s)"),
    N_("tổng các chỉ tiêu con (%(sum)s) khác value (%(value)s)"),
    N_("dòng không phải UTF-8"),
    # "JSON không hợp lệ: … (cột …)" is REWORDED (the parser's English reason in words)
    N_("loại không hợp lệ %(kind)s; phải là một trong: %(known)s"),
    N_("tổ chức %(org)s chưa được đăng ký (cần dòng org.registered trước)"),
    N_("%(target)s đã có với nội dung khác"),
    N_("không có nhiệm vụ %(target)s (cần task.added trước)"),
    N_("không có cam kết viện trợ %(id)s (cần aid.committed)"),
    N_("không có phong trào thi đua %(id)s (movement.launched)"),
    N_("không có hồ sơ khen thưởng %(id)s (award.proposed)"),
    N_("không có bản ghi %(target)s trong tổ chức %(org)s"),
    N_("bản ghi %(target)s đã bị hủy"),
    N_(
        "nhiệm vụ số %(no)s (chương trình %(programme)s) “%(title)s”: không ghi được "
        "“%(old)s” ngày %(old_on)s vì đã có mục “%(new)s” ngày %(new_on)s, muộn hơn; "
        "không được chuyển từ “%(old)s” sang “%(new)s”"
    ),
    N_(
        "nhiệm vụ số %(no)s (chương trình %(programme)s) “%(title)s”: không được chuyển "
        "trạng thái từ “%(old)s” (mục ngày %(old_on)s) sang “%(new)s” (mục ngày %(new_on)s)"
    ),
    N_("không có quyền ghi hồ sơ của tổ chức %(org)s"),
    N_("người ghi là người đăng nhập; không ghi thay người khác qua web"),
    N_("tài khoản chỉ được ghi nhiệm vụ của đơn vị mình"),
    N_("loại không hợp lệ cho biểu mẫu này"),
    # what an event that changed an issued report's figure was (service/reporting/diffing.py)
    N_("đính chính"),
    N_("hủy"),
    N_("hồ sơ nhập bổ sung (đã biết từ trước, ghi sau)"),
    N_("sự kiện mới biết"),
)
# Slots holding what a person wrote (a task's title): never taken for a word of the tables.
_FREE_TEXT = frozenset({"title"})
_SLOT = re.compile(r"%\\\((\w+)\\\)s")


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each message as a pattern: its slots match any text (the shortest that fits); a slot
    said twice matches the same text twice."""
    return tuple((re.compile(_pattern(m), re.S), m) for m in MESSAGES)


def _pattern(message: str) -> str:
    seen: set[str] = set()

    def slot(found: re.Match[str]) -> str:
        name = found.group(1)
        if name in seen:
            return f"(?P={name})"
        seen.add(name)
        return f"(?P<{name}>.+?)"

    return _SLOT.sub(slot, re.escape(message))


# Service messages the web says otherwise, in both languages: the service (and the CLI, whose
# input is ISO dates and JSON) keeps its words; a page says dates dd/mm/yyyy, numbers grouped,
# no key names, no English of the JSON parser. service message → (the web's message, how each
# slot's value is written).
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _day(value: str) -> str:
    """ISO days inside a value as dd/mm/yyyy ('2026-02-31' → '31/02/2026', even when no such
    day); the quotes that set the value apart stay."""
    return _ISO_DAY.sub(r"\3/\2/\1", value)


def _number(value: str) -> str:
    return format_decimal(int(value)) if value.lstrip("-").isdigit() else value


def _json(value: str) -> str:
    """The JSON parser's English reason in the page's language."""
    for start, words in _JSON_REASONS:
        if value.startswith(start):
            return gettext(words)
    return gettext(N_("sai cú pháp"))


_JSON_REASONS = (
    ("Expecting value", N_("thiếu giá trị")),
    ("Expecting property name", N_("tên trường phải đặt trong ngoặc kép")),
    ("Expecting ',' delimiter", N_("thiếu dấu phẩy")),
    ("Expecting ':' delimiter", N_("thiếu dấu hai chấm")),
    ("Unterminated string", N_("chuỗi chưa đóng ngoặc kép")),
    ("Extra data", N_("thừa dữ liệu sau đối tượng")),
    ("Invalid control character", N_("có ký tự điều khiển trong chuỗi")),
    ("Invalid \\escape", N_("ký tự thoát (\\) không hợp lệ")),
)
REWORDED: dict[str, tuple[str, dict[str, Callable[[str], str]]]] = {
    "tổng các chỉ tiêu con (%(sum)s) khác value (%(value)s)": (
        N_("tổng các chỉ tiêu con (%(sum)s) khác tổng số (%(value)s)"),
        {"sum": _number, "value": _number},
    ),
    "ngày không tồn tại: %(value)s": (N_("ngày không tồn tại: %(value)s"), {"value": _day}),
    "không phải ngày dạng YYYY-MM-DD: %(value)s": (
        N_("không đọc được ngày %(value)s (viết dd/mm/yyyy; trong tệp JSON Lines: YYYY-MM-DD)"),
        {"value": _day},
    ),
    "không phải thời điểm ISO 8601: %(value)s": (
        N_(
            "không đọc được ngày hay thời điểm %(value)s (viết dd/mm/yyyy; trong tệp JSON "
            "Lines: YYYY-MM-DD hoặc thời điểm ISO 8601 có múi giờ)"
        ),
        {"value": _day},
    ),
    "thời điểm thiếu múi giờ: %(value)s": (
        N_("thời điểm thiếu múi giờ: %(value)s"),
        {"value": _day},
    ),
    "ngày ký %(day)s ở sau hôm nay (%(today)s)": (
        N_("ngày ký %(day)s ở sau hôm nay (%(today)s)"),
        {"day": _day, "today": _day},
    ),
    "JSON không hợp lệ: %(detail)s (cột %(column)s)": (
        N_("JSON không hợp lệ ở cột %(column)s: %(detail)s"),
        {"detail": _json},
    ),
    "%(report)s: digest không khớp": (
        N_("%(report)s: mã băm không khớp"),
        {"report": str},
    ),
    "chỉ thanh tra mới được cấp mọi sở (--org '*')": (
        N_("chỉ thanh tra mới được cấp quyền ở mọi sở"),
        {},
    ),
    "chỉ cán bộ nhập liệu (clerk) mới giới hạn theo đơn vị": (
        N_("chỉ cán bộ nhập liệu mới được giới hạn theo đơn vị"),
        {},
    ),
}


@cache
def _reworded() -> tuple[tuple[re.Pattern[str], str, dict[str, Callable[[str], str]]], ...]:
    return tuple((re.compile(_pattern(m), re.S), web, how) for m, (web, how) in REWORDED.items())


def _reword(message: str, as_written: bool = False) -> str | None:
    """A service message the web says otherwise, in the page's language; None if not one.
    `as_written`: a value of a JSON Lines file is echoed as the file has it (ISO), so that the
    clerk finds it there."""
    for pattern, msgid, how in _reworded():
        found = pattern.fullmatch(message)
        if found is not None:
            values = {
                k: v if as_written and how.get(k) is _day else how.get(k, str)(v)
                for k, v in found.groupdict().items()
            }
            return gettext(msgid, **values)
    return None


def said(message: str, as_written: bool = False) -> str:
    """A service message in the page's language (as it came when the table does not know it);
    dates dd/mm/yyyy and no key names whatever the language (REWORDED)."""
    parts = message.split("; ")  # a field's several messages, joined by the import
    if any(_reword(part, as_written) is not None for part in parts):
        return "; ".join(_reword(part, as_written) or said(part) for part in parts)
    if not english_mode():
        return message
    found = _one(message)
    if found is not None:
        return found
    parts = message.split("; ")  # a field's several messages, joined by the import
    if len(parts) > 1:
        return "; ".join(_one(part) or part for part in parts)
    return message


def _one(message: str) -> str | None:
    for pattern, msgid in _patterns():
        found = pattern.fullmatch(message)
        if found is not None:
            values = {
                k: v if k in _FREE_TEXT else labels.english(v) for k, v in found.groupdict().items()
            }
            return gettext(msgid, **values)
    return None


def said_all(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every message of a form's errors in the page's language."""
    return {name: [said(m) for m in messages] for name, messages in errors.items()}


def line_field(key: str) -> str:
    """The field of an import line in words, in the page's language (`kind` is the event's
    kind there, not a report's)."""
    from web.formatting import key_label

    return gettext(N_("Loại sự kiện")) if key == "kind" else key_label(key)
