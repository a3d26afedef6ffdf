"""The types the body check follows: the report shapes, plus a value it no longer follows, a
loop's counters and a pair of |dictsort, and how several of them unify."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from documents.sandbox import LOOP_ATTRIBUTES
from documents.shapes import BOOL, INT, Leaf, MapOf, Obj, Shape


@dataclass(frozen=True)
class Unknown:
    """A value whose shape the check no longer follows (after an error): no second error."""

    nullable: bool = True


@dataclass(frozen=True)
class Loop:
    """The `loop` of a `{% for %}`: its counters only."""

    nullable: bool = False


@dataclass(frozen=True)
class Pair:
    """An item of `|dictsort`: a key and its value."""

    key: Shape
    value: Shape
    nullable: bool = False


Type = Shape | Unknown | Loop | Pair
UNKNOWN = Unknown()
LOOP_FIELDS: dict[str, Type] = {
    "index": INT,
    "index0": INT,
    "revindex": INT,
    "revindex0": INT,
    "first": BOOL,
    "last": BOOL,
    "length": INT,
}
assert tuple(LOOP_FIELDS) == LOOP_ATTRIBUTES


def nullable(t: Type) -> Type:
    """The same type, null allowed."""
    return t if t.nullable else replace(t, nullable=True)


def is_a(t: Type, *types: str) -> bool:
    """Whether a type is one of the scalar types named (an unknown one passes: no second error)."""
    return isinstance(t, Unknown) or (isinstance(t, Leaf) and t.type in types)


def unify(types: Sequence[Type]) -> Type | None:
    """One type for several values (a branch, a mapping's fields), or None if they differ."""
    if not types:
        return UNKNOWN
    null = any(t.nullable for t in types)
    if any(isinstance(t, Unknown) for t in types):
        return UNKNOWN
    plain = [replace(t, nullable=False) for t in types]
    if all(p == plain[0] for p in plain):
        return nullable(plain[0]) if null else plain[0]
    leaves = [t for t in plain if isinstance(t, Leaf)]
    if len(leaves) == len(plain) and len({t.type for t in leaves}) == 1:
        return Leaf(leaves[0].type, null)
    objs = [t for t in plain if isinstance(t, Obj)]
    if len(objs) == len(plain):
        keys = set(objs[0].fields)
        if all(set(o.fields) == keys for o in objs):
            fields = {k: unify([o.fields[k] for o in objs]) for k in objs[0].fields}
            if all(v is not None for v in fields.values()):
                return Obj(fields, null)  # type: ignore[arg-type]
        values = [v for o in objs for v in o.fields.values()]
        common = unify(values) if values else INT
        if isinstance(common, Leaf):
            return MapOf(common, None, null)
    return None
