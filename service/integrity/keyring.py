"""The keys of the hash chain (chùm khóa), kept outside the database like the cipher key.

`NGOAIVU_CHAIN_KEY`, else the file `$NGOAIVU_DATA/chain_key` (mode 600, generated once by the
first write of a new installation). Both hold entries separated by newlines or commas:

    legacy:UNTIL:HEX     links of the first version (plain SHA-256) are valid up to position
                         UNTIL, and the chain head there is HEX (set by `ngoaivu chain upgrade`)
    ID:HEX               a key (32 bytes, hex) signing from the first position on (or after
                         the legacy links, or after the previous key's positions)
    ID:HEX:FROM          a key signing from position FROM on (`ngoaivu chain rotate-key`)

Each key signs the positions from its own FROM up to the next key's: a retired key that leaked
cannot sign a later position. The newest key is the last one.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from domain.chain import Mac

FILE = "chain_key"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,15}\Z")
_HEX = re.compile(r"[0-9a-f]{64}\Z")


class KeyringError(RuntimeError):
    """The chain's keys are missing, malformed, or not those the store was signed with."""


@dataclass(frozen=True)
class ChainKey:
    """One key: its id (stored with each link it signs), its secret, its first position."""

    id: str
    secret: bytes = field(repr=False)
    start: int

    def mac(self) -> Mac:
        """The HMAC of this key."""
        return Mac(self.secret)

    def check(self) -> str:
        """A value stored in the database to recognise the key (not the key)."""
        return self.mac().digest(b"ngoaivu-chain-key-check", self.id.encode()).hex()

    def entry(self) -> str:
        """The key as written in the keyring."""
        return f"{self.id}:{self.secret.hex()}:{self.start}"


@dataclass(frozen=True)
class Legacy:
    """Where the unkeyed links of the first version end, and the chain head there."""

    until: int
    head: str

    def entry(self) -> str:
        """The boundary as written in the keyring."""
        return f"legacy:{self.until}:{self.head}"


@dataclass(frozen=True)
class Keyring:
    """The keys in order of use, and the legacy boundary if the store had unkeyed links."""

    keys: tuple[ChainKey, ...]
    legacy: Legacy | None = None
    source: str = ""  # "NGOAIVU_CHAIN_KEY" or the file's path, for messages

    @property
    def current(self) -> ChainKey:
        """The newest key."""
        return self.keys[-1]

    def by_id(self, key_id: str) -> ChainKey | None:
        """A key by its id."""
        for key in self.keys:
            if key.id == key_id:
                return key
        return None

    def signs(self, key: ChainKey, position: int) -> bool:
        """Whether `key` is the one that signs `position`."""
        return self.for_position(position) is key

    def for_position(self, position: int) -> ChainKey | None:
        """The key that signs a position (None inside the legacy part)."""
        found = None
        for key in self.keys:
            if key.start <= position:
                found = key
        return found

    def text(self) -> str:
        """The keyring as written in the file or the variable (one entry a line)."""
        entries = ([self.legacy.entry()] if self.legacy else []) + [k.entry() for k in self.keys]
        return "\n".join(entries) + "\n"


def parse(text: str, source: str) -> Keyring:
    """Read a keyring; KeyringError names the entry that is wrong."""
    keys: list[ChainKey] = []
    legacy: Legacy | None = None
    entries = [e.strip() for line in text.splitlines() for e in line.split(",")]
    for entry in entries:
        if not entry or entry.startswith("#"):
            continue
        parts = entry.split(":")
        if parts[0] == "legacy":
            if keys or legacy or len(parts) != 3 or not parts[1].isdigit():
                raise KeyringError(f"{source}: mục legacy không hợp lệ {entry[:24]!r}…")
            if not _HEX.match(parts[2]):
                raise KeyringError(f"{source}: đầu chuỗi của mục legacy phải là 64 chữ số hex")
            legacy = Legacy(int(parts[1]), parts[2])
            continue
        if len(parts) not in (2, 3) or not _ID.match(parts[0]) or not _HEX.match(parts[1]):
            raise KeyringError(
                f"{source}: khóa phải có dạng ID:HEX hoặc ID:HEX:TỪ_VỊ_TRÍ (HEX 64 chữ số), "
                f"không đọc được mục bắt đầu bằng {parts[0][:16]!r}"
            )
        floor = keys[-1].start + 1 if keys else (legacy.until + 1 if legacy else 1)
        if len(parts) == 3:
            if not parts[2].isdigit() or int(parts[2]) < floor:
                raise KeyringError(f"{source}: khóa {parts[0]!r}: vị trí bắt đầu phải ≥ {floor}")
            start = int(parts[2])
        else:
            start = floor
        if any(k.id == parts[0] for k in keys):
            raise KeyringError(f"{source}: khóa {parts[0]!r} xuất hiện hai lần")
        keys.append(ChainKey(parts[0], bytes.fromhex(parts[1]), start))
    if not keys:
        raise KeyringError(f"{source}: không có khóa nào")
    return Keyring(tuple(keys), legacy, source)


def new_key(key_id: str, start: int) -> ChainKey:
    """A freshly generated key."""
    return ChainKey(key_id, secrets.token_bytes(32), start)


def write_file(path: Path, keyring: Keyring, *, replace: bool) -> None:
    """Write the keyring file with mode 600: whole, by a rename (or created, never overwritten,
    when `replace` is false: two processes creating it at once keep the first one's keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".chain_key-", dir=path.parent)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(keyring.text())
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        if replace:
            os.replace(temp, path)
        else:
            with contextlib.suppress(FileExistsError):
                os.link(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


class Keys:
    """An installation's keyring, read again when its file changes (a rotation by another
    process is seen by the next write)."""

    def __init__(self, variable: str | None, data_dir: Path) -> None:
        self.variable = variable
        self.path = data_dir / FILE
        self._cached: tuple[int, Keyring] | None = None

    @property
    def from_variable(self) -> bool:
        """Whether the keys come from NGOAIVU_CHAIN_KEY."""
        return bool(self.variable)

    def load(self, *, create: bool = False) -> Keyring | None:
        """The keyring; None when there is none (and `create` is false)."""
        if self.variable:
            if self._cached is None:
                self._cached = (0, parse(self.variable, "NGOAIVU_CHAIN_KEY"))
            return self._cached[1]
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            if not create:
                return None
            write_file(self.path, Keyring((new_key("k1", 1),)), replace=False)
            stamp = self.path.stat().st_mtime_ns
        if self._cached is None or self._cached[0] != stamp:
            self._cached = (stamp, parse(self.path.read_text(), str(self.path)))
        return self._cached[1]

    def save(self, keyring: Keyring) -> None:
        """Replace the keyring file (rotation, upgrade); never with NGOAIVU_CHAIN_KEY set."""
        assert not self.variable
        write_file(self.path, keyring, replace=True)
        self._cached = None
