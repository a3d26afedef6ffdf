"""As-of latency of the emulation report (issue 16), for `bench_asof.py --kinds emulation`.

The store holds a synthetic award history written here (departments × years × `awards` cases a
year: each proposed, most then submitted and granted with a decision, some rejected or
withdrawn, some granted outright; 10 % of the grants corrected with a `known_since` at the
year's end), imported with `ngoaivu import --backfill`. Two ways answer the same requests
(random department, year, as-of day D in or after the year, knowledge cut-off K from before D
to after the corrections):

- product: `make_request` + `run_report` of `emulation` (as the CLI builds it: head check, the
  award versions' queries, the movements, notes, digest); and its core alone (the versions'
  queries: counted awards, breakdowns, pending cases);
- fold: the same report by `FOLD_BUILDERS` (every award fact of the department read and folded
  in Python: the report before the versions).

The two answers are checked identical (digest) for every request before timing; the requests
are then timed interleaved.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common import Store, ngoaivu

from domain import award_rules
from domain.codes import CATEGORIES, FORMS, GRANTORS, RECIPIENT_TYPES
from projections.reports import FOLD_BUILDERS, build
from projections.reports.award_queries import Awards
from service.reporting.requests import make_request, run_report
from service.runtime import Runtime

FIRST = 2006


def orgs(count: int) -> list[str]:
    """The departments' slugs."""
    return [f"so-{i:02d}" for i in range(count)]


def _accepted(year: int) -> list[tuple[str, str, str, str]]:
    """Terms the catalogue in force in `year` accepts (none: the awards are marked irregular)."""
    days = (date(year, 3, 1), date(year, 12, 31))
    return [
        (form, grantor, kind, category)
        for form in FORMS
        for grantor in GRANTORS
        for kind in RECIPIENT_TYPES
        for category in CATEGORIES
        if all(
            not award_rules.check(d, form, grantor, kind, None, for_year=y, category=category)
            for d in days
            for y in (None, year)
        )
    ]


def _day(rng: random.Random, year: int, first: int, last: int) -> str:
    start = date(year, first, 1).toordinal()
    end = date(year, last, 28).toordinal()
    return date.fromordinal(rng.randint(start, end)).isoformat()


def write(path: Path, departments: int, years: int, awards: int, seed: int = 7) -> int:
    """The history as JSON Lines; how many lines."""
    rng = random.Random(seed)
    lines: list[dict[str, Any]] = []
    for org in orgs(departments):
        lines.append({"kind": "org.registered", "org": org, "at": f"{FIRST - 1}-01-01"})
        lines[-1]["name"] = f"Sở Ngoại vụ {org}"
    for year in range(FIRST, FIRST + years):
        accepted = _accepted(year)
        for org in orgs(departments):
            lines.append(
                {"kind": "movement.launched", "org": org, "at": f"{year}-01-15"}
                | {"id": f"PT-{year}", "title": f"Phong trào thi đua năm {year}"}
            )
            for n in range(awards):
                ident = f"{year}-{n}"
                if accepted:
                    form, grantor, kind, category = rng.choice(accepted)
                    terms: dict[str, Any] = {"form": form, "grantor": grantor}
                else:
                    form, grantor = rng.choice(FORMS), rng.choice(GRANTORS)
                    kind, category = rng.choice(RECIPIENT_TYPES), rng.choice(CATEGORIES)
                    terms = {"form": form, "grantor": grantor}
                    terms |= {"irregular": True, "reason": "Ngoài danh mục"}
                terms |= {"recipient": {"type": kind, "name": f"Người nhận {n}"}}
                terms["category"] = category
                if grantor == "bo_truong":
                    terms["body"] = "Bộ Ngoại giao"
                if rng.random() < 0.5:
                    terms["for_year"] = year
                if rng.random() < 0.3:
                    terms["movement"] = f"PT-{year}"
                base = {"org": org, "id": ident}
                if rng.random() < 0.2:  # granted outright (migrated from paper)
                    at = _day(rng, year, 6, 12)
                    lines.append(
                        base | terms | {"kind": "award.granted", "at": at, "ref": f"{n}/QĐ"}
                    )
                    continue
                lines.append(base | terms | {"kind": "award.proposed", "at": _day(rng, year, 1, 4)})
                fate = rng.random()
                if fate < 0.1:  # still pending
                    continue
                lines.append(base | {"kind": "award.submitted", "at": _day(rng, year, 5, 6)})
                if fate < 0.2:
                    lines.append(
                        base
                        | {"kind": "award.rejected", "at": _day(rng, year, 7, 9)}
                        | {"reason": "Chưa đủ điều kiện"}
                    )
                    continue
                granted = base | {"kind": "award.granted", "at": _day(rng, year, 7, 12)}
                lines.append(granted | {"ref": f"{n}/QĐ-UBND"})
                if rng.random() < 0.1:  # a decision's number found wrong after the year
                    lines.append(
                        {"kind": "record.corrected", "org": org, "target": f"award:{ident}"}
                        | {"set": {"ref": f"{n}b/QĐ-UBND"}, "reason": "Sai số quyết định"}
                        | {"known_since": f"{year + 1}-02-15"}
                    )
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(lines)


def fill(store: Store, base: Path, departments: int, years: int, awards: int) -> int:
    """Import the history with --backfill; the number of lines."""
    path = base / "awards.jsonl"
    count = write(path, departments, years, awards)
    run = ngoaivu(store, "import", "--backfill", "--quiet", str(path))
    print(
        f"import: {count:,} award lines ({departments} departments × {years} years × {awards} "
        f"cases) in {run.seconds:.1f} s ({count / run.seconds:,.0f} lines/s)"
    )
    return count


def requests(count: int, seed: int, departments: int, years: int) -> list[tuple[Any, ...]]:
    """Random (department, year, D, K)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        year = FIRST + rng.randrange(years)
        as_of = date(year, 2, 4) + timedelta(days=rng.randrange(500))
        known = as_of + timedelta(days=rng.randrange(-60, 400))
        out.append((rng.choice(orgs(departments)), year, as_of, known))
    return out


def request(rt: Runtime, org: str, year: int, as_of: date, known: date) -> Any:
    """The emulation request of one ask."""
    return make_request(
        rt, "emulation", org, str(year), as_of=as_of.isoformat(), known_by=known.isoformat()
    )


def product(rt: Runtime, org: str, year: int, as_of: date, known: date) -> dict[str, Any]:
    """The emulation report as the CLI builds it."""
    return run_report(rt, request(rt, org, year, as_of, known))


def product_core(rt: Runtime, made: Any) -> Any:
    """The versions' queries alone (the request made beforehand)."""
    with rt.models.reading() as conn:
        found = Awards(conn, made)
        return found.counted(), found.breakdowns(), found.pending()


def fold(rt: Runtime, made: Any) -> dict[str, Any]:
    """The report by the fold of the award facts (no head check, as the core)."""
    with rt.models.reading() as conn:
        return build(conn, made, FOLD_BUILDERS)


def check(rt: Runtime, ask: tuple[Any, ...]) -> Any:
    """The product's and the fold's answers identical; the request."""
    made = request(rt, *ask)
    content = product(rt, *ask)
    expected = fold(rt, made)
    assert content["digest"] == expected["digest"], ask
    return made
