"""The read-model database: engines for reading and for the one projector that writes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text

from projections.tables import fa_versions, facts, metadata, task_versions, tracking
from projections.thread_reads import ThreadReads

# Any constant: the key of the PostgreSQL advisory lock held by whichever process projects.
_PG_LOCK_KEY = 0x6E67_6F61_6976_75
_PG_DDL_KEY = 0x6E67_6F61_726D_64  # and of whichever process creates the read-model tables
# And of a scratch copy's projector (`verify --read-models`): it never waits for the live one.
_PG_SCRATCH_KEY = 0x6E67_6F61_7363_72
# The index of rm_facts a rebuild keeps: the task versions read each batch's records through it.
KEPT_IN_REBUILD = "ix_rm_facts_target"
# The tables whose secondary indexes a SQLite rebuild drops and creates at its end, and the ones
# it keeps (a record's versions are deleted by target when its later facts are read back).
REBUILT_TABLES = (facts, task_versions, fa_versions)
KEPT_INDEXES = frozenset(
    (KEPT_IN_REBUILD, "ix_rm_task_versions_target", "ix_rm_fa_versions_target")
)


class ReadModels:
    """Connections to the read models; `writing()` holds the projector's lock."""

    def __init__(self, url: str, *, scratch: bool = False) -> None:
        self.url = url
        self._lock_key = _PG_SCRATCH_KEY if scratch else _PG_LOCK_KEY
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.reader = self._sqlite_engine(url, writer=False)
            self.writer = self._sqlite_engine(url, writer=True)
        else:
            self.reader = create_engine(url, pool_pre_ping=True)
            self.writer = self.reader
        self._position_engine: Engine | None = None  # PostgreSQL: made at the first look
        # PostgreSQL: each read transaction a snapshot, read only, said in its BEGIN (psycopg
        # sends "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY": no SET TRANSACTION after it,
        # one round trip less per read).
        self._snapshots = (
            self.reader
            if self.is_sqlite
            else self.reader.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        )
        # SQLite: each thread's own connection for the position (no pool taken and given back)
        self._position_reads = ThreadReads(url) if ThreadReads.suit(url) else None
        mark = param_mark(self.reader)
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
        """Drop the secondary indexes of rm_facts and of the versions tables but those a rebuild
        reads through (it refills them faster without: SQLite keeps an index up row by row in
        this process, and the versions' covering indexes were a third of their inserts).

        `restore_indexes` creates them again; so does the next `ReadModels` of any process.
        """
        for table in REBUILT_TABLES:
            present = self._index_names(conn, table.name)
            for index in table.indexes:
                if index.name in present and index.name not in KEPT_INDEXES:
                    index.drop(conn)

    def restore_indexes(self, conn: Connection) -> None:
        """Create the indexes that a rebuild dropped (none missing: one query a table)."""
        for table in REBUILT_TABLES:
            present = self._index_names(conn, table.name)
            for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
                if index.name not in present:
                    index.create(conn)

    def _fact_index_names(self, conn: Connection) -> set[str]:
        return self._index_names(conn, facts.name)

    def _index_names(self, conn: Connection, table: str) -> set[str]:
        if self.is_sqlite:
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
        else:
            sql = (
                "SELECT indexname FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = :t"
            )
        return {row[0] for row in conn.execute(text(sql), {"t": table})}

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
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": self._lock_key})
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot for a whole report."""
        with self._snapshots.begin() as conn:
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
        rows = self.look(self._position_sql, (name,))
        return int(rows[0][0]) if rows else None

    @property
    def mark(self) -> str | None:
        """The driver's parameter mark for `look` (None: a driver `look` does not know)."""
        return param_mark(self.reader)

    def look(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one statement (parameters marked with `mark`) read outside any
        transaction: one statement is one snapshot, and costs one round trip (`look`)."""
        if self.is_sqlite:
            return look(self.reader, sql, params)
        if self._position_engine is None:
            self._position_engine = autocommit_engine(self.url)
        return look(self._position_engine, sql, params)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.reader.dispose()
        self.writer.dispose()
        if self._position_engine is not None:
            self._position_engine.dispose()
        if self._position_reads is not None:
            self._position_reads.dispose()


def in_schema(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections find (and create) the read-model tables in `schema`:
    a scratch copy beside the live ones, in the same database."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def param_mark(engine: Engine) -> str | None:
    """The driver's parameter mark in a statement given to `look` (None: a style not known)."""
    return {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(engine.dialect.paramstyle)


def autocommit_engine(url: str) -> Engine:
    """A small pool of PostgreSQL connections in autocommit, for `look`."""
    return create_engine(url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8)


def look(engine: Engine, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of one statement on a pooled DB-API connection of `engine`, which must not open
    transactions (PostgreSQL in autocommit; SQLite with the driver's own BEGIN off, as the
    engines here are): one round trip, no ping, no BEGIN and ROLLBACK, none of SQLAlchemy's
    statement handling (each costs more than the statement when it reads a few rows)."""
    dbapi = engine.dialect.loaded_dbapi
    for attempt in (1, 2):
        raw: Any = engine.raw_connection()  # the pool's DB-API connection
        try:
            cursor = raw.cursor()
            cursor.execute(sql, tuple(params))
            rows = [tuple(row) for row in cursor.fetchall()]
            cursor.close()
            return rows
        except dbapi.OperationalError:
            raw.invalidate()  # a connection the server closed: a new one, once
            if attempt == 2:
                raise
        finally:
            raw.close()  # back to the pool (no transaction was opened)
    return []


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
