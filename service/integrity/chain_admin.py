"""The administrator's chain operations: upgrading a first-version chain, rotating the key."""

from __future__ import annotations

from dataclasses import dataclass, replace

from service.integrity.chain import ChainCheck, key_checks
from service.integrity.keyring import ChainKey, Keyring, KeyringError, Legacy, new_key
from service.runtime import Runtime


@dataclass
class Outcome:
    """What an operation did, and the keyring to give NGOAIVU_CHAIN_KEY when it is set."""

    message: str
    variable: str | None = None  # the new NGOAIVU_CHAIN_KEY value (keys from the variable)
    check: ChainCheck | None = None


def _store(rt: Runtime, keyring: Keyring) -> str | None:
    """Save the keyring in its file; with NGOAIVU_CHAIN_KEY, the value to set instead."""
    if rt.chain.keys.from_variable:
        return ",".join(keyring.text().split())
    rt.chain.keys.save(keyring)
    return None


def upgrade(rt: Runtime) -> Outcome:
    """Verify the first version's unkeyed chain and record where it ends, outside the database.

    After this, unkeyed links are valid only up to that position (with that head): whoever can
    write the database cannot append one that verifies. Events after the last link stay
    unlinked: the next command raises the alarm for them.
    """
    keys = rt.chain.keys
    current = keys.load()
    if current is not None and current.legacy is not None:
        return Outcome(f"đã nâng cấp: chuỗi không khóa đến @{current.legacy.until}")
    check = rt.chain.verify()
    if check.broken is not None:
        raise KeyringError(
            f"không nâng cấp: chuỗi hỏng tại vị trí @{check.broken.position}: "
            f"{check.broken.message}"
        )
    if not check.legacy:
        return Outcome("không có chuỗi không khóa để nâng cấp", check=check)
    until, head = check.position, check.head
    first = until + 1
    if current is None:
        keyring = Keyring((new_key("k1", first),), Legacy(until, head))
    else:
        moved = (replace(current.keys[0], start=max(first, current.keys[0].start)),)
        keyring = Keyring(moved + current.keys[1:], Legacy(until, head))
    variable = _store(rt, keyring)
    message = f"đã nâng cấp: mắt xích không khóa hợp lệ đến @{until} (đầu chuỗi {head[:16]}…)"
    if check.unchained:
        message += (
            f"; {check.unchained} sự kiện từ @{check.first_unchained} chưa có mắt xích: "
            "lệnh tiếp theo sẽ báo động (xem `ngoaivu alarm`)"
        )
    return Outcome(message, variable, check)


def rotate(rt: Runtime) -> Outcome:
    """A new key signs from the next position on; the old ones stay to verify their links."""
    keyring = rt.chain.keyring()
    numbers = [int(k.id[1:]) for k in keyring.keys if k.id[:1] == "k" and k.id[1:].isdigit()]
    key_id = f"k{max(numbers, default=0) + 1}"
    with rt.chain.engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE, the write lock
        cursor = conn.connection.cursor()
        if not rt.chain.is_sqlite:
            cursor.execute(f"LOCK TABLE {rt.chain._events_table()} IN EXCLUSIVE MODE")
        events, linked = _levels(cursor, rt)
        start = max(events, linked, keyring.current.start) + 1
        key: ChainKey = new_key(key_id, start)
        rotated = Keyring((*keyring.keys, key), keyring.legacy, keyring.source)
        variable = _store(rt, rotated)  # before the row: no writer is ever left without it
        mark = "?" if rt.chain.is_sqlite else "%s"
        cursor.execute(
            f"INSERT INTO {key_checks.name} (key_id, start, check_value) "
            f"VALUES ({mark}, {mark}, {mark})",
            (key.id, key.start, key.check()),
        )
    return Outcome(
        f"khóa mới {key_id} ký từ vị trí @{start}; các khóa cũ được giữ để kiểm tra", variable
    )


def _levels(cursor: object, rt: Runtime) -> tuple[int, int]:
    column = "rowid" if rt.chain.is_sqlite else "notification_id"
    table = rt.chain._events_table()
    cursor.execute(  # type: ignore[attr-defined]
        f"SELECT (SELECT MAX({column}) FROM {table}), (SELECT MAX(position) FROM ngoaivu_chain)"
    )
    row = cursor.fetchone()  # type: ignore[attr-defined]
    return int(row[0] or 0), int(row[1] or 0)
