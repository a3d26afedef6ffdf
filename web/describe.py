"""Records named in words for messages and pages: "nhiệm vụ số 11 (chương trình 2020)"."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext as _

from service.reporting.requests import vn_today
from web.formatting import period_words, tr, vn_date, vn_time
from web.locale import N_

# A target's prefix (task:2020/11) → what it is, in words.
TARGET_WORDS = {
    "task": N_("nhiệm vụ"),
    "delegation": N_("đoàn"),
    "conference": N_("hội nghị"),
    "agreement": N_("thỏa thuận"),
    "aid": N_("khoản viện trợ"),
    "support": N_("khoản hỗ trợ, ủng hộ"),
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
    "draft": N_("dự thảo"),
    "closed": N_("chốt số liệu"),
    "reported": N_("số liệu đã báo cáo"),
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
        return f"{tr(labels.METRICS.get(metric, metric))} {month[5:]}/{month[:4]}"
    if prefix in ("closed", "reported", "note") and "/" in rest:
        return f"{word} {_report_period(rest)}"
    return f"{word} {rest}".strip()


def _report_period(rest: str) -> str:
    """`foreign-affairs/2021` (a note's with its section) in words: "Công tác đối ngoại, năm
    2021"."""
    from domain import labels

    report, _s, period = rest.partition("/")
    period, _s, section = period.partition("/")
    text = f"{tr(labels.REPORT_KINDS.get(report, report))}, {period_words(period)}"
    return f"{text} ({tr(labels.field(section))})" if section else text


def describe_fact(fact_id: str) -> str:
    """A fact in words: task:2020/3#2 → "lần ghi 2 của nhiệm vụ số 3, chương trình 2020"."""
    target, sep, n = str(fact_id).removeprefix("fact:").rpartition("#")
    if not sep or not n.isdigit():
        return describe_target(str(fact_id))
    return _("lần ghi %(n)s của %(record)s", n=n, record=describe_target(target))


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


def target_kind_word(record_kind: str) -> str:
    """A kind of record in words: "task" → "nhiệm vụ" (capitalised)."""
    word = _(TARGET_WORDS.get(record_kind, record_kind))
    return word[:1].upper() + word[1:]


_STEP = re.compile(r"\[[^\]]*\]|[^.\[]+")


def path_words(path: str, content: Any = None) -> list[str]:
    """A report path in words: tasks[no=3].status → ["Nhiệm vụ số thứ tự 3", "Trạng thái"]; a
    draft's source (sources.fa…) by its report's name when the content is given."""
    from domain import labels

    tokens = _STEP.findall(path)
    merged: list[str] = []
    for token in tokens:  # metric codes hold dots: translation.pages
        if merged and not token.startswith("[") and f"{merged[-1]}.{token}" in labels.METRICS:
            merged[-1] = f"{merged[-1]}.{token}"
        else:
            merged.append(token)
    words: list[str] = []
    for at, token in enumerate(merged):
        if token.startswith("["):
            inner = token[1:-1]
            keyed = [part.partition("=") for part in inner.split(",")]
            text = ", ".join(f"{labels.field(k).lower()} {v}" for k, _s, v in keyed if _s)
            text = text or _("dòng %(n)s", n=int(inner) + 1 if inner.isdigit() else inner)
            if words:
                words[-1] = f"{words[-1]} ({text})"
            else:
                words.append(text)
        elif at and merged[at - 1] == "sources":
            words.append(_source_words(token, content))
        else:
            words.append(
                labels.KEYS.get(token) or labels.FIELDS.get(token) or labels.word(token) or token
            )
    return [tr(w) for w in words]


def _source_words(alias: str, content: Any) -> str:
    """A draft's source by its report's name ("fa" → "Công tác đối ngoại")."""
    from domain import labels

    sources = content.get("sources") if isinstance(content, dict) else None
    source = sources.get(alias) if isinstance(sources, dict) else None
    report = source.get("report") if isinstance(source, dict) else None
    if report is None:
        return _("nguồn %(name)s", name=alias)
    return labels.REPORT_KINDS.get(str(report), str(report))


def cause_words(cause: dict[str, Any]) -> str:
    """An event that changed an issued report's figure, in words (without its link)."""
    from domain import labels
    from web.messages import said

    kind = tr(labels.KINDS.get(str(cause.get("kind")), str(cause.get("kind"))))
    text = _(
        "%(kind)s (%(nature)s), ghi bởi %(actor)s lúc %(when)s",
        kind=kind,
        nature=said(str(cause.get("nature") or "")),
        actor=cause.get("actor") or "",
        when=vn_time(cause.get("recorded_at")),
    )
    if cause.get("reason"):
        text += _("; lý do: %(reason)s", reason=cause["reason"])
    if cause.get("ref"):
        text += _("; văn bản %(ref)s", ref=cause["ref"])
    return text
