"""Where the application's log goes (nhật ký vận hành): one file per installation, never the user.

Every module logs to its own `logging.getLogger(__name__)`; the entry points call `configure`
once. The log is `$NGOAIVU_DATA/ngoaivu.log` (rotated at 5 MB, 5 kept) unless `NGOAIVU_LOG`
names another file, or `-` for stderr (a server under a supervisor); `NGOAIVU_LOG_LEVEL` sets the
level (default INFO). Tracebacks go here, and only here: a user sees a message.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"
_configured: list[Path | None] = []  # once configured: the file written (None: stderr)


def log_path(data_dir: Path) -> Path | None:
    """The log file of an installation (None: stderr)."""
    chosen = os.environ.get("NGOAIVU_LOG", "")
    if chosen == "-":
        return None
    return Path(chosen) if chosen else data_dir / "ngoaivu.log"


def configure(data_dir: Path) -> Path | None:
    """Send the application's loggers to the installation's log, once per process.

    Returns the file it writes (None for stderr, or when the program that runs us configured
    logging itself: its handlers are kept, as `logging.basicConfig` would). A log that cannot be
    opened (a read-only folder) falls back to stderr at WARNING: no command fails for its log.
    """
    if _configured:
        return _configured[0]
    if logging.getLogger().handlers:  # the embedding program's own (gunicorn, pytest) stays
        return None
    level = os.environ.get("NGOAIVU_LOG_LEVEL", "INFO").upper()
    path = log_path(data_dir)
    handler: logging.Handler
    if path is None:
        handler = logging.StreamHandler()
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=5 << 20, backupCount=5, encoding="utf-8"
            )
        except OSError:
            handler, path, level = logging.StreamHandler(), None, "WARNING"
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.getLogger().addHandler(handler)
    if level not in logging.getLevelNamesMapping():
        level = "INFO"
    for name in ("domain", "service", "projections", "documents", "cli", "web"):
        logging.getLogger(name).setLevel(level)
    _configured.append(path)
    return path
