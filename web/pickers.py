"""Choices read from the records for the entry forms: tasks with their status, records with their
current values, programmes, plan items, movements, and the next free code of a kind."""

from __future__ import annotations

import json
import re
from typing import Any

from flask_babel import gettext as _

from documents.filters import period as periods_vi
from domain import labels
from projections.visibility import fold
from service import queries
from service.reporting.requests import vn_today
from web.cache import lru, store_head
from web.formatting import PLAIN_NUMBER_KEYS as PLAIN
from web.formatting import month_words
from web.inspection import runtime

Choices = list[tuple[str, str]]
# A kind of record → the code's middle part of its suggested id (2021-DR-07).
CODE_STEMS = {
    "delegation": "DR",
    "conference": "HN",
    "agreement": "TT",
    "aid": "VT",
    "support": "HT",
    "movement": "PT",
    "pledge": "GU",
    "award": "KT",
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERIOD = re.compile(r"^\d{4}(-(H[12]|Q[1-4]|9M|0[1-9]|1[0-2]))?$")
_NUMBERED = re.compile(r"^(\d{4})-([A-Z]+)-(\d+)$")


def _rows(org: str, record_kind: str) -> list[Any]:
    return queries.record_rows(runtime(), org, record_kind)


def tasks(org: str) -> Choices:
    """Every task, newest programme first: "2020 · 11. Title — hoàn thành"."""
    out = []
    for (_org, target), state in fold(_rows(org, "task")).items():
        programme, _sep, no = target.removeprefix("task:").rpartition("/")
        progress = state.of_kind("task.progressed")
        status = progress[-1].values.get("status") if progress else "unreported"
        title = str(state.opening.values.get("title", ""))
        words = labels.STATUSES.get(str(status), str(status))
        key = (programme, int(no) if no.isdigit() else 0)
        out.append((key, (f"{programme}/{no}", f"{programme} · {no}. {title} — {words}")))
    out.sort(key=lambda item: (-int(item[0][0]) if item[0][0].isdigit() else 0, item[0][1]))
    return [choice for _key, choice in out]


def task_owners(org: str) -> dict[str, str]:
    """Each task's unit now ("2020/11" → "Phòng Lãnh sự"), its corrections applied, as the
    permission check reads it (`web.writing.permission_error`)."""
    out = {}
    for (_org, target), state in fold(_rows(org, "task")).items():
        unit = state.opening.values.get("unit")
        if isinstance(unit, str):
            out[target.removeprefix("task:")] = unit
    return out


def _task_of(value: str) -> str | None:
    """The "P/N" of a picker's task value: `2020/11`, `task:2020/11`, `fact:task:2020/11#1`."""
    value = value.removeprefix("fact:")
    if value.startswith("task:"):
        return value.removeprefix("task:").partition("#")[0]
    return None


def _openings(org: str, record_kind: str) -> list[tuple[str, dict[str, Any]]]:
    states = fold(_rows(org, record_kind))
    return [(target.partition(":")[2], s.opening.values) for (_o, target), s in states.items()]


def plan_items(org: str) -> Choices:
    """The items of every approved outbound plan: "2022 · KH-03: Title"."""
    out = []
    for year, values in _openings(org, "outbound_plan"):
        for item in values.get("items") or ():
            out.append((str(item.get("id")), f"{year} · {item.get('id')}: {item.get('title')}"))
    return out


def aid(org: str) -> Choices:
    """Aid commitments: "VT-01: Donor — Project"."""
    return [(i, f"{i}: {v.get('donor')} — {v.get('project')}") for i, v in _openings(org, "aid")]


def movements(org: str) -> Choices:
    """Emulation movements: "PT-01: Title"."""
    return [(i, f"{i}: {v.get('title')}") for i, v in _openings(org, "movement")]


def summary(values: dict[str, Any], kind: str | None = None) -> str:
    """A record's current values in words, short: "Số người: 12; Quốc gia: Lào"; a field named
    as its kind names it (a draft's body is "Nội dung dự thảo"), dates dd/mm/yyyy, months
    10/2022, periods in words."""
    parts = []
    for key, value in values.items():
        if key in ("at", "reason", "ref") or value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            value = ", ".join(
                v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value
            )
        elif isinstance(value, dict):
            value = ", ".join(str(v) for v in value.values())
        elif isinstance(value, bool):
            value = _("có") if value else _("không")
        elif isinstance(value, str):
            value = _words(value, key)
        elif isinstance(value, int) and not isinstance(value, bool) and key not in PLAIN:
            # 1.100.000.000 đồng; the choices are kept whatever the page's language, so the
            # grouping is the Vietnamese one, not the locale's
            value = f"{value:,}".replace(",", ".")
        parts.append(f"{labels.field(key, kind)}: {value}")
    return "; ".join(parts)[:160]


def _words(value: str, key: str) -> str:
    """One text value as a person reads it (the choices keep the Vietnamese words)."""
    if key == "month":
        return month_words(value)
    if key == "period":
        return periods_vi(value) if _PERIOD.match(value) else value
    if _DAY.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return labels.word(value, key)


def records(org: str, limit: int = 300) -> Choices:
    """The latest records (by their last change), each with its current values."""
    recent, rows = queries.recent_records(runtime(), org, limit)
    return described(org, recent, rows)


HISTORY_PAGE = 50  # records a page of the history landing lists


def recent_page(org: str, page: int) -> tuple[Choices, int, int]:
    """A page of the history landing: its records, the latest changed first, each with its
    current values (only this page's records are read and folded); the page shown and how
    many pages there are. Kept until the store moves on."""

    def build() -> tuple[Choices, int, int]:
        shown, recent, total, rows = queries.recent_page(runtime(), org, page, HISTORY_PAGE)
        pages = max(1, -(-total // HISTORY_PAGE))
        return described(org, recent, rows, contents=False), shown, pages

    key = (org, "recent_page", page, store_head(runtime()), vn_today().isoformat())
    return lru("pickers", 128).get(key, build)


def described(org: str, recent: list[str], rows: list[Any], *, contents: bool = True) -> Choices:
    """Each record of `recent` (in that order) with its current values, folded from `rows`; a
    task also as its content fact (`fact:task:…#1`, what a correction of its title targets),
    unless `contents` is False (the history landing lists records)."""
    from web.describe import describe_target

    states = fold(rows)
    out = []
    for target in recent:
        state = states.get((org, target))
        if state is None:
            continue
        values = dict(state.opening.values)
        for fact in state.facts[1:]:  # a task's current status, a case's stage…
            values.update({k: v for k, v in fact.values.items() if k not in ("at", "reason")})
        name = describe_target(target)
        if target.startswith("task:"):
            # A task's correction applies to its latest progress; its title, unit and deadline
            # are corrected on its opening fact.
            progress = {k: v for k, v in values.items() if k in ("status", "ref")}
            out.append((target, f"{name} — {_('tiến độ')}: {summary(progress, 'task.progressed')}"))
            opening = {
                k: v for k, v in state.opening.values.items() if k not in ("programme", "no")
            }
            if contents:
                out.append(
                    (
                        f"fact:{target}#1",
                        f"{name} — {_('nội dung')}: {summary(opening, 'task.added')}",
                    )
                )
            continue
        out.append((target, f"{name} — {summary(values, state.opening.kind)}"))
    return out


def next_code(org: str, record_kind: str) -> str:
    """The next free id of a kind this year: 2026-DR-08 after 2026-DR-07."""
    year = vn_today().year
    stem = CODE_STEMS.get(record_kind, record_kind[:2].upper())
    taken = {t.partition(":")[2] for t in {r.target for r in _rows(org, record_kind)}}
    numbers = [0]
    for code in taken:
        found = _NUMBERED.match(code)
        if found and int(found.group(1)) == year and found.group(2) == stem:
            numbers.append(int(found.group(3)))
    number = max(numbers) + 1
    while f"{year}-{stem}-{number:02d}" in taken:
        number += 1
    return f"{year}-{stem}-{number:02d}"


SOURCES = {
    "tasks": tasks,
    "plan_items": plan_items,
    "aid": aid,
    "movements": movements,
    "records": records,
}


def choices(org: str, source: str) -> Choices:
    """A source's choices, kept until the store moves on."""
    key = (org, source, store_head(runtime()), vn_today().isoformat())
    return lru("pickers", 128).get(key, lambda: SOURCES[source](org))


def for_account(org: str, source: str, units: tuple[str, ...] | None) -> Choices:
    """A source's choices an account may write: a clerk limited to some units sees only their
    units' tasks (in the task picker and among the records to correct), never one the write
    would refuse; other accounts see every choice."""
    if units is None or source not in ("tasks", "records"):
        return choices(org, source)
    # the write checks a unit's rights on level read models (`permission_error`): so does the
    # list, or a task just moved to the unit would be missing (or one moved away offered)
    runtime().await_level()
    found = choices(org, source)
    key = (org, "task_owners", store_head(runtime()), vn_today().isoformat())
    owners = lru("pickers", 128).get(key, lambda: task_owners(org))
    out = []
    for value, text in found:
        task = value if source == "tasks" else _task_of(value)
        if task is not None and owners.get(task) in units:
            out.append((value, text))
    return out


def suggestion(org: str, source: str) -> str:
    """A code source's suggested value ("delegation_code" → the next free delegation id)."""
    record_kind = source.removesuffix("_code")
    key = (org, source, store_head(runtime()), vn_today().isoformat())
    return lru("pickers", 128).get(key, lambda: next_code(org, record_kind))
