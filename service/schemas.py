"""One marshmallow schema per command (import kind), shared by the CLI, the JSON API and forms."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, validate, validates_schema

from domain.statuses import REPORTABLE
from service.fields import Day, Flag, Int, Mapping, Text, When, at_least, one_of

COMMON_KEYS = ("kind", "org", "at", "known_since", "by", "ref", "reason")
SLUG = validate.Regexp(
    re.compile(r"^[a-z0-9][a-z0-9-]*$"), error="phải là mã viết thường không dấu, ví dụ ha-tinh"
)
PROGRAMME = validate.Regexp(
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$"), error="mã chương trình không hợp lệ (ví dụ 2020)"
)
TASK_REF = validate.Regexp(
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[1-9][0-9]*$"),
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

    kind = Text(required=True)
    org = Text(required=True, validate=SLUG)
    known_since = When(not_future=True)
    by = Text()
    ref = Text()
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
    no = Int(required=True, validate=at_least(1))


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

    target = Text(required=True)
    set = Mapping(required=True, validate=validate.Length(min=1, error="không được rỗng"))
    reason = Text(required=True)


class RecordVoided(CommandSchema):
    """record.voided: a fact or a whole record voided, with the reason."""

    target = Text(required=True)
    reason = Text(required=True)


SCHEMAS: dict[str, type[CommandSchema]] = {
    "org.registered": OrgRegistered,
    "org.renamed": OrgRenamed,
    "org.merged": OrgMerged,
    "programme.adopted": ProgrammeAdopted,
    "task.added": TaskAdded,
    "task.progressed": TaskProgressed,
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
