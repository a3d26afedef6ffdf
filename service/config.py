"""Configuration from the environment: where the event store and the read models live."""

from __future__ import annotations

import binascii
import json
import os
from base64 import b64decode
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# AES-GCM from the `cryptography` package (eventsourcing's cipher strategy).
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"


class ConfigError(ValueError):
    """A setting that cannot be used."""


class CipherKeyError(RuntimeError):
    """The cipher key does not open the stored events (wrong, missing, or not needed)."""


def probe_cipher(recorder: Any, cipher: Any) -> bool:
    """Check the key against the first stored event; True when the store is sealed.

    Sealed: the events are encrypted and no key is set. The hash chain covers the stored bytes,
    so it can still be verified; nothing can be read, projected or written.
    """
    try:
        first = recorder.select_notifications(start=1, limit=1, inclusive_of_start=True)
    except (TypeError, ValueError):  # a row the library cannot read: `verify` names it
        return False
    if not first:
        return False
    state = first[0].state
    if cipher is None:
        try:
            json.loads(state)
        except ValueError:
            return True
        return False
    try:
        cipher.decrypt(state)
    except ValueError:
        try:
            json.loads(state)
        except ValueError:
            raise CipherKeyError(
                f"NGOAIVU_CIPHER_KEY không đúng: không giải mã được sự kiện @{first[0].id}"
            ) from None
        raise CipherKeyError(
            "kho sự kiện này không mã hóa: bỏ NGOAIVU_CIPHER_KEY (không trộn sự kiện mã hóa "
            "và không mã hóa trong một kho)"
        ) from None
    return False


@dataclass(frozen=True)
class Settings:
    """Where the data lives: SQLite files under `data_dir`, or PostgreSQL at `database_url`."""

    data_dir: Path
    database_url: str | None = None
    cipher_key: str | None = None  # NGOAIVU_CIPHER_KEY: event state encrypted at rest when set
    import_page: int | None = None  # NGOAIVU_IMPORT_PAGE: records an import holds in memory
    chain_key: str | None = None  # NGOAIVU_CHAIN_KEY: the chain's keys (service.integrity.keyring)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read NGOAIVU_DATA (default ./var), DATABASE_URL, NGOAIVU_CIPHER_KEY, _IMPORT_PAGE and
        _CHAIN_KEY."""
        env = os.environ if environ is None else environ
        page = env.get("NGOAIVU_IMPORT_PAGE") or None
        if page is not None and not (page.isascii() and page.isdigit() and int(page) > 0):
            raise ConfigError(f"NGOAIVU_IMPORT_PAGE phải là số nguyên dương, không phải {page!r}")
        return cls(
            Path(env.get("NGOAIVU_DATA") or "./var"),
            env.get("DATABASE_URL") or None,
            env.get("NGOAIVU_CIPHER_KEY") or None,
            int(page) if page is not None else None,
            env.get("NGOAIVU_CHAIN_KEY") or None,
        )

    @property
    def is_postgres(self) -> bool:
        """Whether the store is PostgreSQL."""
        return self.database_url is not None

    def _url_parts(self) -> dict[str, str]:
        assert self.database_url is not None
        url = urlsplit(self.database_url)
        if url.scheme.split("+")[0] not in ("postgresql", "postgres"):
            raise ConfigError(f"DATABASE_URL phải là postgresql://…, không phải {url.scheme!r}")
        dbname = unquote(url.path.lstrip("/"))
        if not dbname:
            raise ConfigError("DATABASE_URL thiếu tên cơ sở dữ liệu")
        return {
            "dbname": dbname,
            "host": url.hostname or "127.0.0.1",
            "port": str(url.port or 5432),
            "user": unquote(url.username or "postgres"),
            "password": unquote(url.password or ""),
        }

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing Application's environment for this store."""
        return {**self._store_env(), **self._cipher_env()}

    def _cipher_env(self) -> dict[str, str]:
        if not self.cipher_key:
            return {}
        try:
            size = len(b64decode(self.cipher_key, validate=True))
        except (binascii.Error, ValueError):
            size = 0
        if size not in (16, 24, 32):
            raise ConfigError(
                "NGOAIVU_CIPHER_KEY phải là khóa AES 16, 24 hoặc 32 byte mã base64 "
                "(tạo bằng AESCipher.create_key(num_bytes=32))"
            )
        return {"CIPHER_TOPIC": CIPHER_TOPIC, "CIPHER_KEY": self.cipher_key}

    def _store_env(self) -> dict[str, str]:
        if not self.is_postgres:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.data_dir / "events.sqlite"),
                "SQLITE_LOCK_TIMEOUT": "60",
            }
        parts = self._url_parts()
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": parts["dbname"],
            "POSTGRES_HOST": parts["host"],
            "POSTGRES_PORT": parts["port"],
            "POSTGRES_USER": parts["user"],
            "POSTGRES_PASSWORD": parts["password"],
            "POSTGRES_LOCK_TIMEOUT": "60",
            # Large imports hang in psycopg's pipeline mode: see PostgresRecorder.
            "APPLICATION_RECORDER_TOPIC": "service.pg_recorder:PostgresRecorder",
        }

    def read_model_url(self) -> str:
        """The SQLAlchemy URL of the read models (beside the event store)."""
        if not self.is_postgres:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{(self.data_dir / 'readmodels.sqlite').resolve()}"
        p = self._url_parts()
        auth = p["user"] + (f":{p['password']}" if p["password"] else "")
        return f"postgresql+psycopg://{auth}@{p['host']}:{p['port']}/{p['dbname']}"
