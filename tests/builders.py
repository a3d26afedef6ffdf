"""Shared test builders: a valid import line of every kind, and an in-memory workspace to run them.

The rule tests of the command handlers run here, with no database: `MemoryWorkspace` plays the
part of an import's workspace (records by organisation and target, checks deferred to the end),
and `Handling.apply` validates a line and hands it to its kind's handler exactly as the importer
does. The end-to-end cases (CLI, both stores) stay in tests/integration.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from domain.errors import DomainError
from domain.records import Record
from service.importing.handlers import KINDS, conflict, event_fields
from service.importing.schemas import schema_for

ORG = "ha-tinh"
STAMP = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)


def line(kind: str, **keys: Any) -> dict[str, Any]:
    """A valid line of `kind` for the organisation ORG, with `keys` replacing the defaults."""
    base: dict[str, Any] = {"kind": kind, "org": ORG, "at": "2020-03-01"}
    base.update(_DEFAULTS.get(kind, {}))
    base.update(keys)
    return {k: v for k, v in base.items() if v is not None}


_RECIPIENT = {"type": "individual", "name": "Nguyễn Văn A", "person": "nva"}
_DEFAULTS: dict[str, dict[str, Any]] = {
    "org.registered": {"name": "Sở Ngoại vụ tỉnh Hà Tĩnh", "place": "Hà Tĩnh"},
    "org.renamed": {"name": "Sở Ngoại vụ Hà Tĩnh"},
    "org.merged": {"into": "nghe-an"},
    "programme.adopted": {"programme": "CT-2020", "title": "Chương trình công tác năm 2020"},
    "task.added": {"programme": "CT-2020", "no": 1, "title": "Thanh tra", "unit": "VP"},
    "task.progressed": {"programme": "CT-2020", "no": 1, "status": "completed"},
    "outbound_plan.approved": {"year": 2020, "items": [{"id": "p1", "title": "Thăm Lào"}]},
    "delegation.recorded": {
        "id": "d1",
        "direction": "outbound",
        "people": 3,
        "countries": ["LA"],
        "purpose": "Thăm và làm việc",
    },
    "conference.recorded": {"id": "c1", "title": "Hội thảo xúc tiến đầu tư"},
    "agreement.signed": {
        "id": "a1",
        "title": "Biên bản ghi nhớ",
        "partner": "Bolikhamxay",
        "level": "province",
    },
    "aid.committed": {"id": "v1", "donor": "KOICA", "project": "Nước sạch", "amount_usd": 1000},
    "aid.disbursed": {"id": "v1", "amount_usd": 500},
    "support.given": {
        "id": "s1",
        "beneficiary": "Tỉnh Bolikhamxay",
        "title": "Vật tư y tế",
        "amount_vnd": 500_000_000,
    },
    "support.received": {
        "id": "s2",
        "donor": "Kiều bào tại Lào",
        "title": "Ủng hộ phòng, chống dịch",
        "amount_vnd": 20_000_000,
    },
    "document.drafted": {
        "id": "bc-2020",
        "period": "2020",
        "sources": {"kt": {"report": "key-tasks"}},
        "type": "bao_cao",
        "title": "Kết quả thực hiện nhiệm vụ trọng tâm năm 2020",
        "body": "Năm 2020, Sở hoàn thành {{ kt.summary.completed }} nhiệm vụ.",
    },
    "period.closed": {"report": "foreign-affairs", "period": "2019"},
    "figures.reported": {
        "report": "foreign-affairs",
        "period": "2019",
        "figures": {"outbound.delegations": 12},
        "ref": "Báo cáo số 120/BC-SNgV",
    },
    "activity.counted": {"metric": "translation.pages", "month": "2020-03", "value": 12},
    "report.note": {
        "report": "key-tasks",
        "period": "2020",
        "section": "danh_gia",
        "text": "Hoàn thành tốt.",
    },
    "person.registered": {"id": "nva", "name": "Nguyễn Văn A"},
    "unit.registered": {"id": "vp", "name": "Văn phòng"},
    "movement.launched": {"id": "m1", "title": "Thi đua yêu nước"},
    "movement.registered": {"id": "m1", "registrant": {"type": "collective", "name": "Văn phòng"}},
    "movement.assessed": {"id": "m1", "year": 2020, "result": "Hoàn thành"},
    "pledge.signed": {"id": "g1", "group": "bloc", "group_name": "Khối các cơ quan tổng hợp"},
    "award.proposed": {
        "id": "aw1",
        "form": "giay_khen",
        "grantor": "thu_truong_co_quan",
        "recipient": _RECIPIENT,
        "category": "cong_trang",
    },
    "award.submitted": {"id": "aw1"},
    "award.granted": {"id": "aw1", "ref": "QĐ 12"},
    "award.rejected": {"id": "aw1", "reason": "Chưa đủ điều kiện"},
    "award.withdrawn": {"id": "aw1", "reason": "Rút hồ sơ"},
    "record.corrected": {
        "at": None,
        "target": "task:CT-2020/1",
        "set": {"title": "Thanh tra hành chính"},
        "reason": "Gõ sai",
    },
    "record.voided": {"at": None, "target": "delegation:d1", "reason": "Nhập trùng"},
}

# What each kind needs stored first (the lines `prerequisites` returns, in order).
_NEEDS: dict[str, tuple[str, ...]] = {
    "org.merged": ("org.registered:nghe-an",),
    "task.added": ("programme.adopted",),
    "task.progressed": ("programme.adopted", "task.added"),
    "aid.disbursed": ("aid.committed",),
    "movement.registered": ("movement.launched",),
    "movement.assessed": ("movement.launched",),
    "award.submitted": ("award.proposed",),
    "award.granted": ("award.proposed",),
    "award.rejected": ("award.proposed",),
    "award.withdrawn": ("award.proposed",),
    "record.corrected": ("programme.adopted", "task.added"),
    "record.voided": ("delegation.recorded",),
}


def prerequisites(kind: str) -> list[dict[str, Any]]:
    """The lines that make one line of `kind` acceptable: its organisation and its record."""
    lines = [line("org.registered")]
    for need in _NEEDS.get(kind, ()):
        name, _, org = need.partition(":")
        lines.append(line(name, org=org) if org else line(name))
    return lines


class MemoryWorkspace:
    """An import's workspace with no store: its records, and checks deferred to `finish`."""

    awards_of = None  # no stored awards: prerequisites of award rules are not checked here

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Record] = {}
        self._deferred: list[tuple[Callable[..., Any], dict[str, Any], dict[str, Any]]] = []

    def get(self, org: str, target: str) -> Record | None:
        return self.records.get((org, target))

    def add(self, record: Record) -> None:
        self.records[(record.org, record.target)] = record

    def defer(self, check: Callable[..., Any], cmd: dict[str, Any], terms: dict[str, Any]) -> None:
        self._deferred.append((check, cmd, terms))

    def granted_in_file(self, org: str, key: str, value: str, other_than: str | None) -> list:
        return []

    def apply(self, raw: dict[str, Any], actor: str = "test") -> str:
        """Validate one line and handle it as the importer does; the fact id it added.

        Raises marshmallow's ValidationError for a bad line and DomainError for a broken rule.
        """
        cmd = schema_for(raw["kind"]).load(raw)
        spec = KINDS[cmd["kind"]]
        record = self.get(cmd["org"], spec.target(cmd))
        if spec.opens and record is not None:
            raise conflict(cmd["kind"], record.target)
        return spec.handle(self, cmd, event_fields(cmd, actor, f"digest-{id(raw)}", STAMP))

    def finish(self) -> list[tuple[str, str]]:
        """The checks of the end of a file: each deferred rule, then each record's lifecycle (its
        facts in effective-time order, as corrected); the (message, field) of each that failed."""
        problems = [check(self, cmd, terms) for check, cmd, terms in self._deferred]
        self._deferred.clear()
        for record in self.records.values():
            check_sequence = getattr(record, "check_sequence", None)
            if check_sequence is None:
                continue
            try:
                check_sequence()
            except DomainError as exc:
                problems.append((exc.message, exc.field or "status"))
        return [p for p in problems if p is not None]

    def events(self) -> list[Any]:
        """Every event the records hold and have not saved (all of them, here)."""
        found: list[Any] = []
        for record in self.records.values():
            found.extend(record.collect_events())
        return found


def applied(*lines: dict[str, Any]) -> MemoryWorkspace:
    """A workspace with these lines handled in order (each must pass)."""
    ws = MemoryWorkspace()
    for raw in lines:
        ws.apply(raw)
    problems = ws.finish()
    if problems:
        raise DomainError(problems[0][0], problems[0][1])
    return ws
