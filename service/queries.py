"""The read side as the pages and the command line ask it: the read models ready first (the
command line catches up; the web, whose projector worker keeps them level, waits only for the
user's own writes: `Runtime.ready`), then one query of `projections.queries`."""

from __future__ import annotations

from typing import Any

from projections import queries
from service.runtime import Runtime


def record_history(rt: Runtime, org: str, target: str) -> list[dict[str, Any]]:
    """Every event of one record in store order (empty when there is no such record)."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.history(conn, org, target)


def search(rt: Runtime, org: str, text: str) -> list[dict[str, str]]:
    """Records whose text holds every word of `text`, ignoring case and diacritics."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.find(conn, org, text)


def org_names(rt: Runtime) -> dict[str, str]:
    """Every registered department's slug and name."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.org_names(conn)


def issued_register(rt: Runtime, org: str) -> list[Any]:
    """The department's issued reports, the latest first."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.issued_register(conn, org)


def task_unit(rt: Runtime, org: str, target: str) -> str | None:
    """The unit that owns a task now, as the read models hold it (no catching up: a write's
    permission is checked against what they hold, as the import's rules are)."""
    with rt.models.reading() as conn:
        return queries.task_unit(conn, org, target)


def latest_day(rt: Runtime, org: str, today: str) -> str | None:
    """The latest effective day, up to `today`, of anything in the department's records."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.latest_day(conn, org, today)


def record_rows(rt: Runtime, org: str, record_kind: str) -> list[Any]:
    """Every fact row of the department's records of one kind (the pickers fold them)."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.record_rows(conn, org, record_kind)


def recent_records(rt: Runtime, org: str, limit: int) -> tuple[list[str], list[Any]]:
    """The department's latest changed records (newest first) and their fact rows."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.recent_records(conn, org, limit)


def recent_page(
    rt: Runtime, org: str, page: int, size: int
) -> tuple[int, list[str], int, list[Any]]:
    """One page of the department's records, the latest changed first: the page shown, its
    targets, how many records in all, their fact rows."""
    rt.ready()
    with rt.models.reading() as conn:
        return queries.recent_page(conn, org, page, size)


def search_page(rt: Runtime, org: str, text: str, **options: Any) -> Any:
    """One page of the search page's results (`projections.queries.search_page.run`): filtered
    by kind and dates, sorted, each hit with its status in words."""
    from projections.queries.search_page import run

    rt.ready()
    with rt.models.reading() as conn:
        return run(conn, org, text, **options)
