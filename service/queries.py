"""The read side as the pages and the command line ask it: the read models brought level first
(read-your-writes; `level=False` when the caller already did), then one query of
`projections.queries`; callers parse, call and render."""

from __future__ import annotations

from typing import Any

from projections import queries
from service.runtime import Runtime


def record_history(
    rt: Runtime, org: str, target: str, *, level: bool = True
) -> list[dict[str, Any]]:
    """Every event of one record in store order (empty when there is no such record)."""
    if level:  # else the caller brought them level (a page reads the store head first)
        rt.catch_up()
    with rt.models.reading() as conn:
        return queries.history(conn, org, target)


def search(rt: Runtime, org: str, text: str, *, level: bool = True) -> list[dict[str, str]]:
    """Records whose text holds every word of `text`, ignoring case and diacritics."""
    if level:  # else the caller brought them level (a page reads the store head first)
        rt.catch_up()
    with rt.models.reading() as conn:
        return queries.find(conn, org, text)


def org_names(rt: Runtime, *, level: bool = True) -> dict[str, str]:
    """Every registered department's slug and name."""
    if level:  # else the caller brought them level (a page reads the store head first)
        rt.catch_up()
    with rt.models.reading() as conn:
        return queries.org_names(conn)


def issued_register(rt: Runtime, org: str, *, level: bool = True) -> list[Any]:
    """The department's issued reports, the latest first."""
    if level:  # else the caller brought them level (a page reads the store head first)
        rt.catch_up()
    with rt.models.reading() as conn:
        return queries.issued_register(conn, org)


def task_unit(rt: Runtime, org: str, target: str) -> str | None:
    """The unit that owns a task now, as the read models hold it (no catching up: a write's
    permission is checked against what they hold, as the import's rules are)."""
    with rt.models.reading() as conn:
        return queries.task_unit(conn, org, target)
