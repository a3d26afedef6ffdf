"""A large import's hash chain is linked by a forked child while the read models catch up; if
the child fails, the command links the events itself. Either way `verify` finds every link."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from service import chain as chain_module
from tests.conftest import Cli
from tests.integration.test_crash import Store, big_file, run

TASKS = 600  # ~6,600 events: above chain.ASIDE_EVENTS


def links(store: Store) -> int:
    return store._query("SELECT count(*) FROM ngoaivu_chain", events=True)[0][0]


def test_a_large_import_is_linked_whole(sqlite_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    lines = big_file(path, "so-thu", tasks=TASKS)
    assert lines > chain_module.ASIDE_EVENTS
    done = run(sqlite_env, "import", "--backfill", "--quiet", str(path))
    assert done.returncode == 0, done.stderr
    store = Store(sqlite_env)
    assert links(store) == store.count() == lines
    verified = run(sqlite_env, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_failed_child_leaves_the_linking_to_the_command(
    sqlite_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "child-ran"

    def failing_child(settings: object) -> None:
        marker.write_text("ran")
        os._exit(3)  # as if killed before linking anything

    monkeypatch.setattr(chain_module, "_extend_in_child", failing_child)
    assert threading.active_count() == 1, "a fork needs a process with one thread"
    path = tmp_path / "big.jsonl"
    lines = big_file(path, "so-thu", tasks=TASKS)
    with sqlite_cli.runtime() as rt:
        rt.import_file(path, actor="thu", backfill=True, link_aside=True)
        assert marker.exists(), "the chain was not extended aside"
        check = rt.chain.verify()
    assert check.broken is None and check.unchained == 0
    assert check.events == lines == links(Store(sqlite_cli.env))


def test_small_imports_and_threaded_processes_link_in_process(sqlite_cli: Cli) -> None:
    with sqlite_cli.runtime() as rt:
        assert rt.chain.extend_aside() is None  # nothing to link
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        try:
            assert rt.chain.extend_aside(at_least=0) is None  # a web server's threads: no fork
        finally:
            stop.set()
            other.join()


def test_only_the_command_line_import_links_aside(
    sqlite_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web application imports through `import_file` without `link_aside`: no fork."""
    forked = []
    monkeypatch.setattr(chain_module.Chain, "extend_aside", lambda self: forked.append(1))
    path = tmp_path / "big.jsonl"
    big_file(path, "so-thu", tasks=TASKS)
    with sqlite_cli.runtime() as rt:
        rt.import_file(path, actor="thu", backfill=True)
        assert rt.chain.verify().unchained == 0
    assert forked == []
