"""Read models stopped at an event they cannot project: which department, where, and why.

One event that cannot be projected (a text PostgreSQL refuses, a state no reader understands)
must not stop every department: the projector notes a halt for that event's department and
goes on with the others; that department's later events wait (its read model stays as it was
just before the event) until `ngoaivu projections resume` (after an upgrade that can project
it) or a rebuild. An event whose department cannot be read halts every department ("*").
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from projections.tables import halts

EVERY = "*"  # the halt of every department: an event whose department cannot be read
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")


@dataclass(frozen=True)
class Halt:
    """Where one department's read model stopped and why."""

    org: str
    position: int
    topic: str
    error: str

    def describe(self) -> str:
        """The alarm, in Vietnamese: who, where, why, and what to do."""
        who = "mọi tổ chức" if self.org == EVERY else f"tổ chức {self.org}"
        return (
            f"Bảng đọc của {who} đã dừng tại vị trí @{self.position}: sự kiện này "
            f"({self.topic.rpartition(':')[2]}) không chiếu được vào bảng đọc "
            f"({self.error}). Kho sự kiện và `ngoaivu verify` vẫn bình thường"
            + ("" if self.org == EVERY else ", các tổ chức khác không bị ảnh hưởng")
            + (". Mọi báo cáo" if self.org == EVERY else ". Báo cáo của tổ chức này")
            + " tạm ngừng; sau khi nâng cấp, chạy `ngoaivu projections resume`."
        )


class ReadModelHalted(RuntimeError):
    """A report or page of a department whose read model is halted."""

    def __init__(self, halt: Halt) -> None:
        super().__init__(halt.describe())
        self.halt = halt


def reason(exc: BaseException) -> str:
    """An error as one short line that any text column takes (control characters escaped)."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    text = _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text[:300] + ("…" if len(text) > 300 else "")


def halt_key(org: object) -> str:
    """The department a halt is kept under: the event's own, or every one when it is unreadable."""
    return org if isinstance(org, str) and _SLUG.match(org) else EVERY


# Built once: every report asks (SQLAlchemy keys a statement built anew at each execution).
_ALL_HALTS = select(halts.c.org, halts.c.position, halts.c.topic, halts.c.error)


def all_halts(conn: Connection) -> dict[str, Halt]:
    """Every halt, by department."""
    rows = conn.execute(_ALL_HALTS)
    return {row.org: Halt(row.org, row.position, row.topic, row.error) for row in rows}


def note(conn: Connection, org: str, position: int, topic: str, error: str) -> Halt:
    """Halt a department's read model at an event (in the projector's transaction)."""
    halt = Halt(org, position, _UNPRINTABLE.sub("?", topic)[:255], error)
    conn.execute(
        insert(halts).values(
            org=org,
            position=position,
            topic=halt.topic,
            error=error,
            halted_us=time.time_ns() // 1000,
        )
    )
    return halt


def lift(conn: Connection, org: str) -> None:
    """Forget a department's halt (its events were applied)."""
    conn.execute(delete(halts).where(halts.c.org == org))


def halt_of(conn: Connection, org: str) -> Halt | None:
    """The halt that stops a department's reports: its own, every department's, or that of a
    department merged into it (whose records its reports count)."""
    found = all_halts(conn)
    if not found:
        return None
    if EVERY in found:
        return found[EVERY]
    if org in found:
        return found[org]
    if _UNPRINTABLE.search(org):  # no department is named so: nothing merged into it
        return None
    from projections.lineage import merged_into  # only when something is halted

    for predecessor in merged_into(conn, org):
        if predecessor in found:
            return found[predecessor]
    return None


def require_level(conn: Connection, org: str) -> None:
    """Raise ReadModelHalted when the department's read model is halted."""
    halt = halt_of(conn, org)
    if halt is not None:
        raise ReadModelHalted(halt)
