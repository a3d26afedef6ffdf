"""Links written by the writer itself, in the transaction of its events (never afterwards).

Every path that stores events (import pages, issuing, the administrator's acknowledgement of an
outside write) calls `Linker.start` once it holds the store's write lock, then `link` for the
events it inserted. `start` refuses to write when events were stored after the last link
(outside the application) or links outlive their events: the caller raises the alarm.
"""

from __future__ import annotations

from typing import Any

from domain.chain import GENESIS, WRITTEN, Mac
from service.integrity.chain import Chain, Payloads, heads, key_checks, links
from service.integrity.keyring import ChainKey, Keyring, KeyringError

# One event to link: position, org, originator id (str(UUID)), version, topic, stored state.
Row = tuple[int, str, str, int, str, bytes]


class OutsideWriteError(RuntimeError):
    """Events stored after the last link, or links without their events: written from outside."""

    def __init__(self, first: int, count: int, message: str) -> None:
        super().__init__(message)
        self.first = first
        self.count = count


def _values(row: Any) -> tuple[Any, ...]:
    """A row of either cursor as a tuple (the library's PostgreSQL cursor returns dicts)."""
    return tuple(row.values()) if isinstance(row, dict) else tuple(row)


class Linker:
    """The links of one write transaction, chained on the last stored link."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.mark = "?" if chain.is_sqlite else "%s"
        self.payloads = Payloads()
        self.keyring: Keyring | None = None
        self.key: ChainKey | None = None
        self.mac: Mac | None = None
        self.limit = 0  # the first position the current key does not sign
        self.head = bytes.fromhex(GENESIS)
        self.org_heads: dict[str, bytes] = {}
        self.known_keys: set[str] = set()
        self.new_heads: set[str] = set()  # departments with no row in the heads table yet
        self.started = False

    def _one(self, cursor: Any, sql: str, *params: Any) -> tuple[Any, ...] | None:
        cursor.execute(sql.replace("?", self.mark), params)
        row = cursor.fetchone()
        return None if row is None else _values(row)

    def start(self, cursor: Any, first: int) -> None:
        """Before linking the first event at `first`: the store must be linked up to it."""
        table = self.chain._events_table()
        column = "rowid" if self.chain.is_sqlite else "notification_id"
        found = self._one(cursor, f"SELECT MAX({column}) FROM {table} WHERE {column} < ?", first)
        prior = int(found[0] or 0) if found else 0
        last = self.open(cursor)
        if last < prior:
            row = self._one(
                cursor,
                f"SELECT COUNT(*), MIN({column}) FROM {table} WHERE {column} > ? AND {column} < ?",
                last,
                first,
            )
            count, at = (int(row[0]), int(row[1])) if row else (0, last + 1)
            raise OutsideWriteError(
                at, count, f"{count} sự kiện từ @{at} không có mắt xích: ghi ngoài ứng dụng"
            )
        if last > prior:
            raise OutsideWriteError(
                prior + 1, 0, f"có mắt xích đến @{last} mà sự kiện chỉ đến @{prior}: bị xóa?"
            )

    def open(self, cursor: Any) -> int:
        """Read the last link, the keyring and the keys in use; the last linked position."""
        last = self._one(
            cursor,
            f"SELECT position, global_hash, key_id FROM {links.name} "
            "ORDER BY position DESC LIMIT 1",
        )
        keyring = self.chain.keys.load(create=last is None)
        if last is not None and last[2] is None and (keyring is None or keyring.legacy is None):
            raise KeyringError(
                "chuỗi băm của phiên bản trước chưa có khóa: chạy `ngoaivu chain upgrade`"
            )
        if keyring is None:
            raise KeyringError(
                "không có khóa chuỗi băm: đặt NGOAIVU_CHAIN_KEY hoặc chép tệp "
                f"{self.chain.keys.path} của cài đặt đã ký chuỗi"
            )
        self.keyring = keyring
        if last is not None and last[2] is None:
            legacy = keyring.legacy
            assert legacy is not None
            if legacy.until != last[0]:
                raise KeyringError(
                    f"mắt xích không khóa @{last[0]} sau mốc nâng cấp @{legacy.until}: chạy "
                    "`ngoaivu verify`"
                )
        cursor.execute(f"SELECT key_id, start, check_value FROM {key_checks.name}")
        for key_id, start, value in map(_values, cursor.fetchall()):
            key = keyring.by_id(key_id)
            if key is None:
                raise KeyringError(
                    f"chuỗi được ký bằng khóa {key_id!r} (từ @{start}) mà {keyring.source} "
                    "không có: dùng chùm khóa mới nhất (NGOAIVU_CHAIN_KEY hoặc tệp chain_key)"
                )
            if key.check() != value:
                raise KeyringError(f"khóa {key_id!r} của {keyring.source} không phải khóa đã ký")
            self.known_keys.add(key_id)
        self.head = bytes.fromhex(last[1]) if last else bytes.fromhex(GENESIS)
        self.started = True
        return int(last[0]) if last else 0

    def _use_key(self, cursor: Any, position: int) -> None:
        assert self.keyring is not None
        key = self.keyring.for_position(position)
        if key is None:
            raise KeyringError(f"không có khóa nào ký vị trí @{position}")
        if key.id not in self.known_keys:
            sql = f"INSERT INTO {key_checks.name} (key_id, start, check_value) VALUES (?, ?, ?)"
            cursor.execute(sql.replace("?", self.mark), (key.id, key.start, key.check()))
            self.known_keys.add(key.id)
        later = [k.start for k in self.keyring.keys if k.start > position]
        self.key, self.mac, self.limit = key, key.mac(), min(later, default=1 << 62)

    def _org_head(self, cursor: Any, org: str) -> bytes:
        """A department's last link: from the heads table, else (a first-version store, or a
        department not written since the upgrade) found in the links, newest first."""
        row = self._one(cursor, f"SELECT position, org_hash FROM {heads.name} WHERE org = ?", org)
        if row is None:
            row = self._one(
                cursor,
                f"SELECT position, org_hash FROM {links.name} WHERE org = ? "
                "ORDER BY position DESC LIMIT 1",
                org,
            )
            self.new_heads.add(org)
        return bytes.fromhex(row[1]) if row else bytes.fromhex(GENESIS)

    def _save_heads(self, cursor: Any, last: dict[str, tuple[int, str]]) -> None:
        """Record each department's new last link (same transaction as the links)."""
        for org, (position, org_hash) in last.items():
            if org in self.new_heads:
                sql = f"INSERT INTO {heads.name} (position, org_hash, org) VALUES (?, ?, ?)"
                self.new_heads.discard(org)
            else:
                sql = f"UPDATE {heads.name} SET position = ?, org_hash = ? WHERE org = ?"
            cursor.execute(sql.replace("?", self.mark), (position, org_hash, org))

    def link(self, cursor: Any, rows: list[Row], note: str | None = None) -> None:
        """Insert the links of these events (in position order), after the last one."""
        assert self.started, "start() first"
        out = []
        payloads = self.payloads
        org_heads = self.org_heads
        last: dict[str, tuple[int, str]] = {}
        raw_note = note.encode("utf-8") if note is not None else b""
        head = self.head
        for pos, org, uid, version, topic, state in rows:
            if self.mac is None or pos >= self.limit:
                self._use_key(cursor, pos)
            mac = self.mac
            assert mac is not None and self.key is not None
            payload = payloads(pos, org, uid, version, topic, state)
            previous = org_heads.get(org)
            if previous is None:
                previous = self._org_head(cursor, org)
            if note is None:  # mac.link twice, inlined (the import's hot loop)
                inner = mac._inner.copy()
                inner.update(WRITTEN)
                inner.update(previous)
                inner.update(payload)
                outer = mac._outer.copy()
                outer.update(inner.digest())
                org_link = outer.digest()
                inner = mac._inner.copy()
                inner.update(WRITTEN)
                inner.update(head)
                inner.update(payload)
                outer = mac._outer.copy()
                outer.update(inner.digest())
                head = outer.digest()
            else:
                org_link = mac.acknowledged(previous, raw_note, payload)
                head = mac.acknowledged(head, raw_note, payload)
            org_heads[org] = org_link
            org_hex = org_link.hex()
            last[org] = (pos, org_hex)
            out.append((pos, org, org_hex, head.hex(), self.key.id, note))
        self.head = head
        if out:
            cursor.executemany(
                f"INSERT INTO {links.name} (position, org, org_hash, global_hash, key_id, note) "
                f"VALUES (?, ?, ?, ?, ?, ?)".replace("?", self.mark),
                out,
            )
            self._save_heads(cursor, last)
