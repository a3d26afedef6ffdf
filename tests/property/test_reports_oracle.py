"""Reports from the projections equal the oracle's plain fold; a pinned report never moves.

Hypothesis draws valid import files for one or two organisations (programmes, tasks, progress in
effective-time order, corrections, voids, dates and instants around 17:00 UTC), imports them in
several batches through `ngoaivu import`, then asks `ngoaivu report` under random cut-offs and
compares the bytes with `tests/property/oracle.py`. A report with `--recorded-by @N` (or the
instant of a batch) is taken again after later imports and after `projections rebuild`.
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cli import main
from service.config import Settings
from service.runtime import Runtime
from tests.property import oracle

ORGS = ("ha-tinh", "gia-lai")
PROGRAMMES = ("2020", "2021")
NOS = (1, 2, 3)
DAYS = tuple(
    date.fromisoformat(d)
    for d in (
        "2019-12-14",
        "2019-12-15",
        "2020-02-04",
        "2020-06-14",
        "2020-06-15",
        "2020-06-30",
        "2020-07-01",
        "2020-09-30",
        "2020-12-11",
        "2020-12-14",
        "2020-12-15",
        "2020-12-31",
        "2021-01-01",
        "2021-06-14",
    )
)
REPORTABLE = oracle.STATUSES[1:]
TITLES = ("Hội nghị xúc tiến đầu tư", "Đoàn công tác sang Lào", "Kỷ niệm quan hệ ngoại giao")
UNITS = ("Phòng Hợp tác quốc tế", "Văn phòng Sở", "Phòng Lãnh sự")
REFS = ("39/2020/QĐ-UBND", "849/SNgV-VP", "12/KH-UBND")
REASONS = ("Sai sót khi nhập", "Theo báo cáo của phòng", "Văn bản điều chỉnh")
PERIODS = ("2020", "2021", "2020-H1", "2021-H1", "2020-Q3", "2020-9M", "2021-06", "2020-12")
ADDED_KEYS = ("title", "unit", "deadline", "source", "at", "at", "ref", "reason")
PROGRESS_KEYS = ("status", "at", "reason", "ref")
NEVER = datetime.max.replace(tzinfo=UTC)  # knowledge of a line not yet stamped: after all stored
FACT_LINE = re.compile(r"^  dòng (\d+): (\S+)$", re.M)
VN_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+07:00$")


def on(days: tuple[date, ...]) -> st.SearchStrategy[str]:
    """A whole day among the history's few days."""
    return st.sampled_from(days).map(date.isoformat)


titles = st.sampled_from(TITLES).flatmap(
    lambda t: st.sampled_from((t, unicodedata.normalize("NFD", t)))
)


@st.composite
def when(draw: st.DrawFn, days: tuple[date, ...]) -> str:
    """A date or an instant, often a microsecond either side of a Vietnam midnight."""
    day = draw(st.sampled_from(days))
    before = day - timedelta(days=1)
    return draw(
        st.sampled_from(
            (
                day.isoformat(),
                day.isoformat(),
                f"{before}T17:00:00Z",  # 00:00 of `day` in Vietnam: the same instant as the date
                f"{day}T00:00:00+07:00",  # the same instant again
                f"{before}T16:59:59.999999Z",  # the last microsecond of the day before
                f"{day}T16:59:59.999999+00:00",  # the last microsecond of `day`
                f"{day}T17:00:00+00:00",  # already the next day
                f"{day}T09:30:00+07:00",
            )
        )
    )


VALUES: dict[str, Callable[[tuple[date, ...]], st.SearchStrategy[Any]]] = {
    "title": lambda _days: titles,
    "unit": lambda _days: st.sampled_from(UNITS),
    "deadline": on,
    "source": lambda _days: st.sampled_from(("programme", "ubnd")),
    "at": when,
    "ref": lambda _days: st.sampled_from(REFS),
    "reason": lambda _days: st.sampled_from(REASONS),
    "status": lambda _days: st.sampled_from(REPORTABLE),
}


# --- the generator's model of what the importer will accept ---------------------------------


@dataclass
class MFact:
    """A stored or planned fact, with every correction (knowledge, version, changes)."""

    fact_id: str
    kind: str
    version: int
    values: dict[str, Any]
    known: datetime
    fixes: list[tuple[datetime, int, dict[str, Any]]] = field(default_factory=list)
    voided: bool = False

    def current(self) -> dict[str, Any]:
        """Its keys with every correction applied, by knowledge time then version."""
        values = dict(self.values)
        for _known, _version, changes in sorted(self.fixes, key=lambda f: f[:2]):
            values.update(changes)
        return values

    def order(self) -> tuple[Any, ...]:
        """Effective time as corrected, then knowledge time, then version."""
        return (*oracle.moment(self.current()["at"]), self.known, self.version)


@dataclass
class MRecord:
    """A record as the importer sees it: every fact, correction and void, whatever the time."""

    target: str
    version: int = 0
    facts: dict[str, MFact] = field(default_factory=dict)
    voided: bool = False

    def add(self, kind: str, values: dict[str, Any], known: datetime) -> str:
        """A new fact; its id, as the importer will print it."""
        self.version += 1
        fact_id = f"{self.target}#{self.version}"
        self.facts[fact_id] = MFact(fact_id, kind, self.version, values, known)
        return fact_id

    def progress(self) -> list[MFact]:
        """The progress facts not voided, in effective-time order."""
        live = [f for f in self.facts.values() if f.kind == "task.progressed" and not f.voided]
        return sorted(live, key=MFact.order)

    def latest(self) -> MFact:
        """What a correction of the record's target names (CONTRACT fine point 4)."""
        progress = self.progress()
        return progress[-1] if progress else self.facts[f"{self.target}#1"]

    def statuses_ok(self) -> bool:
        """Whether the statuses, as corrected and in order, follow the allowed changes."""
        current = "unreported"
        for fact in self.progress():
            status = fact.current()["status"]
            if status not in oracle.ALLOWED[current]:
                return False
            current = status
        return True


@dataclass
class World:
    """The installation's records as the generator knows them, rebuilt after every import."""

    orgs: tuple[str, ...]
    days: tuple[date, ...]
    records: dict[tuple[str, str], MRecord] = field(default_factory=dict)
    stored: set[tuple[str, str]] = field(default_factory=set)
    stamps: list[datetime] = field(default_factory=list)

    @classmethod
    def of(cls, orgs: tuple[str, ...], days: tuple[date, ...], store: oracle.Store) -> World:
        """The records of the stored events, whatever their times."""
        world = cls(orgs, days)
        for ev in store.events:
            rec = world.record(ev.org, ev.target)
            rec.version = int(ev.fact_id.rpartition("#")[2])
            world.stored.add((ev.org, ev.fact_id))
            if ev.kind == "record.corrected":
                rec.facts[ev.target_fact_id or ""].fixes.append((ev.known, rec.version, ev.data))
            elif ev.kind == "record.voided":
                if ev.target_fact_id is None:
                    rec.voided = True
                else:
                    rec.facts[ev.target_fact_id].voided = True
            else:
                values = {"at": ev.at, **ev.data}
                rec.facts[ev.fact_id] = MFact(ev.fact_id, ev.kind, rec.version, values, ev.known)
            if ev.recorded not in world.stamps:
                world.stamps.append(ev.recorded)
        return world

    def record(self, org: str, target: str) -> MRecord:
        """A record, opened empty in the model when new."""
        return self.records.setdefault((org, target), MRecord(target))

    def live_tasks(self) -> list[tuple[str, str]]:
        """Tasks that may take more facts (not voided)."""
        return sorted(
            key
            for key, rec in self.records.items()
            if key[1].startswith("task:") and not rec.voided and rec.facts
        )


@dataclass
class Plan:
    """The lines of one import file in the order the importer handles them (rank, then line)."""

    world: World
    backfill: bool
    lines: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)
    progressed: set[tuple[str, str]] = field(default_factory=set)

    def known(self, line: dict[str, Any]) -> datetime:
        """When the line's fact will be known; NEVER stands for this import's stamp."""
        since = line.get("known_since") or (line.get("at") if self.backfill else None)
        return oracle.moment(since)[0] if since else NEVER

    def emit(self, rank: int, line: dict[str, Any], fact_id: str) -> None:
        line["by"] = f"Cán bộ {len(self.lines) + 1}"
        self.lines.append((rank, line, fact_id))

    def open(self, rank: int, line: dict[str, Any], target: str) -> None:
        rec = self.world.record(line["org"], target)
        values = {k: v for k, v in line.items() if k not in ("kind", "org", "known_since")}
        if line["kind"] == "task.added":
            values.setdefault("source", "programme")
        self.emit(rank, line, rec.add(line["kind"], values, self.known(line)))


def _maybe(draw: st.DrawFn, line: dict[str, Any], key: str, values: st.SearchStrategy[Any]) -> None:
    value = draw(st.none() | values)
    if value is not None:
        line[key] = value


def plan_openings(draw: st.DrawFn, plan: Plan, first: bool) -> None:
    """Ranks 0–2: organisations (first file), programmes, tasks."""
    world = plan.world
    for org in world.orgs if first else ():
        plan.open(0, {"kind": "org.registered", "org": org, "at": "2019-01-01", "name": org}, "org")
    for org in world.orgs:
        for prog in PROGRAMMES:
            if (org, f"programme:{prog}") not in world.records and draw(st.integers(0, 3)):
                line = {"kind": "programme.adopted", "org": org, "at": draw(on(world.days))}
                line |= {"programme": prog, "title": f"Chương trình năm {prog}"}
                plan.open(1, line, f"programme:{prog}")
    for _ in range(draw(st.integers(1 if first else 0, 6))):
        free = [
            (org, prog, no)
            for org in world.orgs
            for prog in PROGRAMMES
            for no in NOS
            if (org, f"programme:{prog}") in world.records
            and (org, f"task:{prog}/{no}") not in world.records
        ]
        if not free:
            return
        org, prog, no = draw(st.sampled_from(free))
        target = f"task:{prog}/{no}"
        line = {"kind": "task.added", "org": org, "at": draw(when(world.days))}
        line |= {"programme": prog, "no": no}
        line |= {"title": draw(titles), "unit": draw(st.sampled_from(UNITS))}
        _maybe(draw, line, "deadline", on(world.days) | on(world.days))
        source = draw(st.sampled_from((None, "programme", "ubnd", "ubnd", "ubnd")))
        if source is not None:  # omitted: the default, `programme`
            line["source"] = source
        _maybe(draw, line, "known_since", when(world.days))
        _maybe(draw, line, "ref", st.sampled_from(REFS))
        _maybe(draw, line, "reason", st.sampled_from(REASONS))
        plan.open(2, line, target)


def _fits(rec: MRecord, at: str, status: str, known: datetime) -> bool:
    """Whether one more progress fact keeps the task's statuses within the rules."""
    rec.facts["?"] = MFact(
        "?", "task.progressed", rec.version + 1, {"at": at, "status": status}, known
    )
    try:
        return rec.statuses_ok()
    finally:
        del rec.facts["?"]


def plan_progress(draw: st.DrawFn, plan: Plan) -> None:
    """Rank 3: progress whose statuses, in effective-time order, the rules allow."""
    for _ in range(draw(st.integers(0, 8))):
        tasks = plan.world.live_tasks()
        if not tasks:
            return
        org, target = draw(st.sampled_from(tasks))
        rec = plan.world.records[(org, target)]
        prog, no = target[len("task:") :].split("/")
        days = plan.world.days
        deadline = rec.facts[f"{target}#1"].current().get("deadline")
        near = (date.fromisoformat(deadline),) if deadline else days  # on the deadline day?
        line = {"kind": "task.progressed", "org": org, "at": draw(when(days) | when(near))}
        line |= {"programme": prog, "no": int(no)}
        _maybe(draw, line, "known_since", when(days))
        _maybe(draw, line, "reason", st.sampled_from(REASONS))
        _maybe(draw, line, "ref", st.sampled_from(REFS))
        fits = [s for s in REPORTABLE if _fits(rec, line["at"], s, plan.known(line))]
        if not fits:
            continue
        rarer = [s for s in fits if s in ("deferral_proposed", "deferred")]  # two steps away
        line["status"] = draw(st.sampled_from(fits + rarer + rarer))
        values = {"at": line["at"], "status": line["status"]}
        plan.emit(3, line, rec.add("task.progressed", values, plan.known(line)))
        plan.progressed.add((org, target))


def _pick_fact(
    draw: st.DrawFn, plan: Plan, key: tuple[str, str], rank: int
) -> tuple[MFact, str] | None:
    """A fact to correct or void: the record's latest, or a stored one by `fact:ID`.

    Corrections mostly name the record (its latest fact); voids mostly one fact, since a
    voided record hides everything else that happened to it.
    """
    rec = plan.world.records[key]
    if draw(st.integers(0, 2)) if rank == 4 else not draw(st.integers(0, 3)):
        return rec.latest(), rec.target
    ids = sorted(
        fid for fid, f in rec.facts.items() if not f.voided and (key[0], fid) in plan.world.stored
    )
    if not ids:
        return None
    fact_id = draw(st.sampled_from(ids))
    return rec.facts[fact_id], f"fact:{fact_id}"


def _keeps_rules(
    plan: Plan, key: tuple[str, str], change: Callable[[], Callable[[], None]]
) -> bool:
    """Make a change; undo it when it breaks the statuses of a task progressed in this file."""
    undo = change()
    if key in plan.progressed and not plan.world.records[key].statuses_ok():
        undo()
        return False
    return True


def plan_changes(draw: st.DrawFn, plan: Plan) -> None:
    """Ranks 4 and 5: corrections (record target or `fact:ID`), then voids."""
    for rank, count in ((4, draw(st.integers(0, 5))), (5, draw(st.integers(0, 1)))):
        for _ in range(count):
            tasks = plan.world.live_tasks()
            if not tasks:
                return
            key = draw(st.sampled_from(tasks))
            picked = _pick_fact(draw, plan, key, rank)
            if picked is None:
                continue
            fact, target = picked
            rec = plan.world.records[key]
            line: dict[str, Any] = {"org": key[0], "target": target}
            if rank == 4:
                names = ADDED_KEYS if fact.kind == "task.added" else PROGRESS_KEYS
                fixed = sorted({name for _k, _v, changes in fact.fixes for name in changes})
                if fixed and draw(st.booleans()):  # correct a correction: which one wins?
                    names = tuple(fixed)
                chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
                line = {"kind": "record.corrected", **line, "set": {}}
                line["set"] = {name: draw(VALUES[name](plan.world.days)) for name in chosen}
            else:
                line = {"kind": "record.voided", **line}
            line["reason"] = draw(st.sampled_from(REASONS))
            if draw(st.integers(0, 2)):  # mostly a mistake found long ago
                line["known_since"] = draw(when(plan.world.days))
            known = plan.known(line)

            def change(
                fact: MFact = fact,
                line: dict[str, Any] = line,
                rec: MRecord = rec,
                known: datetime = known,
            ) -> Callable[[], None]:
                if line["kind"] == "record.corrected":
                    fact.fixes.append((known, rec.version + 1, line["set"]))
                    return fact.fixes.pop
                whole = not line["target"].startswith("fact:") or fact.fact_id.endswith("#1")
                if whole:
                    rec.voided = True
                    return lambda: setattr(rec, "voided", False)
                fact.voided = True
                return lambda: setattr(fact, "voided", False)

            if _keeps_rules(plan, key, change):
                rec.version += 1
                plan.emit(rank, line, f"{rec.target}#{rec.version}")


def file_order(draw: st.DrawFn, plan: Plan) -> list[int]:
    """A shuffle of the lines that keeps each rank's own order (the importer's order)."""
    slots = draw(st.permutations(range(len(plan.lines))))
    order: list[int] = [0] * len(plan.lines)
    for rank in sorted({r for r, _l, _f in plan.lines}):
        members = [i for i, (r, _l, _f) in enumerate(plan.lines) if r == rank]
        for index, slot in zip(members, sorted(slots[i] for i in members), strict=True):
            order[slot] = index
    return order


# --- running the product and the oracle -------------------------------------------------------


@dataclass
class Installation:
    """A fresh SQLite installation driven through the `ngoaivu` command line."""

    data: Path
    runner: CliRunner = field(default_factory=CliRunner)

    def __call__(self, *args: str) -> Result:
        env = {"NGOAIVU_DATA": str(self.data), "NGOAIVU_ACTOR": "tester", "DATABASE_URL": None}
        return self.runner.invoke(main, list(args), env=env, catch_exceptions=False)

    def store(self) -> oracle.Store:
        with Runtime(Settings(self.data)) as runtime:
            return oracle.read_store(runtime.app)


@dataclass(frozen=True)
class Ask:
    """One report's options."""

    kind: str
    org: str
    period: str
    window: str
    programme: str | None
    as_of: str | None
    known_by: str | None
    recorded_by: str | None

    def args(self) -> list[str]:
        args = ["report", self.kind, "--org", self.org, "--period", self.period]
        args += ["--window", self.window]
        for option, value in (
            ("--programme", self.programme),
            ("--as-of", self.as_of),
            ("--known-by", self.known_by),
            ("--recorded-by", self.recorded_by),
        ):
            if value is not None:
                args += [option, value]
        return args


def asks(world: World, head: int, *, pinned: bool) -> st.SearchStrategy[Ask]:
    """Random report options; a pinned report names a recorded-by cut-off and no `now`; a
    position up to the head (one past it is refused by `recorded_cutoff`)."""
    stamps = st.sampled_from(world.stamps or [datetime(2020, 1, 1, tzinfo=UTC)])
    near = st.tuples(stamps, st.sampled_from((-1, 0, 1))).map(
        lambda s: (s[0] + timedelta(microseconds=s[1])).isoformat()
    )
    now = st.nothing() if pinned else st.just("now")
    days = on(world.days)
    late = st.just("2021-12-31")  # every fact effective; known only if known since then
    known = st.none() | days | when(world.days) | late | now | now
    recorded = (
        st.just(f"@{head}") | stamps.map(datetime.isoformat)
        if pinned
        else st.none() | st.none() | st.integers(0, head).map("@{}".format) | near
    )
    after = st.sampled_from(world.days).map(lambda d: d + timedelta(days=1)).map(date.isoformat)
    return st.builds(
        Ask,
        kind=st.sampled_from(("key-tasks", "key-tasks", "assigned-tasks")),
        org=st.sampled_from(world.orgs),
        period=st.sampled_from(PERIODS),
        window=st.sampled_from(("nd09", "calendar")),
        programme=st.none() | st.sampled_from(PROGRAMMES),
        as_of=days | after | late | (st.nothing() if pinned else st.none()),
        known_by=known,
        recorded_by=recorded,
    )


def _diff(ask: Ask, got: dict[str, Any], expected: dict[str, Any]) -> str:
    """The options and a line diff of product (-) against oracle (+), for the failure message."""
    lines = [
        json.dumps(d, ensure_ascii=False, indent=1, sort_keys=True).splitlines()
        for d in (got, expected)
    ]
    diff = difflib.unified_diff(*lines, "product", "oracle", lineterm="", n=6)
    return f"{' '.join(ask.args())}\n" + "\n".join(diff)


def survey(world: World) -> list[Ask]:
    """Whole views: known today, known by 2021's end, assigned tasks at each history day's end."""
    views = []
    for org in world.orgs:
        for prog in PROGRAMMES:
            views.append(Ask("key-tasks", org, prog, "nd09", None, None, "now", None))
            views.append(Ask("key-tasks", org, prog, "calendar", None, "2021-12-31", None, None))
        for day in world.days:
            month = f"{day.year}-{day.month:02d}"  # a task's `at` corrected across months
            for period, window in (("2020", "nd09"), (month, "calendar")):
                as_of = day.isoformat()
                views.append(Ask("assigned-tasks", org, period, window, None, as_of, "now", None))
    return views


def check_against_oracle(inst: Installation, store: oracle.Store, ask: Ask) -> bytes | None:
    """Property (a): the product's report is the oracle's, body, digest and bytes; a
    `--programme` the department never adopted is refused (exit 2), not an empty report."""
    before = datetime.now(UTC)
    result = inst(*ask.args())
    if ask.programme is not None and not any(
        e.kind == "programme.adopted"
        and e.org == ask.org
        and e.target == f"programme:{ask.programme}"
        for e in store.events
    ):
        assert result.exit_code == 2 and "--programme" in result.stderr, result.stderr
        return None
    assert result.exit_code == 0, result.stderr
    got = json.loads(result.stdout)
    expected = oracle.report(
        store,
        ask.kind,
        ask.org,
        ask.period,
        window=ask.window,
        programme=ask.programme,
        as_of=ask.as_of,
        known_by=ask.known_by,
        recorded_by=ask.recorded_by,
        now=before,
    )
    if ask.known_by == "now":  # the product's own instant: after `before`, in +07:00
        assert VN_INSTANT.match(got["known_by"]), got["known_by"]
        assert oracle.instant(got["known_by"]) >= before
        expected = oracle.with_digest({**expected, "known_by": got["known_by"]})
    body = {k: v for k, v in expected.items() if k != "digest"}
    content = {k: v for k, v in got.items() if k != "digest"}
    assert content == body, _diff(ask, content, body)
    assert got["digest"] == expected["digest"], ask
    assert result.stdout_bytes == oracle.canonical(expected) + b"\n", ask
    statuses = {t["status"] for t in got["tasks"]}
    event(f"{ask.kind}: {len(got['tasks'])} task(s), {len(statuses)} status(es)")
    return result.stdout_bytes


def import_plan(draw: st.DrawFn, inst: Installation, plan: Plan, path: Path) -> None:
    """Write the plan as a file, import it, and check what the importer says it stored."""
    order = file_order(draw, plan)
    text = "".join(json.dumps(plan.lines[i][1], ensure_ascii=False) + "\n" for i in order)
    path.write_text(text, encoding="utf-8")
    result = inst("import", *(["--backfill"] if plan.backfill else []), str(path))
    assert result.exit_code == 0, result.stderr + text
    assert result.stdout.startswith(f"added {len(order)}, skipped 0,"), result.stdout
    printed = sorted((int(n), f) for n, f in FACT_LINE.findall(result.stdout))
    predicted = sorted((number, plan.lines[i][2]) for number, i in enumerate(order, start=1))
    assert printed == predicted, text
    for kind in sorted({line["kind"] for _r, line, _f in plan.lines}):
        event(f"file with {kind}")


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_reports_equal_the_oracle_and_pinned_reports_never_move(data: st.DataObject) -> None:
    """(a) every report equals the oracle's; (b) a report cut at @N is the same bytes later."""
    draw = data.draw
    orgs = draw(st.sampled_from((ORGS[:1], ORGS[:1], ORGS)))
    with tempfile.TemporaryDirectory(prefix="ngoaivu-prop-") as tmp:
        inst = Installation(Path(tmp) / "var")
        days = tuple(
            sorted(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=4, unique=True)))
        )
        world = World(orgs, days)
        files: list[tuple[Path, bool, int]] = []
        pins: list[tuple[Ask, bytes]] = []
        store = oracle.Store([], 0)
        for batch in range(draw(st.integers(1, 5))):
            if files and draw(st.integers(0, 5)) == 0:  # the same file again adds nothing
                path, backfill, count = draw(st.sampled_from(files))
                again = inst("import", *(["--backfill"] if backfill else []), str(path))
                assert again.exit_code == 0, again.stderr
                assert again.stdout.startswith(f"added 0, skipped {count},"), again.stdout
            else:
                plan = Plan(world, backfill=draw(st.sampled_from((True, True, False))))
                plan_openings(draw, plan, first=batch == 0)
                plan_progress(draw, plan)
                plan_changes(draw, plan)
                path = Path(tmp) / f"batch-{batch}.jsonl"
                import_plan(draw, inst, plan, path)
                files.append((path, plan.backfill, len(plan.lines)))
            store = inst.store()
            world = World.of(orgs, days, store)
            for _ in range(draw(st.integers(2, 5))):
                check_against_oracle(inst, store, draw(asks(world, store.head, pinned=False)))
            if draw(st.booleans()):
                ask = draw(asks(world, store.head, pinned=True))
                pinned = check_against_oracle(inst, store, ask)
                if pinned is not None:  # a refused ask pins nothing (a later file may adopt it)
                    pins.append((ask, pinned))
        for ask, pinned in pins:
            assert inst(*ask.args()).stdout_bytes == pinned, ask
        rebuilt = inst("projections", "rebuild")
        assert rebuilt.exit_code == 0, rebuilt.stderr
        for ask, pinned in pins:
            assert inst(*ask.args()).stdout_bytes == pinned, ask
        for ask in survey(world):
            check_against_oracle(inst, store, ask)
