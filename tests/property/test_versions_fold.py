"""The task versions' reports equal the fold's, digest for digest, for random (D, K, T).

The history is the oracle test's generator (`test_reports_oracle`: programmes, tasks, progress,
corrections, voids, backfills, dates and instants around midnight), imported in batches through
`ngoaivu import`; after each batch, key-tasks and assigned-tasks in both formats are built from
the versions (`BUILDERS`) and by the fold (`FOLD_BUILDERS`) in the same snapshot, under random
cut-offs (recorded-by positions and instants among them), and after a rebuild again.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from projections.reports import BUILDERS, FOLD_BUILDERS, build
from service.config import Settings
from service.reporting.requests import ReportInputError, make_request
from service.runtime import Runtime
from tests.property.test_reports_oracle import (
    DAYS,
    ORGS,
    Ask,
    Installation,
    Plan,
    World,
    asks,
    import_plan,
    plan_changes,
    plan_openings,
    plan_progress,
    survey,
)

KINDS = ("key-tasks", "assigned-tasks")


def same_as_fold(rt: Runtime, ask: Ask, now: datetime) -> int:
    """Both formats of the ask's kind, versions against fold; how many compared."""
    compared = 0
    for kind in KINDS:
        for version in (1, 2):
            try:
                request = make_request(
                    rt,
                    kind,
                    ask.org,
                    ask.period,
                    window=ask.window,
                    programme=ask.programme,
                    as_of=ask.as_of,
                    known_by=now.isoformat() if ask.known_by == "now" else ask.known_by,
                    recorded_by=ask.recorded_by,
                    format=version,
                )
            except ReportInputError:
                continue  # a programme never adopted: refused alike
            with rt.models.reading() as conn:
                got = build(conn, request, BUILDERS)
                expected = build(conn, request, FOLD_BUILDERS)
            assert got == expected, (kind, version, ask)
            compared += 1
            event(f"{kind} f{version}: {len(got['tasks'])} task(s)")
    return compared


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_versions_equal_the_fold(data: st.DataObject) -> None:
    """Every digest of key-tasks and assigned-tasks (formats 1, 2) is the fold's."""
    draw = data.draw
    orgs = draw(st.sampled_from((ORGS[:1], ORGS)))
    with tempfile.TemporaryDirectory(prefix="ngoaivu-versions-") as tmp:
        inst = Installation(Path(tmp) / "var")
        days = tuple(
            sorted(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=4, unique=True)))
        )
        world = World(orgs, days)
        for batch in range(draw(st.integers(1, 4))):
            plan = Plan(world, backfill=draw(st.sampled_from((True, True, False))))
            plan_openings(draw, plan, first=batch == 0)
            plan_progress(draw, plan)
            plan_changes(draw, plan)
            import_plan(draw, inst, plan, Path(tmp) / f"batch-{batch}.jsonl")
            store = inst.store()
            world = World.of(orgs, days, store)
            now = datetime.now(UTC) + timedelta(seconds=1)
            with Runtime(Settings(inst.data)) as rt:
                for _ in range(draw(st.integers(3, 8))):
                    pinned = draw(st.booleans())
                    same_as_fold(rt, draw(asks(world, store.head, pinned=pinned)), now)
        assert inst("projections", "rebuild").exit_code == 0
        with Runtime(Settings(inst.data)) as rt:
            for ask in survey(world):
                same_as_fold(rt, ask, now)
