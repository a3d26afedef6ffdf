"""The operations log: outcomes and tracebacks go to the installation's log, never to the user."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli

ORG = {"kind": "org.registered", "org": "ha-tinh", "at": "2020-01-01", "name": "Sở Ngoại vụ"}


def _file(tmp_path: Path, *lines: dict) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def test_import_outcome_and_refusal_are_logged(
    sqlite_cli: Cli, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="service")
    assert sqlite_cli("import", str(_file(tmp_path, ORG))).exit_code == 0
    bad = dict(ORG, org="BAD ORG")
    assert sqlite_cli("import", str(_file(tmp_path, bad))).exit_code == 2
    messages = [r.getMessage() for r in caplog.records if r.name == "service.commands.gateway"]
    assert any("in.jsonl by tester: added 1, skipped 0, position @" in m for m in messages)
    assert any("rejected: 1 lines" in m and "org" in m for m in messages)


def test_an_unexpected_error_goes_to_the_log_with_its_traceback(
    sqlite_cli: Cli, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from service.runtime import Runtime

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("đĩa hỏng")

    monkeypatch.setattr(Runtime, "catch_up", broken)
    result = sqlite_cli("search", "ha-tinh", "doan")
    assert result.exit_code == 3
    assert "Lỗi hệ thống (RuntimeError): đĩa hỏng" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    failed = [r for r in caplog.records if r.name == "cli.common"]
    assert failed and failed[0].exc_info and failed[0].exc_info[0] is RuntimeError


def test_verify_result_is_logged(sqlite_cli: Cli, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="cli")
    assert sqlite_cli("verify").exit_code == 0
    assert any(r.getMessage().startswith("verify: intact") for r in caplog.records)


def test_a_command_writes_the_installation_log(tmp_path: Path) -> None:
    """Run as a program (no test runner's logging): the log file is `$NGOAIVU_DATA/ngoaivu.log`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NGOAIVU_LOG")}
    env |= {"NGOAIVU_DATA": str(tmp_path / "var"), "NGOAIVU_ACTOR": "clerk"}
    source = _file(tmp_path, ORG)
    done = subprocess.run(
        [sys.executable, "-c", "from cli import main; main()", "import", str(source)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "var" / "ngoaivu.log").read_text("utf-8")
    assert "INFO service.commands.gateway" in log and "in.jsonl by clerk: added 1" in log
    assert "INFO" not in done.stderr  # the user sees the command's output, not the log
