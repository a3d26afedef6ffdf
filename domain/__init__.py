"""The pure domain of the records service: aggregates, events, value objects and rules (no I/O)."""
