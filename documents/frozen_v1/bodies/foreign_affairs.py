"""The foreign-affairs body (seeds 001, 003, 004): each figure in its paragraph, with its
comparison when the earlier window is complete."""

from __future__ import annotations

from typing import Any

from documents.frozen_v1.bodies.common import (
    APPROVAL_WORDS,
    FUNDING_WORDS,
    SECTION_TITLES,
    BlockWriter,
    Body,
    addressees_of,
    notes_of,
    period_words,
    write_closing,
    write_opening,
    write_other_notes,
)
from documents.official.document import Organisation
from documents.official.vietnamese import (
    change,
    compared_with,
    count,
    iso_day,
    next_period_phrase,
    pair_change,
    percent,
    percent_change,
    upper_first,
    usd,
)
from domain.metrics import CATALOGUE, DETAIL_LABELS

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
    label, phrase = period_words(content)
    against = compared_with(label)
    notes = notes_of(content)
    w = BlockWriter()
    write_opening(
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
        rise = (
            percent_change(data["value"], data["previous"])
            if data["previous"] is not None
            else None
        )
        if rise:
            text += f" ({_against(rise, against)})"
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
    write_other_notes(w, notes, used, 1)
    plan = f" và kế hoạch {next_period_phrase(label)}" if "nhiem_vu_ky_toi" in notes else ""
    write_closing(w, notes, f"Trên đây là báo cáo công tác đối ngoại {phrase}{plan} của {org.name}")
    summary = upper_first(f"công tác đối ngoại {phrase}")
    if "nhiem_vu_ky_toi" in notes:
        summary += f", kế hoạch {next_period_phrase(label)}"
    return Body("BÁO CÁO", summary, summary, addressees_of(notes), tuple(w.blocks))
