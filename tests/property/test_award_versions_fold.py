"""The award versions' reports equal the fold's, digest for digest, for random (D, K, T).

Hypothesis draws import files of award cases for two departments (proposed then submitted,
granted, rejected or withdrawn over later batches, or granted outright; regular ones with terms
the catalogue accepts, irregular ones with a reason and a registered-looking recipient; with and
without a decision's reference, `for_year`, restated terms on the grant), then corrections (of
the terms, the reference, the reason, dates across midnight that keep the stages in order) and
voids (of cases and of single stages: a grant voided falls back to the proposal), with and
without `--backfill` and `known_since`. After each batch, the emulation report, the award
register and the irregular awards are built from the versions (`BUILDERS`) and by the fold
(`FOLD_BUILDERS`) in the same snapshot under random cut-offs (recorded-by positions and instants
among them); after a rebuild, again. The same on PostgreSQL.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from domain import award_rules
from domain.codes import AWARD_NEXT, CATEGORIES, FORMS, GRANTORS, RECIPIENT_TYPES, STAGE_OF_KIND
from domain.times import Moment
from projections.reports import BUILDERS, FOLD_BUILDERS, build
from service.reporting.requests import make_request
from service.runtime import Runtime
from tests.property import oracle
from tests.property.test_fa_versions_fold import Backend, database, import_lines

ORGS = ("ha-tinh", "gia-lai")
REPORTS = ("emulation", "award-register", "award-irregular")
DAYS = tuple(
    date.fromisoformat(d)
    for d in (
        "2019-03-14",
        "2019-06-30",
        "2019-07-01",
        "2019-12-31",
        "2020-01-01",
        "2020-03-14",
        "2020-06-30",
        "2020-07-01",
        "2020-12-31",
        "2021-01-01",
        "2021-03-14",
    )
)
PERIODS = ("2019", "2020", "2021", "2020-H1", "2020-Q1", "2020-06", "2020-9M", "2020-12")
YEARS = (None, 2019, 2020, 2021)


def _spellings(day: date) -> tuple[str, ...]:
    """A date and instants around its Vietnam midnight (as `test_reports_oracle.when`)."""
    before = day - timedelta(days=1)
    return (
        day.isoformat(),
        f"{before}T17:00:00Z",  # 00:00 of `day` in Vietnam: the same instant as the date
        f"{before}T16:59:59.999999Z",  # the last microsecond of the day before
        f"{day}T16:59:59.999999+00:00",  # the last microsecond of `day`
        f"{day}T17:00:00+00:00",  # already the next day
        f"{day}T09:30:00+07:00",
    )


TIMES = tuple(sorted((t for d in DAYS for t in _spellings(d)), key=Moment.parse))


def _us(text: str) -> int:
    return Moment.parse(text).us


def between(low: int | None, high: int | None) -> st.SearchStrategy[str]:
    """A time strictly after `low` and strictly before `high` (None: unbounded)."""
    found = [t for t in TIMES if (low is None or _us(t) > low) and (high is None or _us(t) < high)]
    return st.sampled_from(found) if found else st.nothing()


def _safe() -> list[tuple[str, str, str, str]]:
    """Terms the catalogue accepts on every day and for every `for_year` drawn here."""
    days = (DAYS[0], DAYS[len(DAYS) // 2], DAYS[-1])
    return [
        (form, grantor, kind, category)
        for form in FORMS
        for grantor in GRANTORS
        for kind in RECIPIENT_TYPES
        for category in CATEGORIES
        if all(
            not award_rules.check(d, form, grantor, kind, None, for_year=y, category=category)
            for d in days
            for y in YEARS
        )
    ]


SAFE = _safe()


@st.composite
def terms(draw: st.DrawFn, irregular: bool) -> dict[str, Any]:
    """An award's terms: accepted by the catalogue, or any with `irregular` and its reason."""
    if irregular:
        form, grantor = draw(st.sampled_from(FORMS)), draw(st.sampled_from(GRANTORS))
        kind, category = draw(st.sampled_from(RECIPIENT_TYPES)), draw(st.sampled_from(CATEGORIES))
    else:
        form, grantor, kind, category = draw(st.sampled_from(SAFE))
    recipient: dict[str, Any] = {
        "type": kind,
        "name": draw(st.sampled_from(("Nguyễn Văn A", "Phòng B"))),
    }
    if irregular and draw(st.booleans()):
        recipient[draw(st.sampled_from(("person", "unit")))] = "p1"
    out: dict[str, Any] = {"form": form, "grantor": grantor, "recipient": recipient}
    out["category"] = category
    if grantor == "bo_truong":
        out["body"] = "Bộ Ngoại giao"
    if draw(st.booleans()):
        out["title"] = draw(st.sampled_from(("Bằng khen", "Giấy khen năm", "Chiến sĩ thi đua")))
    year = draw(st.sampled_from(YEARS))
    if year is not None:
        out["for_year"] = year
    if draw(st.integers(0, 3)) == 0:
        out["movement"] = "PT-2020"
    if irregular:
        out |= {"irregular": True, "reason": "Thiếu thành tích"}
    return out


@dataclass
class Case:
    """An award case as the generator needs it: its live stage facts, in effective order, each
    with every time it ever had (a bound that keeps the stages in order whatever wins)."""

    org: str
    target: str
    facts: list[tuple[str, str, set[int]]] = field(default_factory=list)  # id, kind, times

    @property
    def stage(self) -> str | None:
        return STAGE_OF_KIND[self.facts[-1][1]] if self.facts else None

    def last(self) -> int:
        return max(t for _i, _k, times in self.facts for t in times)


def cases_of(store: oracle.Store) -> dict[tuple[str, str], Case]:
    """The award cases standing in the store (voided ones left out)."""
    found: dict[tuple[str, str], Case] = {}
    gone: set[tuple[str, str]] = set()
    for ev in store.events:
        key = (ev.org, ev.target)
        if not ev.target.startswith("award:"):
            continue
        if ev.kind == "record.voided":
            if ev.target_fact_id is None or ev.target_fact_id == f"{ev.target}#1":
                gone.add(key)
            else:
                case = found[key]
                case.facts = [f for f in case.facts if f[0] != ev.target_fact_id]
        elif ev.kind == "record.corrected":
            for fact_id, _kind, times in found[key].facts:
                if fact_id == ev.target_fact_id and "at" in ev.data:
                    times.add(_us(ev.data["at"]))
        else:
            assert ev.at is not None
            found.setdefault(key, Case(ev.org, ev.target)).facts.append(
                (ev.fact_id, ev.kind, {_us(ev.at)})
            )
    for case in found.values():
        case.facts.sort(key=lambda f: min(f[2]))
    return {k: c for k, c in found.items() if k not in gone}


@st.composite
def batch_lines(
    draw: st.DrawFn, batch: int, cases: dict[tuple[str, str], Case]
) -> list[dict[str, Any]]:
    """New cases, next stages of pending ones, corrections and voids (each case once)."""
    lines: list[dict[str, Any]] = []
    touched: set[tuple[str, str]] = set()

    def known(line: dict[str, Any]) -> dict[str, Any]:
        if draw(st.integers(0, 2)) == 0:
            line["known_since"] = draw(st.sampled_from(TIMES))
        return line

    for n in range(draw(st.integers(0, 5))):
        org, ident = draw(st.sampled_from(ORGS)), f"A{batch}-{n}"
        at = draw(st.sampled_from(TIMES))
        irregular = draw(st.integers(0, 3)) == 0
        opening = {"kind": "", "org": org, "at": at, "id": ident, **draw(terms(irregular))}
        outright = draw(st.integers(0, 2)) == 0
        opening["kind"] = "award.granted" if outright else "award.proposed"
        if outright and draw(st.integers(0, 3)):
            opening["ref"] = f"{n}/QĐ-UBND"
        lines.append(known(opening))
    pending = sorted(k for k, c in cases.items() if c.stage in ("proposed", "submitted"))
    for key in pending:
        if not draw(st.booleans()):
            continue
        case = cases[key]
        kind = "award." + draw(st.sampled_from(sorted(AWARD_NEXT[case.stage])))
        line: dict[str, Any] = {"kind": kind, "org": key[0], "id": key[1].split(":", 1)[1]}
        line["at"] = draw(between(case.last(), None))
        if kind in ("award.rejected", "award.withdrawn"):
            line["reason"] = "Chưa đủ điều kiện"
        if kind == "award.granted":
            if draw(st.integers(0, 3)):
                line["ref"] = f"{len(lines)}/QĐ-UBND"
            restated = draw(st.integers(0, 2))
            if restated:  # the grant's terms over the proposal's: the catalogue is checked again
                line |= draw(terms(restated == 2))
        lines.append(known(line))
        touched.add(key)
    live = sorted(k for k in cases if k not in touched)
    for _ in range(draw(st.integers(0, 4))):
        if not live:
            break
        key = draw(st.sampled_from(live))
        live.remove(key)
        case = cases[key]
        where = draw(st.integers(0, len(case.facts) - 1))
        fact_id, kind, _times = case.facts[where]
        line = {"org": key[0], "target": f"fact:{fact_id}", "reason": "Sai sót khi nhập"}
        if draw(st.integers(0, 3)) == 0:  # a void: of the case, or of one stage after the first
            line["kind"] = "record.voided"
            if where == 0 or draw(st.booleans()):
                line["target"] = key[1]
            lines.append(known(line))
            continue
        line["kind"] = "record.corrected"
        fixes: dict[str, Any] = {}
        for fix in draw(st.lists(st.sampled_from(("at", "ref", "reason", "terms")), min_size=1)):
            if fix == "at":
                low = max((t for f in case.facts[:where] for t in f[2]), default=None)
                high = min((t for f in case.facts[where + 1 :] for t in f[2]), default=None)
                fixes["at"] = draw(between(low, high))
            elif fix == "ref":
                fixes["ref"] = draw(st.sampled_from(("9/QĐ-UBND", "10/QĐ-SNgV")))
            elif fix == "reason":
                fixes["reason"] = "Bổ sung hồ sơ"
            elif kind in ("award.proposed", "award.granted"):
                # Corrections skip the catalogue, a later grant does not: the flag goes up too.
                new = draw(terms(True))
                keys = draw(st.lists(st.sampled_from(sorted(new)), min_size=1, max_size=3))
                fixes |= {k: new[k] for k in keys} | {"irregular": True, "reason": new["reason"]}
                if fixes.get("grantor") == "bo_truong":
                    fixes["body"] = "Bộ Ngoại giao"
        # A correction restates the fact's reason: the schema wants one beside an irregular
        # flag, a rejection or a withdrawal, and the fact's own is not carried into the check.
        fixes.setdefault("reason", "Bổ sung hồ sơ")
        line["set"] = fixes
        lines.append(known(line))
    for line in lines:
        event(f"file with {line['kind']}")
    return lines


@dataclass(frozen=True)
class Ask:
    """One report's options."""

    kind: str
    org: str
    period: str
    as_of: str | None
    known_by: str | None
    recorded_by: str | None


def asks(stamps: list[datetime], head: int) -> st.SearchStrategy[Ask]:
    """Random cut-offs: D a day or after them, K a day, an instant or now, T none, a position or
    an instant a microsecond either side of a batch's stamp."""
    near = st.tuples(
        st.sampled_from(stamps or [datetime(2020, 1, 1, tzinfo=UTC)]), st.sampled_from((-1, 0, 1))
    ).map(lambda s: (s[0] + timedelta(microseconds=s[1])).isoformat())
    days = st.sampled_from(DAYS).map(date.isoformat)
    after = st.sampled_from(DAYS).map(lambda d: (d + timedelta(days=1)).isoformat())
    return st.builds(
        Ask,
        kind=st.sampled_from(REPORTS),
        org=st.sampled_from(ORGS),
        period=st.sampled_from(PERIODS),
        as_of=st.none() | days | after | st.just("2021-12-31"),
        known_by=st.none() | days | st.sampled_from(TIMES) | st.just("now"),
        recorded_by=st.none() | st.integers(0, head).map("@{}".format) | near,
    )


def same_as_fold(rt: Runtime, ask: Ask, now: datetime) -> None:
    """The report by the versions and by the fold, in one snapshot."""
    request = make_request(
        rt,
        ask.kind,
        ask.org,
        ask.period,
        as_of=ask.as_of,
        known_by=now.isoformat() if ask.known_by == "now" else ask.known_by,
        recorded_by=ask.recorded_by,
    )
    with rt.models.reading() as conn:
        got = build(conn, request, BUILDERS)
        expected = build(conn, request, FOLD_BUILDERS)
    assert got == expected, ask
    event(f"{ask.kind}: {'some' if got['awards'] else 'no'} awards")
    if ask.kind == "emulation":
        event(f"emulation: {'some' if got['proposed'] else 'no'} pending")


def survey() -> list[Ask]:
    """Whole views: each report, period and department, known now and at 2021's end."""
    return [
        Ask(kind, org, period, as_of, known, None)
        for kind in REPORTS
        for org in ORGS
        for period in PERIODS
        for as_of, known in ((None, "now"), ("2020-06-30", "2021-12-31"))
    ]


def run_history(draw: Any, postgres: bool) -> None:
    """Import random batches; after each, and after a rebuild, versions against fold."""
    with (
        tempfile.TemporaryDirectory(prefix="ngoaivu-award-versions-") as tmp,
        database(postgres) as url,
    ):
        inst = Backend(Path(tmp) / "var", url=url)
        first: list[dict[str, Any]] = [
            {"kind": "org.registered", "org": org, "at": "2019-01-01", "name": org} for org in ORGS
        ]
        first += [
            {"kind": "movement.launched", "org": org, "at": "2019-01-02", "id": "PT-2020"}
            | {"title": "Phong trào thi đua"}
            for org in ORGS
        ]
        import_lines(inst, first, Path(tmp) / "orgs.jsonl", backfill=True)
        store = inst.store()
        for batch in range(draw(st.integers(1, 4))):
            lines = draw(batch_lines(batch, cases_of(store)))
            if not lines:
                continue
            import_lines(inst, lines, Path(tmp) / f"b{batch}.jsonl", draw(st.booleans()))
            store = inst.store()
            stamps = sorted({ev.recorded for ev in store.events})
            now = datetime.now(UTC) + timedelta(seconds=1)
            with inst.runtime() as rt:
                for _ in range(draw(st.integers(3, 8))):
                    same_as_fold(rt, draw(asks(stamps, store.head)), now)
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
def test_award_versions_equal_the_fold(data: st.DataObject) -> None:
    """Every digest of the emulation and award reports is the fold's (SQLite)."""
    run_history(data.draw, postgres=False)


@pytest.mark.postgres
@settings(max_examples=8, **_SETTINGS)  # type: ignore[arg-type]
@given(data=st.data())
def test_award_versions_equal_the_fold_on_postgres(pg_available: bool, data: st.DataObject) -> None:
    """The same on PostgreSQL (its own grouping and COPY of the versions)."""
    if not pg_available:
        pytest.skip("PostgreSQL is not reachable: PostgreSQL tests SKIPPED")
    run_history(data.draw, postgres=True)
