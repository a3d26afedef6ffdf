"""The event catalogue: each import kind's schema fields, the events it stores and their versions.

`python -m tests.tools.event_catalogue` prints it; `--write` stores it as
domain/event_catalogue.json, the snapshot that tests/unit/test_event_versions.py holds the code
to: a kind whose fields change while its events keep their `class_version` fails there (bump the
version, add the upcast, then write the snapshot again). The version knobs: domain/EVENTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from marshmallow import fields as mf

from domain.statuses import REPORTABLE
from service.importing.handlers import KINDS
from service.importing.schemas import COMMON_KEYS, schema_for
from tests.builders import MemoryWorkspace, line, prerequisites

SNAPSHOT = Path(__file__).resolve().parents[2] / "domain" / "event_catalogue.json"


def _field(field: mf.Field) -> Any:
    """What a stored value's shape depends on: type, required, default, nested keys."""
    shape: dict[str, Any] = {"type": type(field).__name__}
    if field.required:
        shape["required"] = True
    if field.load_default is not mf.missing_:
        shape["default"] = field.load_default
    if isinstance(field, mf.Nested):
        nested = field.schema
        shape["keys"] = {(f.data_key or n): _field(f) for n, f in sorted(nested.fields.items())}
    inner = getattr(field, "inner", None) or getattr(field, "value_field", None)
    if isinstance(inner, mf.Field):
        shape["items"] = _field(inner)
    return shape


def schema_fields(kind: str) -> dict[str, Any]:
    """A kind's own keys (the event's `data`), with their shapes."""
    declared = schema_for(kind).fields
    return {
        (f.data_key or name): _field(f)
        for name, f in sorted(declared.items())
        if (f.data_key or name) not in COMMON_KEYS
    }


def _events_of(kind: str) -> dict[str, int]:
    """The event classes one line of `kind` stores, with their class_version."""
    variants = [line(kind)]
    if kind == "task.progressed":
        variants = [line(kind, status=status) for status in REPORTABLE]
    found: dict[str, int] = {}
    for variant in variants:
        ws = MemoryWorkspace()
        for before in prerequisites(kind) if kind != "org.registered" else []:
            ws.apply(before)
        ws.events()  # what the prerequisites stored is not this kind's
        ws.apply(variant)
        for event in ws.events():
            cls = type(event)
            topic = f"{cls.__module__}:{cls.__qualname__}"
            found[topic] = getattr(cls, "class_version", 1)
    return dict(sorted(found.items()))


def catalogue() -> dict[str, Any]:
    """Every import kind: its fields and the events it stores."""
    return {
        kind: {"fields": schema_fields(kind), "events": _events_of(kind)} for kind in sorted(KINDS)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"store it as {SNAPSHOT.name}")
    args = parser.parse_args(argv)
    text = json.dumps(catalogue(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if args.write:
        SNAPSHOT.write_text(text, encoding="utf-8")
        print(f"written {SNAPSHOT}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
