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
    # `org.merged`: the successor (lineage reads it, never the JSON's spacing).
    Column("into_org", String(64)),
    Index("ix_rm_facts_scope", "org", "record_kind", "scope", "known_us"),
    Index("ix_rm_facts_target", "org", "target", "pos"),
    Index("ix_rm_facts_day", "org", "kind", "at_day"),
    # Facts of one kind across departments (mergers: who merged into whom).
    Index("ix_rm_facts_kind", "kind", "org"),
    Index("ix_rm_facts_into", "into_org", "kind"),
    # A recorded-by instant read as a position (`projections.versions.recorded_position`).
    Index("ix_rm_facts_recorded", "recorded_us", "pos"),
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

# Task versions, pre-folded by the projector (`projections.versions`): one row per fact of a task
# (its opening `task.added` or a `task.progressed`) and per cell of knowledge × position in which
# the same corrections and voids of it are visible. A row is the fact's corrected state, valid
# for a knowledge cut-off Kb (`known_us < Kb`) with known_from < Kb <= known_to and a recorded
# position cut-off P with pos_from <= P < pos_to; its effective instant (`at_us`) is what D filters.
task_versions = Table(
    "rm_task_versions",
    metadata,
    Column("org", String(64), nullable=False),
    Column("scope", String(64), nullable=False),  # the programme (from the target)
    Column("target", String(255), nullable=False),
    Column("fact_id", String(300), nullable=False),
    Column("opening", Boolean, nullable=False),  # the record's opening fact (`task.added`)
    Column("known_from", BigInteger, nullable=False),
    Column("known_to", BigInteger, nullable=False),
    Column("pos_from", BigInteger, nullable=False),
    Column("pos_to", BigInteger, nullable=False),
    # Effective time (corrected), then knowledge and position of the fact: the fold's order.
    Column("at_us", BigInteger, nullable=False),
    Column("precise", Boolean, nullable=False),
    Column("known_us", BigInteger, nullable=False),
    Column("pos", BigInteger, nullable=False),
    Column("day", String(10), nullable=False),  # the Vietnam day of `at`
    # The state the task reports need (corrected): of the opening…
    Column("no", BigInteger),
    Column("title", Text),
    Column("unit", Text),
    Column("deadline", String(10)),
    Column("source", String(16)),
    Column("programme", String(64)),
    Column("no_inferred", Boolean),
    # …and of a progress fact.
    Column("status", String(32)),
    Column("reason", Text),
    Column("ref", Text),
    # key-tasks: one programme of one department, covering the cut-off columns.
    Index(
        "ix_rm_task_versions_scope",
        "org",
        "scope",
        "known_from",
        "known_to",
        "pos_from",
        "pos_to",
        "at_us",
    ),
    # assigned-tasks: a department's openings by day; refreshing a record: by target.
    Index("ix_rm_task_versions_day", "org", "opening", "source", "day"),
    Index("ix_rm_task_versions_target", "org", "target"),
)

# Foreign-affairs versions, pre-folded by the projector (`projections.fa_versions`): one row per
# counted fact of a delegation, conference, agreement, aid or support record, per cell of
# knowledge × position in which the same corrections and voids of the fact, of the record's
# opening and of the record are visible (the cut-off columns read as in `rm_task_versions`). A
# row is the fact's corrected state; `open_at_us` is the corrected effective instant of the
# record's opening in that cell (a record counts only once its opening is effective by D).
# SQLite keeps it clustered on its primary key, which a report reads in order (department, kind,
# day): the rows of one window are adjacent, the index is the table. PostgreSQL reads the same
# range from the covering index below.
FA_STATE = (
    "direction",
    "people",
    "funding",
    "approval",
    "received_by_leaders",
    "unplanned",
    "plan_item",
    "arranged",
    "partner_type",
    "level",
    "amount",
)
fa_versions = Table(
    "rm_fa_versions",
    metadata,
    Column("org", String(64), primary_key=True),
    Column("record_kind", String(32), primary_key=True),
    Column("day", String(10), primary_key=True),  # the Vietnam day of the corrected `at`
    Column("fact_id", String(300), primary_key=True),
    Column("known_from", BigInteger, primary_key=True, autoincrement=False),
    Column("pos_from", BigInteger, primary_key=True, autoincrement=False),
    Column("known_to", BigInteger, nullable=False),
    Column("pos_to", BigInteger, nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("open_at_us", BigInteger, nullable=False),
    Column("target", String(255), nullable=False),
    Column("kind", String(64), nullable=False),
    # The state the foreign-affairs reports count (corrected): delegations…
    Column("direction", String(16)),
    Column("people", BigInteger),
    Column("funding", String(32)),
    Column("approval", String(32)),
    Column("received_by_leaders", Boolean),
    Column("unplanned", Boolean),
    Column("plan_item", Text),
    Column("arranged", String(32)),
    Column("partner_type", String(32)),
    # …agreements, aid (USD) and support (đồng).
    Column("level", String(32)),
    Column("amount", BigInteger),
    Index(
        "ix_rm_fa_versions_window",
        "org",
        "record_kind",
        "day",
        "known_from",
        "known_to",
        "pos_from",
        "pos_to",
        postgresql_include=["at_us", "open_at_us", "kind", *FA_STATE],
    ).ddl_if(dialect="postgresql"),
    # Refreshing a record.
    Index("ix_rm_fa_versions_target", "org", "target"),
    sqlite_with_rowid=False,
)

# The versions of the monthly activity counts, as `rm_fa_versions` (the record is its opening).
# A report names the counts by target (`activity:METRIC/MONTH` as first recorded: `target_metric`,
# `target_month`), then reads the corrected metric and month; clustered by the month named.
fa_counts = Table(
    "rm_fa_counts",
    metadata,
    Column("org", String(64), primary_key=True),
    Column("target_month", String(7), primary_key=True),
    Column("target", String(255), primary_key=True),
    Column("known_from", BigInteger, primary_key=True, autoincrement=False),
    Column("pos_from", BigInteger, primary_key=True, autoincrement=False),
    Column("known_to", BigInteger, nullable=False),
    Column("pos_to", BigInteger, nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("day", String(10), nullable=False),
    Column("target_metric", String(64), nullable=False),
    Column("metric", String(64)),
    Column("month", String(7)),
    Column("value", BigInteger),
    Column("has_detail", Boolean, nullable=False),  # sub-counts given (in rm_fa_details)
    Index("ix_rm_fa_counts_target", "org", "target"),
    sqlite_with_rowid=False,
)

# The sub-counts of the activity counts' versions: one row per code, in its count's cell.
fa_details = Table(
    "rm_fa_details",
    metadata,
    Column("org", String(64), primary_key=True),
    Column("target_month", String(7), primary_key=True),
    Column("target", String(255), primary_key=True),
    Column("known_from", BigInteger, primary_key=True, autoincrement=False),
    Column("pos_from", BigInteger, primary_key=True, autoincrement=False),
    Column("code", String(64), primary_key=True),
    Column("known_to", BigInteger, nullable=False),
    Column("pos_to", BigInteger, nullable=False),
    Column("at_us", BigInteger, nullable=False),
    Column("day", String(10), nullable=False),
    Column("target_metric", String(64), nullable=False),
    Column("metric", String(64)),
    Column("month", String(7)),
    Column("count", BigInteger, nullable=False),
    Index("ix_rm_fa_details_target", "org", "target"),
    sqlite_with_rowid=False,
)

# Award cases' versions, pre-folded by the projector (`projections.award_versions`): one row per
# award case, per cell of knowledge × position in which the same facts, corrections and voids of
# it are visible, and per interval of effective time in which the same of its facts are effective
# (a case merges the terms of several facts: its state changes at each one's corrected instant).
# The knowledge and position columns read as in `rm_task_versions`; effective time likewise: an
# as-of cut-off E (facts with `at_us < E` count) takes the row with eff_from < E <= eff_to. A row
# is the case as `projections.reports.emulation.award_case` folds it, in columns.
_AWARD_CUT = ("known_from", "known_to", "pos_from", "pos_to", "eff_from", "eff_to")
award_versions = Table(
    "rm_award_versions",
    metadata,
    # Clustered (SQLite) by what the reports read: one department's cases of a stage, granted
    # ones by the year they count for (`count_year`: `for_year`, 0 if none) and decision day
    # (`count_day`: `decided_on`, "" if none); pending ones whole.
    Column("org", String(64), primary_key=True),
    Column("stage", String(16), primary_key=True),
    Column("count_year", BigInteger, primary_key=True, autoincrement=False),
    Column("count_day", String(10), primary_key=True),
    Column("target", String(255), primary_key=True),
    Column("known_from", BigInteger, primary_key=True, autoincrement=False),
    Column("pos_from", BigInteger, primary_key=True, autoincrement=False),
    Column("eff_from", BigInteger, primary_key=True, autoincrement=False),
    Column("known_to", BigInteger, nullable=False),
    Column("pos_to", BigInteger, nullable=False),
    Column("eff_to", BigInteger, nullable=False),
    Column("form", Text),
    Column("title", Text),
    Column("grantor", Text),
    Column("body", Text),
    Column("recipient_type", Text),
    Column("recipient_name", Text),
    Column("person", Text),
    Column("unit", Text),
    Column("category", Text),
    Column("movement", Text),
    Column("for_year", BigInteger),
    Column("irregular", Boolean, nullable=False),
    Column("irregular_reason", Text),
    Column("proposed_on", String(10)),
    Column("decided_on", String(10)),
    Column("ref", Text),
    # Periods other than a year: granted cases by decision day. Refreshing a case: by target.
    Index("ix_rm_award_versions_day", "org", "stage", "count_day", *_AWARD_CUT),
    Index("ix_rm_award_versions_target", "org", "target"),
    sqlite_with_rowid=False,
)
