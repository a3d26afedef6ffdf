"""The read-model database: engines for reading and for the one projector that writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text

from projections.tables import facts, metadata, tracking
from projections.thread_reads import ThreadReads

# Any constant: the key of the PostgreSQL advisory lock held by whichever process projects.
_PG_LOCK_KEY = 0x6E67_6F61_6976_75
_PG_DDL_KEY = 0x6E67_6F61_726D_64  # and of whichever process creates the read-model tables
# The index of rm_facts a rebuild keeps: the task versions read each batch's records through it.
KEPT_IN_REBUILD = "ix_rm_facts_target"


class ReadModels:
    """Connections to the read models; `writing()` holds the projector's lock."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.reader = self._sqlite_engine(url, writer=False)
            self.writer = self._sqlite_engine(url, writer=True)
        else:
            self.reader = create_engine(url, pool_pre_ping=True)
            self.writer = self.reader
        self._position_engine: Engine | None = None  # PostgreSQL: made at the first look
        # SQLite: each thread's own connection for the position (no pool taken and given back)
        self._position_reads = ThreadReads(url) if ThreadReads.suit(url) else None
        mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(self.reader.dialect.paramstyle)
        self._position_sql = (
            f"SELECT position FROM {tracking.name} WHERE name = {mark}" if mark else None
        )
        with self.writer.begin() as conn:
            if not self.is_sqlite:  # one process at a time: two on a fresh database both CREATE
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_DDL_KEY})
            metadata.create_all(conn)
            _add_missing_columns(conn)
            # An index added in a later version reaches read models created before it.
            for table in metadata.sorted_tables:
                for index in table.indexes:
                    index.create(conn, checkfirst=True)

    def drop_fact_indexes(self, conn: Connection) -> None:
        """Drop the secondary indexes of rm_facts (a rebuild refills it faster without them).

        `restore_indexes` creates them again; so does the next `ReadModels` of any process.
        """
        present = self._fact_index_names(conn)
        for index in facts.indexes:
            if index.name in present and index.name != KEPT_IN_REBUILD:
                index.drop(conn)

    def restore_indexes(self, conn: Connection) -> None:
        """Create the indexes of rm_facts that a rebuild dropped (none missing: one query)."""
        present = self._fact_index_names(conn)
        for index in sorted(facts.indexes, key=lambda ix: str(ix.name)):
            if index.name not in present:
                index.create(conn)

    def _fact_index_names(self, conn: Connection) -> set[str]:
        if self.is_sqlite:
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
        else:
            sql = (
                "SELECT indexname FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = :t"
            )
        return {row[0] for row in conn.execute(text(sql), {"t": facts.name})}

    @staticmethod
    def _sqlite_engine(url: str, *, writer: bool) -> Engine:
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" hook issue BEGIN itself (pysqlite would defer it).
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA synchronous=NORMAL")
            if writer:
                # The projector's writes (a rebuild's 80 MB among them) copied back from the WAL
                # every 16 MB rather than every 4 MB (SQLite's default): fewer checkpoints.
                dbapi_conn.execute("PRAGMA wal_autocheckpoint=4000")
                # Debian builds SQLite with SECURE_DELETE: every page freed (a rebuild frees the
                # whole read models) would be written over with zeros, through the WAL. The read
                # models copy an event store that deletes nothing: zeros only where no extra I/O.
                dbapi_conn.execute("PRAGMA secure_delete=FAST")

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # The writer takes SQLite's write lock at once: one projector at a time.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

        return engine

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction holding the projector's lock (SQLite write lock or advisory lock)."""
        with self.writer.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot for a whole report."""
        with self.reader.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            yield conn

    def position(self, name: str) -> int | None:
        """The position a projection has applied (None: never tracked), read outside any
        transaction.

        Every web request reads it (the key of the kept pages), so with a fixed statement on a
        DB-API connection: on SQLite the thread's own (4 µs of CPU, where a SQLAlchemy
        transaction and select took 120 µs and a pooled connection 14 µs); on PostgreSQL a
        pooled one, one round trip in autocommit, no ping, no BEGIN and ROLLBACK."""
        if self._position_sql is None:  # a driver with another parameter style
            with self.reading() as conn:
                query = select(tracking.c.position).where(tracking.c.name == name)
                row = conn.execute(query).first()
            return None if row is None else int(row[0])
        if self._position_reads is not None:
            row = self._position_reads.one(self._position_sql, (name,))
            return None if row is None else int(row[0])
        engine = self.reader  # SQLite in memory: the pooled reader (one database per connection)
        if not self.is_sqlite:
            if self._position_engine is None:
                self._position_engine = create_engine(
                    self.url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8
                )
            engine = self._position_engine
        dbapi = engine.dialect.loaded_dbapi
        for attempt in (1, 2):
            raw: Any = engine.raw_connection()  # the pool's DB-API connection
            try:
                cursor = raw.cursor()
                cursor.execute(self._position_sql, (name,))
                row = cursor.fetchone()
                cursor.close()
                return None if row is None else int(row[0])
            except dbapi.OperationalError:
                raw.invalidate()  # a connection the server closed: a new one, once
                if attempt == 2:
                    raise
            finally:
                raw.close()  # back to the pool
        return None

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.reader.dispose()
        self.writer.dispose()
        if self._position_engine is not None:
            self._position_engine.dispose()
        if self._position_reads is not None:
            self._position_reads.dispose()


def _add_missing_columns(conn: Connection) -> None:
    """Columns added in a later format reach read models created before it (nullable: the
    rebuild that the format change starts fills them)."""
    found = inspect(conn)
    for table in metadata.sorted_tables:
        present = {c["name"] for c in found.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=conn.dialect)
                conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}")
