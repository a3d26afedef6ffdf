"""Search for people: titles, every text of a record and the reasons of its changes, with kind,
date and status columns, filters, sorting and pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from domain import labels
from domain.text import CONTROL, fold
from projections.tables import facts, search
from projections.visibility import fold as fold_records

# The folded reasons per (department, read-model position): reading and folding them is the
# costly part of a search, and they change only when the read models move on.
_REASONS: dict[tuple[str, int | None], list[tuple[str, str, str]]] = {}

PAGE_SIZE = 25
MAX_HITS = 5000
SORTS = ("date", "-date", "kind", "title")


@dataclass
class Hit:
    """One record found: its target, title, kind of record, first date, whether voided, why."""

    target: str
    title: str
    voided: bool = False
    day: str = ""
    status: str = ""
    reason: str = ""

    @property
    def record_kind(self) -> str:
        """task, delegation, award…"""
        return self.target.partition(":")[0]


@dataclass
class Found:
    """A page of hits and what the whole search found."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    kinds: list[str] = field(default_factory=list)


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def find_all(conn: Connection, org: str, text: str) -> dict[str, Hit]:
    """Records whose texts, or the reason of one of their changes, hold every word."""
    words = fold(text).split()
    if not words or CONTROL.search(text):
        return {}
    query = select(search.c.target, search.c.title, search.c.voided).where(search.c.org == org)
    for word in words:
        query = query.where(search.c.folded.like(_like(word), escape="\\"))
    hits = {r.target: Hit(r.target, r.title, r.voided) for r in conn.execute(query.limit(MAX_HITS))}
    for target, reason, folded in folded_reasons(conn, org):
        if target in hits and hits[target].reason:
            continue
        if all(word in folded for word in words):
            hit = hits.get(target)
            if hit is None and len(hits) < MAX_HITS:
                hit = hits[target] = Hit(target, "")
            if hit is not None:
                hit.reason = reason
    missing = [t for t, h in hits.items() if not h.title]
    for chunk in range(0, len(missing), 500):
        part = missing[chunk : chunk + 500]
        rows = conn.execute(
            select(search.c.target, search.c.title, search.c.voided).where(
                search.c.org == org, search.c.target.in_(part)
            )
        )
        for row in rows:
            hits[row.target].title, hits[row.target].voided = row.title, row.voided
    targets = list(hits)
    for chunk in range(0, len(targets), 500):
        part = targets[chunk : chunk + 500]
        rows = conn.execute(
            select(facts.c.target, func.min(facts.c.at_day).label("day"))
            .where(facts.c.org == org, facts.c.target.in_(part))
            .group_by(facts.c.target)
        )
        for row in rows:
            hits[row.target].day = row.day or ""
    return hits


def folded_reasons(conn: Connection, org: str) -> list[tuple[str, str, str]]:
    """The department's reasons (target, reason, folded), read and folded once per store head:
    reasons are not in the search read model."""

    def read() -> list[tuple[str, str, str]]:
        rows = conn.execute(
            select(facts.c.target, facts.c.reason).where(
                facts.c.org == org, facts.c.reason.is_not(None)
            )
        )
        return [(r.target, r.reason, fold(r.reason)) for r in rows]

    head = conn.execute(select(func.max(facts.c.pos))).scalar()
    key = (org, head)
    if key not in _REASONS:
        if len(_REASONS) >= 16:  # a few departments' latest: an old head is never asked again
            _REASONS.pop(next(iter(_REASONS)))
        _REASONS[key] = read()
    return _REASONS[key]


def status_of(conn: Connection, org: str, hit: Hit) -> str:
    """A record's status in words: voided, a task's status, an award's stage, or in force."""
    if hit.voided:
        return labels.RECORD_STATES["voided"]
    rows = list(conn.execute(select(facts).where(facts.c.org == org, facts.c.target == hit.target)))
    state = fold_records(rows).get((org, hit.target))
    if state is None:
        return labels.RECORD_STATES["voided"]
    if hit.record_kind == "task":
        progress = state.of_kind("task.progressed")
        code = str(progress[-1].values.get("status")) if progress else "unreported"
        return labels.STATUSES.get(code, code).capitalize()
    if hit.record_kind == "award":
        stage = state.facts[-1].kind.partition(".")[2]
        return labels.STAGES.get(stage, stage)
    return labels.RECORD_STATES["in_force"]


def run(
    conn: Connection,
    org: str,
    text: str,
    *,
    kind: str = "",
    since: str = "",
    until: str = "",
    sort: str = "date",
    page: int = 1,
) -> Found:
    """One page of the search, filtered by kind of record and dates, sorted."""
    hits = list(find_all(conn, org, text).values())
    kinds = sorted({h.record_kind for h in hits})
    if kind:
        hits = [h for h in hits if h.record_kind == kind]
    if since:
        hits = [h for h in hits if h.day and h.day >= since]
    if until:
        hits = [h for h in hits if h.day and h.day <= until]
    order = {
        "date": lambda h: (h.day or "9999", h.target),
        "-date": lambda h: (h.day or "0000", h.target),
        "kind": lambda h: (h.record_kind, h.day, h.target),
        "title": lambda h: (fold(h.title), h.target),
    }
    hits.sort(key=order.get(sort, order["date"]), reverse=sort == "-date")
    pages = max(1, -(-len(hits) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    for hit in shown:
        hit.status = status_of(conn, org, hit)
    return Found(shown, len(hits), page, pages, kinds)
