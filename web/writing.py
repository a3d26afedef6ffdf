"""Every write of the web, as the logged-in user, through the service's command gateway."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.text import nfc
from service import queries
from service.accounts import Account
from service.commands.gateway import BadLine, validate
from service.importing.errors import ImportConflict, ImportRejected, LineError
from service.importing.importer import ImportResult
from service.importing.schemas import SCHEMAS
from service.limits import LimitError, check
from service.reporting.issuing import Signature
from service.runtime import Runtime
from web.bodies import BodyError, loads, problems

TASK_KINDS = ("task.added", "task.progressed")


@dataclass
class Outcome:
    """What a write did: the import's result, or the errors by field (nothing stored)."""

    result: ImportResult | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    lines: list[LineError] = field(default_factory=list)  # one per field at fault of a line
    total: int = 0  # rejected lines
    listed: int = 0  # of them, the lines `lines` shows (each with every field at fault)

    @property
    def ok(self) -> bool:
        """Stored."""
        return self.result is not None


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as {"recipient.name": [...]} ("_" for the whole command)."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = "_" if key == "_schema" else str(key)
            out.update(flatten(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out[prefix or "_"] = list(messages)
    elif isinstance(messages, list):
        for item in messages:
            out.update(flatten(item, prefix))
    else:
        out[prefix or "_"] = [str(messages)]
    return out


def task_unit(rt: Runtime, org: str, target: str) -> str | None:
    """The unit that owns a task (`task:P/N`) now (None when there is none, or it was voided)."""
    return queries.task_unit(rt, org, target)


def record_of(cmd: dict[str, Any]) -> str:
    """The record a correction or void is about: `task:P/N` of `task:P/N` and of
    `fact:task:P/N#K`."""
    target = str(cmd.get("target", ""))
    if target.startswith("fact:"):
        return target[len("fact:") :].rpartition("#")[0]
    return target.split("#")[0]


def permission_error(rt: Runtime, user: Account, cmd: dict[str, Any]) -> tuple[str, str] | None:
    """(field, message) when this user may not write this command, else None."""
    org = cmd.get("org")
    if not isinstance(org, str) or not user.can("write", org):
        return "org", f"không có quyền ghi hồ sơ của tổ chức {org!r}"
    if cmd.get("by") not in (None, user.username):
        return "by", "người ghi là người đăng nhập; không ghi thay người khác qua web"
    units = user.units_in(org)
    if units is None:
        return None
    rt.await_level()  # a unit's rights follow its tasks as the read models hold them: level
    kind = cmd.get("kind")
    if kind == "task.added":
        unit = cmd.get("unit")
    elif kind == "task.progressed":
        unit = task_unit(rt, org, f"task:{cmd.get('programme')}/{cmd.get('no')}")
    elif kind in ("record.corrected", "record.voided") and record_of(cmd).startswith("task:"):
        unit = task_unit(rt, org, record_of(cmd))
    else:
        return "kind", "tài khoản chỉ được ghi nhiệm vụ của đơn vị mình"
    if unit not in units:
        return "unit", f"nhiệm vụ thuộc đơn vị khác ({unit or 'chưa rõ'}), ngoài quyền của bạn"
    moved = cmd.get("set", {}).get("unit") if isinstance(cmd.get("set"), dict) else None
    if kind == "record.corrected" and moved is not None and moved not in units:
        return "set", f"không chuyển nhiệm vụ sang đơn vị ngoài quyền của bạn ({moved})"
    return None


class Writer:
    """The web's writes, as the logged-in user, through the service's command gateway (one
    lock per process, shared with issuing)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    @property
    def lock(self) -> threading.RLock:
        """The gateway's lock: one write at a time in this process."""
        return self.rt.commands.lock

    def command(self, user: Account, cmd: dict[str, Any]) -> Outcome:
        """One command: schema errors (every field), permission, then the import's rules."""
        unstorable: dict[str, list[str]] = {}
        for name, message in problems(cmd):
            unstorable.setdefault(name, []).append(message)
        if unstorable:  # the schemas never see what no store could hold
            return Outcome(errors=unstorable)
        kind = cmd.get("kind")
        if not isinstance(kind, str) or kind not in SCHEMAS:
            return Outcome(errors={"kind": [f"loại không hợp lệ {kind!r}"]})
        try:
            check(cmd)  # nesting, integers, lone surrogates: as an import line
        except LimitError as exc:
            return Outcome(errors={exc.path or "_": [exc.message]})
        try:
            checked = validate(nfc(cmd))  # the one validation: the importer takes its result
        except BadLine as bad:
            if bad.messages is not None:
                return Outcome(errors=flatten(bad.messages))
            return Outcome(errors={bad.field or "_": [bad.message]})
        denied = permission_error(self.rt, user, cmd)
        if denied:
            return Outcome(errors={denied[0]: [denied[1]]})
        outcome = self._store(lambda: self.rt.commands.submit([checked], actor=user.username))
        for error in outcome.lines:
            outcome.errors.setdefault(error.field or "_", []).append(error.message)
        return outcome

    def upload(self, user: Account, data: Iterable[bytes], backfill: bool) -> Outcome:
        """A JSON Lines file: every line must be the user's to write; then the import's rules."""

        def vet(number: int, text: str) -> LineError | None:
            try:
                cmd = loads(text)
            except BodyError as exc:
                if exc.syntax:  # the importer names a syntax error as it always has
                    return None
                return LineError(number, None if exc.field == "_" else exc.field, str(exc))
            if isinstance(cmd, dict):
                problem = permission_error(self.rt, user, cmd)
                if problem:
                    return LineError(number, *problem)
            return None

        return self._store(
            lambda: self.rt.commands.import_stream(
                data, actor=user.username, backfill=backfill, vet=vet
            )
        )

    def issue(
        self, user: Account, kind: str, org: str, period: str, sig: Signature, **options: Any
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Issue a report as the user (the signed DOCX and PDF kept, as `ngoaivu issue` keeps
        them); ReportInputError names the field at fault."""
        return self.rt.commands.issue(kind, org, period, sig, actor=user.username, **options)

    def _store(self, write: Callable[[], ImportResult]) -> Outcome:
        try:
            result = write()
        except ImportRejected as rejected:
            return Outcome(
                lines=list(rejected.errors), total=rejected.total, listed=rejected.listed
            )
        except ImportConflict as conflict:  # other writers kept winning: nothing stored
            return Outcome(errors={"_": [str(conflict)]})
        return Outcome(result=result)
