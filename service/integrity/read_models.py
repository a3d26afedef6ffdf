"""The read models checked against the events (`verify --read-models`): rebuilt apart, compared.

The read models are derived, and anyone who can write to the database can change a row of them;
a changed row then changes every report not yet issued, until a rebuild. Here a scratch copy is
rebuilt from the event store (a temporary SQLite file beside the live one; a temporary schema of
the same PostgreSQL database) up to the position the live read models have reached, then every
table is compared with the live one (`projections.comparison`), and each row that differs is
named: its table, department, record and what differs.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, text

from domain.times import vn_iso
from projections.comparison import Difference, TableComparison, compare_tables
from projections.halts import EVERY
from projections.projector import Projector
from projections.store import ReadModels, in_schema
from projections.tables import metadata
from projections.versions import OPEN
from service.runtime import Runtime

# Rows named per table; beyond them the table is said to differ in more rows.
SHOWN = 20
# Times the live read models may move on between the scratch copy's last batch and the
# comparison's snapshot (a projector worker applying new writes) before the check gives up.
ATTEMPTS = 10


class ReadModelsMoving(RuntimeError):
    """The live read models kept moving: no snapshot at the scratch copy's position."""


@dataclass
class ReadModelCheck:
    """What the comparison found: the position compared at and the tables that differ."""

    position: int
    tables: int
    seconds: float
    compared: list[TableComparison] = field(default_factory=list)
    halted: bool = False  # the live read models hold a halt (`projections.halts`)

    @property
    def equal(self) -> bool:
        return not any(t.differences or t.more for t in self.compared)

    def problems(self) -> list[str]:
        """One line per differing row (at most SHOWN per table), then what to do."""
        lines: list[str] = []
        for table in self.compared:
            for difference in table.differences[:SHOWN]:
                lines.append(describe(difference))
            hidden = len(table.differences) - SHOWN
            if hidden > 0 or table.more:
                more = f"{hidden} dòng" if hidden > 0 and not table.more else "nhiều dòng"
                lines.append(f"bảng đọc {table.table}: còn {more} nữa khác với sự kiện")
        if lines:
            lines.append(
                "bảng đọc khác với kho sự kiện (đã bị sửa ngoài ứng dụng?): báo cáo chưa ban hành "
                "đọc từ chúng sẽ sai; kho sự kiện không đổi. Dựng lại: `ngoaivu projections "
                "rebuild`"
                + (
                    " (bảng đọc đang dừng: nếu đã nâng cấp để chiếu được sự kiện đó, "
                    "`ngoaivu projections resume` cũng đưa chúng về như sự kiện)"
                    if self.halted
                    else ""
                )
            )
        return lines


def describe(difference: Difference) -> str:
    """A differing row in words: table, department, record, then what differs."""
    row = difference.kept if difference.kept is not None else difference.derived
    assert row is not None
    record = row.get("target") or row.get("number") or row.get("name")
    named = [
        f"{column} {_said(column, value, quoted=False)}"
        for column, value in difference.name
        if column not in ("org", "target", "number", "name")
    ]
    where = ", ".join(str(part) for part in (row.get("org"), record, *named) if part is not None)
    head = f"bảng đọc {difference.table} ({where})"
    if difference.derived is None:
        return f"{head}: có dòng mà sự kiện không cho ra (thêm vào ngoài ứng dụng)"
    if difference.kept is None:
        return f"{head}: thiếu dòng mà sự kiện cho ra (bị xóa ngoài ứng dụng)"
    changes = "; ".join(
        f"{c} là {_said(c, difference.kept[c])}, theo sự kiện {_said(c, difference.derived[c])}"
        for c in difference.changed()
    )
    return f"{head}: {changes}"


def _said(column: str, value: Any, *, quoted: bool = True) -> str:
    """A value as a reader knows it: positions as @N, instants in Vietnam time, open ends."""
    if value is None:
        return "(trống)"
    if isinstance(value, int) and not isinstance(value, bool):
        if value >= OPEN:
            return "(mở)"
        if column in ("pos", "pos_from", "pos_to", "position"):
            return f"@{value}"
        if column.endswith("_us") or column in ("known_from", "known_to"):
            return vn_iso(value)
    return repr(value) if quoted and isinstance(value, str) else str(value)


def check_read_models(rt: Runtime, org: str | None = None) -> ReadModelCheck:
    """Rebuild the read models apart up to the live ones' position and compare every table
    (`org`: only that department's rows, the rebuild being whole all the same)."""
    started = time.perf_counter()
    with _scratch(rt) as (scratch, comparing, kept, derived):
        projector = Projector(rt.app, scratch)
        built = -1
        for _attempt in range(ATTEMPTS):
            position = rt.projector.position()
            target = _target(rt, position)
            if built < 0 or target < built or EVERY in projector.halts():
                projector.rebuild(until=target)  # from zero: also after the live ones' rebuild
            elif target > built:
                projector.catch_up(until=target)
            built = target
            with comparing() as conn:
                if rt.projector.position(conn) != position:  # moved on since: again
                    continue
                compared = compare_tables(conn, kept, derived, org=org, limit=SHOWN * 10)
            return ReadModelCheck(
                position,
                len(metadata.sorted_tables),
                time.perf_counter() - started,
                compared,
                halted=bool(rt.projector.halts()),
            )
    raise ReadModelsMoving(
        f"bảng đọc liên tục thay đổi ({ATTEMPTS} lần): chưa so được; thử lại khi ít ghi hơn"
    )


def _target(rt: Runtime, position: int) -> int:
    """Where the copy is built to: the live read models' position, or the event after it when
    they halted there for every department (their tracking stops just before that event: the
    copy must try it too, to halt there as well, or project it if it now can)."""
    every = rt.projector.halts().get(EVERY)
    return every.position if every is not None and every.position == position + 1 else position


Reading = Callable[[], AbstractContextManager[Connection]]


@contextmanager
def _scratch(rt: Runtime) -> Iterator[tuple[ReadModels, Reading, str, str]]:
    """A scratch copy of the read models, empty, and how to read both copies in one snapshot:
    (the scratch models, a context manager of a connection reaching both, the live tables'
    prefix, the scratch tables' prefix). Removed afterwards, whatever happens."""
    if rt.models.is_sqlite:
        folder = Path(tempfile.mkdtemp(prefix=".verify-", dir=rt.settings.data_dir))
        try:
            path = folder / "readmodels.sqlite"
            scratch = ReadModels(f"sqlite:///{path}", scratch=True)
            try:
                yield scratch, lambda: _attached(rt.models.url, path), '"main".', '"scratch".'
            finally:
                scratch.dispose()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    schema = f"ngoaivu_verify_{uuid.uuid4().hex[:12]}"
    with rt.models.writer.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scratch = ReadModels(in_schema(rt.models.url, schema), scratch=True)
        try:
            yield scratch, rt.models.reading, "", f'"{schema}".'
        finally:
            scratch.dispose()
    finally:
        with rt.models.writer.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def _attached(url: str, scratch: Path) -> AbstractContextManager[Connection]:
    """A read transaction on the live SQLite read models with the scratch file attached (ATTACH
    is refused inside a transaction: done as the connection opens)."""
    engine = create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("ATTACH DATABASE ? AS scratch", (str(scratch),))

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    @contextmanager
    def reading() -> Iterator[Connection]:
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            engine.dispose()

    return reading()
