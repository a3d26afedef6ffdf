"""The import's fast validation gives marshmallow's result exactly (same dict, same key order)
for every line it vouches for, vouches for nearly every valid sample line, and leaves every
line marshmallow refuses to marshmallow (None), however the line is broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from marshmallow import ValidationError

from domain.text import nfc
from service.importing.fastload import compile_load, fast_load
from service.importing.schemas import SCHEMAS, schema_for

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REFUSED = object()
ODD_VALUES: list[Any] = [
    None, "", " ", "x", "x\x01", "a\tb", "\ud800", 0, -1, 1.5, True, 10**16, [], {},
    ["x"], [1], {"a": 1}, "2020-13-45", "2020-01-01", "2020-01-01T10:00:00+07:00",
]  # fmt: skip


def sample_lines() -> list[dict[str, Any]]:
    lines = []
    for path in sorted(SAMPLES.glob("*.jsonl")):
        for text in path.read_text("utf-8").splitlines():
            if text.strip():
                lines.append(nfc(json.loads(text)))
    return lines


def marshmallow(raw: dict[str, Any]) -> Any:
    try:
        return schema_for(raw["kind"]).load(raw)
    except ValidationError:
        return REFUSED


def same(raw: dict[str, Any]) -> bool:
    """Whether the fast load agrees with marshmallow on this line (None: it deferred)."""
    fast = fast_load(schema_for(raw["kind"]), raw)
    if fast is None:
        return True
    expected = marshmallow(raw)
    assert expected is not REFUSED, raw
    assert fast == expected and list(fast) == list(expected), raw
    assert [type(v) for v in fast.values()] == [type(v) for v in expected.values()], raw
    return True


def test_every_schema_compiles_or_says_it_cannot() -> None:
    compiled = {kind: compile_load(schema_for(kind)) for kind in SCHEMAS}
    assert compiled["delegation.recorded"] is not None
    assert compiled["task.progressed"] is not None
    assert compiled["activity.counted"] is not None
    assert compiled["record.corrected"] is not None


def test_valid_sample_lines_load_as_marshmallow_loads_them() -> None:
    lines = sample_lines()
    assert len(lines) > 300
    vouched = 0
    for raw in lines:
        assert same(raw)
        vouched += fast_load(schema_for(raw["kind"]), raw) is not None
    assert vouched >= 0.9 * len(lines), (vouched, len(lines))


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_broken_sample_lines_are_left_to_marshmallow_or_agree(value: Any) -> None:
    for raw in sample_lines():
        for key in list(raw):
            if key == "kind":
                continue
            same({**raw, key: value})
            changed = dict(raw)
            del changed[key]
            same(changed)
        same({**raw, "unknown_key": value})


def test_a_line_marshmallow_refuses_is_never_vouched_for() -> None:
    line = {
        "kind": "delegation.recorded", "org": "ha-tinh", "at": "2021-03-10", "id": "D",
        "direction": "outbound", "people": 3, "countries": ["Lào"], "purpose": "x",
    }  # fmt: skip
    schema = schema_for("delegation.recorded")
    assert fast_load(schema, line) == schema.load(line)
    for broken in (
        {**line, "people": 0},
        {**line, "people": True},
        {**line, "direction": "sideways"},
        {**line, "countries": []},
        {**line, "org": "Ha Tinh"},
        {**line, "end": "2021-03-01"},  # before `at`: the schema's own rule
        {**line, "plan_item": "P1", "direction": "inbound"},
        {**line, "purpose": "a\x00b"},
        {**line, "id": "a\nb"},
    ):
        assert marshmallow(broken) is REFUSED, broken
        assert fast_load(schema, broken) is None, broken
