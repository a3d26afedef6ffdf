"""The installation's alarm (báo động): events written from outside the application.

An event without a chain link can only have been written from outside (the application links
each event in the transaction that stores it). Whoever meets one (every catch-up, every writer)
refuses to link it and records an alarm in `ngoaivu_alarm`, beside the events. While an alarm
is open, pages show it and every write is refused; an administrator either restores a backup
into a new installation, or acknowledges the outside writes (`ngoaivu alarm acknowledge`): they
are then linked with a note saying who accepted them, when and why, and `verify` keeps listing
them as acknowledged outside writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, String, Table, Text, insert, select, update

from service.integrity.chain import Chain, Orgs, chain_meta, row_types
from service.integrity.linker import Linker, OutsideWriteError, Row

PAGE = 5000

alarms = Table(
    "ngoaivu_alarm",
    chain_meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("raised_at", String(40), nullable=False),
    Column("first_position", BigInteger, nullable=False),
    Column("count", BigInteger, nullable=False),
    Column("message", Text, nullable=False),
    Column("acknowledged_at", String(40), nullable=True),
    Column("acknowledged_by", String(200), nullable=True),
    Column("reason", Text, nullable=True),
)


class InstallationAlarm(RuntimeError):
    """A write refused while the installation is in alarm."""


@dataclass(frozen=True)
class Alarm:
    """One alarm as recorded."""

    id: int
    raised_at: str
    first_position: int
    count: int
    message: str
    acknowledged_at: str | None = None
    acknowledged_by: str | None = None
    reason: str | None = None

    def text(self) -> str:
        """What the alarm says, in one line."""
        return (
            f"BÁO ĐỘNG từ {self.raised_at}: {self.message} (vị trí đầu tiên @{self.first_position})"
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Alarms:
    """The alarm state of one installation (its table lives beside the chain)."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain  # the table is created with the chain's (same metadata)

    def active(self) -> Alarm | None:
        """The open alarm (the latest not acknowledged), or None."""
        with self.chain.engine.connect() as conn:
            row = conn.execute(
                select(alarms)
                .where(alarms.c.acknowledged_at.is_(None))
                .order_by(alarms.c.id.desc())
                .limit(1)
            ).first()
        return Alarm(**row._mapping) if row else None

    def history(self) -> list[Alarm]:
        """Every alarm, the latest first."""
        with self.chain.engine.connect() as conn:
            rows = conn.execute(select(alarms).order_by(alarms.c.id.desc())).all()
        return [Alarm(**row._mapping) for row in rows]

    def raise_alarm(self, first: int, count: int, message: str) -> Alarm:
        """Record an alarm (the open one is updated when it starts at the same position)."""
        current = self.active()
        if current is not None and (current.first_position, current.count) == (first, count):
            return current  # already said (every catch-up looks again): no write
        with self.chain.engine.begin() as conn:
            if current is not None and current.first_position == first:
                conn.execute(
                    update(alarms)
                    .where(alarms.c.id == current.id)
                    .values(count=count, message=message)
                )
            else:
                conn.execute(
                    insert(alarms).values(
                        raised_at=_now(), first_position=first, count=count, message=message
                    )
                )
        found = self.active()
        assert found is not None
        return found

    def check(self) -> int:
        """The catch-up's look: an alarm for events after the last link; the last linked
        position (what may be read). Links outliving their events raise it too."""
        events, linked = self.chain.levels()
        if events > linked:
            count, first = self.chain.unlinked_after(linked)
            if count:
                self.raise_alarm(
                    first, count, f"{count} sự kiện không có mắt xích: ghi ngoài ứng dụng"
                )
            return linked
        if linked > events:
            self.raise_alarm(
                events + 1, 0, f"có mắt xích đến @{linked} mà sự kiện chỉ đến @{events}: bị xóa?"
            )
        return events

    def refuse_writes(self) -> None:
        """InstallationAlarm while an alarm is open."""
        found = self.active()
        if found is not None:
            raise InstallationAlarm(
                f"{found.text()}. Mọi thao tác ghi bị dừng cho đến khi quản trị viên xử lý "
                "(`ngoaivu alarm`)"
            )

    def refused(self, exc: OutsideWriteError) -> InstallationAlarm:
        """Record the alarm a writer met; the error to raise."""
        found = self.raise_alarm(exc.first, exc.count, str(exc))
        return InstallationAlarm(f"{found.text()}. Không ghi gì; xem `ngoaivu alarm`")

    def acknowledge(self, by: str, reason: str) -> tuple[int, int | None, int | None]:
        """Link the outside writes after the last link with the administrator's note and close
        the open alarms; (events acknowledged, first, last position)."""
        note = json.dumps(
            {"acknowledged_by": by, "at": _now(), "reason": reason},
            ensure_ascii=False,
            sort_keys=True,
        )
        orgs = Orgs(self.chain.app)
        table = self.chain._events_table()
        column = "rowid" if self.chain.is_sqlite else "notification_id"
        uid = "originator_id" if self.chain.is_sqlite else "originator_id::text"
        mark = "?" if self.chain.is_sqlite else "%s"
        done, first, last = 0, None, None
        with self.chain.engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE, the write lock
            cursor: Any = conn.connection.cursor()
            if not self.chain.is_sqlite:  # the lock every writer of events takes
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            linker = Linker(self.chain)
            after = linker.open(cursor)
            cursor.execute(f"SELECT MAX({column}) FROM {table}")
            events = int(cursor.fetchone()[0] or 0)
            if after > events:  # events deleted: nothing to accept, only a restore repairs it
                raise InstallationAlarm(
                    f"có mắt xích đến @{after} mà sự kiện chỉ đến @{events}: không xác nhận được; "
                    "khôi phục từ bản sao lưu vào một cài đặt mới"
                )
            while True:
                cursor.execute(
                    f"SELECT {column}, {uid}, originator_version, topic, state "
                    f"FROM {table} WHERE {column} > {mark} ORDER BY {column} LIMIT {PAGE}",
                    (after,),
                )
                page = cursor.fetchall()
                if not page:
                    break
                for values in page:
                    wrong = row_types(tuple(values))
                    if wrong:
                        raise InstallationAlarm(
                            f"@{values[0]}: sự kiện lưu với kiểu dữ liệu SQL khác ({wrong}): không "
                            "xác nhận được; khôi phục từ bản sao lưu vào một cài đặt mới"
                        )
                rows = [_row(orgs, *values) for values in page]
                linker.link(cursor, rows, note)
                done += len(rows)
                first = first or rows[0][0]
                last = after = rows[-1][0]
            conn.execute(
                update(alarms)
                .where(alarms.c.acknowledged_at.is_(None))
                .values(acknowledged_at=_now(), acknowledged_by=by, reason=reason)
            )
        return done, first, last


def _row(orgs: Orgs, pos: Any, uid: Any, version: Any, topic: Any, state: Any) -> Row:
    """An outside event as the linker takes it; what cannot be read is linked as it is."""
    text = str(uid)
    if len(text) == 32:
        text = f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    raw = bytes(state)
    try:
        org = orgs(int(pos), text, int(version), str(topic), raw)
    except Exception:  # a forged event need not be an event at all
        org = "?"
    return int(pos), org, text, version, topic, raw
