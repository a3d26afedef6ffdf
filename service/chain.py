"""The stored hash chain: extended after every save, recomputed from the store by `verify`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from domain.chain import GENESIS, event_bytes, link
from service.application import RecordsApplication
from service.config import Settings

PAGE = 5000
_PG_LOCK_KEY = 0x6E67_6F61_6368_6169

chain_meta = MetaData()
# Lives beside the events (never in the disposable read models): one row per stored event.
links = Table(
    "ngoaivu_chain",
    chain_meta,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("org", String(64), nullable=False),
    Column("org_hash", String(64), nullable=False),
    Column("global_hash", String(64), nullable=False),
)


@dataclass(frozen=True)
class Break:
    """The first place where the store and its chain disagree."""

    position: int
    message: str


@dataclass
class ChainCheck:
    """The outcome of recomputing the chain."""

    events: int
    head: str
    heads: dict[str, str]
    broken: Break | None = None
    unchained: int = 0
    first_unchained: int | None = None


def _engine(settings: Settings) -> Engine:
    if not settings.is_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            f"sqlite:///{(settings.data_dir / 'events.sqlite').resolve()}",
            connect_args={"timeout": 60},
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(settings.read_model_url(), pool_pre_ping=True)


class Chain:
    """The chain of one installation: per department, and a global head over all of them."""

    def __init__(self, app: RecordsApplication, settings: Settings) -> None:
        self.app = app
        self.engine = _engine(settings)
        self.is_sqlite = not settings.is_postgres
        chain_meta.create_all(self.engine)

    def _notifications(self, after: int) -> Iterator[Any]:
        while True:
            page = self.app.recorder.select_notifications(  # type: ignore[attr-defined]
                start=after, limit=PAGE, inclusive_of_start=False
            )
            if not page:
                return
            yield from page
            after = page[-1].id

    def _org_of(self, notification: Any) -> str:
        return str(self.app.mapper.to_domain_event(notification).org)  # type: ignore[attr-defined]

    def extend(self) -> int:
        """Add links for the events stored since the last link; how many were added."""
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            last = conn.execute(select(links).order_by(links.c.position.desc()).limit(1)).first()
            after = last.position if last else 0
            # Nothing new (every report asks): don't read every department's head (O(history)).
            if (self.app.recorder.max_notification_id() or 0) <= after:  # type: ignore[attr-defined]
                return after
            head = last.global_hash if last else GENESIS
            heads = self._org_heads(conn) if last else {}
            rows: list[dict[str, Any]] = []
            for n in self._notifications(after):
                org = self._org_of(n)
                payload = event_bytes(
                    n.id, org, n.originator_id, n.originator_version, n.topic, n.state
                )
                heads[org] = link(heads.get(org, GENESIS), payload)
                head = link(head, payload)
                rows.append(
                    {"position": n.id, "org": org, "org_hash": heads[org], "global_hash": head}
                )
                if len(rows) >= PAGE:
                    conn.execute(insert(links), rows)
                    rows.clear()
            if rows:
                conn.execute(insert(links), rows)
            return (
                conn.execute(
                    select(links.c.position).order_by(links.c.position.desc()).limit(1)
                ).scalar_one_or_none()
                or 0
            )

    @staticmethod
    def _org_heads(conn: Connection) -> dict[str, str]:
        heads: dict[str, str] = {}
        for row in conn.execute(select(links.c.org, links.c.org_hash).order_by(links.c.position)):
            heads[row.org] = row.org_hash
        return heads

    def head(self) -> tuple[int, str]:
        """The position and hash of the last link (0 and the genesis when empty)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(links.c.position, links.c.global_hash)
                .order_by(links.c.position.desc())
                .limit(1)
            ).first()
        return (row.position, row.global_hash) if row else (0, GENESIS)

    def link_at(self, position: int) -> str | None:
        """The global hash stored at a position."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(links.c.global_hash).where(links.c.position == position)
            ).scalar_one_or_none()

    def verify(self, progress: Callable[[int], None] | None = None) -> ChainCheck:
        """Recompute every link from the stored events; the first position that differs."""
        check = ChainCheck(0, GENESIS, {})
        with self.engine.connect() as conn:
            stored = iter(conn.execute(select(links).order_by(links.c.position)))
            entry = next(stored, None)
            for n in self._notifications(0):
                check.events += 1
                if entry is None:
                    check.unchained += 1
                    check.first_unchained = check.first_unchained or n.id
                    continue
                if entry.position < n.id:
                    check.broken = Break(entry.position, "sự kiện ở vị trí này đã bị xóa")
                    return check
                if entry.position > n.id:
                    check.broken = Break(n.id, "sự kiện này không có trong chuỗi (bị chèn thêm)")
                    return check
                payload = event_bytes(
                    n.id, entry.org, n.originator_id, n.originator_version, n.topic, n.state
                )
                org_hash = link(check.heads.get(entry.org, GENESIS), payload)
                head = link(check.head, payload)
                if org_hash != entry.org_hash or head != entry.global_hash:
                    check.broken = Break(n.id, "nội dung sự kiện hoặc mắt xích không khớp")
                    return check
                check.heads[entry.org], check.head = org_hash, head
                entry = next(stored, None)
                if progress and check.events % PAGE == 0:
                    progress(n.id)
            if entry is not None:
                check.broken = Break(entry.position, "sự kiện ở vị trí này đã bị xóa")
        return check

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def dumps_heads(heads: dict[str, str]) -> str:
    """The per-department heads, printable."""
    return json.dumps(dict(sorted(heads.items())), ensure_ascii=False)
