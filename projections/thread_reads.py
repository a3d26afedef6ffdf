"""One-row reads of a fixed statement made at every web request, on SQLite, each thread on a
connection of its own (the read models' position, an account's stamp).

Taking a connection from SQLAlchemy's pool and giving it back cost about 10 µs of CPU against
4 µs for the read itself; a thread's own connection is kept instead. A SELECT on it opens no
transaction (autocommit) and its cursor is closed at once, so each read sees what is committed
when it runs, exactly as the pooled one did.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.pool import NullPool


class ThreadReads:
    """Fixed one-row reads on a SQLite database, on the calling thread's own connection."""

    @staticmethod
    def suit(url: Any) -> bool:
        """A SQLite file (a database in memory is each connection's own: not this)."""
        parsed = make_url(url)
        return parsed.get_backend_name() == "sqlite" and parsed.database not in (
            None,
            "",
            ":memory:",
        )

    def __init__(self, url: Any) -> None:
        # NullPool: the connection lives as long as its thread's reference (closed with it).
        self.engine: Engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 60})
        self._dbapi = self.engine.dialect.loaded_dbapi
        self._local = threading.local()

    def _connection(self) -> Any:
        local = self._local
        raw: Any = getattr(local, "raw", None)
        if raw is None or local.pid != os.getpid():  # none yet, or made before a fork
            raw = self.engine.raw_connection()
            raw.driver_connection.isolation_level = None  # autocommit: no open snapshot
            local.raw, local.pid = raw, os.getpid()
        return raw

    def one(self, sql: str, params: tuple[Any, ...]) -> Any:
        """The first row of `sql` (None when there is none), as committed now."""
        for attempt in (1, 2):
            raw = self._connection()
            try:
                cursor = raw.cursor()
                try:
                    cursor.execute(sql, params)
                    return cursor.fetchone()
                finally:
                    cursor.close()  # the statement reset: no read snapshot stays open
            except self._dbapi.OperationalError:
                self._local.raw = None  # a broken connection: a new one, once
                raw.invalidate()
                if attempt == 2:
                    raise
        return None

    def dispose(self) -> None:
        """Forget this thread's connection (the others close with their threads)."""
        raw = getattr(self._local, "raw", None)
        self._local.raw = None
        if raw is not None:
            raw.close()
        self.engine.dispose()
