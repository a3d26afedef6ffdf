"""Two copies of the read models compared table by table: the rows one holds and the other not.

Both copies are reached from one connection (PostgreSQL: two schemas of one database; SQLite: a
file attached to another), so each table is compared by the database in one grouped query: the
rows of both sides, counted +1 on one and -1 on the other, grouped by every column; a group whose
count is not zero is a row one side has more often than the other (changed, inserted, deleted or
duplicated). Only those rows come back to Python, where they are paired by the columns that name a
row (a row changed is one row of each side with the same name) and said in words by the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, text

from projections.tables import metadata

# The columns that name one row of a table, where its primary key does not (or names it by a
# column that may itself be what changed): a version row is its record's fact in one cell of
# knowledge × position; its day and record kind are state, derived from the fact.
ROW_NAMES: dict[str, tuple[str, ...]] = {
    "rm_task_versions": ("org", "target", "fact_id", "known_from", "pos_from"),
    "rm_fa_versions": ("org", "target", "fact_id", "known_from", "pos_from"),
    "rm_fa_counts": ("org", "target", "known_from", "pos_from"),
    "rm_fa_details": ("org", "target", "known_from", "pos_from", "code"),
}
# Columns not derived from the events: when the projector noted a halt (a wall-clock instant).
NOT_DERIVED: dict[str, tuple[str, ...]] = {"rm_halts": ("halted_us",)}


@dataclass(frozen=True)
class Difference:
    """One row that differs: as the read models hold it (`kept`) and as the events give it
    (`derived`); None on the side that lacks it."""

    table: str
    name: tuple[tuple[str, Any], ...]  # the naming columns and their values
    kept: dict[str, Any] | None
    derived: dict[str, Any] | None

    @property
    def org(self) -> str | None:
        row = self.kept if self.kept is not None else self.derived
        assert row is not None
        return row.get("org")

    def changed(self) -> list[str]:
        """The columns whose values differ (a row on both sides), in the table's order."""
        if self.kept is None or self.derived is None:
            return []
        derived = self.derived
        return [column for column, value in self.kept.items() if derived[column] != value]


@dataclass(frozen=True)
class TableComparison:
    """One table compared: its differing rows (at most the limit) and whether more differ."""

    table: str
    differences: list[Difference]
    more: bool


def compared_columns(table: Table) -> list[str]:
    """The columns of a table that the events determine."""
    skipped = NOT_DERIVED.get(table.name, ())
    return [column.name for column in table.columns if column.name not in skipped]


def row_name(table: Table) -> tuple[str, ...]:
    """The columns that name one row of a table (its primary key unless `ROW_NAMES` says)."""
    if table.name in ROW_NAMES:
        return ROW_NAMES[table.name]
    key = tuple(column.name for column in table.primary_key.columns)
    return key or tuple(compared_columns(table))


def compare_tables(
    conn: Connection, kept: str, derived: str, *, org: str | None = None, limit: int = 200
) -> list[TableComparison]:
    """Every read-model table compared between the copy named by the prefix `kept` (the live
    read models) and the one named by `derived` (rebuilt from the events): prefixes such as
    `"main".` or `"scratch_schema".`, or "" for the connection's own. `org`: only that
    department's rows (tables without a department are compared whole). At most `limit`
    differing rows are read per table."""
    return [
        _compare(conn, table, kept, derived, org, limit)
        for table in sorted(metadata.sorted_tables, key=lambda t: t.name)
    ]


def _compare(
    conn: Connection, table: Table, kept: str, derived: str, org: str | None, limit: int
) -> TableComparison:
    columns = compared_columns(table)
    names = row_name(table)
    listed = ", ".join(_quoted(c) for c in columns)
    where, params = "", dict[str, Any](limit=limit + 1)
    if org is not None and "org" in table.columns:
        where, params["org"] = ' WHERE "org" = :org', org
    sql = (
        f"SELECT {listed}, SUM(side) AS side FROM ("
        f"SELECT {listed}, 1 AS side FROM {kept}{table.name}{where} UNION ALL "
        f"SELECT {listed}, -1 AS side FROM {derived}{table.name}{where}"
        f") AS both_sides GROUP BY {listed} HAVING SUM(side) <> 0 "
        f"ORDER BY {', '.join(_quoted(c) for c in names)}, SUM(side) LIMIT :limit"
    )
    rows = [tuple(row) for row in conn.execute(text(sql), params)]
    more = len(rows) > limit
    if more:  # the last name may have only one of its sides read: left for the count
        last = _name_of(rows[limit - 1], columns, names) if limit else None
        rows = [row for row in rows[:limit] if _name_of(row, columns, names) != last]
    return TableComparison(table.name, list(_paired(table.name, rows, columns, names)), more)


def _paired(
    table: str, rows: Iterable[tuple[Any, ...]], columns: list[str], names: tuple[str, ...]
) -> Iterable[Difference]:
    """The differing rows paired by name: a kept row and a derived one of the same name are one
    changed row; the rest are rows only one side has (as often as it has them more)."""
    by_name: dict[tuple[Any, ...], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for row in rows:
        values = dict(zip(columns, row[:-1], strict=True))
        key = tuple(values[c] for c in names)
        kept, derived = by_name.setdefault(key, ([], []))
        side = int(row[-1])
        (kept if side > 0 else derived).extend([values] * abs(side))
    for key, (kept, derived) in by_name.items():
        name = tuple(zip(names, key, strict=True))
        for i in range(max(len(kept), len(derived))):
            yield Difference(
                table,
                name,
                kept[i] if i < len(kept) else None,
                derived[i] if i < len(derived) else None,
            )


def _name_of(row: tuple[Any, ...], columns: list[str], names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row[columns.index(c)] for c in names)


def _quoted(column: str) -> str:
    return f'"{column}"'
