"""Settings from the environment: the import page must be a positive whole number."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import ConfigError, Settings


def test_import_page_is_read_and_defaults_to_none() -> None:
    assert Settings.from_env({"NGOAIVU_IMPORT_PAGE": "500"}).import_page == 500
    assert Settings.from_env({}).import_page is None
    assert Settings.from_env({}).data_dir == Path("./var")


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "1.5"])
def test_a_bad_import_page_is_named(bad: str) -> None:
    with pytest.raises(ConfigError, match=f"NGOAIVU_IMPORT_PAGE .*{bad!r}"):
        Settings.from_env({"NGOAIVU_IMPORT_PAGE": bad})
