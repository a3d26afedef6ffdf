"""What each import kind does to its record: the command handlers of the service layer.

Over 300 lines as one module: the table `KINDS` maps each import kind to its handler; the
handlers are short and share the workspace protocol and the record lookups above them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from marshmallow import ValidationError

from domain.closures import DECLARATIONS, PeriodClosure, ReportedFigures
from domain.complete_periods import closed_target, reported_target
from domain.drafts import Draft
from domain.emulation import Award, Movement, Person, Pledge, Unit
from domain.errors import (
    ConflictingContentError,
    DomainError,
    RecordVoidedError,
    UnknownFactError,
)
from domain.foreign_affairs import (
    ActivityCount,
    Agreement,
    Aid,
    Conference,
    Delegation,
    OutboundPlan,
    ReportNote,
    Support,
)
from domain.organisations import Organisation
from domain.programmes import Programme, Task, task_target
from domain.records import Record
from domain.times import Moment
from service.importing.errors import FieldErrors, Problem, field_errors
from service.importing.fastload import fast_load
from service.importing.schemas import COMMON_KEYS, payload, schema_for


class Workspace(Protocol):
    """The records one import (or one form) reads and changes."""

    def get(self, org: str, target: str) -> Record | None: ...

    def add(self, record: Record) -> None: ...

    def defer(
        self,
        check: Callable[[Workspace, dict[str, Any], dict[str, Any]], tuple[str, str] | None],
        cmd: dict[str, Any],
        terms: dict[str, Any],
    ) -> None:
        """Run `check(ws, cmd, terms)` for the current line once every line is read."""
        ...


@dataclass(frozen=True)
class Kind:
    """An import kind: its rank (order of handling in a file), its target and its handler."""

    rank: int
    target: Callable[[dict[str, Any]], str]
    handle: Callable[[Workspace, dict[str, Any], dict[str, Any]], str]
    opens: bool = False


def _require_org(ws: Workspace, org: str) -> Organisation:
    found = ws.get(org, "org")
    if found is None:
        raise DomainError(
            f"tổ chức {org!r} chưa được đăng ký (cần dòng org.registered trước)", "org"
        )
    return found  # type: ignore[return-value]


def _open(
    ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any], opener: Callable[..., Record]
) -> str:
    record = opener(**fields)
    ws.add(record)
    return f"{record.target}#1"


def _register(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    return _open(ws, cmd, fields, lambda **f: Organisation.register(cmd["org"], **f))


def _rename(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    return _require_org(ws, cmd["org"]).rename(**fields)


def _merge(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    if cmd["into"] == cmd["org"]:
        raise DomainError("một tổ chức không thể hợp nhất vào chính nó", "into")
    if ws.get(cmd["into"], "org") is None:  # the successor must be registered
        raise DomainError(f"tổ chức kế nhiệm {cmd['into']!r} chưa được đăng ký", "into")
    return _require_org(ws, cmd["org"]).merge(**fields)


def _adopt(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    _require_org(ws, cmd["org"])
    return _open(ws, cmd, fields, lambda **f: Programme.adopt(cmd["org"], cmd["programme"], **f))


def _add_task(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    org = cmd["org"]
    _require_org(ws, org)
    if ws.get(org, f"programme:{cmd['programme']}") is None:
        raise DomainError(
            f"chương trình {cmd['programme']!r} chưa được ban hành (cần programme.adopted)",
            "programme",
        )
    carried = cmd.get("carried_from")
    if carried and ws.get(org, f"task:{carried}") is None:
        raise DomainError(f"không có nhiệm vụ {carried!r} để chuyển sang", "carried_from")
    return _open(ws, cmd, fields, lambda **f: Task.add(org, cmd["programme"], cmd["no"], **f))


def _progress(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    _require_org(ws, cmd["org"])
    target = task_target(cmd["programme"], cmd["no"])
    task = ws.get(cmd["org"], target)
    if not isinstance(task, Task):
        raise DomainError(f"không có nhiệm vụ {target} (cần task.added trước)", "no")
    if task.voided:
        raise DomainError(f"nhiệm vụ {target} đã bị hủy", "no")
    return task.report_progress(cmd["status"], **fields)


def _record_delegation(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    org = cmd["org"]
    _require_org(ws, org)
    item = cmd.get("plan_item")
    if item:
        day = Moment.parse(cmd["at"]).day
        year = day.year
        # From 15/12 a trip belongs to next year's nd09 window: it may carry next year's plan.
        if day.month == 12 and day.day >= 15 and ws.get(org, f"outbound_plan:{year + 1}"):
            plan_next = ws.get(org, f"outbound_plan:{year + 1}")
            if isinstance(plan_next, OutboundPlan) and item in plan_next.item_ids():
                year += 1
        plan = ws.get(org, f"outbound_plan:{year}")
        if not isinstance(plan, OutboundPlan):
            raise DomainError(
                f"chưa có kế hoạch đoàn ra năm {year} (outbound_plan.approved)", "plan_item"
            )
        if item not in plan.item_ids():
            raise DomainError(f"kế hoạch đoàn ra năm {year} không có mục {item!r}", "plan_item")
    return _open(
        ws, cmd, fields, lambda **f: Delegation.record(org, cmd["id"], kind=cmd["kind"], **f)
    )


def _approve_plan(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    org = cmd["org"]
    _require_org(ws, org)
    return _open(
        ws, cmd, fields, lambda **f: OutboundPlan.approve(org, cmd["year"], kind=cmd["kind"], **f)
    )


def _opener(
    factory: Callable[..., Record], *keys: str
) -> Callable[[Workspace, dict[str, Any], dict[str, Any]], str]:
    """A handler that opens a record named by the command's keys (id, or metric and month)."""

    def handle(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
        _require_org(ws, cmd["org"])
        names = [cmd[k] for k in keys]
        return _open(
            ws, cmd, fields, lambda **f: factory(cmd["org"], *names, kind=cmd["kind"], **f)
        )

    return handle


def _open_as(cls: type[Record]) -> Callable[..., Record]:
    """Open a record of `cls` named `<kind>:<id>`, its first event being `cls.<Opened>`."""
    opened = next(
        v for v in vars(cls).values() if isinstance(v, type) and issubclass(v, Record.Opened)
    )

    def factory(org: str, id: str, **fields: Any) -> Record:
        return cls.open(org, f"{cls.record_kind}:{id}", opened, **fields)

    return factory


def _disburse(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    _require_org(ws, cmd["org"])
    aid = ws.get(cmd["org"], f"aid:{cmd['id']}")
    if not isinstance(aid, Aid):
        raise DomainError(f"không có cam kết viện trợ {cmd['id']!r} (cần aid.committed)", "id")
    return aid.disburse(kind=cmd["kind"], **fields)


def _note(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    org = cmd["org"]
    _require_org(ws, org)
    note = ws.get(org, _note_target(cmd))
    if isinstance(note, ReportNote):
        return note.rewrite(kind=cmd["kind"], **fields)
    return _open(
        ws,
        cmd,
        fields,
        lambda **f: ReportNote.write(
            org, cmd["report"], cmd["period"], cmd["section"], kind=cmd["kind"], **f
        ),
    )


_WHOLE_VOID = (
    "bản ghi {target} đã bị hủy toàn bộ, không nhận thêm; để rút một lần khai báo mà vẫn khai báo "
    "lại được, hủy sự kiện của nó (fact:{target}#N)"
)


def _close(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    """period.closed: the first closure opens the record, each further one is a fact of it."""
    org = cmd["org"]
    _require_org(ws, org)
    closure = ws.get(org, closed_target(cmd["report"], cmd["period"]))
    if isinstance(closure, PeriodClosure):
        if closure.voided:
            raise DomainError(_WHOLE_VOID.format(target=closure.target), "period")
        return closure.redeclare(kind=cmd["kind"], **fields)
    return _open(
        ws,
        cmd,
        fields,
        lambda **f: PeriodClosure.declare(org, cmd["report"], cmd["period"], kind=cmd["kind"], **f),
    )


def _report_figures(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    """figures.reported: the first statement opens the record, a later one restates."""
    org = cmd["org"]
    _require_org(ws, org)
    figures = ws.get(org, reported_target(cmd["report"], cmd["period"]))
    if isinstance(figures, ReportedFigures):
        if figures.voided:
            raise DomainError(_WHOLE_VOID.format(target=figures.target), "period")
        return figures.restate(kind=cmd["kind"], **fields)
    return _open(
        ws,
        cmd,
        fields,
        lambda **f: ReportedFigures.report(
            org, cmd["report"], cmd["period"], kind=cmd["kind"], **f
        ),
    )


def _draft(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    """A draft's first version opens its record; a later line with the same id is the next."""
    org = cmd["org"]
    _require_org(ws, org)
    draft = ws.get(org, f"draft:{cmd['id']}")
    if isinstance(draft, Draft):
        if draft.voided:
            raise DomainError(f"dự thảo {cmd['id']!r} đã bị hủy", "id")
        return draft.rewrite(kind=cmd["kind"], **fields)
    return _open(ws, cmd, fields, lambda **f: Draft.write(org, cmd["id"], kind=cmd["kind"], **f))


def _movement(ws: Workspace, cmd: dict[str, Any]) -> Movement:
    _require_org(ws, cmd["org"])
    movement = ws.get(cmd["org"], f"movement:{cmd['id']}")
    if not isinstance(movement, Movement):
        raise DomainError(f"không có phong trào thi đua {cmd['id']!r} (movement.launched)", "id")
    return movement


def _register_for(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    return _movement(ws, cmd).register_for(kind=cmd["kind"], **fields)


def _assess(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    return _movement(ws, cmd).assess(kind=cmd["kind"], **fields)


def _award_terms_valid(ws: Workspace, cmd: dict[str, Any], terms: dict[str, Any]) -> None:
    """Check the terms against the catalogue in force on the award's date (unless irregular)."""
    for key in ("form", "grantor", "recipient", "category"):
        if key not in terms:
            raise DomainError("thiếu trường bắt buộc (không có đề nghị trước đó)", key)
    movement = terms.get("movement")
    if movement and ws.get(cmd["org"], f"movement:{movement}") is None:
        raise DomainError(f"không có phong trào thi đua {movement!r}", "movement")
    if terms.get("irregular"):
        return
    # Checked once the whole file is read: a prerequisite may stand later in the same file.
    ws.defer(award_violation, cmd, terms)


def _propose(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    org = cmd["org"]
    _require_org(ws, org)
    _award_terms_valid(ws, cmd, payload(cmd) | {"at": cmd["at"]})
    return _open(
        ws,
        cmd,
        fields,
        lambda **f: Award.open(org, f"award:{cmd['id']}", Award.Proposed, kind=cmd["kind"], **f),
    )


def _grant(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    org = cmd["org"]
    _require_org(ws, org)
    award = ws.get(org, f"award:{cmd['id']}")
    if award is None:
        _award_terms_valid(ws, cmd, payload(cmd) | {"at": cmd["at"]})
        return _open(
            ws,
            cmd,
            fields,
            lambda **f: Award.open(
                org, f"award:{cmd['id']}", Award.GrantedOutright, kind=cmd["kind"], **f
            ),
        )
    if not isinstance(award, Award):
        raise DomainError(f"{award.target} không phải hồ sơ khen thưởng", "id")
    _award_terms_valid(ws, cmd, award.terms() | payload(cmd) | {"at": cmd["at"]})
    return award.advance(cmd["kind"], **fields)


def _advance(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    _require_org(ws, cmd["org"])
    award = ws.get(cmd["org"], f"award:{cmd['id']}")
    if not isinstance(award, Award):
        raise DomainError(f"không có hồ sơ khen thưởng {cmd['id']!r} (award.proposed)", "id")
    return award.advance(cmd["kind"], **fields)


def award_violation(
    ws: Workspace, cmd: dict[str, Any], terms: dict[str, Any]
) -> tuple[str, str] | None:
    """The first rule of the award catalogue in force on the award's date that the terms break."""
    from service.importing.award_policy import first_violation  # the catalogue is data, loaded once

    return first_violation(ws, cmd["org"], terms)


def _note_target(cmd: dict[str, Any]) -> str:
    return f"note:{cmd['report']}/{cmd['period']}/{cmd['section']}"


def resolve(ws: Workspace, org: str, target: str) -> tuple[Record, str | None]:
    """The record a correction or void names, and the fact: `fact:ID` or the record's latest."""
    _require_org(ws, org)
    if target.startswith("fact:"):
        fact_id = target[len("fact:") :]
        record_target, sep, _version = fact_id.rpartition("#")
        record = ws.get(org, record_target) if sep else None
        if record is None or fact_id not in record.facts:
            raise DomainError(f"không có sự kiện {fact_id!r} trong tổ chức {org}", "target")
        if record.voided:
            raise DomainError(f"bản ghi {record_target} đã bị hủy", "target")
        return record, fact_id
    record = ws.get(org, target)
    if record is None:
        raise DomainError(f"không có bản ghi {target!r} trong tổ chức {org}", "target")
    if isinstance(record, Organisation):
        raise DomainError("thông tin tổ chức không đính chính được: dùng org.renamed", "target")
    if record.voided:
        raise DomainError(f"bản ghi {target} đã bị hủy", "target")
    return record, None


def correctable(kind: str) -> set[str]:
    """The keys a correction of a fact of this kind may set: its own fields, not the ones that
    name the record (the correction form offers exactly these)."""
    identity = (
        {"programme", "no", "id"} if kind.endswith((".added", ".recorded")) else {"programme", "no"}
    )
    if kind in ("period.closed", "figures.reported"):
        identity |= {"report", "period"}  # they name the record (`closed:KIND/P`)
    fields = set(schema_for(kind).fields)
    return (fields - {"kind", "org", "by", "known_since"} - identity) | {"ref", "reason"}


def _correct(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    record, fact_id = resolve(ws, cmd["org"], cmd["target"])
    try:
        fact = record.facts[fact_id] if fact_id else record.latest_fact()
    except UnknownFactError as exc:
        raise DomainError(exc.message, "target") from exc
    if fact.voided:
        raise DomainError(f"sự kiện {fact.fact_id} đã bị hủy, không thể đính chính", "target")
    if fact.kind in ("record.corrected", "record.voided"):
        raise DomainError(
            "chỉ đính chính được một sự kiện gốc, không phải một đính chính", "target"
        )
    schema = schema_for(fact.kind)
    allowed = correctable(fact.kind)
    # Every key at fault at once: those no correction may set, then the values the fact's
    # schema refuses (each named `set.KEY`, as the line wrote it).
    problems: list[Problem] = [
        (f"set.{key}", f"không đính chính được trường {key!r} của {fact.kind}")
        for key in cmd["set"]
        if key not in allowed
    ]
    # The fact as it stands: its own reason and ref (event fields), then its corrected keys.
    standing = {"reason": fact.reason, "ref": fact.ref, **fact.current()}
    current = {k: v for k, v in standing.items() if v is not None}
    merged = {"kind": fact.kind, "org": cmd["org"], **current, **cmd["set"]}
    loaded: dict[str, Any] = {}
    try:
        wanted = {k: v for k, v in merged.items() if k in schema.fields}
        loaded = fast_load(schema, wanted) or schema.load(wanted)
    except ValidationError as exc:
        named = {name for name, _m in problems}
        for name, message in field_errors(exc.normalized_messages()):
            where = f"set.{name}" if name else "set"
            if where not in named:
                problems.append((where, message))
    if problems:
        raise FieldErrors(problems)
    changes = {key: loaded.get(key, cmd["set"][key]) for key in cmd["set"]}
    return record.correct(fact.fact_id, changes, **fields)


def _void(ws: Workspace, cmd: dict[str, Any], fields: dict[str, Any]) -> str:
    record, fact_id = resolve(ws, cmd["org"], cmd["target"])
    opening = fact_id is not None and fact_id == f"{record.target}#1"
    if opening and record.record_kind not in DECLARATIONS:
        fact_id = None  # voiding the opening fact voids the record
    try:
        return record.void(fact_id, **fields)
    except (UnknownFactError, RecordVoidedError) as exc:
        raise DomainError(exc.message, "target") from exc


def record_of(cmd: dict[str, Any]) -> str:
    """The record a correction or void lands on: `task:2020/11` or the record of `fact:ID`."""
    target = cmd["target"]
    if target.startswith("fact:"):
        return target[len("fact:") :].rpartition("#")[0] or target
    return target


KINDS: dict[str, Kind] = {
    "org.registered": Kind(0, lambda c: "org", _register, opens=True),
    "org.renamed": Kind(1, lambda c: "org", _rename),
    "org.merged": Kind(1, lambda c: "org", _merge),
    "programme.adopted": Kind(1, lambda c: f"programme:{c['programme']}", _adopt, opens=True),
    "task.added": Kind(2, lambda c: task_target(c["programme"], c["no"]), _add_task, opens=True),
    "task.progressed": Kind(3, lambda c: task_target(c["programme"], c["no"]), _progress),
    "outbound_plan.approved": Kind(
        1, lambda c: f"outbound_plan:{c['year']}", _approve_plan, opens=True
    ),
    "delegation.recorded": Kind(
        2, lambda c: f"delegation:{c['id']}", _record_delegation, opens=True
    ),
    "conference.recorded": Kind(
        2, lambda c: f"conference:{c['id']}", _opener(Conference.record, "id"), opens=True
    ),
    "agreement.signed": Kind(
        2, lambda c: f"agreement:{c['id']}", _opener(Agreement.sign, "id"), opens=True
    ),
    "aid.committed": Kind(2, lambda c: f"aid:{c['id']}", _opener(Aid.commit, "id"), opens=True),
    "aid.disbursed": Kind(3, lambda c: f"aid:{c['id']}", _disburse),
    "support.given": Kind(
        2, lambda c: f"support:{c['id']}", _opener(Support.give, "id"), opens=True
    ),
    "support.received": Kind(
        2, lambda c: f"support:{c['id']}", _opener(Support.receive, "id"), opens=True
    ),
    "activity.counted": Kind(
        2,
        lambda c: f"activity:{c['metric']}/{c['month']}",
        _opener(ActivityCount.count, "metric", "month"),
        opens=True,
    ),
    "report.note": Kind(2, _note_target, _note),
    "period.closed": Kind(2, lambda c: closed_target(c["report"], c["period"]), _close),
    "figures.reported": Kind(
        2, lambda c: reported_target(c["report"], c["period"]), _report_figures
    ),
    "person.registered": Kind(
        2, lambda c: f"person:{c['id']}", _opener(_open_as(Person), "id"), opens=True
    ),
    "unit.registered": Kind(
        2, lambda c: f"unit:{c['id']}", _opener(_open_as(Unit), "id"), opens=True
    ),
    "movement.launched": Kind(
        2, lambda c: f"movement:{c['id']}", _opener(_open_as(Movement), "id"), opens=True
    ),
    "movement.registered": Kind(3, lambda c: f"movement:{c['id']}", _register_for),
    "movement.assessed": Kind(3, lambda c: f"movement:{c['id']}", _assess),
    "pledge.signed": Kind(
        2, lambda c: f"pledge:{c['id']}", _opener(_open_as(Pledge), "id"), opens=True
    ),
    "award.proposed": Kind(3, lambda c: f"award:{c['id']}", _propose, opens=True),
    "award.submitted": Kind(4, lambda c: f"award:{c['id']}", _advance),
    "award.granted": Kind(4, lambda c: f"award:{c['id']}", _grant),
    "award.rejected": Kind(4, lambda c: f"award:{c['id']}", _advance),
    "award.withdrawn": Kind(4, lambda c: f"award:{c['id']}", _advance),
    "document.drafted": Kind(4, lambda c: f"draft:{c['id']}", _draft),
    "record.corrected": Kind(5, record_of, _correct),
    "record.voided": Kind(6, record_of, _void),
}
RANKS = sorted({k.rank for k in KINDS.values()})


def event_fields(cmd: dict[str, Any], actor: str, digest: str, stamp: Any) -> dict[str, Any]:
    """The attributes every event of a command carries."""
    fields: dict[str, Any] = {
        "actor": cmd.get("by") or actor,
        "reason": cmd.get("reason"),
        "ref": cmd.get("ref"),
        "known_since": cmd.get("known_since"),
        "line_digest": digest,
        "timestamp": stamp,
    }
    if cmd["kind"] not in ("record.corrected", "record.voided"):
        # A draft may come without `at` (schemas.DocumentDrafted): then its recorded instant.
        fields["at"] = cmd["at"] if "at" in cmd else stamp.isoformat()
        fields["data"] = payload(cmd)
    return fields


def conflict(kind: str, target: str) -> ConflictingContentError:
    """The error for an id already used with other content."""
    key = {
        "org.registered": "org",
        "programme.adopted": "programme",
        "task.added": "no",
        "outbound_plan.approved": "year",
        "activity.counted": "month",
    }.get(kind, "id")
    return ConflictingContentError(f"{target} đã có với nội dung khác", key)


__all__ = ["COMMON_KEYS", "KINDS", "RANKS", "Kind", "Workspace", "conflict", "event_fields"]
