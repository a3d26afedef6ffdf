"""The import's validation of a line, marshmallow's result in a fraction of its time: each command
schema compiled once into plain checks; a line it is not sure of goes to `schema.load`.

`schema.load` spends most of a line's time in its own machinery (a closure, an error store and a
validator chain built per field, per line), not in our fields. Here each field's own
`_deserialize` and validators run as `Field.deserialize` would run them, in the schema's field
order, so a valid line gives the same dict, key for key and in the same order; the commonest
fields (a text with only the non-empty rule and maybe a code list or a pattern, an integer in a
range, a flag) are checked inline. Anything else (an unknown or missing required key, a null, a
value any check refuses, a schema with hooks this does not run) returns None, and the caller asks
marshmallow, which gives the messages. `tests/unit/test_fastload.py` holds it to `load`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, validate
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.utils import missing

from service.importing.fields import Code, Flag, FullMatch, Int, Text

Load = Callable[[dict[str, Any]], "dict[str, Any] | None"]
_MISSING = object()


def _text_check(field: Text) -> Callable[[Any], bool] | None:
    """An inline check for a text whose validators are the non-empty rule and/or one code list
    or pattern: True when the value passes them all (printable: no control character)."""
    validators = list(field.validators)
    nonempty = False
    if validators and type(validators[0]) is validate.Length:
        first: Any = validators.pop(0)  # a validate.Length (checked above)
        if not (first.min == 1 and first.max is None and first.equal is None):
            return None
        nonempty = True
    if not validators:
        if not nonempty:
            return None
        return lambda v: type(v) is str and v != "" and v.isprintable()
    if len(validators) != 1:
        return None
    extra = validators[0]
    if type(extra) is validate.OneOf and all(type(c) is str and c for c in extra.choices):
        choices = frozenset(extra.choices)
        return lambda v: type(v) is str and v in choices and v.isprintable()
    if type(extra) is FullMatch:
        whole: re.Pattern[str] = extra.whole
        return lambda v: (
            type(v) is str
            and (v != "" or not nonempty)
            and v.isprintable()
            and whole.fullmatch(v) is not None
        )
    return None


def _int_check(field: Int) -> Callable[[Any], bool] | None:
    """An inline check for an integer with at most one inclusive range."""
    validators = list(field.validators)
    if not validators:
        return lambda v: type(v) is int
    if len(validators) != 1 or type(validators[0]) is not validate.Range:
        return None
    rule = validators[0]
    if not (rule.min_inclusive and rule.max_inclusive):
        return None
    low, high = rule.min, rule.max
    if low is None or high is None:
        return None
    return lambda v: type(v) is int and low <= v <= high


def _inline(field: fields.Field) -> Callable[[Any], bool] | None:
    """An inline check whose passing values `Field.deserialize` returns unchanged, or None."""
    kind = type(field)
    if kind in (Text, Code):
        return _text_check(field)  # type: ignore[arg-type]
    if kind is Int:
        return _int_check(field)  # type: ignore[arg-type]
    if kind is Flag and not field.validators:
        return lambda v: type(v) is bool
    return None


def _general(field: fields.Field, name: str) -> Callable[[Any, dict[str, Any]], Any]:
    """`Field.deserialize` for a present, non-null value (no pre-load function), as marshmallow
    runs it: the field's `_deserialize`, then each of its validators."""
    deserialize = field._deserialize
    validators = tuple(field.validators)

    def run(value: Any, data: dict[str, Any]) -> Any:
        out = deserialize(value, name, data)
        for check in validators:
            if check(out) is False:  # a validator may answer False instead of raising
                raise ValueError(name)
        return out

    return run


def compile_load(schema: Schema) -> Load | None:
    """The schema's fast load, or None when it has hooks or options this does not run."""
    hooks = schema._hooks
    if hooks[PRE_LOAD] or hooks[POST_LOAD] or hooks[VALIDATES]:
        return None
    if schema.partial or schema.unknown != "raise" or schema.many:
        return None
    checks = []
    for _tag, pass_many, options in hooks[VALIDATES_SCHEMA]:
        if pass_many or options.get("pass_original") or options.get("pass_collection"):
            return None
    validators = [getattr(schema, name) for name, _many, _options in hooks[VALIDATES_SCHEMA]]
    plan = []
    for attr_name, field in schema.load_fields.items():
        if field.pre_load or field.attribute is not None:
            return None
        key = field.data_key if field.data_key is not None else attr_name
        default = field.load_default
        plan.append(
            (
                key,
                attr_name,
                field.required,
                _MISSING if default is missing else default,
                _inline(field),
                _general(field, key),
            )
        )
        checks.append(key)
    known = frozenset(checks)

    def load(data: dict[str, Any]) -> dict[str, Any] | None:
        if not known.issuperset(data):
            return None  # an unknown key: marshmallow names it
        out: dict[str, Any] = {}
        try:
            for key, attr, required, default, inline, general in plan:
                value = data.get(key, _MISSING)
                if value is _MISSING:
                    if required:
                        return None
                    if default is not _MISSING:
                        out[attr] = default() if callable(default) else default
                    continue
                if value is None:
                    return None  # null: marshmallow says whether it may be
                if inline is not None and inline(value):
                    out[attr] = value
                else:
                    out[attr] = general(value, data)
            for validator in validators:
                validator(out, partial=None, many=False, unknown="raise")
        except Exception:  # any refusal, or anything unforeseen: marshmallow decides
            return None
        return out

    return load


_LOADS: dict[type[Schema], Load | None] = {}


def fast_load(schema: Schema, data: dict[str, Any]) -> dict[str, Any] | None:
    """`schema.load(data)` for a line it can vouch for; None: ask `schema.load`."""
    cls = type(schema)
    if cls not in _LOADS:
        _LOADS[cls] = compile_load(schema)
    found = _LOADS[cls]
    return found(data) if found is not None else None
