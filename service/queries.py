"""The read side as the pages and the command line ask it: the read models brought level first
(read-your-writes), then one query of `projections.queries`; callers parse, call and render."""

from __future__ import annotations

from typing import Any

from projections import queries
from service.runtime import Runtime


def record_history(rt: Runtime, org: str, target: str) -> list[dict[str, Any]]:
    """Every event of one record in store order (empty when there is no such record)."""
    rt.catch_up()
    with rt.models.reading() as conn:
        return queries.history(conn, org, target)


def search(rt: Runtime, org: str, text: str) -> list[dict[str, str]]:
    """Records whose text holds every word of `text`, ignoring case and diacritics."""
    rt.catch_up()
    with rt.models.reading() as conn:
        return queries.find(conn, org, text)


def org_names(rt: Runtime) -> dict[str, str]:
    """Every registered department's slug and name."""
    rt.catch_up()
    with rt.models.reading() as conn:
        return queries.org_names(conn)


def issued_register(rt: Runtime, org: str) -> list[Any]:
    """The department's issued reports, the latest first."""
    rt.catch_up()
    with rt.models.reading() as conn:
        return queries.issued_register(conn, org)


def task_unit(rt: Runtime, org: str, target: str) -> str | None:
    """The unit that owns a task now, as the read models hold it (no catching up: a write's
    permission is checked against what they hold, as the import's rules are)."""
    with rt.models.reading() as conn:
        return queries.task_unit(conn, org, target)
