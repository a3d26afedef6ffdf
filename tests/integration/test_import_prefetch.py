"""The importer reads records in bulk (`PagedSave.load`): the same records as `find`."""

from __future__ import annotations

from domain.records import record_id
from service.importing.paged_save import PagedSave
from tests.conftest import SAMPLES, Cli


def test_bulk_load_agrees_with_find_on_each_backend(cli: Cli) -> None:
    result = cli("import", "--backfill", str(SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl"))
    assert result.exit_code == 0, result.output
    targets = ["org", "programme:2020", *(f"task:2020/{no}" for no in range(1, 30))]
    pairs = [(org, t) for org in ("ha-tinh", "gia-lai") for t in targets]
    with cli.runtime() as rt:
        found = PagedSave(rt.app).load([record_id(org, t) for org, t in pairs])
        expected = {}
        for org, target in pairs:
            record = rt.app.find(org, target)
            if record is not None:
                expected[record.id] = (record.version, record.target, sorted(record.facts))
    assert {k: (r.version, r.target, sorted(r.facts)) for k, r in found.items()} == expected
    assert len(found) == 2 + 22  # ha-tinh's org, programme 2020 and its 22 tasks


def test_a_second_import_of_the_same_file_still_skips_every_line(cli: Cli) -> None:
    path = str(SAMPLES / "000_ha_tinh_key_tasks_2020.jsonl")
    assert cli("import", "--backfill", path).exit_code == 0
    again = cli("import", "--backfill", path)
    assert again.exit_code == 0, again.output
    assert again.output.startswith("added 0, skipped 49")
