"""Each report kind's body as data, written like the seeds: the numbered lists of seed 000 for
key tasks, the paragraphs of seeds 003/004 with each figure and its comparison for foreign affairs,
the sections of seed 002 for emulation, the sentence of seed 004 for assigned tasks.

Only the report's content is read (its figures, lists and `notes`), so a document can always be
written again from an issued report's content. Free text comes from `notes` ({section: text}):
`kinh_gui` (addressees, one a line), `mo_dau` (the opening paragraph), `ket_luan` (the closing
sentence), and the sections of SECTION_TITLES, each where the seeds put it; any other section
follows the body under its own name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from documents.official.document import Block, Bullet, Heading, Organisation, Paragraph, Table
from documents.official.vietnamese import (
    ROMAN,
    change,
    clause,
    compared_with,
    count,
    day_month,
    iso_day,
    lower_first,
    next_period_phrase,
    numbers_list,
    pair_change,
    percent,
    percent_change,
    period_phrase,
    upper_first,
    usd,
)
from domain.codes import EMULATION_TITLES, FORM_NAMES, GRANTOR_NAMES
from domain.metrics import CATALOGUE, DETAIL_LABELS

# Sections of free text a clerk writes (report.note), by where they go.
FRAME_SECTIONS = ("kinh_gui", "mo_dau", "ket_luan")
SECTION_TITLES = {
    "nhiem_vu_chinh_tri": "Về thực hiện nhiệm vụ chính trị",
    "lanh_dao_chi_dao": "Công tác lãnh đạo, chỉ đạo",
    "danh_gia": "Nhận xét, đánh giá",
    "uu_diem": "Ưu điểm",
    "han_che": "Hạn chế",
    "kien_nghi": "Kiến nghị, đề xuất",
    "nhiem_vu_ky_toi": "Phương hướng, nhiệm vụ kỳ tới",
}

STATUS_ORDER = (
    "completed",
    "in_progress",
    "deferral_proposed",
    "deferred",
    "not_carried_out",
    "cancelled",
    "unreported",
)

FUNDING_WORDS = {
    "state_budget": "sử dụng ngân sách Nhà nước",
    "self_funded": "tự túc kinh phí",
    "central": "do Trung ương đài thọ",
    "partner": "do đối tác đài thọ",
}
APPROVAL_WORDS = {
    "province": "thuộc thẩm quyền tỉnh phê duyệt",
    "central": "thuộc thẩm quyền Trung ương phê duyệt",
}
# A title (danh hiệu) reads "danh hiệu Lao động tiên tiến" in a sentence; a flag (Cờ) or an
# order does not take the word.
FORM_LABELS = {
    code: f"danh hiệu {name}"
    if code in EMULATION_TITLES and not code.startswith("co_thi_dua")
    else name
    for code, name in FORM_NAMES.items()
}
GRANTOR_LABELS = GRANTOR_NAMES
CATEGORY_LABELS = {
    "cong_trang": "thành tích công trạng",
    "chuyen_de": "chuyên đề",
    "dot_xuat": "đột xuất",
    "cong_hien": "quá trình cống hiến",
    "nien_han": "niên hạn",
    "doi_ngoai": "đối ngoại",
}
RECIPIENT_WORDS = {"individual": "cá nhân", "collective": "tập thể"}
PROBLEM_WORDS = {
    "irregular": "không đúng danh mục khen thưởng",
    "no_decision": "chưa ghi số quyết định",
}


@dataclass(frozen=True)
class Body:
    """The kind-specific part of a document."""

    doc_type: str | None
    summary: str
    title: str
    addressees: tuple[str, ...]
    blocks: tuple[Block, ...]


class _Writer:
    """Collects blocks and numbers the headings of one level as it goes."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.numbers = {1: 0, 2: 0}

    def heading(self, text: str, level: int) -> None:
        if level == 1:
            self.numbers[1] += 1
            self.numbers[2] = 0
            self.blocks.append(Heading(f"{ROMAN[self.numbers[1] - 1]}. {text.upper()}", 1))
        else:
            self.numbers[2] += 1
            self.blocks.append(Heading(f"{self.numbers[2]}. {text}", 2))

    def point(self, lead: str, text: str) -> None:
        """A numbered paragraph with its bold lead, as seed 000 writes them."""
        self.numbers[2] += 1
        self.blocks.append(Paragraph(text, f"{self.numbers[2]}. {lead}"))

    def para(self, text: str, lead: str = "") -> None:
        if text or lead:
            self.blocks.append(Paragraph(text, lead))

    def bullet(self, text: str) -> None:
        self.blocks.append(Bullet(text))

    def free(self, text: str) -> None:
        """A note's text: "- " lines as list items, other lines as paragraphs."""
        for line in text.replace("\r\n", "\n").split("\n"):
            line = line.strip()
            if not line:
                continue
            if line[:2] in ("- ", "+ ", "• "):
                self.bullet(line[2:].strip())
            else:
                self.para(line)


def _notes(content: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in (content.get("notes") or {}).items() if v and v.strip()}


def _addressees(notes: dict[str, str]) -> tuple[str, ...]:
    text = notes.get("kinh_gui", "")
    lines = [clause(line.lstrip("-+• ")) for line in text.replace(";", "\n").split("\n")]
    return tuple(line for line in lines if line)


def _opening(w: _Writer, notes: dict[str, str], default: str) -> None:
    if "mo_dau" in notes:
        w.free(notes["mo_dau"])
    else:
        w.para(default)


def _closing(w: _Writer, notes: dict[str, str], default: str) -> None:
    text = notes.get("ket_luan") or default
    w.para(clause(text) + "./.")


def _other_notes(w: _Writer, notes: dict[str, str], used: set[str], level: int) -> None:
    """Sections no kind places: under their own names, in code order (deterministic)."""
    for section in sorted(notes):
        if section in used or section in FRAME_SECTIONS:
            continue
        title = SECTION_TITLES.get(section) or upper_first(section.replace("_", " "))
        w.heading(title, level)
        w.free(notes[section])


def _period(content: dict[str, Any]) -> tuple[str, str]:
    label = content["period"]["label"]
    return label, period_phrase(label)


def _as_of(content: dict[str, Any]) -> str:
    return day_month(date.fromisoformat(content["as_of"]))


# --- key-tasks (seed 000) -----------------------------------------------------------------


def _task_phrase(task: dict[str, Any]) -> str:
    return f"{lower_first(clause(task['title']))} (nhiệm vụ {task['no']})"


def _by_reason(tasks: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Tasks grouped by their reason, groups in the order of their first task."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        groups.setdefault(clause(task.get("reason")), []).append(task)
    return list(groups.items())


def _grouped(tasks: list[dict[str, Any]], joiner: str) -> str:
    parts = []
    for reason, group in _by_reason(tasks):
        listed = ", ".join(_task_phrase(t) for t in group)
        parts.append(
            f"{upper_first(reason)}, {joiner}: {listed}" if reason else upper_first(listed)
        )
    return ". ".join(parts) + "."


def _with_refs(tasks: list[dict[str, Any]]) -> str:
    refs = [f"nhiệm vụ {t['no']}: văn bản số {t['ref']}" for t in tasks if t.get("ref")]
    return f" ({'; '.join(refs)})" if refs else ""


def _task_text(task: dict[str, Any], numbered: bool) -> str:
    reason = clause(task.get("reason"))
    ref = f" (văn bản số {task['ref']})" if task.get("ref") else ""
    no = f" (nhiệm vụ {task['no']})" if numbered else ""
    return (
        upper_first(clause(task["title"]))
        + no
        + (f": {lower_first(reason)}" if reason else "")
        + ref
        + "."
    )


def _point_tasks(w: _Writer, lead: str, tasks: list[dict[str, Any]]) -> None:
    """A single task in the lead's paragraph; several as list items under it."""
    if len(tasks) == 1:
        w.point(lead, _task_text(tasks[0], numbered=False))
        return
    w.point(lead, "")
    for task in tasks:
        w.bullet(_task_text(task, numbered=True))


def key_tasks(content: dict[str, Any], org: Organisation) -> Body:
    label, phrase = _period(content)
    notes = _notes(content)
    programme = content["programme"]
    year = int(label[:4])
    of_programme = phrase if programme == label[:4] else f"(chương trình {programme})"
    w = _Writer()
    _opening(
        w,
        notes,
        f"{org.short_name} báo cáo kết quả thực hiện Chương trình công tác trọng tâm "
        f"{of_programme}, tính đến ngày {_as_of(content)}, như sau:",
    )
    tasks = content["tasks"]
    by_status: dict[str, list[dict[str, Any]]] = {s: [] for s in STATUS_ORDER}
    for task in tasks:
        by_status.setdefault(task["status"], []).append(task)
    done = by_status["completed"]
    w.para(
        f"Chương trình có {count(len(tasks))} nhiệm vụ; đến nay đã hoàn thành "
        f"{count(len(done))}/{count(len(tasks))} nhiệm vụ."
    )
    if done:
        w.point(
            "Nhiệm vụ đã hoàn thành theo kế hoạch và thời gian:",
            "Tính đến thời điểm này, các phòng, đơn vị đã hoàn thành các nhiệm vụ trong Chương "
            f"trình theo số thứ tự: {numbers_list([t['no'] for t in done])}{_with_refs(done)}.",
        )
    going = by_status["in_progress"]
    if going:
        numbers = numbers_list([t["no"] for t in going])
        _point_tasks(w, f"Nhiệm vụ đang triển khai (nhiệm vụ {numbers}):", going)
    for status, lead, joiner in (
        ("deferral_proposed", f"Một số nhiệm vụ đề xuất điều chỉnh sang năm {year + 1}:", "đó là"),
        ("deferred", f"Nhiệm vụ đã được điều chỉnh sang năm {year + 1}:", "đó là"),
        ("not_carried_out", "Một số nhiệm vụ không thực hiện được:", "cụ thể"),
    ):
        if by_status[status]:
            w.point(lead, _grouped(by_status[status], joiner))
    stopped = by_status["cancelled"]
    if stopped:
        numbers = numbers_list([t["no"] for t in stopped])
        _point_tasks(w, f"Nhiệm vụ dừng thực hiện (nhiệm vụ {numbers}):", stopped)
    silent = by_status["unreported"]
    if silent:
        w.point(
            "Nhiệm vụ chưa có báo cáo kết quả:",
            f"các nhiệm vụ theo số thứ tự: {numbers_list([t['no'] for t in silent])}.",
        )
    for section in ("danh_gia", "kien_nghi", "nhiem_vu_ky_toi"):
        if section in notes:
            title = SECTION_TITLES[section]
            if section == "nhiem_vu_ky_toi":
                title = f"Nhiệm vụ trọng tâm {next_period_phrase(label)}"
            w.point(title + ":", "")
            w.free(notes[section])
    _other_notes(w, notes, {"danh_gia", "kien_nghi", "nhiem_vu_ky_toi"}, 2)
    _closing(
        w,
        notes,
        f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ trọng tâm {phrase} của {org.name}",
    )
    summary = f"báo cáo kết quả thực hiện nhiệm vụ trọng tâm {of_programme}"
    return Body(None, summary, upper_first(summary), _addressees(notes), tuple(w.blocks))


# --- assigned-tasks (seed 004, section IV) ------------------------------------------------

OUTCOME_WORDS = {
    "completed_on_time": "hoàn thành trong hạn",
    "completed_late": "hoàn thành quá hạn",
    "not_completed_on_time": "chưa hoàn thành trong hạn",
    "in_progress": "đang thực hiện, chưa đến hạn",
    "cancelled": "dừng thực hiện hoặc điều chỉnh",
}


LISTED_TASKS = 10
OUTCOMES_SHOWN = (
    "completed_on_time",
    "completed_late",
    "not_completed_on_time",
    "in_progress",
    "cancelled",
)


def assigned_tasks(content: dict[str, Any], org: Organisation) -> Body:
    label, phrase = _period(content)
    notes = _notes(content)
    w = _Writer()
    _opening(
        w,
        notes,
        f"{org.short_name} báo cáo kết quả thực hiện các nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ "
        f"tịch Ủy ban nhân dân tỉnh giao {phrase}, tính đến ngày {_as_of(content)}, như sau:",
    )
    since = "Từ đầu năm đến nay" if label[5:] in ("", "H1", "9M", "Q1") else f"Trong {phrase}"
    parts = [
        f"{count(content[key])} nhiệm vụ {OUTCOME_WORDS[key]}"
        for key in (
            "completed_on_time",
            "not_completed_on_time",
            "completed_late",
            "in_progress",
            "cancelled",
        )
        if content[key]
    ]
    total = content["total"]
    if total:
        w.para(
            f"{since}, {org.short_name} được giao tổng cộng {count(total)} nhiệm vụ, trong đó có "
            + ", ".join(parts)
            + "."
        )
    else:
        w.para(f"{since}, {org.short_name} chưa được giao nhiệm vụ nào.")
    # A few tasks are written out one by one (seed 000's UBND item); many go to a table.
    few = len(content["tasks"]) <= LISTED_TASKS
    shown = OUTCOMES_SHOWN if few else ("completed_late", "not_completed_on_time", "cancelled")
    for key in shown:
        listed = [t for t in content["tasks"] if t["outcome"] == key]
        if not listed:
            continue
        w.para("", f"Nhiệm vụ {OUTCOME_WORDS[key]}:")
        for task in listed:
            when = [f"thời hạn {iso_day(task['deadline'])}"] if task.get("deadline") else []
            if task.get("completed_on"):
                when.append(f"hoàn thành ngày {iso_day(task['completed_on'])}")
            w.bullet(
                f"{upper_first(clause(task['title']))} (nhiệm vụ {task['no']}, "
                f"{task['unit']}{'; ' + '; '.join(when) if when else ''})."
            )
    if content["tasks"] and not few:
        rows = tuple(
            (
                str(i),
                f"{clause(t['title'])} ({t['programme']}/{t['no']})",
                t["unit"],
                iso_day(t.get("deadline")),
                upper_first(OUTCOME_WORDS[t["outcome"]])
                + (f" ({iso_day(t['completed_on'])})" if t.get("completed_on") else ""),
            )
            for i, t in enumerate(content["tasks"], 1)
        )
        w.blocks.append(
            Table(
                ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả"),
                rows,
                (6, 42, 20, 13, 19),
                "Danh mục nhiệm vụ được giao",
            )
        )
    for section in ("danh_gia", "kien_nghi", "nhiem_vu_ky_toi"):
        if section in notes:
            w.para("", SECTION_TITLES[section] + ":")
            w.free(notes[section])
    _other_notes(w, notes, {"danh_gia", "kien_nghi", "nhiem_vu_ky_toi"}, 2)
    _closing(
        w,
        notes,
        f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh giao {phrase} "
        f"của {org.name}",
    )
    summary = f"báo cáo kết quả thực hiện nhiệm vụ UBND tỉnh giao {phrase}"
    return Body(None, summary, upper_first(summary), _addressees(notes), tuple(w.blocks))


# --- foreign-affairs (seeds 001, 003, 004) ------------------------------------------------


def _breakdown(counts: dict[str, int], words: dict[str, str], unit: str) -> str:
    return ", ".join(f"{count(counts[c])} {unit} {words[c]}" for c in words if counts.get(c))


def _delegations(content: dict[str, Any], direction: str, against: str) -> str:
    data = content[direction]
    prev = data["previous"]
    now = (data["delegations"], data["people"])
    diff = ""
    # Format 2: no comparison with an earlier window that is not complete (null figures).
    if prev is not None and prev["delegations"] is not None and prev["people"] is not None:
        before = (prev["delegations"], prev["people"])
        diff = pair_change(now, before, ("đoàn", "lượt"))
        diff = f"{diff} {against}" if diff != "bằng" else f"bằng {against[len('so với ') :]}"
    elif prev is not None and prev["delegations"] is not None:
        diff = _against(change(now[0], prev["delegations"], "đoàn"), against)
    diff = f" ({diff})" if diff else ""
    if direction == "outbound":
        who = "cán bộ, công chức, viên chức của tỉnh đi công tác nước ngoài"
    else:
        who = "khách nước ngoài đến thăm, làm việc tại tỉnh"
    if data["delegations"]:
        text = f"Có {count(now[0])} đoàn/{count(now[1])} lượt {who}{diff}"
    else:
        text = f"Không có đoàn {who}{diff}"
    details = []
    funding = _breakdown(data["by_funding"], FUNDING_WORDS, "đoàn")
    approval = _breakdown(data["by_approval"], APPROVAL_WORDS, "đoàn")
    if funding or approval:
        details.append("; ".join(p for p in (funding, approval) if p))
    if data.get("received_by_leaders"):
        details.append(f"{count(data['received_by_leaders'])} đoàn do lãnh đạo tỉnh đón tiếp")
    if details:
        text += ", trong đó có " + "; ".join(details)
    text += "."
    plan = data.get("plan")
    if plan and plan["items"]:
        rate = (
            f" (tỷ lệ {percent(plan['rate_percent'])})" if plan["rate_percent"] is not None else ""
        )
        text += (
            f" Thực hiện {count(plan['done'])}/{count(plan['items'])}{rate} các đoàn ra theo kế "
            "hoạch đã được phê duyệt."
        )
    if data.get("unplanned"):
        text += f" Trong kỳ có {count(data['unplanned'])} đoàn phát sinh ngoài kế hoạch."
    return text


def _against(change_text: str, against: str) -> str:
    return f"{change_text} {against}" if change_text != "bằng" else f"bằng {against[8:]}"


def _money(aid: dict[str, Any], key: str, against: str) -> str:
    text = usd(aid[key])
    previous = (aid["previous"] or {}).get(key)
    diff = percent_change(aid[key], previous) if previous is not None else None
    return f"{text} ({_against(diff, against)})" if diff else text


def foreign_affairs(content: dict[str, Any], org: Organisation) -> Body:
    label, phrase = _period(content)
    against = compared_with(label)
    notes = _notes(content)
    w = _Writer()
    _opening(
        w,
        notes,
        f"{org.short_name} báo cáo kết quả công tác đối ngoại {phrase} như sau:",
    )
    w.heading("Kết quả thực hiện", 1)
    w.heading("Công tác quản lý đoàn ra, đoàn vào", 2)
    w.bullet("Đoàn ra: " + _delegations(content, "outbound", against))
    w.bullet("Đoàn vào: " + _delegations(content, "inbound", against))

    conf = content["conferences"]
    agreements = content["agreements"]
    if conf["count"] or conf["previous"] or agreements["count"] or agreements["previous"]:
        w.heading("Hợp tác quốc tế, hội nghị, hội thảo quốc tế", 2)
    if conf["count"] or conf["previous"]:
        diff = (
            _against(change(conf["count"], conf["previous"], "hội nghị, hội thảo"), against)
            if conf["previous"] is not None
            else ""
        )
        what = (
            f"{count(conf['count'])} hội nghị, hội thảo quốc tế"
            if conf["count"]
            else "hội nghị, hội thảo quốc tế nào"
        )
        verb = "Tham mưu cho phép tổ chức" if conf["count"] else "Không tổ chức"
        w.bullet(f"{verb} {what}" + (f" ({diff})." if diff else "."))
    if agreements["count"] or agreements["previous"]:
        levels = agreements["by_level"]
        inside = [
            f"{count(levels[code])} thỏa thuận {words}"
            for code, words in (
                ("province", "nhân danh cấp tỉnh"),
                ("agency", "nhân danh các cơ quan, tổ chức, đơn vị trực thuộc"),
            )
            if levels.get(code)
        ]
        diff = (
            _against(change(agreements["count"], agreements["previous"], "thỏa thuận"), against)
            if agreements["previous"] is not None
            else ""
        )
        w.bullet(
            f"Tổ chức ký kết {count(agreements['count'])} thỏa thuận quốc tế"
            + (f", trong đó có {' và '.join(inside)}" if inside else "")
            + (f" ({diff})." if diff else ".")
        )

    aid = content["aid"]
    if aid["committed_usd"] or aid["disbursed_usd"] or any((aid["previous"] or {}).values()):
        w.heading("Công tác vận động viện trợ phi chính phủ nước ngoài", 2)
        w.bullet(
            f"Giá trị cam kết viện trợ phi chính phủ nước ngoài đạt "
            f"{_money(aid, 'committed_usd', against)}, giá trị giải ngân đạt "
            f"{_money(aid, 'disbursed_usd', against)}."
        )

    active = [
        (code, data)
        for code, data in content["activity"].items()
        if code in CATALOGUE and data["value"] is not None and (data["value"] or data["previous"])
    ]
    if active:
        w.heading("Công tác lãnh sự, dịch thuật và thủ tục hành chính", 2)
    for code, data in active:
        metric = CATALOGUE[code]
        text = f"{metric.label}: {count(data['value'])} {metric.unit}"
        diff = (
            percent_change(data["value"], data["previous"])
            if data["previous"] is not None
            else None
        )
        if diff:
            text += f" ({_against(diff, against)})"
        detail = [
            f"{DETAIL_LABELS.get(k, k)} {count(v)} {metric.unit}"
            for k, v in (data.get("detail") or {}).items()
            if v
        ]
        if detail:
            text += ", trong đó: " + ", ".join(detail)
        w.bullet(text + ".")
    merged = content.get("merged_from") or []
    if merged:
        w.para(
            "Số liệu gồm cả hồ sơ của "
            + ", ".join(f"{m['org']} (trước ngày {iso_day(m['until'])})" for m in merged)
            + " đã hợp nhất vào đơn vị."
        )
    used = {"danh_gia", "kien_nghi", "nhiem_vu_ky_toi"}
    if "danh_gia" in notes:
        w.heading(SECTION_TITLES["danh_gia"], 1)
        w.free(notes["danh_gia"])
    if "nhiem_vu_ky_toi" in notes:
        w.heading(f"Kế hoạch trọng tâm {next_period_phrase(label)}", 1)
        w.free(notes["nhiem_vu_ky_toi"])
    if "kien_nghi" in notes:
        w.heading(SECTION_TITLES["kien_nghi"], 1)
        w.free(notes["kien_nghi"])
    _other_notes(w, notes, used, 1)
    plan = f" và kế hoạch {next_period_phrase(label)}" if "nhiem_vu_ky_toi" in notes else ""
    _closing(w, notes, f"Trên đây là báo cáo công tác đối ngoại {phrase}{plan} của {org.name}")
    summary = upper_first(f"công tác đối ngoại {phrase}")
    if "nhiem_vu_ky_toi" in notes:
        summary += f", kế hoạch {next_period_phrase(label)}"
    return Body("BÁO CÁO", summary, summary, _addressees(notes), tuple(w.blocks))


# --- emulation (seed 002) ------------------------------------------------------------------


def _grantor(award: dict[str, Any]) -> str:
    if award.get("grantor") == "bo_truong" and award.get("body"):
        return str(award["body"])
    return GRANTOR_LABELS.get(award.get("grantor") or "", "cấp có thẩm quyền")


def _award_name(award: dict[str, Any]) -> str:
    if award.get("title"):
        return str(award["title"])
    name = FORM_LABELS.get(award.get("form") or "", "hình thức khen thưởng")
    category = award.get("category")
    if category == "chuyen_de":
        name += " chuyên đề"
    return name


def _award_lines(awards: list[dict[str, Any]]) -> list[str]:
    """Awards grouped by grantor, award and recipient type, groups in first-award order."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for award in awards:
        key = (_grantor(award), _award_name(award), award["recipient"].get("type") or "")
        groups.setdefault(key, []).append(award["recipient"].get("name") or "")
    lines = []
    for (grantor, name, kind), names in groups.items():
        who = RECIPIENT_WORDS.get(kind, "trường hợp")
        listed = "; ".join(n for n in names if n)
        lines.append(
            f"{grantor} tặng {name} cho {count(len(names))} {who}"
            + (f" ({listed})" if listed else "")
            + "."
        )
    return lines


def emulation(content: dict[str, Any], org: Organisation) -> Body:
    label, phrase = _period(content)
    notes = _notes(content)
    w = _Writer()
    _opening(
        w,
        notes,
        f"{org.short_name} báo cáo kết quả công tác thi đua, khen thưởng {phrase} như sau:",
    )
    w.blocks.append(Heading(f"A. KẾT QUẢ ĐẠT ĐƯỢC {phrase.upper()}", 1))
    if "nhiem_vu_chinh_tri" in notes:
        w.heading(SECTION_TITLES["nhiem_vu_chinh_tri"], 1)
        w.free(notes["nhiem_vu_chinh_tri"])
    w.heading("Công tác thi đua khen thưởng", 1)
    w.heading(SECTION_TITLES["lanh_dao_chi_dao"], 2)
    if "lanh_dao_chi_dao" in notes:
        w.free(notes["lanh_dao_chi_dao"])
    movements = content["movements"]
    if movements:
        w.para(f"Trong kỳ có {count(len(movements))} phong trào thi đua được triển khai:")
        for m in movements:
            origin = [f"phát động ngày {iso_day(m['launched_on'])}"]
            if m.get("ref"):
                origin.append(f"văn bản số {m['ref']}")
            phases = [
                f"{p['name']} từ {iso_day(p['from'])} đến {iso_day(p['to'])}" for p in m["phases"]
            ]
            title = clause(m["title"])
            if not title.casefold().startswith(("phong trào", "đợt thi đua", "cuộc vận động")):
                title = f"Phong trào “{title}”"
            text = f"{upper_first(title)} ({', '.join(origin)})"
            if phases:
                text += ": " + "; ".join(phases)
            if m.get("registrations"):
                text += f"; {count(m['registrations'])} lượt đăng ký thi đua"
            w.bullet(text + ".")
    elif "lanh_dao_chi_dao" not in notes:
        w.para("Trong kỳ không có phong trào thi đua nào được ghi nhận.")
    w.heading("Kết quả khen thưởng", 2)
    awards = content["awards"]
    by_type = content["by_recipient_type"]
    if awards:
        w.para(
            f"{upper_first(phrase)}, có {count(len(awards))} lượt khen thưởng, danh hiệu thi đua "
            f"được quyết định ({count(by_type.get('collective', 0))} lượt tập thể, "
            f"{count(by_type.get('individual', 0))} lượt cá nhân), cụ thể:"
        )
        for line in _award_lines(awards):
            w.bullet(line)
    else:
        w.para(f"{upper_first(phrase)}, chưa có quyết định khen thưởng nào được ghi nhận.")
    pending = content["proposed"]
    if pending:
        w.heading("Hồ sơ đề nghị khen thưởng đang chờ quyết định", 2)
        for p in pending:
            when = f" (đề nghị ngày {iso_day(p['proposed_on'])})" if p.get("proposed_on") else ""
            w.bullet(
                f"Đề nghị {_grantor(p)} tặng {_award_name(p)} cho "
                f"{RECIPIENT_WORDS.get(p['recipient'].get('type') or '', '')} "
                f"{p['recipient'].get('name') or ''}".replace("  ", " ").strip()
                + when
                + "."
            )
    if "uu_diem" in notes or "han_che" in notes or "danh_gia" in notes:
        w.heading("Ưu điểm, hạn chế", 1)
        for section in ("danh_gia", "uu_diem", "han_che"):
            if section in notes:
                w.heading(SECTION_TITLES[section], 2)
                w.free(notes[section])
    used = {"nhiem_vu_chinh_tri", "lanh_dao_chi_dao", "danh_gia", "uu_diem", "han_che"}
    if "nhiem_vu_ky_toi" in notes or "kien_nghi" in notes:
        w.blocks.append(
            Heading(f"B. PHƯƠNG HƯỚNG, NHIỆM VỤ {next_period_phrase(label).upper()}", 1)
        )
        w.numbers = {1: 0, 2: 0}
        for section in ("nhiem_vu_ky_toi", "kien_nghi"):
            if section in notes:
                if section == "kien_nghi":
                    w.heading(SECTION_TITLES[section], 1)
                w.free(notes[section])
    used |= {"nhiem_vu_ky_toi", "kien_nghi"}
    _other_notes(w, notes, used, 1)
    _closing(
        w,
        notes,
        f"Trên đây là báo cáo kết quả công tác thi đua, khen thưởng {phrase} của {org.name}",
    )
    summary = upper_first(f"công tác thi đua, khen thưởng {phrase}")
    if "nhiem_vu_ky_toi" in notes:
        summary += f", phương hướng nhiệm vụ {next_period_phrase(label)}"
    return Body("BÁO CÁO", summary, summary, _addressees(notes), tuple(w.blocks))


# --- award registers (inspector) -----------------------------------------------------------


def _register_rows(awards: list[dict[str, Any]], problems: bool) -> tuple[tuple[str, ...], ...]:
    rows = []
    for i, a in enumerate(awards, 1):
        recipient = a["recipient"]
        row = [
            str(i),
            f"{recipient.get('name') or ''} ({RECIPIENT_WORDS.get(recipient.get('type'), '?')})",
            upper_first(_award_name(a)),
            _grantor(a),
            CATEGORY_LABELS.get(a.get("category") or "", ""),
            ", ".join(x for x in (a.get("ref"), iso_day(a.get("decided_on"))) if x),
        ]
        if problems:
            found = [PROBLEM_WORDS.get(p, p) for p in a.get("problems", [])]
            if a.get("irregular_reason"):
                found.append(clause(a["irregular_reason"]))
            row.append(upper_first("; ".join(found)))
        rows.append(tuple(row))
    return tuple(rows)


def _register(content: dict[str, Any], org: Organisation, irregular: bool) -> Body:
    _label, phrase = _period(content)
    notes = _notes(content)
    awards = content["awards"]
    w = _Writer()
    what = (
        "các trường hợp khen thưởng không đúng danh mục hoặc chưa ghi số quyết định"
        if irregular
        else "các quyết định khen thưởng, danh hiệu thi đua"
    )
    _opening(
        w,
        notes,
        f"{org.short_name} tổng hợp {what} {phrase} (tính đến ngày {_as_of(content)}): "
        f"tổng số {count(content['total'])} trường hợp.",
    )
    if awards:
        header = ["TT", "Tập thể, cá nhân", "Hình thức", "Cấp quyết định", "Loại", "Quyết định"]
        widths = [6, 28, 22, 16, 12, 16]
        if irregular:
            header.append("Vấn đề")
            widths = [5, 21, 17, 13, 12, 14, 18]
        w.blocks.append(Table(tuple(header), _register_rows(awards, irregular), tuple(widths), ""))
    for section in ("danh_gia", "kien_nghi"):
        if section in notes:
            w.heading(SECTION_TITLES[section], 2)
            w.free(notes[section])
    _other_notes(w, notes, {"danh_gia", "kien_nghi"}, 2)
    _closing(w, notes, f"{org.short_name} báo cáo để theo dõi, kiểm tra")
    if irregular:
        summary = upper_first(f"các trường hợp khen thưởng cần rà soát {phrase}")
    else:
        summary = upper_first(f"sổ theo dõi khen thưởng {phrase}")
    return Body("BÁO CÁO", summary, summary, _addressees(notes), tuple(w.blocks))


def award_register(content: dict[str, Any], org: Organisation) -> Body:
    return _register(content, org, irregular=False)


def award_irregular(content: dict[str, Any], org: Organisation) -> Body:
    return _register(content, org, irregular=True)


BODIES: dict[str, Callable[[dict[str, Any], Organisation], Body]] = {
    "key-tasks": key_tasks,
    "assigned-tasks": assigned_tasks,
    "foreign-affairs": foreign_affairs,
    "emulation": emulation,
    "award-register": award_register,
    "award-irregular": award_irregular,
}


def body_of(content: dict[str, Any], org: Organisation) -> Body:
    """The body of a report's content, by its kind (every format version the builders keep)."""
    kind = content["report"]
    if kind not in BODIES:
        raise KeyError(f"không có mẫu văn bản cho loại báo cáo {kind!r}")
    return BODIES[kind](content, org)


__all__ = ["BODIES", "Body", "body_of"]
