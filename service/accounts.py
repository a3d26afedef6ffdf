"""Accounts and permissions: users, password hashing, roles and unit rights per department, kept
in a table beside the events (not a read model).

Over 300 lines as one module: the account table, its grants and its password and session rules
change together (one schema, one transaction per change).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from projections.store import look, param_mark
from projections.thread_reads import ThreadReads
from service.config import Settings

ROLES = ("admin", "clerk", "director", "inspector")
ALL_ORGS = "*"  # an inspector granted every department (Thanh tra cross-department)
# What each role may do in its department: read, write facts, issue reports, manage users.
ABILITIES: dict[str, frozenset[str]] = {
    "admin": frozenset({"read", "write", "issue", "manage", "inspect"}),
    "clerk": frozenset({"read", "write"}),
    "director": frozenset({"read", "issue"}),
    "inspector": frozenset({"read", "inspect"}),
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
    # Stored in each session at login; a session whose number is not the account's is over.
    Column("session_version", BigInteger, nullable=False, default=0, server_default="0"),
)

# Beside the accounts, in tables of their own (no column added to a table in use): a user's full
# name and title (the signer of issued reports), and the log of every account change.
profiles = Table(
    "ngoaivu_account_profiles",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("full_name", Text),
    Column("title", Text),
)
account_log = Table(
    "ngoaivu_account_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at_us", BigInteger, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("username", String(64), nullable=False),
    Column("action", String(32), nullable=False),  # domain.labels.ACCOUNT_ACTIONS
    Column("detail", Text, nullable=False),  # JSON: what changed (never a password)
)
CLI_ACTOR = "dòng lệnh"  # who changed an account when no user is named (`ngoaivu user …`)

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
class Account:
    """A user: name, roles per department, whether the account is enabled (the web's logged-in
    user is web.users.User, this with Flask-Login's mixin)."""

    username: str
    grants: list[Grant] = field(default_factory=list)
    active: bool = True
    session_version: int = 0

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

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)
        _add_session_version(engine)
        self._stamps = _stamp_engine(engine)
        # SQLite: the stamp read on each thread's own connection (no pool taken and given back)
        self._thread_stamps = ThreadReads(engine.url) if ThreadReads.suit(engine.url) else None
        mark = param_mark(engine)
        columns = "username, session_version, changed_us, active, token_hash"
        self._stamp_sql = None
        if mark is not None:
            self._stamp_sql = {
                key: f"SELECT {columns} FROM {accounts.name} WHERE {key} = {mark}"
                for key in ("username", "token_hash")
            }
        # The parsed roles of an account, by (name, time of its last change): any change of
        # the account moves the time, so what is kept is never stale; only the read is saved.
        self._grants: dict[tuple[str, int], list[Grant]] = {}
        self._lock = threading.Lock()

    def _row(self, username: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(select(accounts).where(accounts.c.username == username)).first()

    def _stamp(self, key: str, value: str) -> Any:
        """(username, session_version, changed_us, active, token_hash) of the account whose
        `key` column is `value`, as stored now.

        Read at every request, so with a fixed statement on a DB-API connection: on SQLite the
        thread's own (a few µs of CPU, against 200 µs for SQLAlchemy to build, run and wrap a
        select and ~10 µs more to take a pooled connection and give it back); on PostgreSQL a
        pooled one, one round trip (autocommit, no ping: ~100 µs of CPU, 175 µs wall on the
        loopback), a dropped connection tried once more."""
        if self._stamp_sql is None:  # a driver with another parameter style
            column = accounts.c[key]
            with self.engine.connect() as conn:
                row = conn.execute(
                    select(
                        accounts.c.username,
                        accounts.c.session_version,
                        accounts.c.changed_us,
                        accounts.c.active,
                        accounts.c.token_hash,
                    ).where(column == value)
                ).first()
            return None if row is None else tuple(row)
        if self._thread_stamps is not None:
            return self._thread_stamps.one(self._stamp_sql[key], (value,))
        rows = look(self._stamps, self._stamp_sql[key], (value,))
        return rows[0] if rows else None

    def close(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()
        self._stamps.dispose()
        if self._thread_stamps is not None:
            self._thread_stamps.dispose()

    @staticmethod
    def _account(row: Any) -> Account:
        grants = [Grant(g["org"], g["role"], tuple(g["units"])) for g in json.loads(row.grants)]
        return Account(row.username, grants, bool(row.active), int(row.session_version))

    def _now(self, stamp: Any) -> Account | None:
        """The account of a stamp: its roles parsed once per change, the rest from the stamp."""
        username, version, changed_us, active, _token = stamp
        key = (username, int(changed_us))
        with self._lock:
            grants = self._grants.get(key)
        if grants is None:
            row = self._row(username)
            if row is None:
                return None
            grants = self._account(row).grants
            with self._lock:
                if len(self._grants) > 10_000:
                    self._grants.clear()
                self._grants[key] = grants
        return Account(username, list(grants), bool(active), int(version))

    def get(self, username: str) -> Account | None:
        """An account by name, enabled or not, as stored now.

        Read at every request (one primary-key query), never kept: a logout, a new password, a
        disabled account or new roles end the account's sessions from the next request, in
        every process (gunicorn workers, the CLI)."""
        stamp = self._stamp("username", username)
        return None if stamp is None else self._now(stamp)

    def add(
        self, username: str, password: str, grants: list[Grant], actor: str | None = None
    ) -> Account:
        """A new user with a password and roles (logged as done by `actor`)."""
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
            _log(conn, actor, username, "created", {"grants": [g.as_dict() for g in grants]})
        return Account(username, grants, True)

    def _change(
        self,
        username: str,
        end_sessions: bool = True,
        logged: tuple[str | None, str, dict[str, Any]] | None = None,
        **values: Any,
    ) -> None:
        if end_sessions:
            values["session_version"] = accounts.c.session_version + 1
        with self.engine.begin() as conn:
            done = conn.execute(
                update(accounts)
                .where(accounts.c.username == username)
                .values(changed_us=_now_us(), **values)
            )
            if done.rowcount == 0:
                raise AccountError(f"không có người dùng {username!r}")
            if logged is not None:  # in the same transaction: no change without its entry
                _log(conn, logged[0], username, logged[1], logged[2])

    def end_sessions(self, username: str) -> None:
        """Every session of the account ends (logout): its next request is anonymous."""
        self._change(username)

    def set_password(self, username: str, password: str, actor: str | None = None) -> None:
        """A new password; every session ends (the API token stays)."""
        _check_password(password)
        logged: tuple[str | None, str, dict[str, Any]] = (actor, "password_set", {})
        self._change(username, logged=logged, password_hash=_hasher.hash(password))

    def set_active(self, username: str, active: bool, actor: str | None = None) -> None:
        """Disable (or enable again) an account; every session ends, and a disabled account
        loses its API token."""
        values: dict[str, Any] = {"active": active}
        if not active:
            values["token_hash"] = None
        logged: tuple[str | None, str, dict[str, Any]] = (
            actor,
            "enabled" if active else "disabled",
            {},
        )
        self._change(username, logged=logged, **values)

    def set_grants(self, username: str, grants: list[Grant], actor: str | None = None) -> None:
        """New roles in place of the old ones; every session ends."""
        text = json.dumps([g.as_dict() for g in grants], ensure_ascii=False)
        logged = (actor, "roles_set", {"grants": [g.as_dict() for g in grants]})
        self._change(username, logged=logged, grants=text)

    def new_token(self, username: str, actor: str | None = None) -> str:
        """A fresh API token (shown once; only its digest is kept); sessions go on."""
        token = secrets.token_urlsafe(32)
        logged: tuple[str | None, str, dict[str, Any]] = (actor, "token_issued", {})
        self._change(username, end_sessions=False, logged=logged, token_hash=token_digest(token))
        return token

    def profile(self, username: str) -> tuple[str | None, str | None]:
        """A user's full name and title (None when not set)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(profiles).where(profiles.c.username == username)).first()
        return (row.full_name, row.title) if row is not None else (None, None)

    def set_profile(
        self, username: str, full_name: str | None, title: str | None, actor: str | None = None
    ) -> None:
        """A user's full name and title (the signer of the reports they issue); sessions go on."""
        for text_ in (full_name, title):
            if text_ is not None and (len(text_) > 200 or not text_.isprintable()):
                raise AccountError("họ tên, chức vụ: tối đa 200 ký tự in được, một dòng")
        if self._row(username) is None:
            raise AccountError(f"không có người dùng {username!r}")
        values = {"full_name": full_name or None, "title": title or None}
        with self.engine.begin() as conn:
            done = conn.execute(
                update(profiles).where(profiles.c.username == username).values(**values)
            )
            if done.rowcount == 0:
                conn.execute(insert(profiles).values(username=username, **values))
            _log(conn, actor, username, "profile_set", values)

    def log(self, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """The account changes, newest first, a page at a time, and how many there are."""
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(account_log)).scalar_one()
            rows = conn.execute(
                select(account_log).order_by(account_log.c.id.desc()).limit(limit).offset(offset)
            ).all()
        return [
            {
                "at_us": r.at_us,
                "actor": r.actor,
                "username": r.username,
                "action": r.action,
                "detail": json.loads(r.detail),
            }
            for r in rows
        ], int(total)

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
        """The enabled account holding this API token, as stored now (read at every request)."""
        stamp = self._stamp("token_hash", token_digest(token))
        if stamp is None or not stamp[3]:
            return None
        return self._now(stamp)

    def all(self) -> list[Account]:
        """Every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(accounts).order_by(accounts.c.username)).all()
        return [self._account(r) for r in rows]


def _stamp_engine(engine: Engine) -> Engine:
    """Where the per-request stamp is read: the same SQLite file (a SELECT opens no
    transaction there), or PostgreSQL in autocommit (one round trip, no BEGIN and ROLLBACK)."""
    if engine.dialect.name != "postgresql":
        return engine
    return create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8)


def _add_session_version(engine: Engine) -> None:
    """The column `session_version` on a table made before it existed (sessions made before
    carry no number: they end, and their users log in again once)."""
    if "session_version" in {c["name"] for c in inspect(engine).get_columns(accounts.name)}:
        return
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    f"ALTER TABLE {accounts.name} "
                    "ADD COLUMN session_version BIGINT NOT NULL DEFAULT 0"
                )
            )
    except DBAPIError:  # another process (a gunicorn worker) added it first
        if "session_version" not in {c["name"] for c in inspect(engine).get_columns(accounts.name)}:
            raise


def _log(conn: Any, actor: str | None, username: str, action: str, detail: dict[str, Any]) -> None:
    """One entry of the account log, in the change's transaction."""
    conn.execute(
        insert(account_log).values(
            at_us=_now_us(),
            actor=actor or CLI_ACTOR,
            username=username,
            action=action,
            detail=json.dumps(detail, ensure_ascii=False),
        )
    )


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise AccountError("mật khẩu phải có ít nhất 10 ký tự")


def _now_us() -> int:
    return time.time_ns() // 1000
