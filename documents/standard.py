"""The standard draft of each report kind: the kind's text as a draft body over one source, for
`ngoaivu draft new` (the office edits it, then imports it as a `document.drafted` line)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from documents.filters import period as period_words


@dataclass(frozen=True)
class Standard:
    """A kind's standard draft: source name, document type, trích yếu (with {period}), body."""

    source: str
    type: str
    title: str
    body: str


# The office's free text (report.note sections), where the standard documents of
# documents/official/bodies.py put it: `mo_dau` instead of the opening sentence, the titled
# sections after the figures, any other section under its own name, `ket_luan` instead of the
# closing sentence. `kinh_gui` is the draft's own `addressees`, never printed in the body.
FRAME = ["kinh_gui", "mo_dau", "ket_luan"]
TITLED = [
    ["nhiem_vu_chinh_tri", "Về thực hiện nhiệm vụ chính trị"],
    ["lanh_dao_chi_dao", "Công tác lãnh đạo, chỉ đạo"],
    ["danh_gia", "Nhận xét, đánh giá"],
    ["uu_diem", "Ưu điểm"],
    ["han_che", "Hạn chế"],
    ["kien_nghi", "Kiến nghị, đề xuất"],
    ["nhiem_vu_ky_toi", "Phương hướng, nhiệm vụ kỳ tới"],
]


def opening(src: str, default: str) -> str:
    """The note `mo_dau` of source `src` when written, else the standard opening sentence."""
    return (
        f'{{% if "mo_dau" in {src}.notes %}}{{{{ {src}.notes.mo_dau|markup }}}}'
        f"{{% else %}}{default}{{% endif %}}"
    )


def sections(src: str) -> str:
    """The titled note sections, then any other, each with its heading."""
    titled = "".join(
        f"""
{{% if "{code}" in {src}.notes %}}

## {title}

{{{{ {src}.notes.{code}|markup }}}}
{{% endif %}}"""
        for code, title in TITLED
    )
    known = repr(FRAME + [code for code, _title in TITLED])
    return f"""{titled}
{{% for code, text in {src}.notes|dictsort if code not in {known} %}}

## {{{{ code|upperfirst }}}}

{{{{ text|markup }}}}
{{% endfor %}}"""


def closing(src: str, default: str) -> str:
    """The note `ket_luan` (ended with "./.") when written, else the standard closing."""
    return (
        f'{{% if "ket_luan" in {src}.notes %}}{{{{ {src}.notes.ket_luan|markup }}}}./.'
        f"{{% else %}}{default}./.{{% endif %}}"
    )


KEY_TASKS = (
    opening(
        "kt",
        "Thực hiện Chương trình công tác trọng tâm {{ kt.period|period }}, tính đến ngày "
        "{{ kt.as_of|date }}, kết quả thực hiện như sau:",
    )
    + """

Chương trình có {{ kt.tasks|length|count }} nhiệm vụ; đến nay đã hoàn thành \
{{ kt.summary.completed|count }}/{{ kt.tasks|length|count }} nhiệm vụ.
{% for status in ["completed", "in_progress", "deferral_proposed", "deferred", \
"not_carried_out", "cancelled", "unreported"] %}
{% set tasks = kt.tasks|selectattr("status", "equalto", status)|list %}
{% if tasks %}

**Nhiệm vụ {{ status|label("status") }}** ({{ tasks|length|count }} nhiệm vụ):
{% for t in tasks %}

- {{ t.title|upperfirst }} (nhiệm vụ {{ t.no }}, {{ t.unit }}){% if t.reason %}: \
{{ t.reason|lowerfirst }}{% endif %}{% if t.ref %} (văn bản số {{ t.ref }}){% endif %}\
{{ ";" if not loop.last else "." }}
{% endfor %}
{% endif %}
{% endfor %}
"""
    + sections("kt")
    + "\n\n"
    + closing(
        "kt", "Trên đây là báo cáo kết quả thực hiện nhiệm vụ trọng tâm {{ kt.period|period }}"
    )
)

ASSIGNED_TASKS = (
    opening(
        "ut",
        "Kết quả thực hiện các nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh "
        "giao {{ ut.period|period }}, tính đến ngày {{ ut.as_of|date }}, như sau:",
    )
    + """

Tổng số nhiệm vụ được UBND tỉnh giao {{ ut.period|period }}: \
{{ ut.total|count }} nhiệm vụ; trong đó hoàn thành trong hạn {{ ut.completed_on_time|count }} \
nhiệm vụ, hoàn thành quá hạn {{ ut.completed_late|count }} nhiệm vụ, chưa hoàn thành trong hạn \
{{ ut.not_completed_on_time|count }} nhiệm vụ, đang triển khai {{ ut.in_progress|count }} nhiệm \
vụ, hủy bỏ hoặc điều chỉnh {{ ut.cancelled|count }} nhiệm vụ.
{% if ut.tasks %}

{{ ut.tasks|table("no:Số TT", "title:Nhiệm vụ", "unit:Đơn vị chủ trì", \
"outcome|outcome:Kết quả") }}
{% endif %}
"""
    + sections("ut")
    + "\n\n"
    + closing(
        "ut", "Trên đây là báo cáo kết quả thực hiện nhiệm vụ UBND tỉnh giao {{ ut.period|period }}"
    )
)

FOREIGN_AFFAIRS = (
    opening("fa", "Kết quả công tác đối ngoại {{ fa.period|period }} như sau:")
    + """

# I. KẾT QUẢ CÔNG TÁC ĐỐI NGOẠI

## 1. Công tác đoàn ra
{% set out = fa.outbound %}

Tổng số đoàn ra {{ fa.period|period }}: {{ out.delegations|count }} đoàn/\
{{ out.people|count }} lượt người{{ [out.delegations, out.people]|compare(\
[out.previous.delegations, out.previous.people], ["đoàn", "lượt"], fa.period)|wrap(" (", ")") }}\
; trong đó sử dụng ngân sách Nhà nước {{ out.by_funding.state_budget|count }} đoàn, tự túc kinh \
phí {{ out.by_funding.self_funded|count }} đoàn, do Trung ương đài thọ \
{{ out.by_funding.central|count }} đoàn, do đối tác đài thọ {{ out.by_funding.partner|count }} \
đoàn.{% if out.plan.rate_percent is not none %} Thực hiện {{ out.plan.done|count }}/\
{{ out.plan.items|count }} đoàn theo kế hoạch ({{ out.plan.rate_percent|percent }}); \
{{ out.unplanned|count }} đoàn phát sinh ngoài kế hoạch.{% endif %}

## 2. Công tác đón đoàn vào
{% set inb = fa.inbound %}

Tổng số đoàn vào {{ fa.period|period }}: {{ inb.delegations|count }} đoàn/\
{{ inb.people|count }} lượt người{{ [inb.delegations, inb.people]|compare(\
[inb.previous.delegations, inb.previous.people], ["đoàn", "lượt"], fa.period)|wrap(" (", ")") }}\
; {{ inb.received_by_leaders|count }} đoàn do lãnh đạo tỉnh tiếp.

## 3. Hội nghị, hội thảo quốc tế và thỏa thuận quốc tế

Tổ chức {{ fa.conferences.count|count }} hội nghị, hội thảo quốc tế\
{{ fa.conferences.count|compare(fa.conferences.previous, "hội nghị, hội thảo", fa.period)\
|wrap(" (", ")") }}. Ký kết {{ fa.agreements.count|count }} thỏa thuận quốc tế \
({{ fa.agreements.by_level.province|count }} thỏa thuận nhân danh cấp tỉnh, \
{{ fa.agreements.by_level.agency|count }} thỏa thuận nhân danh các cơ quan, đơn vị)\
{{ fa.agreements.count|compare(fa.agreements.previous, "thỏa thuận", fa.period)\
|wrap(" (", ")") }}.

## 4. Viện trợ phi chính phủ nước ngoài

Giá trị cam kết viện trợ đạt {{ fa.aid.committed_usd|money }}, giá trị giải ngân đạt \
{{ fa.aid.disbursed_usd|money }}.

## 5. Các hoạt động khác
{% for code, m in fa.activity|dictsort %}
{% if m.value is not none %}

- {{ code|label("metric") }}: {{ m.value|number }}\
{{ m.value|compare(m.previous, period=fa.period, percent=true)|wrap(" (", ")") }};
{% endif %}
{% endfor %}
"""
    + sections("fa")
    + "\n\n"
    + closing("fa", "Trên đây là báo cáo kết quả công tác đối ngoại {{ fa.period|period }}")
)

EMULATION = (
    opening("em", "Kết quả công tác thi đua, khen thưởng {{ em.period|period }} như sau:")
    + """

Công tác thi đua, khen thưởng {{ em.period|period }}: \
{{ em.awards|length|count }} lượt khen thưởng được quyết định \
({{ em.by_recipient_type.collective|count }} tập thể, \
{{ em.by_recipient_type.individual|count }} cá nhân); {{ em.proposed|length|count }} hồ sơ \
đề nghị đang chờ xét.
{% if em.movements %}

**Phong trào thi đua:**
{% for m in em.movements %}

- {{ m.title|upperfirst }}{{ ";" if not loop.last else "." }}
{% endfor %}
{% endif %}
{% if em.awards %}

{{ em.awards|table("form|form:Hình thức", "recipient.name:Tập thể, cá nhân", \
"grantor|grantor:Cấp khen", "ref:Quyết định") }}
{% endif %}
"""
    + sections("em")
    + "\n\n"
    + closing("em", "Trên đây là báo cáo công tác thi đua, khen thưởng {{ em.period|period }}")
)

STANDARDS: dict[str, Standard] = {
    "key-tasks": Standard(
        "kt", "cong_van", "báo cáo kết quả thực hiện nhiệm vụ trọng tâm {period}", KEY_TASKS
    ),
    "assigned-tasks": Standard(
        "ut", "bao_cao", "Kết quả thực hiện nhiệm vụ UBND tỉnh giao {period}", ASSIGNED_TASKS
    ),
    "foreign-affairs": Standard(
        "fa", "bao_cao", "Kết quả công tác đối ngoại {period}", FOREIGN_AFFAIRS
    ),
    "emulation": Standard("em", "bao_cao", "Công tác thi đua, khen thưởng {period}", EMULATION),
}


def standard_draft(
    kind: str,
    org: str,
    period: str,
    at: str,
    *,
    id: str | None = None,
    programme: str | None = None,
    window: str | None = None,
) -> dict[str, Any]:
    """A `document.drafted` line: the kind's standard body over one source of that kind."""
    standard = STANDARDS[kind]
    source: dict[str, Any] = {"report": kind}
    if programme:
        source["programme"] = programme
    if window and window != "nd09":
        source["window"] = window
    return {
        "kind": "document.drafted",
        "org": org,
        "at": at,
        "id": id or f"{kind}-{period}",
        "period": period,
        "sources": {standard.source: source},
        "type": standard.type,
        "title": standard.title.format(period=period_words(period)),
        "addressees": [],
        "body": standard.body,
    }
