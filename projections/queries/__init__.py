"""The read side's queries the pages and commands ask (records, search, registers, owners)."""

from projections.queries.pages import issued_register, org_names, task_unit
from projections.queries.records import fact_entry, find, history

__all__ = ["fact_entry", "find", "history", "issued_register", "org_names", "task_unit"]
