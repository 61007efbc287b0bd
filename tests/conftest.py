"""Every test gets a cache folder of its own, so no test reads or writes the user's cache;
what a command froze and held to the end of its process is let go after each test."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from policyexports.cli import common


@pytest.fixture(autouse=True)
def cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.delenv("POLICYEXPORTS_CACHE", raising=False)
    monkeypatch.setenv("POLICYEXPORTS_CACHE_DIR", str(folder))
    yield folder
    # why: commands freeze and hold what they load; in one test process that adds up
    gc.unfreeze()
    common.let_go()
