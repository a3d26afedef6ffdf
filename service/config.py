"""Configuration from the environment: where the event store and the read models live."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ConfigError(ValueError):
    """A setting that cannot be used."""


@dataclass(frozen=True)
class Settings:
    """Where the data lives: SQLite files under `data_dir`, or PostgreSQL at `database_url`."""

    data_dir: Path
    database_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read NGOAIVU_DATA (default ./var) and DATABASE_URL."""
        env = os.environ if environ is None else environ
        return cls(Path(env.get("NGOAIVU_DATA") or "./var"), env.get("DATABASE_URL") or None)

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
        }

    def read_model_url(self) -> str:
        """The SQLAlchemy URL of the read models (beside the event store)."""
        if not self.is_postgres:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{(self.data_dir / 'readmodels.sqlite').resolve()}"
        p = self._url_parts()
        auth = p["user"] + (f":{p['password']}" if p["password"] else "")
        return f"postgresql+psycopg://{auth}@{p['host']}:{p['port']}/{p['dbname']}"
