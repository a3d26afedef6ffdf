"""An upgrade that changes an event class: events stored by the old version still load.

`Task.Added` is at class version 2 (`data` always holds `source`). A version-1 event, stored as
the old class wrote it (no `class_version` key, no `source` when the default applied), must load
through the upcaster, project into the read models, accept further facts, and give the same
reports and history as the same lines stored today.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eventsourcing.persistence import StoredEvent

from domain.programmes import Task
from service.importing.handlers import event_fields
from service.importing.importer import parse_line
from service.importing.paged_save import PagedSave
from tests.conftest import Cli

ORG = "ha-tinh"
SETUP = [
    {
        "kind": "org.registered",
        "org": ORG,
        "at": "2019-01-01",
        "name": "Sở Ngoại vụ tỉnh Hà Tĩnh",
        "place": "Hà Tĩnh",
    },
    {"kind": "programme.adopted", "org": ORG, "at": "2020-02-04", "programme": "2020",
     "title": "Chương trình công tác trọng tâm năm 2020"},
    {"kind": "programme.adopted", "org": ORG, "at": "2020-01-10", "programme": "UBND-2020",
     "title": "Nhiệm vụ UBND tỉnh giao năm 2020"},
]  # fmt: skip
TASKS = [
    {"kind": "task.added", "org": ORG, "at": "2020-02-04", "programme": "2020", "no": 1,
     "title": "Đón đoàn Lào", "unit": "Hợp tác quốc tế"},
    {"kind": "task.added", "org": ORG, "at": "2020-02-04", "programme": "UBND-2020", "no": 1,
     "title": "Ban hành quy chế phối hợp lãnh sự", "unit": "Lãnh sự - Biên giới",
     "source": "ubnd", "deadline": "2020-11-30"},
]  # fmt: skip
LATER = [
    {"kind": "task.progressed", "org": ORG, "at": "2020-12-01", "programme": "2020", "no": 1,
     "status": "completed", "ref": "12/SNgV-HTQT"},
    {"kind": "task.progressed", "org": ORG, "at": "2020-12-08", "programme": "UBND-2020",
     "no": 1, "status": "completed", "ref": "39/2020/QĐ-UBND"},
]  # fmt: skip


def write(path: Path, lines: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return str(path)


def store_as_version_1(cli: Cli, lines: list[dict[str, Any]]) -> None:
    """Store `task.added` events as class version 1 wrote them, straight into the recorder."""
    rt = cli.runtime()
    try:
        stamp = datetime.now(UTC)
        stored = []
        for line in lines:
            cmd, digest, _rank = parse_line(json.dumps(line, ensure_ascii=False), True)
            fields = event_fields(cmd, "tester", digest, stamp)
            task = Task.add(cmd["org"], cmd["programme"], cmd["no"], **fields)
            (event,) = task.collect_events()
            current = rt.app.mapper.to_stored_event(event)
            state = rt.app.mapper.transcoder.decode(current.state)
            assert state.pop("class_version") == 2
            if "source" not in line:  # the old class stored no default
                del state["data"]["source"]
            stored.append(
                StoredEvent(
                    originator_id=current.originator_id,
                    originator_version=current.originator_version,
                    topic=current.topic,
                    state=rt.app.mapper.transcoder.encode(state),
                )
            )
        # Written as the application writes (its chain links in the same transaction): a row
        # written past the application would be an outside write, and raise the alarm.
        with PagedSave(rt.app, rt.chain) as saver:
            saver.write_stored(stored, [line["org"] for line in lines])
        rt.catch_up()
    finally:
        rt.close()


def reports(cli: Cli) -> list[bytes]:
    out = []
    for kind, period in (("key-tasks", "2020"), ("assigned-tasks", "2020")):
        result = cli("report", kind, "--org", ORG, "--period", period, "--as-of", "2020-12-11")
        assert result.exit_code == 0, result.output
        out.append(result.stdout_bytes)
    return out


def history(cli: Cli, target: str) -> list[dict[str, Any]]:
    result = cli("history", ORG, target, "--format", "json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)
    for event in events:  # the recorded instant differs between the two installations
        event.pop("recorded_at")
    return events


def test_a_version_1_event_loads_projects_and_reports_like_today(
    env: dict[str, str], tmp_path: Path
) -> None:
    today = Cli({**env, "NGOAIVU_DATA": str(tmp_path / "today")})
    today.env.pop("DATABASE_URL", None)  # the reference installation: SQLite, all current
    old = Cli(env)

    for cli in (today, old):
        assert cli("import", "--backfill", write(tmp_path / "setup.jsonl", SETUP)).exit_code == 0
    assert today("import", "--backfill", write(tmp_path / "tasks.jsonl", TASKS)).exit_code == 0
    store_as_version_1(old, TASKS)

    rt = old.runtime()
    try:
        raw = rt.app.recorder.select_notifications(start=4, limit=1)[0]
        assert b"class_version" not in raw.state and b'"source"' not in raw.state
        task = rt.app.repository.get(raw.originator_id)
        assert task.opening().data["source"] == "programme"  # the upcaster's default
        assert rt.app.find(ORG, "task:UBND-2020/1").opening().data["source"] == "ubnd"
    finally:
        rt.close()

    # Re-importing the same lines is recognised as identical (skipped), on the old events too.
    again = old("import", "--backfill", write(tmp_path / "tasks.jsonl", TASKS))
    assert again.exit_code == 0 and "added 0, skipped 2" in again.output
    # Further facts load the old events to check the status rules.
    for cli in (today, old):
        added = cli("import", "--backfill", write(tmp_path / "later.jsonl", LATER))
        assert added.exit_code == 0, added.output

    assert reports(old) == reports(today)
    before_rebuild = reports(old)
    assert old("projections", "rebuild").exit_code == 0
    assert reports(old) == before_rebuild
    for target in ("task:2020/1", "task:UBND-2020/1"):
        assert history(old, target) == history(today, target)
    assert json.loads(before_rebuild[1])["completed_late"] == 1  # deadline 30/11, done 8/12
    assert old("verify").exit_code == 0
