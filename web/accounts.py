"""Users and their roles per department, kept in a table beside the events (not a read model)."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
    update,
)

from service.config import Settings

ROLES = ("admin", "clerk", "director", "inspector")
ALL_ORGS = "*"  # an inspector granted every department (Thanh tra cross-department)
# What each role may do in its department: read, write facts, issue reports, manage users.
ABILITIES: dict[str, frozenset[str]] = {
    "admin": frozenset({"read", "write", "issue", "manage"}),
    "clerk": frozenset({"read", "write"}),
    "director": frozenset({"read", "issue"}),
    "inspector": frozenset({"read"}),
}
ROLE_LABELS = {
    "admin": "Quản trị",
    "clerk": "Cán bộ nhập liệu",
    "director": "Lãnh đạo",
    "inspector": "Thanh tra",
}

metadata = MetaData()
accounts = Table(
    "ngoaivu_accounts",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("grants", Text, nullable=False),  # JSON: [{org, role, units}]
    Column("token_hash", String(64)),  # sha256 of the API token, when one was issued
    Column("changed_us", BigInteger, nullable=False),
)

_hasher = PasswordHasher()
# Verified when the user does not exist, so that a login takes the same time either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A user operation that cannot be done (the message is for the user)."""


@dataclass(frozen=True)
class Grant:
    """A role in one department (or every department for a cross-department inspector)."""

    org: str
    role: str
    units: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"org": self.org, "role": self.role, "units": list(self.units)}


@dataclass
class Account(UserMixin):
    """A logged-in user: name, roles per department, whether the account is enabled."""

    username: str
    grants: list[Grant] = field(default_factory=list)
    active: bool = True

    def get_id(self) -> str:
        """Flask-Login's id."""
        return self.username

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """A disabled account cannot log in or use a session."""
        return self.active

    def grants_in(self, org: str) -> list[Grant]:
        """The roles that apply to one department."""
        return [
            g for g in self.grants if g.org == org or (g.org == ALL_ORGS and g.role == "inspector")
        ]

    def sees(self, org: str) -> bool:
        """Whether the department is one of this user's (otherwise it does not exist for them)."""
        return bool(self.grants_in(org))

    def can(self, ability: str, org: str) -> bool:
        """Whether one of the user's roles in the department allows the ability."""
        return any(ability in ABILITIES[g.role] for g in self.grants_in(org))

    def units_in(self, org: str) -> tuple[str, ...] | None:
        """The units a clerk is limited to (None: every unit)."""
        writers = [g for g in self.grants_in(org) if "write" in ABILITIES[g.role]]
        if not writers or any(not g.units for g in writers):
            return None
        return tuple(u for g in writers for u in g.units)

    @property
    def everywhere(self) -> bool:
        """A cross-department inspector."""
        return any(g.org == ALL_ORGS for g in self.grants)

    def orgs(self) -> list[str]:
        """The departments named in the grants (without the wildcard)."""
        return sorted({g.org for g in self.grants if g.org != ALL_ORGS})


def accounts_engine(settings: Settings) -> Engine:
    """The event store's database (SQLite file or PostgreSQL), where accounts live."""
    if settings.is_postgres:
        return create_engine(settings.read_model_url(), pool_pre_ping=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = (settings.data_dir / "events.sqlite").resolve()
    return create_engine(f"sqlite:///{path}", connect_args={"timeout": 60})


def token_digest(token: str) -> str:
    """Only a digest of an API token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_grant(org: str, role: str, units: tuple[str, ...] = ()) -> Grant:
    """A grant as given on the command line, checked."""
    if role not in ROLES:
        raise AccountError(f"vai trò không có: {role!r} (có: {', '.join(ROLES)})")
    if org == ALL_ORGS and role != "inspector":
        raise AccountError("chỉ thanh tra mới được cấp mọi sở (--org '*')")
    if units and role != "clerk":
        raise AccountError("chỉ cán bộ nhập liệu (clerk) mới giới hạn theo đơn vị")
    return Grant(org, role, units)


class AccountStore:
    """Create, change, disable and authenticate users."""

    def __init__(self, engine: Engine, cache_seconds: float | None = None) -> None:
        self.engine = engine
        metadata.create_all(engine)
        # Every request loads its user: kept a few seconds per process. A change made through
        # this store clears it at once; one made by another process (the CLI, another gunicorn
        # worker) is seen within `cache_seconds`.
        if cache_seconds is None:
            cache_seconds = float(os.environ.get("NGOAIVU_ACCOUNT_CACHE_SECONDS", "5"))
        self.cache_seconds = cache_seconds
        self._cache: dict[tuple[str, str], tuple[float, Account | None]] = {}
        self._cache_lock = threading.Lock()

    def _cached(self, key: tuple[str, str], load: Callable[[], Account | None]) -> Account | None:
        now = time.monotonic()
        with self._cache_lock:
            found = self._cache.get(key)
        if found is not None and found[0] > now:
            return found[1]
        account = load()
        with self._cache_lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now + self.cache_seconds, account)
        return account

    def forget(self) -> None:
        """Drop the kept accounts (after a change)."""
        with self._cache_lock:
            self._cache.clear()

    def _row(self, username: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(select(accounts).where(accounts.c.username == username)).first()

    @staticmethod
    def _account(row: Any) -> Account:
        grants = [Grant(g["org"], g["role"], tuple(g["units"])) for g in json.loads(row.grants)]
        return Account(row.username, grants, bool(row.active))

    def get(self, username: str) -> Account | None:
        """An account by name, enabled or not (kept `cache_seconds`)."""

        def load() -> Account | None:
            row = self._row(username)
            return None if row is None else self._account(row)

        return self._cached(("name", username), load)

    def add(self, username: str, password: str, grants: list[Grant]) -> Account:
        """A new user with a password and roles."""
        if not username or len(username) > 64 or not username.isprintable():
            raise AccountError("tên đăng nhập không hợp lệ")
        _check_password(password)
        if self._row(username) is not None:
            raise AccountError(f"người dùng {username!r} đã có")
        with self.engine.begin() as conn:
            conn.execute(
                insert(accounts).values(
                    username=username,
                    password_hash=_hasher.hash(password),
                    active=True,
                    grants=json.dumps([g.as_dict() for g in grants], ensure_ascii=False),
                    changed_us=_now_us(),
                )
            )
        self.forget()
        return Account(username, grants, True)

    def _change(self, username: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(accounts)
                .where(accounts.c.username == username)
                .values(changed_us=_now_us(), **values)
            )
        self.forget()
        if done.rowcount == 0:
            raise AccountError(f"không có người dùng {username!r}")

    def set_password(self, username: str, password: str) -> None:
        """A new password (the API token stays)."""
        _check_password(password)
        self._change(username, password_hash=_hasher.hash(password))

    def set_active(self, username: str, active: bool) -> None:
        """Disable (or enable again) an account; a disabled one loses its API token."""
        values: dict[str, Any] = {"active": active}
        if not active:
            values["token_hash"] = None
        self._change(username, **values)

    def new_token(self, username: str) -> str:
        """A fresh API token (shown once; only its digest is kept)."""
        token = secrets.token_urlsafe(32)
        self._change(username, token_hash=token_digest(token))
        return token

    def authenticate(self, username: str, password: str) -> Account | None:
        """The enabled account whose password matches, else None (same work either way)."""
        row = self._row(username)
        stored = row.password_hash if row is not None else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
            ok = row is not None and bool(row.active)
        except (VerificationError, InvalidHashError):
            ok = False
        return self._account(row) if ok else None

    def by_token(self, token: str) -> Account | None:
        """The enabled account holding this API token (kept `cache_seconds`)."""
        digest = token_digest(token)

        def load() -> Account | None:
            with self.engine.connect() as conn:
                row = conn.execute(select(accounts).where(accounts.c.token_hash == digest)).first()
            if row is None or not row.active:
                return None
            return self._account(row)

        return self._cached(("token", digest), load)

    def all(self) -> list[Account]:
        """Every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(accounts).order_by(accounts.c.username)).all()
        return [self._account(r) for r in rows]


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise AccountError("mật khẩu phải có ít nhất 10 ký tự")


def _now_us() -> int:
    return time.time_ns() // 1000
