"""Events versioned by rule: a kind's schema cannot change while its events keep their version.

The snapshot is domain/event_catalogue.json (`python -m tests.tools.event_catalogue --write`);
domain/EVENTS.md says which knob to turn for which change.
"""

from __future__ import annotations

import json

import pytest

from service.importing.handlers import KINDS
from tests.builders import MemoryWorkspace, applied, line, prerequisites
from tests.tools import event_catalogue
from tests.tools.event_catalogue import SNAPSHOT, catalogue, schema_fields

STORED = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
NOW = catalogue()


def test_every_kind_is_in_the_snapshot() -> None:
    assert sorted(NOW) == sorted(STORED), (
        "import kinds added or removed: run `python -m tests.tools.event_catalogue --write` "
        "and list the kind in domain/EVENTS.md"
    )


def breaking(before: dict, after: dict) -> list[str]:
    """The changes of a kind's keys that a stored event of the old shape does not satisfy: a key
    removed or reshaped, or a new key that is required or has a default. A new optional key is
    additive: an old event without it is already of the new shape."""
    found = [f"{key} removed" for key in before if key not in after]
    found += [f"{key} changed" for key in before if key in after and before[key] != after[key]]
    found += [
        f"{key} added as required or with a default"
        for key, shape in after.items()
        if key not in before and (shape.get("required") or "default" in shape)
    ]
    return found


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_changed_fields_come_with_a_new_event_version(kind: str) -> None:
    now, stored = NOW[kind], STORED.get(kind)
    if stored is None:
        pytest.skip("new kind: see test_every_kind_is_in_the_snapshot")
    changes = breaking(stored["fields"], now["fields"])
    if changes:
        unchanged = [t for t, v in now["events"].items() if stored["events"].get(t) == v]
        assert not unchanged, (
            f"{kind}: {'; '.join(changes)}, but {', '.join(unchanged)} kept class_version: bump "
            "it, add the upcast from the stored form, then write the snapshot again"
        )
    assert now == stored, f"{kind}: the code differs from {SNAPSHOT.name}: write it again"


def test_what_breaks_an_event() -> None:
    before = {"id": {"type": "Code", "required": True}, "note": {"type": "Text"}}
    assert breaking(before, before | {"extra": {"type": "Text"}}) == []
    assert breaking(before, {"id": before["id"]}) == ["note removed"]
    assert breaking(before, before | {"note": {"type": "Integer"}}) == ["note changed"]
    required = before | {"unit": {"type": "Text", "required": True}}
    assert breaking(before, required) == ["unit added as required or with a default"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_version_step_has_its_upcast(kind: str) -> None:
    for topic, version in NOW[kind]["events"].items():
        module, _, qualname = topic.partition(":")
        cls = __import__(module, fromlist=["_"])
        for part in qualname.split("."):
            cls = getattr(cls, part)
        missing = [
            f"upcast_v{v}_v{v + 1}"
            for v in range(1, version)
            if not hasattr(cls, f"upcast_v{v}_v{v + 1}")
        ]
        assert not missing, f"{topic} is at version {version} without {', '.join(missing)}"


def test_the_guard_sees_a_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard itself: a key added to a schema is a change of its fields."""
    from marshmallow import fields

    from service.importing import schemas

    before = schema_fields("unit.registered")
    monkeypatch.setitem(schemas._INSTANCES, "unit.registered", schemas.UnitRegistered())
    schemas._INSTANCES["unit.registered"].fields["floor"] = fields.Int()
    assert schema_fields("unit.registered") != before
    assert event_catalogue.schema_fields("unit.registered")["floor"] == {"type": "Integer"}


def test_builders_give_a_valid_line_of_every_kind() -> None:
    for kind in KINDS:
        ws = MemoryWorkspace()
        for before in prerequisites(kind) if kind != "org.registered" else []:
            ws.apply(before)
        fact_id = ws.apply(line(kind))
        assert "#" in fact_id and not ws.finish(), kind


def test_rules_hold_in_memory() -> None:
    """A rule of the handlers, with no database: a progress needs its task."""
    from domain.errors import DomainError

    ws = applied(line("org.registered"), line("programme.adopted"))
    with pytest.raises(DomainError) as caught:
        ws.apply(line("task.progressed"))
    assert caught.value.field == "no"
