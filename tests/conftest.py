"""Every test gets a cache folder of its own, so no test reads or writes the user's cache,
and the test process cannot be ended from within (``os._exit``)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest


@pytest.fixture(autouse=True)
def cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.delenv("POLICYEXPORTS_CACHE", raising=False)
    monkeypatch.setenv("POLICYEXPORTS_CACHE_DIR", str(folder))
    yield folder
    gc.unfreeze()  # why: commands freeze what they load; in one test process that adds up


@pytest.fixture(autouse=True)
def _no_hard_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    """why: the script ends its process by ``os._exit`` (``_entry.script``). Called in the
    test process, it would end pytest with the command's exit code, 0 for most, and no
    report: a run cut short that looks like a pass."""

    def refused(status: int) -> NoReturn:
        raise AssertionError(f"os._exit({status}) in the test process")

    monkeypatch.setattr(os, "_exit", refused)
