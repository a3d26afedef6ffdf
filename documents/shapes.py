"""Each report kind's JSON shape as data: the paths a draft's body may name, and their types.

Over 300 lines as one module: each kind's shape is a few lines of data, and `conform` and
`paths` walk the same four node types; kept beside the data they walk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.codes import (
    AGREEMENT_LEVELS,
    APPROVAL,
    CATEGORIES,
    FORMS,
    FUNDING,
    GRANTORS,
    PARTNER_TYPES,
    RECIPIENT_TYPES,
)
from domain.metrics import CATALOGUE, Metric
from domain.statuses import STATUSES

# CONTRACT "assigned-tasks": the buckets, in the order the report lists them.
OUTCOMES = (
    "completed_on_time",
    "completed_late",
    "not_completed_on_time",
    "in_progress",
    "cancelled",
)


@dataclass(frozen=True)
class Leaf:
    """A scalar: `int`, `str`, `bool` or `date` (an ISO date string); `family` names a code list."""

    type: str
    nullable: bool = False
    family: str | None = None


@dataclass(frozen=True)
class Obj:
    """An object with fixed keys (attribute or subscript alike)."""

    fields: Mapping[str, Shape] = field(hash=False)
    nullable: bool = False


@dataclass(frozen=True)
class ListOf:
    """A list whose items all have one shape."""

    item: Shape
    nullable: bool = False


@dataclass(frozen=True)
class MapOf:
    """A mapping of string keys to one shape; `keys` closes it, None leaves it open (notes)."""

    value: Shape
    keys: tuple[str, ...] | None = None
    nullable: bool = False


Shape = Leaf | Obj | ListOf | MapOf

INT, STR, BOOL, DATE = Leaf("int"), Leaf("str"), Leaf("bool"), Leaf("date")
INT_OR_NULL, STR_OR_NULL, DATE_OR_NULL = Leaf("int", True), Leaf("str", True), Leaf("date", True)


def code(family: str, nullable: bool = False) -> Leaf:
    """A code of one family (a task status, an award form…), written with the `label` filter."""
    return Leaf("str", nullable, family)


def obj(fields: Mapping[str, Shape], nullable: bool = False) -> Obj:
    """An object shape from a mapping (keys may hold dots: `translation.pages`)."""
    return Obj(dict(fields), nullable)


def counts(codes: Iterable[str]) -> Obj:
    """A breakdown: every code with its count, `unknown` always present (CONTRACT fine point 3)."""
    return obj(dict.fromkeys([*codes, "unknown"], INT))


# --- common keys (CONTRACT "Report JSON"); a document's sources carry no digest -------------

COMMON: dict[str, Shape] = {
    "report": STR,
    "org": STR,
    "period": obj({"label": STR, "window": STR, "from": DATE, "to": DATE}),
    "as_of": DATE,
    "known_by": STR,
    "recorded_by": STR,
    "format": INT,
    "notes": MapOf(STR),
}

# --- key-tasks and assigned-tasks ------------------------------------------------------------

KEY_TASK = obj(
    {
        "no": INT,
        "title": STR,
        "unit": STR,
        "status": code("status"),
        "reason": STR_OR_NULL,
        "ref": STR_OR_NULL,
        "status_on": DATE_OR_NULL,  # format 2: the day of the status in force
        "no_inferred": BOOL,  # format 2: task.added's key (seed 000 names 18 without its number)
    }
)
KEY_TASKS: dict[str, Shape] = {
    "programme": STR,
    # format 2: the programme.adopted fact ("ban hành kèm theo công văn số 53/SNgV-VP ngày …")
    "adopted": obj({"title": STR, "ref": STR_OR_NULL, "on": DATE}, nullable=True),
    "tasks": ListOf(KEY_TASK),
    "summary": obj(dict.fromkeys(STATUSES, INT)),
}

ASSIGNED_TASK = obj(
    {
        "programme": STR,
        "no": INT,
        "title": STR,
        "unit": STR,
        "deadline": DATE_OR_NULL,
        "status": code("status"),
        "outcome": code("outcome"),
        "completed_on": DATE_OR_NULL,
        "ref": STR_OR_NULL,  # format 2: the document of the status in force
    }
)
ASSIGNED_TASKS: dict[str, Shape] = {
    "total": INT,
    **dict.fromkeys(OUTCOMES, INT),
    "tasks": ListOf(ASSIGNED_TASK),
}

# --- foreign-affairs ---------------------------------------------------------------------------
# `previous` may be null (no complete earlier window) and an activity value may be null (not
# recorded): CONTRACT "Complete periods". A new metric in domain/metrics.py is a new key here.


def metric_shape(metric: Metric) -> Obj:
    """One activity metric: its value, its sub-counts and the earlier window's value."""
    detail = obj(dict.fromkeys(metric.detail, INT), nullable=True)
    return obj({"value": INT_OR_NULL, "detail": detail, "previous": INT_OR_NULL})


PEOPLE = obj({"delegations": INT, "people": INT})
VND = obj({"amount_vnd": INT, "count": INT})


def direction(outbound: bool) -> Obj:
    """Outbound or inbound delegations."""
    fields: dict[str, Shape] = {
        "delegations": INT,
        "people": INT,
        "by_funding": counts(FUNDING),
        "by_approval": counts(APPROVAL),
        "received_by_leaders": INT,
        # a figure of a `figures.reported` that names only one of the two: the other is null
        "previous": obj({"delegations": INT_OR_NULL, "people": INT_OR_NULL}, nullable=True),
    }
    if outbound:
        fields["plan"] = obj({"items": INT, "done": INT, "rate_percent": INT_OR_NULL})
        fields["unplanned"] = INT
        # under the province's own plan, or a ministry's (delegation `arranged`; seed 004)
        fields["province_plan"] = PEOPLE
        fields["ministry_plan"] = PEOPLE
    else:
        # delegation.recorded's partner_type
        fields["by_partner_type"] = counts(PARTNER_TYPES)
        # delegations of representations, international organisations and NGOs (seed 003)
        fields["missions"] = PEOPLE
        # invited by the province, or at the delegation's own request (seed 004)
        fields["invited"] = PEOPLE
        fields["own_request"] = PEOPLE
    return obj(fields)


def foreign_affairs(metrics: Iterable[Metric]) -> dict[str, Shape]:
    """The foreign-affairs keys for a catalogue of metrics."""
    money = {"committed_usd": INT, "disbursed_usd": INT}
    return {
        "outbound": direction(True),
        "inbound": direction(False),
        "conferences": obj({"count": INT, "previous": INT_OR_NULL}),
        "agreements": obj(
            {"count": INT, "by_level": counts(AGREEMENT_LEVELS), "previous": INT_OR_NULL}
        ),
        "aid": obj({**money, "previous": obj(dict.fromkeys(money, INT_OR_NULL), nullable=True)}),
        # support given by the province and received, in đồng (support.given, support.received)
        "support": obj({"given": VND, "received": VND}),
        "activity": obj({m.code: metric_shape(m) for m in metrics}),
        "merged_from": ListOf(obj({"org": STR, "until": DATE})),
    }


# --- emulation ---------------------------------------------------------------------------------

AWARD = obj(
    {
        "id": STR,
        "stage": code("stage"),
        "form": code("form", True),
        "title": STR_OR_NULL,
        "grantor": code("grantor", True),
        "body": STR_OR_NULL,
        "recipient": obj(
            {"type": code("recipient_type", True), "name": STR_OR_NULL},
        ),
        "category": code("category", True),
        "movement": STR_OR_NULL,
        "for_year": INT_OR_NULL,
        "irregular": BOOL,
        "irregular_reason": STR_OR_NULL,
        "proposed_on": DATE_OR_NULL,
        "decided_on": DATE_OR_NULL,
        "ref": STR_OR_NULL,
    }
)
MOVEMENT = obj(
    {
        "id": STR,
        "title": STR,
        "launched_by": code("launched_by", True),
        "launched_on": DATE,
        "ref": STR_OR_NULL,
        "phases": ListOf(obj({"name": STR, "from": DATE, "to": DATE})),
        "registrations": INT,
    }
)
EMULATION: dict[str, Shape] = {
    "awards": ListOf(AWARD),
    "by_form": counts(FORMS),
    "by_grantor": counts(GRANTORS),
    "by_recipient_type": counts(RECIPIENT_TYPES),
    "by_category": counts(CATEGORIES),
    "proposed": ListOf(AWARD),
    "movements": ListOf(MOVEMENT),
}

# --- the inspector's registers (award-register, award-irregular) ------------------------------

REGISTER: dict[str, Shape] = {"awards": ListOf(AWARD), "total": INT}
IRREGULAR: dict[str, Shape] = {
    "awards": ListOf(obj({**AWARD.fields, "problems": ListOf(code("problem"))})),
    "total": INT,
}

SHAPES: dict[str, Obj] = {
    "key-tasks": obj({**COMMON, **KEY_TASKS}),
    "assigned-tasks": obj({**COMMON, **ASSIGNED_TASKS}),
    "foreign-affairs": obj({**COMMON, **foreign_affairs(CATALOGUE.values())}),
    "emulation": obj({**COMMON, **EMULATION}),
    "award-register": obj({**COMMON, **REGISTER}),
    "award-irregular": obj({**COMMON, **IRREGULAR}),
}


def merge(base: Shape, extra: Shape) -> Shape:
    """A shape with another's keys added (objects merged key by key, list items likewise)."""
    if isinstance(base, Obj) and isinstance(extra, Obj):
        fields = dict(base.fields)
        for key, value in extra.fields.items():
            fields[key] = merge(fields[key], value) if key in fields else value
        return Obj(fields, base.nullable)
    if isinstance(base, ListOf) and isinstance(extra, ListOf):
        return ListOf(merge(base.item, extra.item), base.nullable)
    return extra


def shape_of(kind: str, planned: Mapping[str, Obj] | None = None) -> Obj:
    """A report kind's shape, with the planned keys of `planned` added (see documents.planned)."""
    base = SHAPES[kind]
    if planned and kind in planned:
        merged = merge(base, planned[kind])
        assert isinstance(merged, Obj)
        return merged
    return base


def conform(value: Any, shape: Shape, path: str = "") -> list[str]:
    """Where a JSON value leaves its shape: every key, item and type checked; [] when it fits."""
    where = path or "(gốc)"
    if value is None:
        return [] if shape.nullable else [f"{where}: null nhưng khuôn không cho phép"]
    if isinstance(shape, Leaf):
        return [] if _leaf_fits(value, shape) else [f"{where}: {value!r} không phải {shape.type}"]
    if isinstance(shape, ListOf):
        if not isinstance(value, list):
            return [f"{where}: không phải danh sách"]
        return [
            p for i, item in enumerate(value) for p in conform(item, shape.item, f"{path}[{i}]")
        ]
    if not isinstance(value, dict):
        return [f"{where}: không phải đối tượng"]
    problems = []
    for key, item in value.items():
        inner = _field(shape, key)
        step = f"{path}.{key}" if path else key
        if inner is None:
            problems.append(f"{step}: khóa không có trong khuôn")
        else:
            problems.extend(conform(item, inner, step))
    return problems


def _field(shape: Obj | MapOf, key: str) -> Shape | None:
    if isinstance(shape, Obj):
        return shape.fields.get(key)
    if shape.keys is not None and key not in shape.keys:
        return None
    return shape.value


def _leaf_fits(value: Any, leaf: Leaf) -> bool:
    if leaf.type == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if leaf.type == "bool":
        return isinstance(value, bool)
    if leaf.type == "date":
        return isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-"
    return isinstance(value, str)


def paths(shape: Shape, prefix: str = "") -> list[str]:
    """Every path of a shape, lists as `[]` and open mappings as `[*]`: for listing and errors."""
    if isinstance(shape, Leaf):
        return [prefix]
    if isinstance(shape, ListOf):
        return paths(shape.item, f"{prefix}[]")
    if isinstance(shape, MapOf):
        keys = shape.keys or ("*",)
        return [p for k in keys for p in paths(shape.value, f"{prefix}[{k!r}]")]
    found = []
    for key, inner in shape.fields.items():
        step = f"{prefix}[{key!r}]" if "." in key else (f"{prefix}.{key}" if prefix else key)
        found.extend(paths(inner, step))
    return found
