"""The correction form as staff fill it in: once a record is picked, one labelled box per field
that can be corrected, filled with the current value; only the boxes the clerk changed become the
correction's `set`. The typed `tên trường=giá trị` box stays as a fallback and takes the field's
words (`Số người=4`) and a value's words (`Loại đoàn=Đoàn vào`) as well as the codes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from marshmallow import fields as mm
from marshmallow import validate

from domain import labels
from projections.visibility import FactNow, fold
from service import queries
from service.importing.fields import Day, Flag, Int, Items, Mapping, When
from service.importing.handlers import correctable
from service.importing.schemas import schema_for
from web.forms import FormInputError, iso_day, whole_number
from web.inspection import runtime

# Keys the boxes never offer: `reason` is the correction's own reason box; a table or a mapping
# (members, sub-counts) is not one value, and stays with the typed fallback.
_NOT_BOXED = {"reason"}


@dataclass(frozen=True)
class Box:
    """One correctable field of the picked fact: its code, words, widget and current value."""

    key: str
    label: str
    widget: str  # text, int, date, list, select, check
    shown: str  # the current value as the box shows it
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Picked:
    """The fact a correction of the picked target lands on, with its boxes."""

    target: str
    kind: str
    values: dict[str, Any]
    boxes: list[Box]

    @property
    def kind_words(self) -> str:
        """The fact's kind in words ("Đoàn ra, đoàn vào"), never its code."""
        return labels.KINDS.get(self.kind) or _("bản ghi")


def fact_of(org: str, target: str) -> FactNow | None:
    """The fact a correction of `target` names: `fact:ID`, else the record's latest by effective
    time (as the importer resolves it); None when there is none visible."""
    fact_id = ""
    record = target
    if target.startswith("fact:"):
        fact_id = target[len("fact:") :]
        record = fact_id.rpartition("#")[0]
    record_kind = record.partition(":")[0]
    if not record_kind or ":" not in record:
        return None
    states = fold(queries.record_rows(runtime(), org, record_kind))
    state = states.get((org, record))
    if state is None:
        return None
    if fact_id:
        return next((f for f in state.facts if f.fact_id == fact_id), None)
    live = [f for f in state.facts if f.kind not in ("record.corrected", "record.voided")]
    return live[-1] if live else None


def _widget(spec: mm.Field) -> tuple[str, list[str]]:
    if isinstance(spec, Int):
        return "int", []
    if isinstance(spec, Flag):
        return "check", []
    if isinstance(spec, When | Day):
        return "date", []
    if isinstance(spec, Mapping):
        return "", []
    if isinstance(spec, Items):
        inner = spec.inner
        return ("list", []) if not isinstance(inner, mm.Nested) else ("", [])
    if isinstance(spec, mm.Nested | mm.Dict):
        return "", []
    for rule in spec.validators:
        if isinstance(rule, validate.OneOf):
            return "select", [str(c) for c in rule.choices]
    return "text", []


def shown(widget: str, value: Any) -> str:
    """A current value as its box shows it: a day as dd/mm/yyyy, a list comma-separated."""
    if value is None:
        return ""
    if widget == "date" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    if widget == "list" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if widget == "check":
        return "1" if value else ""
    return str(value)


def boxes(kind: str, values: dict[str, Any]) -> list[Box]:
    """The boxes of a fact of this kind, in the schema's order, filled from its values."""
    schema = schema_for(kind)
    allowed = correctable(kind) - _NOT_BOXED
    out = []
    for key, spec in schema.fields.items():
        if key not in allowed:
            continue
        widget, codes = _widget(spec)
        if not widget:
            continue
        choices = [(code, labels.word(code, key)) for code in codes]
        label = labels.field(key, kind)
        out.append(Box(key, label, widget, shown(widget, values.get(key)), choices))
    return out


def picked(org: str, target: str) -> Picked | None:
    """The picked target's fact and boxes (None when nothing, or nothing visible, is picked)."""
    if not target:
        return None
    fact = fact_of(org, target)
    if fact is None:
        return None
    return Picked(target, fact.kind, fact.values, boxes(fact.kind, fact.values))


def _typed(box: Box, raw: str) -> Any:
    """A box's text as the value the schema reads (a bad one passes as typed: the schema names
    what is wrong with it)."""
    raw = raw.strip().replace("\r\n", "\n")
    if box.widget == "int":
        digits = whole_number(raw)
        return int(digits) if digits.lstrip("-").isdigit() and len(digits) < 20 else raw
    if box.widget == "date":
        return iso_day(raw)
    if box.widget == "list":
        return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
    if box.widget == "check":
        return bool(raw)
    return raw


def changed(pick: Picked, values: dict[str, str]) -> dict[str, Any]:
    """The boxes the clerk changed (against what the page showed, `was-KEY`, so a change made
    by someone else meanwhile is not undone by an untouched box)."""
    out: dict[str, Any] = {}
    for box in pick.boxes:
        name = f"set-{box.key}"
        now: str
        before: str
        if box.widget == "check":
            if f"was-{box.key}" not in values:
                continue
            now, before = values.get(name, ""), values.get(f"was-{box.key}", "")
        else:
            if name not in values:
                continue
            now = values[name].strip()
            before = values.get(f"was-{box.key}", box.shown).strip()
            if not now:  # emptied: a value is corrected, not removed
                continue
        if _typed(box, now) != _typed(box, before):
            out[box.key] = _typed(box, now)
    return out


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def typed_pairs(pick: Picked, pairs: dict[str, Any]) -> dict[str, Any]:
    """The fallback box's pairs with words read as codes: a field's label (`Số người`) as its
    key, a value's word (`Đoàn vào`) as its code. A field that cannot be corrected is named in
    words, with the ones that can."""
    allowed = sorted(correctable(pick.kind) - _NOT_BOXED)
    by_words = {_fold(labels.field(key, pick.kind)): key for key in allowed}
    by_words.update({_fold(key): key for key in allowed})
    choices = {box.key: box.choices for box in pick.boxes}
    dates = {box.key for box in pick.boxes if box.widget == "date"}
    out: dict[str, Any] = {}
    for typed, value in pairs.items():
        key = by_words.get(_fold(typed))
        if key is None:
            names = ", ".join(labels.field(k, pick.kind) for k in allowed)
            message = _(
                "không đính chính được trường “%(name)s” của %(kind)s; đính chính được: %(names)s",
                name=typed,
                kind=pick.kind_words.lower(),
                names=names,
            )
            raise FormInputError("set", message)
        if isinstance(value, str):
            words = {_fold(text): code for code, text in choices.get(key, [])}
            value = words.get(_fold(value), value)
            if key in dates:  # `Ngày bắt đầu=11/03/2021`, the key named in words
                value = iso_day(value)
        out[key] = value
    return out


def correction_set(org: str, kind: str, values: dict[str, str], cmd: dict[str, Any]) -> None:
    """Fill `cmd["set"]` of a correction from the changed boxes and the typed pairs (the typed
    ones win); a correction that changes nothing is refused beside the boxes."""
    typed = cmd.pop("set", None) or {}
    if kind != "record.corrected":
        return
    pick = picked(org, values.get("target", ""))
    if pick is None:  # nothing visible to correct: the importer names the target
        if typed:
            cmd["set"] = typed
        return
    wanted = {**changed(pick, values), **typed_pairs(pick, typed)}
    if not wanted:
        raise FormInputError("set", _("chưa thay đổi giá trị nào: sửa ô cần đính chính"))
    cmd["set"] = wanted


def beside_boxes(
    pick: Picked | None, values: dict[str, str], errors: dict[str, list[str]]
) -> dict[str, list[str]]:
    """A correction's errors on a value changed in its box (`set.people`) moved beside that box
    (`set-people`); the others (a value typed in the fallback box) left for the form's fields."""
    if pick is None:
        return errors
    keys = set(changed(pick, values))
    out: dict[str, list[str]] = {}
    for name, messages in errors.items():
        head, _sep, key = name.partition(".")
        moved = f"set-{key}" if head == "set" and key in keys else name
        out.setdefault(moved, []).extend(messages)
    return out
