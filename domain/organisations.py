"""Organisations (Sở Ngoại vụ, tenants): registered, renamed, merged into a successor."""

from __future__ import annotations

from typing import Any

from domain.records import Record


class Organisation(Record):
    """A department (Sở Ngoại vụ) that owns records; registered before any record is made."""

    record_kind = "org"

    class Registered(Record.Opened):
        """The department was registered with its name, parent body and place."""

    class Renamed(Record.Fact):
        """The department took a new name (or parent body, or place) from a date."""

    class Merged(Record.Fact):
        """The department merged into a successor from a date."""

    @classmethod
    def register(cls, org: str, **fields: Any) -> Organisation:
        """Register a department."""
        return cls.open(org, "org", cls.Registered, kind="org.registered", **fields)  # type: ignore[return-value]

    def rename(self, **fields: Any) -> str:
        """Record a new name."""
        return self.add_fact(self.Renamed, kind="org.renamed", **fields)

    def merge(self, **fields: Any) -> str:
        """Record the merger into a successor."""
        return self.add_fact(self.Merged, kind="org.merged", **fields)
