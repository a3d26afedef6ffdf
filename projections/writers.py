"""Bulk writers per database: many read-model rows at once (PostgreSQL COPY, SQLite multi-row
INSERT, else executemany), and which write failures are an event's own fault."""

from __future__ import annotations

import sqlite3
import sys
from itertools import chain
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Connection, Table

# What a write that fails on an event's own content raises (a text PostgreSQL refuses, an
# integer beyond the column): that event cannot be projected. Anything else (the database
# unreachable, a lock) stops the catch-up as before: it is not the event's fault.
_UNWRITABLE: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    OverflowError,
    sqlalchemy.exc.DataError,
    sqlalchemy.exc.IntegrityError,
    sqlite3.DataError,
    sqlite3.IntegrityError,
)


def _unwritable(exc: BaseException) -> bool:
    """Whether a write failed on the event's content (psycopg's errors when it is loaded: on
    SQLite it never is, and importing it costs 9 MB and a tenth of a second)."""
    if isinstance(exc, _UNWRITABLE):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.DataError | psycopg.IntegrityError)


_SQLITE_ROWS = 500  # rows per SQLite INSERT (fewer if the variable limit is lower)


def _insert(
    conn: Connection, table: Table, names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Many rows at once: PostgreSQL `COPY` (psycopg), else one DB-API `executemany`."""
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        driver: Any = conn.connection.driver_connection  # the same connection, transaction
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    if conn.dialect.name == "sqlite":
        # Several rows per INSERT (a tenth faster than executemany's one statement run per row,
        # and the GIL given up and taken back once per statement, not once per row).
        lite: Any = conn.connection.driver_connection
        per = max(
            1,
            min(_SQLITE_ROWS, lite.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(names)),
        )
        one = f"({', '.join([mark] * len(names))})"
        head = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "
        full = head + ", ".join([one] * per)
        cursor = lite.cursor()
        try:
            for i in range(0, len(rows), per):
                part = rows[i : i + per]
                sql = full if len(part) == per else head + ", ".join([one] * len(part))
                cursor.execute(sql, list(chain.from_iterable(part)))
        finally:
            cursor.close()
        return
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})",
        rows,
    )
