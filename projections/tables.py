"""The read-model tables: temporal facts (one row per stored event), search, tracking."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# One row per stored event, with its three times: the temporal read model.
facts = Table(
    "rm_facts",
    metadata,
    Column("pos", BigInteger, primary_key=True, autoincrement=False),
    Column("org", String(64), nullable=False),
    Column("record_kind", String(32), nullable=False),
    Column("scope", String(64), nullable=False),
    Column("target", String(255), nullable=False),
    Column("fact_id", String(300), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("target_fact_id", String(300)),
    Column("at", String(40)),
    Column("at_us", BigInteger),
    Column("at_day", String(10)),
    Column("known_since", String(40)),
    Column("known_us", BigInteger, nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("actor", Text, nullable=False),
    Column("reason", Text),
    Column("ref", Text),
    Column("topic", String(255), nullable=False),
    Column("data", Text, nullable=False),
    Index("ix_rm_facts_scope", "org", "record_kind", "scope", "known_us"),
    Index("ix_rm_facts_target", "org", "target", "pos"),
    Index("ix_rm_facts_day", "org", "kind", "at_day"),
    # Facts of one kind across departments (mergers: who merged into whom).
    Index("ix_rm_facts_kind", "kind", "org"),
)

# The current text of each record, folded for search without diacritics.
search = Table(
    "rm_search",
    metadata,
    Column("org", String(64), primary_key=True),
    Column("target", String(255), primary_key=True),
    Column("title", Text, nullable=False),
    Column("folded", Text, nullable=False),
    Column("voided", Boolean, nullable=False, default=False),
)

# Exactly-once: the last applied notification id, written with the rows it produced.
tracking = Table(
    "rm_tracking",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("format", Integer, nullable=False),
)

# Reports issued with a number: where to find each one's ReportIssued event.
issued = Table(
    "rm_issued",
    metadata,
    Column("org", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("number", String(128), primary_key=True),
    Column("pos", BigInteger, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("signed_on", String(10), nullable=False),
    Column("digest", String(80), nullable=False),
)

# Departments whose read model stopped at an event it could not project (`projections.halts`):
# written with the tracking position that moved past it, so both agree.
halts = Table(
    "rm_halts",
    metadata,
    Column("org", String(64), primary_key=True),  # "*": every department (org unknown)
    Column("position", BigInteger, nullable=False),  # the event that could not be projected
    Column("topic", String(255), nullable=False),
    Column("error", Text, nullable=False),
    Column("halted_us", BigInteger, nullable=False),
)
