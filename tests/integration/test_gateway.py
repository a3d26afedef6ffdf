"""The command gateway: a command given as an object is validated once and stored without a file
between; an upload is read from its chunks; a line another writer could not write is refused
before anything is stored."""

from __future__ import annotations

import json
import tempfile
from typing import Any

import pytest

from service.commands import gateway
from service.commands.gateway import BadLine, validate
from service.importing import importer, spool
from service.importing.errors import ImportRejected, LineError
from service.queries import record_history
from tests.builders import line
from tests.conftest import Cli

ORG = line("org.registered")


def test_a_command_object_is_validated_once_and_stored_without_a_file(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads = []
    real = importer.schema_for

    def counting(kind: str) -> Any:
        schema = real(kind)
        loads.append(kind)
        return schema

    def no_file(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a command went through a temporary file")

    with sqlite_cli.runtime() as rt:
        monkeypatch.setattr(importer, "schema_for", counting)
        # The web wrote each command into a temporary directory and imported it as a file.
        monkeypatch.setattr(tempfile, "TemporaryDirectory", no_file)
        monkeypatch.setattr(gateway, "spool_file", no_file)
        monkeypatch.setattr(spool, "read_lines", no_file)
        checked = validate(dict(ORG))
        result = rt.commands.submit([checked], actor="clerk")
        monkeypatch.undo()
        assert loads == ["org.registered"]  # the one validation, not again in the importer
        assert result.added == 1 and [f for _n, f in result.fact_ids] == ["org#1"]
        (event,) = record_history(rt, ORG["org"], "org")
        assert event["actor"] == "clerk"
        again = rt.commands.submit([validate(dict(ORG))], actor="clerk")
        assert (again.added, again.skipped) == (0, 1)  # the same line as an import's, by digest


def test_an_invalid_command_names_its_fields_and_nothing_reaches_the_store() -> None:
    with pytest.raises(BadLine) as caught:
        validate({"kind": "org.registered", "org": "ha-tinh"})
    messages = caught.value.messages  # every field at fault, for a form to show beside each
    assert {"at", "name"} <= set(messages) and caught.value.field in messages


def test_an_upload_is_read_from_its_chunks_and_vetted_first(sqlite_cli: Cli) -> None:
    text = json.dumps(ORG, ensure_ascii=False) + "\n"
    data = text.encode("utf-8")
    chunks = [data[i : i + 7] for i in range(0, len(data), 7)]  # lines cut across chunks
    with sqlite_cli.runtime() as rt:
        with pytest.raises(ImportRejected) as caught:
            rt.commands.import_stream(
                iter(chunks), actor="clerk", vet=lambda n, _t: LineError(n, "org", "không")
            )
        assert [(e.line, e.field) for e in caught.value.errors] == [(1, "org")]
        assert record_history(rt, ORG["org"], "org") == []
        result = rt.commands.import_stream(iter(chunks), actor="clerk")
        assert result.added == 1
