"""The standard draft of each report kind: the kind's text as a draft body over one source.

The one document engine makes every document from these: `ngoaivu report KIND --format
html|docx|pdf`, `issue KIND` and the web's downloads render the kind's body over the report's
JSON (documents.standard_document), and `ngoaivu draft new` prints it for the office to edit and
import as a `document.drafted` line. Only reports issued with renderer version 1 are written by
the frozen renderer of their day (documents/frozen_v1/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from documents.filters import period as period_words
from domain.metrics import CATALOGUE


@dataclass(frozen=True)
class Standard:
    """A kind's standard draft: source name, document type, trích yếu (with {period} and {next},
    the next period in words), body; `plan_title` is the trích yếu when the office wrote the
    next period's tasks (note `nhiem_vu_ky_toi`)."""

    source: str
    type: str
    title: str
    body: str
    plan_title: str | None = None


# The office's free text (report.note sections), where the standard documents of
# the kind's document puts it: `mo_dau` instead of the opening sentence, the titled
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
    """The note `mo_dau` of source `src` when written, else the standard opening sentence. The
    tags stand on their own lines: a line of tags vanishes, the text keeps its line end."""
    return (
        f'{{% if "mo_dau" in {src}.notes %}}\n{{{{ {src}.notes.mo_dau|markup }}}}\n'
        f"{{% else %}}\n{default}\n{{% endif %}}"
    )


def others(src: str, known: list[str]) -> str:
    """The note sections a kind does not place, each under its own name."""
    listed = repr(FRAME + known)
    return f"""
{{% for code, text in {src}.notes|dictsort if code not in {listed} %}}

## {{{{ code|upperfirst }}}}

{{{{ text|markup }}}}
{{% endfor %}}"""


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
        f'{{% if "ket_luan" in {src}.notes %}}\n{{{{ {src}.notes.ket_luan|markup }}}}./.\n'
        f"{{% else %}}\n{default}./.\n{{% endif %}}"
    )


# --- key-tasks (seed 000): numbered points by state, a công văn to the Ban Giám đốc -----------

TASK_POINTS = [
    "completed",
    "in_progress",
    "deferral_proposed",
    "deferred",
    "not_carried_out",
    "cancelled",
    "unreported",
]


def _task_list(lead: str) -> str:
    """One task in the lead's paragraph; several as dash paragraphs under it."""
    return (
        """
{% if tasks|length == 1 %}

**{{ loop.index }}. """
        + lead
        + """** {% for t in tasks %}{{ t.title|upperfirst }}{% if t.reason %}: \
{{ t.reason|lowerfirst }}{% endif %}{% if t.ref %} (văn bản số {{ t.ref }}){% endif %}.\
{% endfor %}
{% else %}

**{{ loop.index }}. """
        + lead
        + """**
{% for t in tasks %}

- {{ t.title|upperfirst }} (nhiệm vụ {{ t.no }}){% if t.reason %}: \
{{ t.reason|lowerfirst }}{% endif %}{% if t.ref %} (văn bản số {{ t.ref }}){% endif %}.
{% endfor %}
{% endif %}"""
    )


def _by_reason(lead: str, joiner: str) -> str:
    """Tasks grouped by their reason, in the order of each group's first task."""
    return (
        """

**{{ loop.index }}. """
        + lead
        + """** {% for g in tasks|grouped("reason") %}{% if g.first.reason %}\
{{ g.first.reason|upperfirst }}, """
        + joiner
        + """: {% endif %}{% for t in g.items %}\
{{ t.title|upperfirst if loop.first and not g.first.reason else t.title|lowerfirst }} \
(nhiệm vụ {{ t.no }}){{ ", " if not loop.last else "" }}{% endfor %}.\
{{ " " if not loop.last else "" }}{% endfor %}
"""
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
{% set states = """
    + repr(TASK_POINTS)
    + """|select("in", kt.tasks|map(attribute="status")|list)|list %}
{% for status in states %}
{% set tasks = kt.tasks|selectattr("status", "equalto", status)|list %}
{% if status == "completed" %}
{% set refs = tasks|selectattr("ref")|list %}

**{{ loop.index }}. Nhiệm vụ đã hoàn thành theo kế hoạch và thời gian:** Tính đến thời điểm \
này, các phòng, đơn vị đã hoàn thành các nhiệm vụ trong Chương trình theo số thứ tự: \
{{ tasks|map(attribute="no")|join(", ") }}{% if refs %} ({% for t in refs %}nhiệm vụ \
{{ t.no }}: văn bản số {{ t.ref }}{{ "; " if not loop.last else "" }}{% endfor %}){% endif %}.
{% elif status == "in_progress" %}"""
    + _task_list('Nhiệm vụ đang triển khai (nhiệm vụ {{ tasks|map(attribute="no")|join(", ") }}):')
    + """
{% elif status == "deferral_proposed" %}"""
    + _by_reason("Một số nhiệm vụ đề xuất điều chỉnh sang năm {{ (kt.period|year) + 1 }}:", "đó là")
    + """{% elif status == "deferred" %}"""
    + _by_reason("Nhiệm vụ đã được điều chỉnh sang năm {{ (kt.period|year) + 1 }}:", "đó là")
    + """{% elif status == "not_carried_out" %}"""
    + _by_reason("Một số nhiệm vụ không thực hiện được:", "cụ thể")
    + """{% elif status == "cancelled" %}"""
    + _task_list('Nhiệm vụ dừng thực hiện (nhiệm vụ {{ tasks|map(attribute="no")|join(", ") }}):')
    + """
{% else %}

**{{ loop.index }}. Nhiệm vụ chưa có báo cáo kết quả:** các nhiệm vụ theo số thứ tự: \
{{ tasks|map(attribute="no")|join(", ") }}.
{% endif %}
{% endfor %}
{% for code, text in kt.notes|dictsort if code in ["danh_gia", "kien_nghi", "nhiem_vu_ky_toi"] %}

**{{ states|length + loop.index }}. {{ "Nhận xét, đánh giá" if code == "danh_gia" else \
("Kiến nghị, đề xuất" if code == "kien_nghi" else \
"Nhiệm vụ trọng tâm " ~ kt.period|period(shift=1)) }}:**

{{ text|markup }}
{% endfor %}"""
    + others("kt", ["danh_gia", "kien_nghi", "nhiem_vu_ky_toi"])
    + "\n\n"
    + closing(
        "kt", "Trên đây là báo cáo kết quả thực hiện nhiệm vụ trọng tâm {{ kt.period|period }}"
    )
)

# --- assigned-tasks (seed 004, section IV): the sentence of outcomes, the tasks listed ---------

LISTED_TASKS = 10  # up to this many, every task is written out; more go to a table

ASSIGNED_TASKS = (
    opening(
        "ut",
        "Kết quả thực hiện các nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh "
        "giao {{ ut.period|period }}, tính đến ngày {{ ut.as_of|date }}, như sau:",
    )
    + """
{% set y = ut.period|year %}
{% set since = "Từ đầu năm đến nay" if ut.period.label in [y ~ "", y ~ "-H1", y ~ "-9M", \
y ~ "-Q1"] else "Trong " ~ ut.period|period %}
{% if ut.total %}

{{ since }}, Sở Ngoại vụ được giao tổng cộng {{ ut.total|count }} nhiệm vụ, trong đó có \
{{ [ut.completed_on_time|count ~ " nhiệm vụ hoàn thành trong hạn" if ut.completed_on_time \
else "", ut.not_completed_on_time|count ~ " nhiệm vụ chưa hoàn thành trong hạn" if \
ut.not_completed_on_time else "", ut.completed_late|count ~ " nhiệm vụ hoàn thành quá hạn" if \
ut.completed_late else "", ut.in_progress|count ~ " nhiệm vụ đang thực hiện, chưa đến hạn" if \
ut.in_progress else "", ut.cancelled|count ~ " nhiệm vụ dừng thực hiện hoặc điều chỉnh" if \
ut.cancelled else ""]|select|join(", ") }}.
{% else %}

{{ since }}, Sở Ngoại vụ chưa được giao nhiệm vụ nào.
{% endif %}
{% set few = ut.tasks|length <= """
    + str(LISTED_TASKS)
    + """ %}
{% for outcome in ["completed_on_time", "completed_late", "not_completed_on_time", \
"in_progress", "cancelled"] if few or outcome in ["completed_late", "not_completed_on_time", \
"cancelled"] %}
{% set tasks = ut.tasks|selectattr("outcome", "equalto", outcome)|list %}
{% if tasks %}

**Nhiệm vụ {{ outcome|label("outcome") }}:**
{% for t in tasks %}

- {{ t.title|upperfirst }} ({{ t.unit }}{% if t.deadline %}; thời hạn {{ t.deadline|date }}\
{% endif %}{% if t.completed_on %}; hoàn thành ngày {{ t.completed_on|date }}{% endif %}).
{% endfor %}
{% endif %}
{% endfor %}
{% if ut.tasks and not few %}

**Danh mục nhiệm vụ được giao**

| TT | Nhiệm vụ | Đơn vị chủ trì | Thời hạn | Kết quả |
|---:|---|---|:---:|---|
{% for t in ut.tasks %}
| {{ loop.index }} | {{ t.title|upperfirst }} | {{ t.unit }} | \
{{ t.deadline|date if t.deadline else "" }} | {{ t.outcome|label("outcome")|upperfirst }}\
{% if t.completed_on %} ({{ t.completed_on|date }}){% endif %} |
{% endfor %}
{% endif %}
{% for code, text in ut.notes|dictsort if code in ["danh_gia", "kien_nghi", "nhiem_vu_ky_toi"] %}

**{{ "Nhận xét, đánh giá" if code == "danh_gia" else ("Kiến nghị, đề xuất" if code == \
"kien_nghi" else "Phương hướng, nhiệm vụ kỳ tới") }}:**

{{ text|markup }}
{% endfor %}"""
    + others("ut", ["danh_gia", "kien_nghi", "nhiem_vu_ky_toi"])
    + "\n\n"
    + closing(
        "ut",
        "Trên đây là báo cáo kết quả thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh giao "
        "{{ ut.period|period }}",
    )
)

# --- foreign-affairs (seeds 001, 003, 004): each figure in its paragraph, with its comparison
# with cùng kỳ when that window is complete (`compare` writes nothing when `previous` is null) --

# The seeds' terms where they differ from the catalogue's label (issue 14 item 8).
METRIC_TERMS = {
    "conference.permits": "Hồ sơ cho phép tổ chức hội nghị, hội thảo quốc tế",
    "consular.dossiers": "Hồ sơ chứng nhận lãnh sự, hợp pháp hóa lãnh sự",
}


def _metric(code: str) -> str:
    """One activity metric as a dash paragraph: value, cùng kỳ comparison, sub-counts."""
    metric = CATALOGUE[code]
    label = METRIC_TERMS.get(code, metric.label)
    detail = (
        f'{{% set d = m.detail|breakdown("detail", "{metric.unit}") if m.detail else "" %}}'
        "{% if d %}, trong đó: {{ d }}{% endif %}"
        if metric.detail
        else ""
    )
    return f"""
{{% set m = fa.activity["{code}"] %}}
{{% if m.value is not none and (m.value or m.previous) %}}

- {label}: {{{{ m.value|count }}}} {metric.unit}\
{{{{ m.value|compare(m.previous, period=fa.period, percent=true)|wrap(" (", ")") }}}}{detail}.
{{% endif %}}"""


def _delegations(var: str, who: str, extra: str) -> str:
    """The sentence of delegations out or in: count, comparison, breakdowns."""
    return (
        f"""{{% if {var}.delegations %}}Có {{{{ {var}.delegations|count }}}} đoàn/\
{{{{ {var}.people|count }}}} lượt {who}{{% else %}}Không có đoàn {who}{{% endif %}}\
{{{{ [{var}.delegations, {var}.people]|compare([{var}.previous.delegations, \
{var}.previous.people], ["đoàn", "lượt"], fa.period)|wrap(" (", ")") }}}}\
{{% set parts = [{var}.by_funding|breakdown("funding", "đoàn"), \
{var}.by_approval|breakdown("approval", "đoàn")"""
        + extra
        + """]|select|list %}{% if parts %}, trong đó có {{ parts|join("; ") }}{% endif %}."""
    )


AID = """{{ v|money(round=100000, unit="triệu") if v >= 1000000 else v|money }}"""

FOREIGN_AFFAIRS = (
    opening("fa", "Kết quả công tác đối ngoại {{ fa.period|period }} như sau:")
    + """

# I. KẾT QUẢ THỰC HIỆN

## 1. Công tác quản lý đoàn ra, đoàn vào
{% set out = fa.outbound %}
{% set inb = fa.inbound %}

- Đoàn ra: """
    + _delegations("out", "cán bộ, công chức, viên chức của tỉnh đi công tác nước ngoài", "")
    + """\
{% if out.plan.items %} Thực hiện {{ out.plan.done|count }}/{{ out.plan.items|count }}\
{% if out.plan.rate_percent is not none %} (tỷ lệ {{ out.plan.rate_percent|percent }})\
{% endif %} các đoàn ra theo kế hoạch đã được phê duyệt.{% endif %}\
{% if out.unplanned %} Trong kỳ có {{ out.unplanned|count }} đoàn phát sinh ngoài kế hoạch.\
{% endif %}

- Đoàn vào: """
    + _delegations(
        "inb",
        "khách nước ngoài đến thăm, làm việc tại tỉnh",
        ', inb.received_by_leaders|count ~ " đoàn do lãnh đạo tỉnh đón tiếp" if '
        'inb.received_by_leaders else ""',
    )
    + """

## 2. Hợp tác quốc tế, hội nghị, hội thảo quốc tế
{% set conf = fa.conferences %}
{% set ag = fa.agreements %}

- {% if conf.count %}Tham mưu cho phép tổ chức {{ conf.count|count }} hội nghị, hội thảo quốc \
tế{% else %}Không có hội nghị, hội thảo quốc tế nào được cho phép tổ chức{% endif %}\
{{ conf.count|compare(conf.previous, "hội nghị, hội thảo", fa.period)|wrap(" (", ")") }}.

- {% if ag.count %}Tổ chức ký kết {{ ag.count|count }} thỏa thuận quốc tế\
{% set levels = ag.by_level|breakdown("level", "thỏa thuận", last=" và ") %}\
{% if levels %}, trong đó có {{ levels }}{% endif %}{% else %}Không ký kết thỏa thuận quốc tế \
nào{% endif %}{{ ag.count|compare(ag.previous, "thỏa thuận", fa.period)|wrap(" (", ")") }}.

## 3. Công tác vận động viện trợ phi chính phủ nước ngoài
{% set aid = fa.aid %}
{% if aid.committed_usd or aid.disbursed_usd %}

- Giá trị cam kết viện trợ phi chính phủ nước ngoài đạt {% set v = aid.committed_usd %}"""
    + AID
    + """\
{{ v|compare(aid.previous.committed_usd, period=fa.period, percent=true)|wrap(" (", ")") }}, \
giá trị giải ngân đạt {% set v = aid.disbursed_usd %}"""
    + AID
    + """\
{{ v|compare(aid.previous.disbursed_usd, period=fa.period, percent=true)|wrap(" (", ")") }}.
{% else %}

- Trong kỳ chưa có khoản viện trợ phi chính phủ nước ngoài nào được cam kết hay giải ngân.
{% endif %}

## 4. Công tác lãnh sự, dịch thuật và thủ tục hành chính
"""
    + "".join(_metric(code) for code in CATALOGUE)
    + """
{% for m in fa.merged_from %}

Số liệu gồm cả hồ sơ của đơn vị đã hợp nhất vào Sở, ghi nhận trước ngày {{ m.until|date }}.
{% endfor %}
{% set dg = 1 if "danh_gia" in fa.notes else 0 %}
{% set plan = 1 if "nhiem_vu_ky_toi" in fa.notes else 0 %}
{% set kn = 1 if "kien_nghi" in fa.notes else 0 %}
{% if dg %}

# II. NHẬN XÉT, ĐÁNH GIÁ

{{ fa.notes.danh_gia|markup }}
{% endif %}
{% if plan %}

# {{ (2 + dg)|roman }}. {{ ("Kế hoạch trọng tâm " ~ fa.period|period(shift=1))|upper }}

{{ fa.notes.nhiem_vu_ky_toi|markup }}
{% endif %}
{% if kn %}

# {{ (2 + dg + plan)|roman }}. KIẾN NGHỊ, ĐỀ XUẤT

{{ fa.notes.kien_nghi|markup }}
{% endif %}
{% for code, text in fa.notes|dictsort if code not in """
    + repr([*FRAME, "danh_gia", "nhiem_vu_ky_toi", "kien_nghi"])
    + """ %}

# {{ (1 + dg + plan + kn + loop.index)|roman }}. {{ code|upper }}

{{ text|markup }}
{% endfor %}

"""
    + closing(
        "fa",
        "Trên đây là báo cáo công tác đối ngoại {{ fa.period|period }}"
        '{% if "nhiem_vu_ky_toi" in fa.notes %} và kế hoạch {{ fa.period|period(shift=1) }}'
        "{% endif %}",
    )
)

# --- emulation (seed 002): awards by grantor and award, the grantor named once a line ---------

GRANTOR = (
    '{{ a.body if a.grantor == "bo_truong" and a.body else (a.grantor|label("grantor") '
    'if a.grantor else "Cấp có thẩm quyền") }}'
)
AWARD_NAME = (
    '{{ a.title if a.title else (a.form|label("award") if a.form else "hình thức khen thưởng") }}'
)

EMULATION = (
    opening("em", "Kết quả công tác thi đua, khen thưởng {{ em.period|period }} như sau:")
    + """

# A. KẾT QUẢ ĐẠT ĐƯỢC {{ (em.period|period)|upper }}
{% set nv = 1 if "nhiem_vu_chinh_tri" in em.notes else 0 %}
{% if nv %}

# I. VỀ THỰC HIỆN NHIỆM VỤ CHÍNH TRỊ

{{ em.notes.nhiem_vu_chinh_tri|markup }}
{% endif %}

# {{ (1 + nv)|roman }}. CÔNG TÁC THI ĐUA KHEN THƯỞNG

## 1. Công tác lãnh đạo, chỉ đạo
{% if "lanh_dao_chi_dao" in em.notes %}

{{ em.notes.lanh_dao_chi_dao|markup }}
{% endif %}
{% if em.movements %}

Trong kỳ có {{ em.movements|length|count }} phong trào thi đua được triển khai:
{% for m in em.movements %}

- {{ m.title|upperfirst }} (phát động ngày {{ m.launched_on|date }}{% if m.ref %}, văn bản \
số {{ m.ref }}{% endif %}){% if m.phases %}: {% for p in m.phases %}{{ p.name }} từ \
{{ p.from|date }} đến {{ p.to|date }}{{ "; " if not loop.last else "" }}{% endfor %}{% endif %}\
{% if m.registrations %}; {{ m.registrations|count }} lượt đăng ký thi đua{% endif %}.
{% endfor %}
{% elif "lanh_dao_chi_dao" not in em.notes %}

Trong kỳ không có phong trào thi đua nào được ghi nhận.
{% endif %}

## 2. Kết quả khen thưởng
{% if em.awards %}

{{ em.period|period|upperfirst }}, có {{ em.awards|length|count }} lượt khen thưởng, danh hiệu \
thi đua được quyết định ({{ em.by_recipient_type.collective|count }} lượt tập thể, \
{{ em.by_recipient_type.individual|count }} lượt cá nhân), cụ thể:
{% for g in em.awards|grouped("grantor", "body", "form", "title", "recipient.type") %}
{% set a = g.first %}
{% set names = g.items|map(attribute="recipient.name")|select|list %}

- """
    + GRANTOR
    + " tặng "
    + AWARD_NAME
    + """\
{% if g.items|rejectattr("category", "equalto", "chuyen_de")|list|length == 0 %} chuyên đề\
{% endif %} cho {{ g.items|length|count }} \
{{ a.recipient.type|label("recipient_type") if a.recipient.type else "trường hợp" }}\
{% if names %} ({{ names|join("; ") }}){% endif %}.
{% endfor %}
{% else %}

{{ em.period|period|upperfirst }}, chưa có quyết định khen thưởng nào được ghi nhận.
{% endif %}
{% if em.proposed %}

## 3. Hồ sơ đề nghị khen thưởng đang chờ quyết định
{% for a in em.proposed %}

- Đề nghị """
    + GRANTOR
    + " tặng "
    + AWARD_NAME
    + """ cho \
{% if a.recipient.type %}{{ a.recipient.type|label("recipient_type") }} {% endif %}\
{{ a.recipient.name if a.recipient.name else "" }}\
{% if a.proposed_on %} (đề nghị ngày {{ a.proposed_on|date }}){% endif %}.
{% endfor %}
{% endif %}
{% set ev = ["danh_gia", "uu_diem", "han_che"]|select("in", em.notes)|list %}
{% if ev %}

# {{ (2 + nv)|roman }}. ƯU ĐIỂM, HẠN CHẾ
{% for code in ev %}

## {{ loop.index }}. {{ "Nhận xét, đánh giá" if code == "danh_gia" else ("Ưu điểm" if code == \
"uu_diem" else "Hạn chế") }}
{% for c, text in em.notes|dictsort if c == code %}

{{ text|markup }}
{% endfor %}
{% endfor %}
{% endif %}
{% if "nhiem_vu_ky_toi" in em.notes or "kien_nghi" in em.notes %}

# B. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ (em.period|period(shift=1))|upper }}
{% if "nhiem_vu_ky_toi" in em.notes %}

{{ em.notes.nhiem_vu_ky_toi|markup }}
{% endif %}
{% if "kien_nghi" in em.notes %}

# I. KIẾN NGHỊ, ĐỀ XUẤT

{{ em.notes.kien_nghi|markup }}
{% endif %}
{% endif %}"""
    + others(
        "em",
        [
            "nhiem_vu_chinh_tri",
            "lanh_dao_chi_dao",
            "danh_gia",
            "uu_diem",
            "han_che",
            "nhiem_vu_ky_toi",
            "kien_nghi",
        ],
    )
    + "\n\n"
    + closing(
        "em", "Trên đây là báo cáo kết quả công tác thi đua, khen thưởng {{ em.period|period }}"
    )
)

# --- the inspector's registers: every award of the period, or those to review ----------------


def _register(irregular: bool) -> str:
    what = (
        "các trường hợp khen thưởng không đúng danh mục hoặc chưa ghi số quyết định"
        if irregular
        else "các quyết định khen thưởng, danh hiệu thi đua"
    )
    header = "| TT | Tập thể, cá nhân | Hình thức | Cấp quyết định | Loại | Quyết định |"
    rule = "|---:|---|---|---|---|---|"
    problems = ""
    if irregular:
        header += " Vấn đề |"
        rule += "---|"
        problems = (
            ' {% for p in a.problems %}{{ p|label("problem")|upperfirst if loop.first else '
            'p|label("problem") }}{{ "; " if not loop.last else "" }}{% endfor %}'
            "{% if a.irregular_reason %}; {{ a.irregular_reason|lowerfirst }}{% endif %} |"
        )
    return (
        opening(
            "reg",
            f"Tổng hợp {what} {{{{ reg.period|period }}}} (tính đến ngày "
            "{{ reg.as_of|date }}): tổng số {{ reg.total|count }} trường hợp.",
        )
        + f"""
{{% if reg.awards %}}

{header}
{rule}
{{% for a in reg.awards %}}
| {{{{ loop.index }}}} | {{{{ a.recipient.name if a.recipient.name else "" }}}}\
{{% if a.recipient.type %}} ({{{{ a.recipient.type|label("recipient_type") }}}}){{% endif %}} | \
"""
        + AWARD_NAME.replace("}}", "|upperfirst }}", 1)
        + """\
{% if a.category == "chuyen_de" and not a.title %} chuyên đề{% endif %} | """
        + GRANTOR
        + """ | \
{{ a.category|label("category") if a.category else "" }} | \
{{ [a.ref if a.ref else "", a.decided_on|date if a.decided_on else ""]|select|join(", ") }} |"""
        + problems
        + """
{% endfor %}
{% endif %}
{% for code, text in reg.notes|dictsort if code in ["danh_gia", "kien_nghi"] %}

## {{ "Nhận xét, đánh giá" if code == "danh_gia" else "Kiến nghị, đề xuất" }}

{{ text|markup }}
{% endfor %}"""
        + others("reg", ["danh_gia", "kien_nghi"])
        + "\n\n"
        + closing("reg", "Trên đây là tổng hợp để theo dõi, kiểm tra")
    )


AWARD_REGISTER = _register(irregular=False)
AWARD_IRREGULAR = _register(irregular=True)

STANDARDS: dict[str, Standard] = {
    "key-tasks": Standard(
        "kt", "cong_van", "báo cáo kết quả thực hiện nhiệm vụ trọng tâm {period}", KEY_TASKS
    ),
    "assigned-tasks": Standard(
        "ut", "bao_cao", "Kết quả thực hiện nhiệm vụ UBND tỉnh giao {period}", ASSIGNED_TASKS
    ),
    "foreign-affairs": Standard(
        "fa",
        "bao_cao",
        "Công tác đối ngoại {period}",
        FOREIGN_AFFAIRS,
        plan_title="Công tác đối ngoại {period}, kế hoạch {next}",
    ),
    "emulation": Standard(
        "em",
        "bao_cao",
        "Công tác thi đua, khen thưởng {period}",
        EMULATION,
        plan_title="Công tác thi đua, khen thưởng {period}, phương hướng nhiệm vụ {next}",
    ),
    "award-register": Standard(
        "reg", "bao_cao", "Sổ theo dõi khen thưởng {period}", AWARD_REGISTER
    ),
    "award-irregular": Standard(
        "reg", "bao_cao", "Các trường hợp khen thưởng cần rà soát {period}", AWARD_IRREGULAR
    ),
}


def title_of(kind: str, period: str, notes: dict[str, str] | None = None) -> str:
    """The trích yếu of a kind's standard document for a period (with the next period's plan
    when the office wrote note `nhiem_vu_ky_toi`)."""
    standard = STANDARDS[kind]
    pattern = standard.title
    if standard.plan_title and (notes or {}).get("nhiem_vu_ky_toi", "").strip():
        pattern = standard.plan_title
    return pattern.format(period=period_words(period), next=period_words(period, shift=1))


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
        "title": title_of(kind, period),
        "addressees": [],
        "body": standard.body,
    }
