"""The foreign-affairs versions' reports equal the fold's, digest for digest, for random (D, K, T).

Hypothesis draws import files of foreign-affairs records for one or two departments (delegations
with every code the report breaks down by, conferences, agreements, aid committed and disbursed,
support, monthly activity counts with and without sub-counts, the outbound plan, closures and
figures reported, a merger), then corrections (of codes, people, amounts, dates across midnight,
an activity's month, metric and sub-counts) and voids (of records and of single facts), with and
without `--backfill` and `known_since`. After each batch, both formats of the foreign-affairs
report are built from the versions (`BUILDERS`) and by the fold (`FOLD_BUILDERS`) in the same
snapshot under random cut-offs (recorded-by positions and instants among them); after a rebuild,
again.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cli import main
from domain.codes import AGREEMENT_LEVELS, APPROVAL, ARRANGED, FUNDING, PARTNER_TYPES
from domain.complete_periods import figure_paths
from domain.metrics import CATALOGUE
from projections.reports import BUILDERS, FOLD_BUILDERS, build
from service.config import Settings
from service.reporting.requests import make_request
from service.runtime import Runtime
from tests.conftest import PG_ADMIN
from tests.property import oracle
from tests.property.test_reports_oracle import Installation, on, when

ORGS = ("ha-tinh", "gia-lai")
REPORT = "foreign-affairs"
DAYS = tuple(
    date.fromisoformat(d)
    for d in (
        "2019-03-14",
        "2019-06-30",
        "2019-07-01",
        "2019-12-14",
        "2019-12-15",
        "2020-01-01",
        "2020-03-14",
        "2020-06-14",
        "2020-06-15",
        "2020-06-30",
        "2020-07-01",
        "2020-12-14",
        "2020-12-15",
        "2020-12-31",
        "2021-01-01",
        "2021-03-14",
    )
)
PERIODS = ("2020", "2021", "2020-H1", "2020-Q1", "2020-06", "2020-9M", "2021-H1", "2020-12")
CLOSABLE = ("2019", "2019-H1", "2020-H1", "2019-06", "2020", "2019-9M")
METRICS = (
    "translation.pages",
    "passports.dossiers",
    "conference.permits",
    "admin.dossiers",
    "admin.on_time",  # not in format 1: a count moved into one of its metrics stays out
)
MONTHS = ("2019-06", "2019-12", "2020-01", "2020-06", "2020-12", "2021-01")
PLAN_ITEMS = ("P1", "P2", "P3")
# Keys a correction may set, per fact kind, and what to draw for each.
FIXABLE: dict[str, tuple[str, ...]] = {
    "delegation.recorded": (
        "people",
        "direction",
        "funding",
        "approval",
        "received_by_leaders",
        "unplanned",
        "arranged",
        "partner_type",
        "at",
        "at",
    ),
    "conference.recorded": ("at", "approval"),
    "agreement.signed": ("at", "level"),
    "aid.committed": ("amount_usd", "at"),
    "aid.disbursed": ("amount_usd", "at"),
    "support.given": ("amount_vnd", "at"),
    "support.received": ("amount_vnd", "at"),
    "activity.counted": ("at", "month", "counts", "metric"),
}
ARRANGED_CODES = tuple(c for codes in ARRANGED.values() for c in codes)


def _value(draw: st.DrawFn, key: str) -> Any:
    choices: dict[str, st.SearchStrategy[Any]] = {
        "people": st.integers(1, 9),
        "direction": st.sampled_from(("outbound", "inbound")),
        "funding": st.sampled_from(FUNDING),
        "approval": st.sampled_from(APPROVAL),
        "received_by_leaders": st.booleans(),
        "unplanned": st.booleans(),
        "arranged": st.sampled_from(ARRANGED_CODES),
        "partner_type": st.sampled_from(PARTNER_TYPES),
        "level": st.sampled_from(AGREEMENT_LEVELS),
        "amount_usd": st.integers(0, 5000),
        "amount_vnd": st.integers(0, 10**9),
        "at": when(DAYS),
        "month": st.sampled_from(MONTHS),
    }
    return draw(choices[key])


def _counts(draw: st.DrawFn, metric: str) -> dict[str, Any]:
    """A month's value, with sub-counts that sum to it (or none)."""
    codes = CATALOGUE[metric].detail
    if codes and draw(st.booleans()):
        detail = {c: draw(st.integers(0, 30)) for c in codes if draw(st.booleans())}
        return {"value": sum(detail.values()), "detail": detail}
    return {"value": draw(st.integers(0, 60))}


@dataclass
class Known:
    """What the store holds, as the generator needs it: records, their facts, what is voided."""

    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # fact ids
    kinds: dict[tuple[str, str], str] = field(default_factory=dict)  # fact kind by fact id
    voided: set[tuple[str, str]] = field(default_factory=set)  # records and facts
    stamps: list[datetime] = field(default_factory=list)
    merged: bool = False
    remetric: set[tuple[str, str]] = field(default_factory=set)  # activity counts re-metered
    planned: set[tuple[str, str]] = field(default_factory=set)  # delegations with a plan item

    @classmethod
    def of(cls, store: oracle.Store) -> Known:
        known = cls()
        for ev in store.events:
            if ev.kind == "org.merged":
                known.merged = True
            if ev.kind == "record.corrected" and "metric" in ev.data:
                known.remetric.add((ev.org, ev.target))
            if ev.kind == "delegation.recorded" and ev.data.get("plan_item"):
                known.planned.add((ev.org, ev.target))
            if ev.kind == "record.voided":
                known.voided.add((ev.org, ev.target_fact_id or ev.target))
            elif ev.kind != "record.corrected":
                known.records.setdefault((ev.org, ev.target), []).append(ev.fact_id)
                known.kinds[(ev.org, ev.fact_id)] = ev.kind
            if ev.recorded not in known.stamps:
                known.stamps.append(ev.recorded)
        return known

    def live(self) -> list[tuple[str, str]]:
        """Records that may be corrected or voided (their opening and record not voided)."""
        return sorted(
            key
            for key, ids in self.records.items()
            if key not in self.voided
            and (key[0], ids[0]) not in self.voided
            and key[1].partition(":")[0] in (*RECORDS, "closed", "reported")
        )


RECORDS = ("delegation", "conference", "agreement", "aid", "support", "activity")


@st.composite
def openings(
    draw: st.DrawFn, orgs: tuple[str, ...], batch: int, used: set[str], known: Known
) -> list[dict[str, Any]]:
    """New records (ids unique across the history) and disbursements of stored aid."""
    lines: list[dict[str, Any]] = []

    def fresh(prefix: str) -> str:
        for n in range(1, 100):
            name = f"{prefix}{batch}-{n}"
            if name not in used:
                used.add(name)
                return name
        raise AssertionError("ids exhausted")

    def base(kind: str) -> dict[str, Any]:
        line = {"kind": kind, "org": draw(st.sampled_from(orgs)), "at": draw(when(DAYS))}
        if draw(st.integers(0, 2)) == 0:
            line["known_since"] = draw(when(DAYS))
        return line

    for _ in range(draw(st.integers(0, 6))):
        line = base("delegation.recorded")
        direction = draw(st.sampled_from(("outbound", "inbound")))
        line |= {"id": fresh("D"), "direction": direction, "people": draw(st.integers(1, 9))}
        line |= {"countries": ["Lào"], "purpose": "Làm việc"}
        for key in ("funding", "approval", "received_by_leaders", "unplanned", "partner_type"):
            if draw(st.booleans()):
                line[key] = _value(draw, key)
        if draw(st.booleans()):
            line["arranged"] = draw(st.sampled_from(ARRANGED[direction]))
        mid_2020 = line["at"].startswith("2020-0") and line["org"] == "ha-tinh"
        if (
            direction == "outbound"
            and mid_2020
            and not line.get("unplanned")
            and draw(st.booleans())
        ):
            line["plan_item"] = draw(st.sampled_from(PLAN_ITEMS))  # the 2020 plan's, mid-year
        lines.append(line)
    for _ in range(draw(st.integers(0, 2))):
        lines.append(base("conference.recorded") | {"id": fresh("C"), "title": "Hội thảo"})
    for _ in range(draw(st.integers(0, 2))):
        line = base("agreement.signed") | {"id": fresh("T"), "title": "Thỏa thuận"}
        lines.append(line | {"partner": "Sekong", "level": _value(draw, "level")})
    for _ in range(draw(st.integers(0, 2))):
        line = base("aid.committed") | {"id": fresh("A"), "donor": "WV", "project": "Nước"}
        lines.append(line | {"amount_usd": _value(draw, "amount_usd")})
        for _ in range(draw(st.integers(0, 2))):
            more = base("aid.disbursed") | {"id": line["id"], "org": line["org"]}
            lines.append(more | {"amount_usd": _value(draw, "amount_usd")})
    for _ in range(draw(st.integers(0, 2))):
        side = draw(st.sampled_from(("given", "received")))
        line = base(f"support.{side}") | {"id": fresh("S"), "title": "Hỗ trợ"}
        line["beneficiary" if side == "given" else "donor"] = "Attapeu"
        lines.append(line | {"amount_vnd": _value(draw, "amount_vnd")})
    for _ in range(draw(st.integers(0, 4))):
        metric, month = draw(st.sampled_from(METRICS)), draw(st.sampled_from(MONTHS))
        if f"{metric}/{month}" in used:
            continue
        used.add(f"{metric}/{month}")
        line = base("activity.counted") | {"metric": metric, "month": month}
        lines.append(line | _counts(draw, metric))
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(("period.closed", "figures.reported")))
        line = base(kind) | {"report": REPORT, "period": draw(st.sampled_from(CLOSABLE))}
        record = f"{kind.partition('.')[0].replace('period', 'closed')}:{REPORT}/{line['period']}"
        if (line["org"], record.replace("figures", "reported")) in known.voided:
            continue  # a withdrawn record takes no further declaration
        if draw(st.booleans()):
            line["window"] = draw(st.sampled_from(("nd09", "calendar")))
        if kind == "figures.reported":
            paths = draw(
                st.lists(st.sampled_from(figure_paths(REPORT)), min_size=1, max_size=3, unique=True)
            )
            line |= {"figures": {p: draw(st.integers(0, 40)) for p in paths}, "ref": "12/BC"}
        lines.append(line)
    return lines


@st.composite
def changes(draw: st.DrawFn, known: Known) -> list[dict[str, Any]]:
    """Corrections and voids of stored records: by record (its latest fact) or `fact:ID`."""
    lines: list[dict[str, Any]] = []
    touched: set[tuple[str, str]] = set()
    # A commitment moved in time under its disbursements: they count only while it is in force.
    disbursed = [
        key for key in known.live() if key[1].startswith("aid:") and len(known.records[key]) > 1
    ]
    if disbursed and draw(st.booleans()):
        org, target = draw(st.sampled_from(disbursed))
        line = {"kind": "record.corrected", "org": org, "target": f"fact:{target}#1"}
        line |= {"set": {"at": draw(when(DAYS))}, "reason": "Sai ngày cam kết"}
        if draw(st.integers(0, 2)):
            line["known_since"] = draw(when(DAYS))
        lines.append(line)
        touched.add((org, target))
    for rank in ("record.corrected",) * draw(st.integers(0, 6)) + ("record.voided",) * draw(
        st.integers(0, 2)
    ):
        live = [k for k in known.live() if k not in touched]
        if not live:
            break
        org, target = draw(st.sampled_from(live))
        ids = [i for i in known.records[(org, target)] if (org, i) not in known.voided]
        by_fact = len(ids) > 1 and draw(st.booleans())
        fact_id = draw(st.sampled_from(ids)) if by_fact else None
        line: dict[str, Any] = {
            "kind": rank,
            "org": org,
            "target": f"fact:{fact_id}" if fact_id else target,
            "reason": "Sai sót khi nhập",
        }
        if draw(st.integers(0, 2)):
            line["known_since"] = draw(when(DAYS))
        if rank == "record.corrected":
            kind = known.kinds[(org, fact_id or ids[-1])]
            if kind not in FIXABLE or (fact_id is None and len(ids) > 1):
                continue  # the latest fact by effective time: not known here for sure
            keys = set(draw(st.lists(st.sampled_from(FIXABLE[kind]), min_size=1, max_size=3)))
            if (org, target) in known.remetric:
                keys -= {"counts", "metric"}  # its sub-counts are another metric's now
            if not keys:
                continue
            fixes: dict[str, Any] = {}
            for key in sorted(keys):
                if key == "metric":
                    # a metric without sub-counts: a zero value and an empty detail agree
                    fixes |= {"metric": "conference.permits", "value": 0, "detail": {}}
                elif key == "counts" and "metric" not in keys:
                    metric = target.removeprefix("activity:").partition("/")[0]
                    codes = CATALOGUE[metric].detail
                    detail = {c: draw(st.integers(0, 30)) for c in codes if draw(st.booleans())}
                    fixes |= (
                        {"value": sum(detail.values()), "detail": detail}
                        if codes
                        else {"value": draw(st.integers(0, 60))}
                    )
                elif key in ("direction", "arranged"):
                    # the two agree (an inbound delegation is invited or came on request…);
                    # a delegation of the plan stays outbound
                    way = (
                        "outbound" if (org, target) in known.planned else _value(draw, "direction")
                    )
                    fixes |= {"direction": way, "arranged": draw(st.sampled_from(ARRANGED[way]))}
                elif key == "unplanned":
                    fixes[key] = False  # true is refused beside a plan item, which may be there
                elif key != "counts":
                    fixes[key] = _value(draw, key)
            line["set"] = fixes
        touched.add((org, target))
        lines.append(line)
    return lines


def import_lines(
    inst: Installation, lines: list[dict[str, Any]], path: Path, backfill: bool
) -> int:
    """Import the lines as one file; how many the importer added."""
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    result = inst("import", *(["--backfill"] if backfill else []), str(path))
    assert result.exit_code == 0, result.stderr + text
    for kind in sorted({line["kind"] for line in lines}):
        event(f"file with {kind}")
    return len(lines)


@dataclass(frozen=True)
class Ask:
    """One foreign-affairs report's options."""

    org: str
    period: str
    window: str
    as_of: str | None
    known_by: str | None
    recorded_by: str | None


def asks(known: Known, head: int) -> st.SearchStrategy[Ask]:
    """Random cut-offs: D among the history's days (and after them), K a day, an instant or now,
    T none, a position up to the head (one past it is refused by `recorded_cutoff`) or an
    instant a microsecond either side of a batch's stamp."""
    stamps = st.sampled_from(known.stamps or [datetime(2020, 1, 1, tzinfo=UTC)])
    near = st.tuples(stamps, st.sampled_from((-1, 0, 1))).map(
        lambda s: (s[0] + timedelta(microseconds=s[1])).isoformat()
    )
    days = on(DAYS)
    after = st.sampled_from(DAYS).map(lambda d: (d + timedelta(days=1)).isoformat())
    return st.builds(
        Ask,
        org=st.sampled_from(ORGS),
        period=st.sampled_from(PERIODS),
        window=st.sampled_from(("nd09", "calendar")),
        as_of=st.none() | days | after | st.just("2021-12-31"),
        known_by=st.none() | days | when(DAYS) | st.just("2021-12-31") | st.just("now"),
        recorded_by=st.none() | st.integers(0, head).map("@{}".format) | near,
    )


def same_as_fold(rt: Runtime, ask: Ask, now: datetime) -> None:
    """Both formats, versions against fold, in one snapshot."""
    for version in (1, 2):
        request = make_request(
            rt,
            REPORT,
            ask.org,
            ask.period,
            window=ask.window,
            as_of=ask.as_of,
            known_by=now.isoformat() if ask.known_by == "now" else ask.known_by,
            recorded_by=ask.recorded_by,
            format=version,
        )
        with rt.models.reading() as conn:
            got = build(conn, request, BUILDERS)
            expected = build(conn, request, FOLD_BUILDERS)
        assert got == expected, (version, ask)
        delegations = got["outbound"]["delegations"] + got["inbound"]["delegations"]
        event(f"f{version}: {'some' if delegations else 'no'} delegations")
        if version == 2:
            event(f"f2 previous {'null' if got['conferences']['previous'] is None else 'given'}")


def survey() -> list[Ask]:
    """Whole views: each period and department, known now and at 2021's end."""
    return [
        Ask(org, period, window, as_of, known, None)
        for org in ORGS
        for period in PERIODS
        for window in ("nd09", "calendar")
        for as_of, known in ((None, "now"), ("2021-12-31", "2021-12-31"))
    ]


@dataclass
class Backend(Installation):
    """An installation whose read models and events are on a given database (None: SQLite)."""

    url: str | None = None

    def __call__(self, *args: str) -> Result:
        env = {"NGOAIVU_DATA": str(self.data), "NGOAIVU_ACTOR": "tester", "DATABASE_URL": self.url}
        return self.runner.invoke(main, list(args), env=env, catch_exceptions=False)

    def runtime(self) -> Runtime:
        return Runtime(Settings(self.data, self.url))

    def store(self) -> oracle.Store:
        with self.runtime() as runtime:
            return oracle.read_store(runtime.app)


@contextmanager
def database(postgres: bool) -> Iterator[str | None]:
    """A fresh PostgreSQL database for one example, dropped afterwards (None: SQLite)."""
    if not postgres:
        yield None
        return
    import psycopg

    name = f"ngoaivu_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_history(draw: st.DrawFn, postgres: bool) -> None:
    """Import random batches; after each, and after a rebuild, versions against fold."""
    with (
        tempfile.TemporaryDirectory(prefix="ngoaivu-fa-versions-") as tmp,
        database(postgres) as url,
    ):
        inst = Backend(Path(tmp) / "var", url=url)
        used: set[str] = set()
        first: list[dict[str, Any]] = [
            {"kind": "org.registered", "org": org, "at": "2019-01-01", "name": org} for org in ORGS
        ]
        first.append(
            {
                "kind": "outbound_plan.approved",
                "org": "ha-tinh",
                "at": "2020-01-10",
                "year": 2020,
                "items": [{"id": i, "title": f"Mục {i}"} for i in PLAN_ITEMS],
            }
        )
        import_lines(inst, first, Path(tmp) / "orgs.jsonl", backfill=True)
        known = Known.of(inst.store())
        for batch in range(draw(st.integers(1, 4))):
            lines = draw(openings(ORGS, batch, used, known))
            if batch and not known.merged and draw(st.integers(0, 3)) == 0:
                line = {"kind": "org.merged", "org": "gia-lai", "into": "ha-tinh"}
                lines.append(line | {"at": draw(when(DAYS))})
            lines += draw(changes(known))
            if not lines:
                continue
            import_lines(inst, lines, Path(tmp) / f"b{batch}.jsonl", draw(st.booleans()))
            store = inst.store()
            known = Known.of(store)
            now = datetime.now(UTC) + timedelta(seconds=1)
            with inst.runtime() as rt:
                for _ in range(draw(st.integers(3, 8))):
                    same_as_fold(rt, draw(asks(known, store.head)), now)
        assert inst("projections", "rebuild").exit_code == 0
        now = datetime.now(UTC) + timedelta(seconds=1)
        with inst.runtime() as rt:
            for ask in survey():
                same_as_fold(rt, ask, now)


_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@settings(max_examples=30, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_fa_versions_equal_the_fold(data: st.DataObject) -> None:
    """Every digest of the foreign-affairs report (formats 1, 2) is the fold's (SQLite)."""
    run_history(data.draw, postgres=False)


@pytest.mark.postgres
@settings(max_examples=8, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_fa_versions_equal_the_fold_on_postgres(pg_available: bool, data: st.DataObject) -> None:
    """The same on PostgreSQL (its own grouping, sums and COPY of the versions)."""
    if not pg_available:
        pytest.skip("PostgreSQL is not reachable: PostgreSQL tests SKIPPED")
    run_history(data.draw, postgres=True)
