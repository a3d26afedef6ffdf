"""A plain reference fold of the stored events, written only for the tests (the oracle).

It restates CONTRACT.md ("Time", "Which version wins", fine points 1, 2, 4 and 6) with nothing
but the standard library: it does not import the projections, the report builders or the domain
helpers, so that a mistake there cannot hide in here too. It reads the event store directly.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_US = timedelta(microseconds=1)
CHANGES = ("record.corrected", "record.voided")

# CONTRACT "Task statuses", restated.
STATUSES = (
    "unreported",
    "in_progress",
    "completed",
    "deferral_proposed",
    "deferred",
    "not_carried_out",
    "cancelled",
)
_OPEN = {"in_progress", "completed", "deferral_proposed", "not_carried_out", "cancelled"}
ALLOWED = {
    "unreported": _OPEN,
    "in_progress": _OPEN,
    "deferral_proposed": {"deferred", "in_progress", "completed", "not_carried_out"},
    "completed": set(),
    "deferred": set(),
    "not_carried_out": set(),
    "cancelled": set(),
}
OUTCOMES = (
    "completed_on_time",
    "completed_late",
    "not_completed_on_time",
    "in_progress",
    "cancelled",
)


@dataclass(frozen=True)
class Event:
    """One stored event of a record, as the event store holds it."""

    pos: int
    org: str
    target: str
    fact_id: str
    kind: str
    at: str | None
    known_since: str | None
    recorded: datetime
    reason: str | None
    ref: str | None
    data: dict[str, Any]
    target_fact_id: str | None

    @property
    def known(self) -> datetime:
        """Knowledge time: `known_since`, else the recorded instant."""
        return moment(self.known_since)[0] if self.known_since else self.recorded


@dataclass(frozen=True)
class Store:
    """Every stored record event and the notification id of the last stored event."""

    events: list[Event]
    head: int


def read_store(app: Any, page: int = 500) -> Store:
    """Read the whole event store through the recorder, in notification order."""
    events: list[Event] = []
    start = head = 0
    while True:
        batch = app.recorder.select_notifications(start=start, limit=page, inclusive_of_start=False)
        if not batch:
            return Store(events, head)
        for notification in batch:
            head = notification.id
            ev = app.mapper.to_domain_event(notification)
            if not hasattr(ev, "fact_id"):
                continue
            data = getattr(ev, "data", None)
            if data is None:
                data = getattr(ev, "changes", None) or {}
            events.append(
                Event(
                    pos=notification.id,
                    org=ev.org,
                    target=ev.target,
                    fact_id=ev.fact_id,
                    kind=ev.kind,
                    at=getattr(ev, "at", None),
                    known_since=ev.known_since,
                    recorded=ev.timestamp.astimezone(UTC),
                    reason=ev.reason,
                    ref=ev.ref,
                    data=dict(data),
                    target_fact_id=getattr(ev, "target_fact_id", None),
                )
            )
        start = batch[-1].id


# --- time, re-derived -------------------------------------------------------------------------


def day_start(day: date) -> datetime:
    """00:00 of a Vietnam day, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=VN).astimezone(UTC)


def is_date(text: str) -> bool:
    """Whether a time is written as a whole day (YYYY-MM-DD)."""
    return len(text) == 10 and text[4] == "-" and text[7] == "-"


def moment(text: str) -> tuple[datetime, int]:
    """A fact's time as a sort key: its instant (a day is its 00:00), a day before instants."""
    if is_date(text):
        return day_start(date.fromisoformat(text)), 0
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC), 1


def vn_day(instant: datetime) -> date:
    """The Vietnam day an instant falls on."""
    return instant.astimezone(VN).date()


def vn_label(instant: datetime) -> str:
    """An instant written in +07:00 with microseconds (fine point 2)."""
    return instant.astimezone(VN).isoformat(timespec="microseconds")


def period_window(label: str, window: str) -> tuple[date, date]:
    """First and last day of `2020`, `2021-H1`, `2021-Q3`, `2021-9M`, `2021-03` in a window."""
    year, _, part = label.partition("-")
    y = int(year)
    months = {
        "": (1, 12),
        "H1": (1, 6),
        "H2": (7, 12),
        "9M": (1, 9),
        "Q1": (1, 3),
        "Q2": (4, 6),
        "Q3": (7, 9),
        "Q4": (10, 12),
    }
    first, last = months[part] if part in months else (int(part), int(part))
    if window == "nd09":  # from the 15th of the month before to the 14th of the last month
        start = date(y - 1, 12, 15) if first == 1 else date(y, first - 1, 15)
        return start, date(y, last, 14)
    after = date(y + 1, 1, 1) if last == 12 else date(y, last + 1, 1)
    return date(y, first, 1), after - timedelta(days=1)


# --- cut-offs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cut:
    """D, K and T of one report, with the written forms of K and T."""

    as_of: date
    known_until: datetime  # exclusive
    known_label: str
    recorded_pos: int | None
    recorded_until: datetime | None  # inclusive
    recorded_label: str

    def sees(self, ev: Event) -> bool:
        """Known by K and recorded by T."""
        if ev.known >= self.known_until:
            return False
        if self.recorded_pos is not None and ev.pos > self.recorded_pos:
            return False
        return self.recorded_until is None or ev.recorded <= self.recorded_until

    def effective(self, key: tuple[datetime, int]) -> bool:
        """Effective by the end of D (D 24:00 +07:00)."""
        return key[0] < day_start(self.as_of + timedelta(days=1))


def instant(text: str) -> datetime:
    """An ISO instant with its offset, in UTC."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def make_cut(
    store: Store,
    as_of: str | None,
    known_by: str | None,
    recorded_by: str | None,
    now: datetime,
) -> Cut:
    """The cut-offs of the report options, as CONTRACT "Time" and fine point 2 define them."""
    day = date.fromisoformat(as_of) if as_of else vn_day(now)
    if known_by is None or (known_by != "now" and "T" not in known_by):
        k_day = day if known_by is None else date.fromisoformat(known_by)
        known_until, known_label = day_start(k_day + timedelta(days=1)), k_day.isoformat()
    else:
        k = now if known_by == "now" else instant(known_by)
        known_until, known_label = k + ONE_US, vn_label(k)
    if recorded_by is None:
        return Cut(day, known_until, known_label, store.head, None, f"@{store.head}")
    if recorded_by.startswith("@"):
        n = int(recorded_by[1:])
        return Cut(day, known_until, known_label, n, None, f"@{n}")
    t = instant(recorded_by)
    return Cut(day, known_until, known_label, None, t, vn_label(t))


# --- which version wins -----------------------------------------------------------------------


@dataclass
class Seen:
    """One fact as the cut-offs show it, with its visible corrections applied."""

    fact_id: str
    kind: str
    pos: int
    known: datetime
    values: dict[str, Any]

    @property
    def key(self) -> tuple[datetime, int]:
        """Its effective time, as corrected."""
        return moment(self.values["at"])

    def order(self) -> tuple[Any, ...]:
        """Effective time, then knowledge time, then position."""
        return (*self.key, self.known, self.pos)


def records(store: Store, org: str, cut: Cut) -> dict[str, list[Seen]]:
    """Each record of `org` whose opening fact is visible: its visible facts, in order."""
    visible = [e for e in store.events if e.org == org and cut.sees(e)]
    fixes: dict[str, list[Event]] = defaultdict(list)
    gone_facts: set[str] = set()
    gone_records: set[str] = set()
    for ev in visible:
        if ev.kind == "record.corrected":
            fixes[ev.target_fact_id or ""].append(ev)
        elif ev.kind == "record.voided":
            if ev.target_fact_id is None:
                gone_records.add(ev.target)
            else:
                gone_facts.add(ev.target_fact_id)
    found: dict[str, list[Seen]] = defaultdict(list)
    for ev in visible:
        if ev.kind in CHANGES or ev.target in gone_records or ev.fact_id in gone_facts:
            continue
        values = {"at": ev.at, "reason": ev.reason, "ref": ev.ref, **ev.data}
        for fix in sorted(fixes[ev.fact_id], key=lambda f: (f.known, f.pos)):
            values.update(fix.data)
        seen = Seen(ev.fact_id, ev.kind, ev.pos, ev.known, values)
        if cut.effective(seen.key):
            found[ev.target].append(seen)
    result = {}
    for target, facts in found.items():
        facts.sort(key=Seen.order)
        if any(f.fact_id == f"{target}#1" for f in facts):
            result[target] = facts
    return result


def opening(target: str, facts: list[Seen]) -> Seen:
    """A record's first fact."""
    return next(f for f in facts if f.fact_id == f"{target}#1")


def latest_progress(facts: list[Seen]) -> Seen | None:
    """A task's progress in force: the last visible one in effective-time order."""
    progress = [f for f in facts if f.kind == "task.progressed"]
    return progress[-1] if progress else None


# --- the two report bodies --------------------------------------------------------------------


def key_tasks(store: Store, org: str, cut: Cut, programme: str) -> dict[str, Any]:
    """`key-tasks`: the programme's tasks by number, statuses at the end of D, counts."""
    tasks = []
    seen = records(store, org, cut)
    for target, facts in seen.items():
        if not target.startswith(f"task:{programme}/"):
            continue
        added = opening(target, facts).values
        last = latest_progress(facts)
        tasks.append(
            {
                "no": added["no"],
                "title": added["title"],
                "unit": added["unit"],
                "status": last.values["status"] if last else "unreported",
                "reason": last.values.get("reason") if last else None,
                "ref": last.values.get("ref") if last else None,
                # format 2 (issue 14): the day of the status in force, task.added's no_inferred
                "status_on": vn_day(last.key[0]).isoformat() if last else None,
                "no_inferred": bool(added.get("no_inferred")),
            }
        )
    tasks.sort(key=lambda t: t["no"])
    summary = {status: sum(t["status"] == status for t in tasks) for status in STATUSES}
    adopted = None
    if f"programme:{programme}" in seen:
        head = opening(f"programme:{programme}", seen[f"programme:{programme}"])
        adopted = {
            "title": head.values["title"],
            "ref": head.values.get("ref"),
            "on": vn_day(head.key[0]).isoformat(),
        }
    return {"programme": programme, "adopted": adopted, "tasks": tasks, "summary": summary}


def outcome(added: dict[str, Any], last: Seen | None, as_of: date) -> tuple[str, str | None]:
    """Fine point 6: the bucket of an assigned task at the end of D, and its completion day."""
    status = last.values["status"] if last else "unreported"
    deadline = date.fromisoformat(added["deadline"]) if added.get("deadline") else None
    if status == "completed":
        assert last is not None
        done = vn_day(last.key[0])
        late = deadline is not None and done > deadline
        return ("completed_late" if late else "completed_on_time"), done.isoformat()
    if status in ("cancelled", "deferred"):
        return "cancelled", None
    if status == "not_carried_out":
        return "not_completed_on_time", None
    if deadline is not None and deadline < as_of:
        return "not_completed_on_time", None
    return "in_progress", None


def assigned_tasks(
    store: Store, org: str, cut: Cut, window: tuple[date, date], programme: str | None
) -> dict[str, Any]:
    """`assigned-tasks`: tasks from the UBND tỉnh added in the period, bucketed at the end of D.

    With `--programme`, only that programme's tasks (the product's documented extension).
    """
    first, last = window
    tasks = []
    for target, facts in records(store, org, cut).items():
        if not target.startswith(f"task:{programme}/" if programme else "task:"):
            continue
        head = opening(target, facts)
        added = head.values
        if added.get("source") != "ubnd" or not first <= vn_day(head.key[0]) <= last:
            continue
        progress = latest_progress(facts)
        bucket, done = outcome(added, progress, cut.as_of)
        tasks.append(
            {
                "programme": added["programme"],
                "no": added["no"],
                "title": added["title"],
                "unit": added["unit"],
                "deadline": added.get("deadline"),
                "status": progress.values["status"] if progress else "unreported",
                "outcome": bucket,
                "completed_on": done,
                "ref": progress.values.get("ref") if progress else None,  # format 2
            }
        )
    tasks.sort(key=lambda t: (t["programme"], t["no"]))
    counts = {name: sum(t["outcome"] == name for t in tasks) for name in OUTCOMES}
    return {"total": len(tasks), **counts, "tasks": tasks}


# --- the whole report -------------------------------------------------------------------------


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def canonical(content: dict[str, Any]) -> bytes:
    """Keys sorted by code point, `,` and `:`, UTF-8 with only the escapes JSON requires, NFC."""
    text = json.dumps(_nfc(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def with_digest(content: dict[str, Any]) -> dict[str, Any]:
    """The report with `digest`: sha256 of the canonical JSON of everything else."""
    body = {k: v for k, v in content.items() if k != "digest"}
    return {**body, "digest": "sha256:" + hashlib.sha256(canonical(body)).hexdigest()}


def report(
    store: Store,
    kind: str,
    org: str,
    period: str,
    *,
    window: str = "nd09",
    programme: str | None = None,
    as_of: str | None = None,
    known_by: str | None = None,
    recorded_by: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The report the contract asks for, from the stored events alone, with its digest."""
    cut = make_cut(store, as_of, known_by, recorded_by, now or datetime.now(UTC))
    first, last = period_window(period, window)
    if kind == "key-tasks":
        body = key_tasks(store, org, cut, programme or period[:4])
    elif kind == "assigned-tasks":
        body = assigned_tasks(store, org, cut, (first, last), programme)
    else:
        raise ValueError(f"the oracle knows no report {kind!r}")
    content = {
        "report": kind,
        "org": org,
        "period": {
            "label": period,
            "window": window,
            "from": first.isoformat(),
            "to": last.isoformat(),
        },
        "as_of": cut.as_of.isoformat(),
        "known_by": cut.known_label,
        "recorded_by": cut.recorded_label,
        "format": 2,  # key-tasks and assigned-tasks format 2 (issue 14)
        "notes": {},
        **body,
    }
    return with_digest(content)
