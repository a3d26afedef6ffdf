"""One marshmallow schema per command (import kind), shared by the CLI, the JSON API and forms.

Over 300 lines as one module: one schema per import kind, declarations only; they share the
base schemas and field types and are the command side's contract in one place.
"""

from __future__ import annotations

from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from domain.complete_periods import canonical_figure_path, figure_paths
from domain.drafts import DOCUMENT_TYPES
from domain.emulation import CATEGORIES, FORMS, GRANTORS, LAUNCHERS, RECIPIENT_TYPES
from domain.foreign_affairs import (
    AGREEMENT_LEVELS,
    APPROVAL,
    ARRANGED,
    CONFERENCE_TYPES,
    DIRECTIONS,
    FUNDING,
    PARTNER_TYPES,
)
from domain.metrics import CATALOGUE
from domain.periods import WINDOWS, PeriodError, parse_period
from domain.statuses import REPORTABLE
from domain.times import Moment
from service.importing.fields import (
    Code,
    Day,
    Flag,
    FullMatch,
    Int,
    Items,
    Mapping,
    Text,
    When,
    one_of,
    within,
)
from service.limits import RANGES

COMMON_KEYS = ("kind", "org", "at", "known_since", "by", "ref", "reason")
SLUG = FullMatch(r"^[a-z0-9][a-z0-9-]*$", error="phải là mã viết thường không dấu, ví dụ ha-tinh")
PROGRAMME = FullMatch(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$", error="mã chương trình không hợp lệ (ví dụ 2020)"
)
SLUG_SECTION = FullMatch(r"^[a-z0-9_]+$", error="tên mục viết thường, không dấu, ví dụ danh_gia")
TASK_REF = FullMatch(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*/[1-9][0-9]*$",
    error="phải có dạng CHƯƠNG_TRÌNH/SỐ, ví dụ 2020/11",
)


class CommandSchema(Schema):
    """Keys every fact may carry: who, which document, why, when known."""

    class Meta:
        unknown = RAISE

    error_messages = {
        "unknown": "trường không được phép với loại này",
        "type": "mỗi dòng phải là một đối tượng JSON",
    }

    kind = Code(required=True)
    org = Text(required=True, validate=SLUG)
    known_since = When(not_future=True)
    by = Code()
    ref = Code()
    reason = Text()


class EffectiveSchema(CommandSchema):
    """A fact that happened at a date or instant (`at`)."""

    at = When(required=True)


class OrgRegistered(EffectiveSchema):
    """org.registered: a department registered with its name, parent body and place."""

    name = Text(required=True)
    parent = Text()
    place = Text()


class OrgRenamed(EffectiveSchema):
    """org.renamed: a new name (or parent body, or place) from `at`."""

    name = Text()
    parent = Text()
    place = Text()

    @validates_schema
    def _something_changes(self, data: dict[str, Any], **_: Any) -> None:
        if not {"name", "parent", "place"} & data.keys():
            raise ValidationError("cần ít nhất một trong name, parent, place", "name")


class OrgMerged(EffectiveSchema):
    """org.merged: merged into a successor department from `at`."""

    into = Text(required=True, validate=SLUG)


class ProgrammeAdopted(EffectiveSchema):
    """programme.adopted: the annual key-task programme was adopted."""

    programme = Text(required=True, validate=PROGRAMME)
    title = Text(required=True)


class TaskKey(EffectiveSchema):
    """The keys naming a task: its programme and number."""

    programme = Text(required=True, validate=PROGRAMME)
    no = Int(required=True, validate=within(*RANGES["no"]))


class TaskAdded(TaskKey):
    """task.added: a numbered task owned by a unit, maybe assigned by the UBND with a deadline."""

    title = Text(required=True)
    unit = Text(required=True)
    deadline = Day()
    source = Text(load_default="programme", validate=one_of(("programme", "ubnd")))
    carried_from = Text(validate=TASK_REF)
    no_inferred = Flag()
    no_note = Text()


class TaskProgressed(TaskKey):
    """task.progressed: what happened to a task, with its new status."""

    status = Text(required=True, validate=one_of(REPORTABLE))


class RecordCorrected(CommandSchema):
    """record.corrected: keys of one fact replaced, with the reason."""

    target = Code(required=True)
    set = Mapping(required=True, validate=validate.Length(min=1, error="không được rỗng"))
    reason = Text(required=True)


class RecordVoided(CommandSchema):
    """record.voided: a fact or a whole record voided, with the reason."""

    target = Code(required=True)
    reason = Text(required=True)


class Strict(Schema):
    """A nested object: unknown keys refused."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "trường không được phép", "type": "phải là đối tượng JSON"}


class Member(Strict):
    """A member of a delegation."""

    name = Text(required=True)
    position = Text()
    unit = Text()


class DelegationRecorded(EffectiveSchema):
    """delegation.recorded: a delegation from `at` (start) to `end`, with N people."""

    id = Code(required=True)
    direction = Text(required=True, validate=one_of(DIRECTIONS))
    people = Int(required=True, validate=within(*RANGES["people"]))
    countries = Items(
        Text(), required=True, validate=validate.Length(min=1, error="không được rỗng")
    )
    purpose = Text(required=True)
    end = When()
    funding = Text(validate=one_of(FUNDING))
    approval = Text(validate=one_of(APPROVAL))
    plan_item = Code()
    unplanned = Flag()
    received_by_leaders = Flag()
    members = Items(fields.Nested(Member))
    leader_level = Text()
    partner_type = Text(validate=one_of(PARTNER_TYPES))
    arranged = Text(validate=one_of(tuple(c for codes in ARRANGED.values() for c in codes)))

    @validates_schema
    def _dates(self, data: dict[str, Any], **_: Any) -> None:
        direction = data.get("direction")
        arranged = data.get("arranged")
        if arranged and direction in ARRANGED and arranged not in ARRANGED[direction]:
            raise ValidationError(
                f"đoàn {direction} chỉ nhận: {', '.join(ARRANGED[direction])}", "arranged"
            )
        if "end" in data and "at" in data and Moment.parse(data["end"]) < Moment.parse(data["at"]):
            raise ValidationError("ngày kết thúc trước ngày bắt đầu (at)", "end")
        if data.get("plan_item") and data.get("unplanned"):
            raise ValidationError(
                "đoàn theo kế hoạch không thể đồng thời ngoài kế hoạch", "unplanned"
            )
        if data.get("plan_item") and data.get("direction") != "outbound":
            raise ValidationError("chỉ đoàn ra mới thuộc kế hoạch đoàn ra", "plan_item")


class PlanItem(Strict):
    """An item of the outbound plan."""

    id = Code(required=True)
    title = Text(required=True)


class OutboundPlanApproved(EffectiveSchema):
    """outbound_plan.approved: the year's plan of outbound trips."""

    year = Int(required=True, validate=within(*RANGES["year"]))
    items = Items(fields.Nested(PlanItem), required=True)

    @validates_schema
    def _unique_items(self, data: dict[str, Any], **_: Any) -> None:
        ids = [item["id"] for item in data.get("items", [])]
        if len(ids) != len(set(ids)):
            raise ValidationError("mã mục kế hoạch bị trùng", "items")


class ConferenceRecorded(EffectiveSchema):
    """conference.recorded: an international conference or workshop."""

    id = Code(required=True)
    title = Text(required=True)
    approval = Text(validate=one_of(APPROVAL))
    type = Text(validate=one_of(CONFERENCE_TYPES))


class AgreementSigned(EffectiveSchema):
    """agreement.signed: an international agreement."""

    id = Code(required=True)
    title = Text(required=True)
    partner = Text(required=True)
    level = Text(required=True, validate=one_of(AGREEMENT_LEVELS))


class AidCommitted(EffectiveSchema):
    """aid.committed: a donor's commitment in whole USD."""

    id = Code(required=True)
    donor = Text(required=True)
    project = Text(required=True)
    amount_usd = Int(required=True, validate=within(*RANGES["amount_usd"]))


class AidDisbursed(EffectiveSchema):
    """aid.disbursed: an amount disbursed under a commitment."""

    id = Code(required=True)
    amount_usd = Int(required=True, validate=within(*RANGES["amount_usd"]))


class SupportGiven(EffectiveSchema):
    """support.given: support the province gave (goods or money), valued in đồng."""

    id = Code(required=True)
    beneficiary = Text(required=True)
    title = Text(required=True)
    amount_vnd = Int(required=True, validate=within(*RANGES["amount_vnd"]))


class SupportReceived(EffectiveSchema):
    """support.received: support the province received, valued in đồng."""

    id = Code(required=True)
    donor = Text(required=True)
    title = Text(required=True)
    amount_vnd = Int(required=True, validate=within(*RANGES["amount_vnd"]))


MONTH = FullMatch(r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="phải có dạng YYYY-MM")


class ActivityCounted(EffectiveSchema):
    """activity.counted: one metric's count for one reporting month, with its sub-counts."""

    metric = Text(required=True, validate=one_of(tuple(CATALOGUE)))
    month = Text(required=True, validate=MONTH)
    value = Int(required=True, validate=within(*RANGES["value"]))
    detail = Mapping(keys=Code(), values=Int(validate=within(*RANGES["detail"])))

    @validates_schema
    def _detail_sums(self, data: dict[str, Any], **_: Any) -> None:
        detail = data.get("detail")
        if detail is None or "metric" not in data or "value" not in data:
            return
        allowed = CATALOGUE[data["metric"]].detail
        unknown = sorted(set(detail) - set(allowed))
        if unknown:
            known = ", ".join(allowed) or "không có"
            raise ValidationError(
                f"chỉ tiêu con không có: {', '.join(unknown)} (có: {known})", "detail"
            )
        if sum(detail.values()) != data["value"]:
            raise ValidationError(
                f"tổng các chỉ tiêu con ({sum(detail.values())}) khác value ({data['value']})",
                "detail",
            )


class Recipient(Strict):
    """Who receives an award: a person or a collective, optionally a registered one."""

    type = Text(required=True, validate=one_of(RECIPIENT_TYPES))
    name = Text(required=True)
    person = Code()
    unit = Code()


class AwardTerms(EffectiveSchema):
    """The terms of an award: form, title, grantor, recipient, category, movement, year."""

    id = Code(required=True)
    form = Text(validate=one_of(FORMS))
    title = Text()
    grantor = Text(validate=one_of(GRANTORS))
    body = Text()
    recipient = fields.Nested(Recipient)
    category = Text(validate=one_of(CATEGORIES))
    movement = Code()
    for_year = Int(validate=within(*RANGES["for_year"]))
    irregular = Flag()

    @validates_schema
    def _terms(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("grantor") == "bo_truong" and not data.get("body"):
            raise ValidationError("cần body (tên Bộ) khi grantor là bo_truong", "body")
        if data.get("irregular") and not data.get("reason"):
            raise ValidationError("khen thưởng không đúng quy định phải kèm reason", "reason")


class AwardProposed(AwardTerms):
    """award.proposed: a proposal with its dossier."""

    form = Text(required=True, validate=one_of(FORMS))
    grantor = Text(required=True, validate=one_of(GRANTORS))
    recipient = fields.Nested(Recipient, required=True)
    category = Text(required=True, validate=one_of(CATEGORIES))


class AwardGranted(AwardTerms):
    """award.granted: the decision (ref); the terms are needed only without a proposal."""


class AwardStage(EffectiveSchema):
    """award.submitted / rejected / withdrawn: a stage of the case."""

    id = Code(required=True)


class AwardClosed(AwardStage):
    """award.rejected / award.withdrawn: needs the reason."""

    reason = Text(required=True)


class Phase(Strict):
    """A phase (đợt) of a movement."""

    name = Text(required=True)
    from_ = Day(required=True, data_key="from")
    to = Day(required=True)

    @post_load
    def _as_written(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["from"] = data.pop("from_")
        return data


class MovementLaunched(EffectiveSchema):
    """movement.launched: an emulation movement with its phases."""

    id = Code(required=True)
    title = Text(required=True)
    phases = Items(fields.Nested(Phase))
    launched_by = Text(validate=one_of(LAUNCHERS))

    @validates_schema
    def _phases(self, data: dict[str, Any], **_: Any) -> None:
        for phase in data.get("phases", []):
            if phase["to"] < phase["from"]:
                raise ValidationError(f"đợt {phase['name']!r} kết thúc trước khi bắt đầu", "phases")


class MovementRegistered(EffectiveSchema):
    """movement.registered: a unit or person registered for a movement (đăng ký thi đua)."""

    id = Code(required=True)
    registrant = fields.Nested(Recipient, required=True)


class MovementAssessed(EffectiveSchema):
    """movement.assessed: the end-of-year assessment of a movement."""

    id = Code(required=True)
    year = Int(required=True, validate=within(*RANGES["year"]))
    result = Text(required=True)


class PledgeSigned(EffectiveSchema):
    """pledge.signed: a pledge signed within an emulation bloc (Khối) or cluster (Cụm)."""

    id = Code(required=True)
    group = Text(required=True, validate=one_of(("bloc", "cluster")))
    group_name = Text(required=True)
    parties = Items(Text())
    movement = Code()


class PersonRegistered(EffectiveSchema):
    """person.registered: a member of staff."""

    id = Code(required=True)
    name = Text(required=True)
    unit = Text()
    position = Text()


class UnitRegistered(EffectiveSchema):
    """unit.registered: a unit of the department."""

    id = Code(required=True)
    name = Text(required=True)


REPORT_KINDS = (
    "key-tasks",
    "assigned-tasks",
    "foreign-affairs",
    "emulation",
    "award-register",
    "award-irregular",
)


class ReportNoteWritten(EffectiveSchema):
    """report.note: free text written into one section of a report."""

    report = Text(required=True, validate=one_of(REPORT_KINDS))
    period = Code(required=True)
    section = Text(required=True, validate=SLUG_SECTION)
    text = Text(required=True)

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        try:
            parse_period(data.get("period", ""))
        except PeriodError as exc:
            raise ValidationError(str(exc), "period") from exc


class PeriodKeys(EffectiveSchema):
    """The report kind, period and window a complete-period record speaks of."""

    report = Text(required=True, validate=one_of(REPORT_KINDS))
    period = Code(required=True)
    window = Text(validate=one_of(WINDOWS))

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        try:
            parse_period(data.get("period", ""), data.get("window") or "nd09")
        except PeriodError as exc:
            raise ValidationError(str(exc), "period") from exc


class PeriodClosed(PeriodKeys):
    """period.closed: the office declares its records of a kind complete for a period."""


class FiguresReported(PeriodKeys):
    """figures.reported: the figures an earlier report printed, for a period not recorded."""

    figures = Mapping(
        required=True,
        keys=Code(),
        values=Int(validate=within(*RANGES["figure"])),
        validate=validate.Length(min=1, error="không được rỗng"),
    )
    ref = Code(required=True)

    @pre_load
    def _canonical_paths(self, data: Any, **_: Any) -> Any:
        # `activity["translation.pages"].value` (the body language's form) or
        # `activity.translation.pages` name the same figure as `activity.translation.pages.value`.
        if isinstance(data, dict) and isinstance(data.get("figures"), dict):
            report = data.get("report")
            if isinstance(report, str):
                figures = data["figures"]
                data = {
                    **data,
                    "figures": {
                        canonical_figure_path(report, k) if isinstance(k, str) else k: v
                        for k, v in figures.items()
                    },
                }
        return data

    @validates_schema
    def _paths(self, data: dict[str, Any], **_: Any) -> None:
        if "report" not in data or "figures" not in data:
            return
        allowed = figure_paths(data["report"])
        unknown = sorted(set(data["figures"]) - set(allowed))
        if unknown:
            raise ValidationError(
                f"báo cáo {data['report']} không có số liệu {', '.join(unknown)}"
                + (f" (có: {', '.join(allowed[:8])}…)" if allowed else " để so sánh"),
                "figures",
            )


SOURCE_KEYS = ("report", "programme", "window", "period")


class DocumentDrafted(CommandSchema):
    """document.drafted: a version of a draft (dự thảo): its sources, type, trích yếu,
    addressees and body, the body checked against its sources' report JSON (documents.check).
    `at` (the draft's date) is optional: a draft is chosen by position, never by effective time;
    without it the version is dated by its recorded instant."""

    at = When()
    id = Code(required=True)
    period = Code(required=True)
    sources = Mapping(required=True, validate=validate.Length(min=1, error="không được rỗng"))
    type = Text(required=True, validate=one_of(DOCUMENT_TYPES))
    title = Text(required=True)
    addressees = Items(Text())
    body = Text(required=True)

    @validates_schema
    def _draft(self, data: dict[str, Any], **_: Any) -> None:
        try:
            parse_period(data.get("period", ""))
        except PeriodError as exc:
            raise ValidationError(str(exc), "period") from exc
        kinds = source_kinds(data.get("sources") or {})
        if "body" in data:
            body_problems(data["body"], kinds)


def source_kinds(sources: dict[str, Any]) -> dict[str, str]:
    """Each source's report kind, every spec checked (ValidationError on field `sources`)."""
    from documents.shapes import SHAPES

    kinds: dict[str, str] = {}
    for name, spec in sources.items():
        where = f"sources.{name}"
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ValidationError("tên nguồn phải là một định danh như fa, kt", "sources")
        if name == "loop":
            raise ValidationError("“loop” không dùng làm tên nguồn", where)
        if not isinstance(spec, dict):
            raise ValidationError('phải là đối tượng JSON {"report": …}', where)
        unknown = sorted(set(spec) - set(SOURCE_KEYS))
        if unknown:
            raise ValidationError(
                f"trường không được phép: {', '.join(unknown)} (có: {', '.join(SOURCE_KEYS)})",
                where,
            )
        kind = spec.get("report")
        if kind not in SHAPES:
            raise ValidationError(
                f"loại báo cáo không dùng được làm nguồn: {kind!r} ({', '.join(SHAPES)})",
                f"{where}.report",
            )
        for key in ("programme", "window", "period"):
            value = spec.get(key)
            if key in spec and (not isinstance(value, str) or not value):
                raise ValidationError("phải là chuỗi không rỗng", f"{where}.{key}")
        if "programme" in spec:
            try:
                PROGRAMME(spec["programme"])
            except ValidationError as exc:
                raise ValidationError(exc.messages, f"{where}.programme") from exc
        window = spec.get("window", "nd09")
        if window not in ("nd09", "calendar"):
            raise ValidationError("nd09 hoặc calendar", f"{where}.window")
        if "period" in spec:
            try:
                parse_period(spec["period"], window)
            except PeriodError as exc:
                raise ValidationError(str(exc), f"{where}.period") from exc
        kinds[name] = kind
    return kinds


def body_problems(body: str, kinds: dict[str, str]) -> None:
    """The body check of documents.check: every problem with its line, on field `body`."""
    from documents.check import check_body

    errors = check_body(body, kinds)
    if errors:
        shown = "; ".join(str(e) for e in errors[:20])
        more = f" (và {len(errors) - 20} lỗi khác)" if len(errors) > 20 else ""
        raise ValidationError(shown + more, "body")


SCHEMAS: dict[str, type[CommandSchema]] = {
    "org.registered": OrgRegistered,
    "org.renamed": OrgRenamed,
    "org.merged": OrgMerged,
    "programme.adopted": ProgrammeAdopted,
    "task.added": TaskAdded,
    "task.progressed": TaskProgressed,
    "delegation.recorded": DelegationRecorded,
    "outbound_plan.approved": OutboundPlanApproved,
    "conference.recorded": ConferenceRecorded,
    "agreement.signed": AgreementSigned,
    "aid.committed": AidCommitted,
    "aid.disbursed": AidDisbursed,
    "activity.counted": ActivityCounted,
    "support.given": SupportGiven,
    "support.received": SupportReceived,
    "report.note": ReportNoteWritten,
    "period.closed": PeriodClosed,
    "figures.reported": FiguresReported,
    "person.registered": PersonRegistered,
    "unit.registered": UnitRegistered,
    "movement.launched": MovementLaunched,
    "movement.registered": MovementRegistered,
    "movement.assessed": MovementAssessed,
    "pledge.signed": PledgeSigned,
    "award.proposed": AwardProposed,
    "award.submitted": AwardStage,
    "award.granted": AwardGranted,
    "award.rejected": AwardClosed,
    "award.withdrawn": AwardClosed,
    "document.drafted": DocumentDrafted,
    "record.corrected": RecordCorrected,
    "record.voided": RecordVoided,
}

_INSTANCES: dict[str, CommandSchema] = {}


def schema_for(kind: str) -> CommandSchema:
    """The (cached) schema instance of a kind."""
    if kind not in _INSTANCES:
        _INSTANCES[kind] = SCHEMAS[kind]()
    return _INSTANCES[kind]


def payload(command: dict[str, Any]) -> dict[str, Any]:
    """The kind's own keys of a validated command (what goes in the event's `data`)."""
    return {k: v for k, v in command.items() if k not in COMMON_KEYS}
