"""Records named in words for messages and pages: "nhiệm vụ số 11 (chương trình 2020)"."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from service.reporting import vn_today
from web.formatting import vn_date
from web.locale import N_

# A target's prefix (task:2020/11) → what it is, in words.
TARGET_WORDS = {
    "task": N_("nhiệm vụ"),
    "delegation": N_("đoàn"),
    "conference": N_("hội nghị"),
    "agreement": N_("thỏa thuận"),
    "aid": N_("khoản viện trợ"),
    "activity": N_("số liệu"),
    "movement": N_("phong trào"),
    "award": N_("hồ sơ khen thưởng"),
    "pledge": N_("giao ước"),
    "person": N_("cán bộ"),
    "unit": N_("đơn vị"),
    "programme": N_("chương trình"),
    "outbound_plan": N_("kế hoạch đoàn ra"),
    "note": N_("ghi chú báo cáo"),
    "org": N_("tổ chức"),
}


def describe_target(target: str) -> str:
    """A record's target in words: task:2020/11 → "nhiệm vụ số 11, chương trình 2020"."""
    prefix, _sep, rest = target.partition(":")
    if prefix == "fact":
        return _("bản ghi %(id)s", id=rest)
    word = _(TARGET_WORDS.get(prefix, prefix))
    if prefix == "task" and "/" in rest:
        programme, _s, no = rest.partition("/")
        return _("%(word)s số %(no)s, chương trình %(p)s", word=word, no=no, p=programme)
    if prefix == "activity" and "/" in rest:
        from domain import labels

        metric, _s, month = rest.partition("/")
        return f"{labels.METRICS.get(metric, metric)} {month[5:]}/{month[:4]}"
    return f"{word} {rest}".strip()


def record_target(cmd: dict[str, Any]) -> str:
    """The record a command writes to (its target), when no fact was stored."""
    kind = str(cmd.get("kind", ""))
    if "target" in cmd:
        return str(cmd["target"]).partition("#")[0]
    if kind.startswith("task."):
        return f"task:{cmd.get('programme')}/{cmd.get('no')}"
    if kind == "activity.counted":
        return f"activity:{cmd.get('metric')}/{cmd.get('month')}"
    prefix = kind.partition(".")[0]
    return f"{prefix}:{cmd['id']}" if "id" in cmd else ""


def late_entry_note(cmd: dict[str, Any]) -> str | None:
    """For a fact dated before today, where it shows (and where it does not)."""
    at = str(cmd.get("at") or "")[:10]
    try:
        day = date.fromisoformat(at)
    except ValueError:
        return None
    today = vn_today()
    if day >= today:
        return None
    return _(
        "Sự việc ngày %(day)s được tính vào các báo cáo có kỳ chứa ngày đó, khi xem "
        "“theo hiểu biết hôm nay” (mặc định). Báo cáo xem “theo hiểu biết ngày” trước hôm nay "
        "và báo cáo đã ban hành không đổi.",
        day=vn_date(day),
    )
