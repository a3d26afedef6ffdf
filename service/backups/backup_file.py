"""The backup file (`ngoaivu-backup`, version 3): gzip'd JSON Lines sealed with a keyed HMAC.

    {"format":"ngoaivu-backup","version":3,"created":"…","source":"sqlite","head":N,"key":"k1"}
    {"e":[position,"uuid",version,"topic","state, base64","org","org hash","global hash",
          "key id",note]}                                       one per event, with its link
    {"d":["ORG/YEAR/NUMBER/SHA256.pdf","bytes, base64"]}         one per kept document
    {"end":{"events":E,"documents":D,"hmac":"…"}}

The footer's HMAC-SHA256 covers every byte before it, under a key derived from the chain key
named in the header: without that key a file is refused, and no one without it can append,
cut, or swap anything and seal the file again. Versions 1 and 2 (before keys) are refused.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import hmac
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from service.integrity.keyring import ChainKey, Keyring

FORMAT = "ngoaivu-backup"
VERSION = 3

# An event and its link: position, originator id (str), version, topic, state, then the link:
# org, org hash, global hash, key id (None: unkeyed, first version), note.
LinkedRow = tuple[int, str, int, str, bytes, str, str, str, str | None, str | None]
# One kept document: its path under the documents folder (POSIX), its stored bytes.
DocumentRow = tuple[str, bytes]
Item = tuple[str, Any]


class BackupError(Exception):
    """A file that cannot be restored, or a target that cannot take it (bad input: exit 2)."""


class BackupRefused(BackupError):
    """A backup whose chain or documents do not hold (exit 1): the position is named."""


def sealing_key(key: ChainKey) -> bytes:
    """The HMAC key of backup files, derived from a chain key (never the chain key itself)."""
    return key.mac().digest(b"ngoaivu-backup-file")


def line(obj: Any) -> bytes:
    """One line of the file."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def event_line(row: LinkedRow) -> dict[str, Any]:
    """The line of an event and its link."""
    pos, uid, version, topic, state, org, org_hash, global_hash, key_id, note = row
    encoded = base64.b64encode(state).decode()
    return {"e": [pos, uid, version, topic, encoded, org, org_hash, global_hash, key_id, note]}


def document_path(root: Path, name: str) -> Path:
    """Where a document named in a backup goes under `root`; ValueError for a name that would
    leave it (absolute, `..`, empty parts)."""
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise ValueError(f"tên tài liệu không hợp lệ {name!r}")
    return root.joinpath(*parts)


class BackupFile:
    """A backup file being read: its header, then its rows, checked as they come."""

    def __init__(self, path: Path, keyring: Keyring | None) -> None:
        self.path = path
        self.line = 0
        try:
            # Closed by `items()` when the rows are consumed, or by `close()`.
            self._handle: BinaryIO = gzip.open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115
        except OSError as exc:
            raise BackupError(f"không mở được tệp sao lưu {str(path)!r}: {exc}") from exc
        try:
            raw, self.header = self._header()
            self.id = hashlib.sha256(raw).hexdigest()
            self._mac = hmac.new(sealing_key(self._key(keyring)), raw, "sha256")
        except BaseException:
            self._handle.close()
            raise

    def close(self) -> None:
        """Close the file (when its rows are not read)."""
        self._handle.close()

    def _fail(self, why: str) -> BackupError:
        where = f" (dòng {self.line})" if self.line else ""
        return BackupError(f"tệp sao lưu {str(self.path)!r} không đọc được{where}: {why}")

    def _next(self) -> tuple[bytes, Any] | None:
        try:
            raw = self._handle.readline()
        except (OSError, EOFError, zlib.error) as exc:
            raise self._fail(f"tệp hỏng hoặc bị cắt cụt ({exc})") from exc
        if not raw:
            return None
        self.line += 1
        try:
            return raw, json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self._fail(f"không phải JSON ({exc})") from exc

    def _header(self) -> tuple[bytes, dict[str, Any]]:
        first = self._next()
        if first is None:
            raise self._fail("tệp rỗng")
        raw, header = first
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise self._fail(f"không phải tệp sao lưu {FORMAT}")
        if header.get("version") in (1, 2):
            raise self._fail(
                f"phiên bản {header['version']} không có mã khóa (HMAC) nên không chứng minh được "
                "là không bị sửa: khôi phục bằng phiên bản trước, chạy `ngoaivu chain upgrade`, "
                "rồi sao lưu lại"
            )
        if header.get("version") != VERSION:
            raise self._fail(f"phiên bản {header.get('version')!r} không được hỗ trợ")
        return raw, header

    def _key(self, keyring: Keyring | None) -> ChainKey:
        key_id = self.header.get("key")
        key = keyring.by_id(key_id) if keyring is not None and isinstance(key_id, str) else None
        if key is None:
            raise BackupError(
                f"tệp sao lưu {str(self.path)!r} được niêm phong bằng khóa chuỗi {key_id!r} mà "
                "cài đặt này không có: đặt NGOAIVU_CHAIN_KEY, hoặc chép tệp chain_key của cài "
                "đặt đã sao lưu vào NGOAIVU_DATA"
            )
        return key

    def items(self) -> Iterator[Item]:
        """("e", LinkedRow) in position order, then ("d", DocumentRow); the footer at the end."""
        events = documents = last = 0
        try:
            while True:
                got = self._next()
                if got is None:
                    raise self._fail("thiếu dòng kết thúc: tệp bị cắt cụt")
                raw, obj = got
                if not isinstance(obj, dict) or len(obj) != 1:
                    raise self._fail("dòng không đúng định dạng")
                key, value = next(iter(obj.items()))
                if key == "end":
                    self._check_end(value, events, documents)
                    if self._next() is not None:
                        raise self._fail("có dữ liệu sau dòng kết thúc")
                    return
                self._mac.update(raw)
                if key == "e":
                    row = self._event(value)
                    if documents or row[0] <= last:
                        raise self._fail("vị trí sự kiện không tăng dần")
                    last = row[0]
                    events += 1
                    yield "e", row
                elif key == "d":
                    documents += 1
                    yield "d", self._document(value)
                else:
                    raise self._fail(f"loại dòng {key!r} không rõ")
        finally:
            self._handle.close()

    def _event(self, value: Any) -> LinkedRow:
        try:
            pos, uid, version, topic, state, org, org_hash, global_hash, key_id, note = value
            if not (
                type(pos) is int
                and pos > 0
                and type(version) is int
                and all(isinstance(s, str) for s in (uid, topic, state, org, org_hash))
                and isinstance(global_hash, str)
                and (key_id is None or isinstance(key_id, str))
                and (note is None or isinstance(note, str))
            ):
                raise ValueError("kiểu dữ liệu sai")
            data = base64.b64decode(state, validate=True)
            return pos, uid, version, topic, data, org, org_hash, global_hash, key_id, note
        except (TypeError, ValueError, binascii.Error) as exc:
            raise self._fail(f"sự kiện không hợp lệ ({exc})") from exc

    def _document(self, value: Any) -> DocumentRow:
        try:
            name, data = value
            if not (isinstance(name, str) and isinstance(data, str)):
                raise ValueError("kiểu dữ liệu sai")
            document_path(Path("."), name)
            return name, base64.b64decode(data, validate=True)
        except (TypeError, ValueError, binascii.Error) as exc:
            raise self._fail(f"tài liệu không hợp lệ ({exc})") from exc

    def _check_end(self, end: Any, events: int, documents: int) -> None:
        if not isinstance(end, dict):
            raise self._fail("dòng kết thúc không đúng định dạng")
        sealed = end.get("hmac")
        if not isinstance(sealed, str) or not hmac.compare_digest(sealed, self._mac.hexdigest()):
            raise self._fail(
                "mã HMAC của tệp không khớp: tệp đã bị sửa, thêm hoặc cắt bớt (hoặc khóa chuỗi "
                "không phải khóa của cài đặt đã sao lưu)"
            )
        if end.get("events") != events or end.get("documents") != documents:
            raise self._fail(
                f"số dòng không khớp: tệp ghi {end.get('events')} sự kiện, "
                f"{end.get('documents')} tài liệu; đọc được {events} và {documents}"
            )
