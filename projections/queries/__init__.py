"""The read side's queries the pages and commands ask (records, search, registers, owners)."""

from projections.queries.pages import (
    issued_register,
    latest_day,
    org_names,
    recent_page,
    recent_records,
    record_rows,
    task_unit,
)
from projections.queries.records import fact_entry, find, history

__all__ = [
    "fact_entry",
    "find",
    "history",
    "issued_register",
    "latest_day",
    "org_names",
    "recent_page",
    "recent_records",
    "record_rows",
    "task_unit",
]
