"""Every write of the web: a command checked by the service's schemas, imported as the user."""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.text import nfc
from projections.visibility import current_opening
from service.accounts import Account
from service.importing.errors import ImportConflict, ImportRejected, LineError
from service.importing.importer import ImportResult
from service.importing.schemas import SCHEMAS, schema_for
from service.importing.spool import read_lines
from service.limits import LimitError, check
from service.runtime import Runtime
from web.bodies import BodyError, loads, problems

TASK_KINDS = ("task.added", "task.progressed")


@dataclass
class Outcome:
    """What a write did: the import's result, or the errors by field (nothing stored)."""

    result: ImportResult | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    lines: list[LineError] = field(default_factory=list)
    total: int = 0

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
    """The unit that owns a task (`task:P/N`) now: its task.added fact with every correction
    known applied (None when there is no such task, or it was voided)."""
    with rt.models.reading() as conn:
        opening, _voided = current_opening(conn, org, target)
    unit = (opening or {}).get("unit")
    return unit if isinstance(unit, str) else None


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
    """One process's writes: serialised by a lock, each one a one-file import."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.lock = threading.Lock()

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
        messages = schema_for(kind).validate(nfc(cmd))
        if messages:
            return Outcome(errors=flatten(messages))
        denied = permission_error(self.rt, user, cmd)
        if denied:
            return Outcome(errors={denied[0]: [denied[1]]})
        line = json.dumps(cmd, ensure_ascii=False) + "\n"
        outcome = self._import([line.encode("utf-8")], user, backfill=False)
        for error in outcome.lines:
            outcome.errors.setdefault(error.field or "_", []).append(error.message)
        return outcome

    def upload(self, user: Account, data: Iterable[bytes], backfill: bool) -> Outcome:
        """A JSON Lines file: every line must be the user's to write; then the import's rules."""
        with tempfile.TemporaryDirectory(prefix="ngoaivu-web-") as tmp:
            path = Path(tmp) / "upload.jsonl"
            with path.open("wb") as out:
                for chunk in data:
                    out.write(chunk)
            denied = []
            for number, text in read_lines(path):
                if not isinstance(text, str) or not text.strip():
                    continue  # blank, not UTF-8, or over the line limit: the importer names it
                try:
                    cmd = loads(text)
                except BodyError as exc:
                    if not exc.syntax:  # the importer names a syntax error as it always has
                        field = None if exc.field == "_" else exc.field
                        denied.append(LineError(number, field, str(exc)))
                    continue
                if isinstance(cmd, dict):
                    problem = permission_error(self.rt, user, cmd)
                    if problem:
                        denied.append(LineError(number, *problem))
            if denied:
                return Outcome(lines=denied[:100], total=len(denied))
            return self._import_path(path, user, backfill)

    def _import(self, lines: list[bytes], user: Account, backfill: bool) -> Outcome:
        with tempfile.TemporaryDirectory(prefix="ngoaivu-web-") as tmp:
            path = Path(tmp) / "command.jsonl"
            path.write_bytes(b"".join(lines))
            return self._import_path(path, user, backfill)

    def _import_path(self, path: Path, user: Account, backfill: bool) -> Outcome:
        with self.lock:
            try:
                result = self.rt.import_file(path, actor=user.username, backfill=backfill)
            except ImportRejected as rejected:
                return Outcome(lines=list(rejected.errors), total=rejected.total)
            except ImportConflict as conflict:  # other writers kept winning: nothing stored
                return Outcome(errors={"_": [str(conflict)]})
        return Outcome(result=result)
