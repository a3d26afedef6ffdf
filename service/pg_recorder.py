"""The PostgreSQL recorder of the event store; imported only when DATABASE_URL names PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry

# Any constant: the PostgreSQL advisory lock of whichever process creates the event store.
_PG_DDL_KEY = 0x6E67_6F61_6464_6C


class PostgresRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder: tables created once, no psycopg pipeline mode.

    In pipeline mode psycopg (3.3) never returns once one statement carries more than about
    16 MB (an import of some 20,000 lines): the server waits for the rest of the message, the
    client for the result. The same steps in an ordinary transaction: lock the table (ids in
    commit order), notify, insert, read the notification ids back.
    """

    def create_table(self) -> None:
        """Create the table, type and index once, one process at a time; else leave them be.

        The library's statements (IF NOT EXISTS, CREATE OR REPLACE) race when two processes
        start on a fresh database, and CREATE INDEX IF NOT EXISTS waits for any import that is
        writing: every command would stall behind a large import.
        """
        with self.datastore.get_connection() as conn:
            if self._tables_exist(conn):
                self.datastore.register_type_adapters()
                return
            conn.execute("SELECT pg_advisory_lock(%s)", (_PG_DDL_KEY,))
            try:
                if not self._tables_exist(conn):
                    super().create_table()
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_PG_DDL_KEY,))
        self.datastore.register_type_adapters()

    def _tables_exist(self, conn: Any) -> bool:
        schema = self.datastore.schema
        row = conn.execute(
            "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL "
            "AND to_regtype(%s) IS NOT NULL",
            (
                f'"{schema}"."{self.events_table_name}"',
                f'"{schema}"."{self.notification_id_index_name}"',
                f'"{schema}"."{self.stored_event_type_name}"',
            ),
        ).fetchone()
        return bool(row and next(iter(row.values())))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return []
            self._insert_stored_events(curs, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
