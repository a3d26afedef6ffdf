"""The service's messages (the import's schemas and rules) in the page's language.

The service speaks Vietnamese only (the CLI, the import, the API keep its words); the web shows
its messages through this table: each Vietnamese message is a catalogue entry whose `%(name)s`
parts match whatever the service put there (a value, a code, a line), so English mode gets the
English sentence with the same values. A message the table does not know is shown as it came.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext

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
    N_("JSON không hợp lệ: %(detail)s (cột %(column)s)"),
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


def said(message: str) -> str:
    """A service message in the page's language (as it came when the table does not know it)."""
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
