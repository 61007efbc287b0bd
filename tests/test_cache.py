"""The cache of validated datasets: used only for the same bytes, code and article; never a
reason for a run to fail."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builders import ARTICLE_NAME, bundled_json, write_dataset
from policyexports import cache, loading
from policyexports.cli import app
from policyexports.errors import DatasetError
from policyexports.loading import Loaded, load


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the datasets that were parsed and validated (not taken from the cache)."""
    seen: list[str] = []
    parse = loading._parse

    def counting(name: str, text: str) -> Any:
        seen.append(name)
        return parse(name, text)

    monkeypatch.setattr(loading, "_parse", counting)
    return seen


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def _same(first: Loaded, second: Loaded) -> None:
    assert second.dataset == first.dataset
    assert second.article == first.article
    assert second.name == first.name


def test_the_same_bytes_are_validated_once(
    tmp_path: Path, cache_folder: Path, parses: list[str]
) -> None:
    path = write_dataset(tmp_path, bundled_json())
    first = load(str(path))
    assert len(_entries(cache_folder)) == 1
    second = load(str(path))
    _same(first, second)
    assert parses == [str(path)]


def test_the_bundled_dataset_is_cached_too(cache_folder: Path, parses: list[str]) -> None:
    _same(load(), load())
    assert len(parses) == 1
    assert len(_entries(cache_folder)) == 1


def test_one_changed_byte_is_validated_again(
    tmp_path: Path, cache_folder: Path, parses: list[str]
) -> None:
    data = bundled_json()
    path = write_dataset(tmp_path, data)
    load(str(path))
    data["figures"][0]["label"] += "!"
    write_dataset(tmp_path, data)
    assert load(str(path)).dataset.figures[0].label.endswith("!")
    assert len(parses) == 2
    assert len(_entries(cache_folder)) == 2


def test_an_invalid_dataset_is_never_cached(tmp_path: Path, cache_folder: Path) -> None:
    data = bundled_json()
    data["figures"][0]["quote"] = "Not a sentence of the article."
    path = write_dataset(tmp_path, data)
    for _ in range(2):
        with pytest.raises(DatasetError, match="quote"):
            load(str(path))
    assert _entries(cache_folder) == []


@pytest.mark.parametrize("change", ["edited", "removed"])
def test_the_article_is_checked_on_every_run(tmp_path: Path, change: str) -> None:
    path = write_dataset(tmp_path, bundled_json())
    load(str(path))
    article = tmp_path / ARTICLE_NAME
    if change == "edited":
        article.write_text(article.read_text("utf-8") + "One more line.\n", "utf-8")
        expected = "sha256"
    else:
        article.unlink()  # why: the bundled article has this name and checksum: still found
        expected = None
    if expected is None:
        assert load(str(path)).article == loading._bundled_file(ARTICLE_NAME).decode("utf-8")
    else:
        with pytest.raises(DatasetError, match=expected):
            load(str(path))


def test_a_damaged_entry_is_replaced(tmp_path: Path, cache_folder: Path, parses: list[str]) -> None:
    path = write_dataset(tmp_path, bundled_json())
    first = load(str(path))
    (entry,) = _entries(cache_folder)
    for damage in (b"", b"not a pickle", entry.read_bytes()[:100]):
        entry.write_bytes(damage)
        _same(first, load(str(path)))
    _same(first, load(str(path)))
    assert len(parses) == 4  # the first load and one per damage; the last from the cache


@pytest.mark.parametrize("target", ["entry", "folder"])
def test_what_others_could_write_is_not_read(
    tmp_path: Path, cache_folder: Path, parses: list[str], target: str
) -> None:
    path = write_dataset(tmp_path, bundled_json())
    load(str(path))
    (entry,) = _entries(cache_folder)
    (entry if target == "entry" else cache_folder).chmod(0o777 if target == "folder" else 0o666)
    load(str(path))
    assert len(parses) == 2


def test_a_cache_that_cannot_be_written_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("POLICYEXPORTS_CACHE_DIR", str(blocker / "cache"))
    path = write_dataset(tmp_path, bundled_json())
    _same(load(str(path)), load(str(path)))
    assert len(parses) == 2


@pytest.mark.parametrize("value", ["off", "0", "no", "false", "OFF "])
def test_the_cache_can_be_turned_off(
    tmp_path: Path,
    cache_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    parses: list[str],
    value: str,
) -> None:
    monkeypatch.setenv("POLICYEXPORTS_CACHE", value)
    path = write_dataset(tmp_path, bundled_json())
    load(str(path))
    load(str(path))
    assert len(parses) == 2
    assert _entries(cache_folder) == []


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("POLICYEXPORTS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.folder() == tmp_path / "policyexports"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.folder() == tmp_path / ".cache" / "policyexports"


def test_validate_always_validates_and_leaves_an_entry(
    tmp_path: Path, cache_folder: Path, parses: list[str]
) -> None:
    path = write_dataset(tmp_path, bundled_json())
    runner = CliRunner()
    for _ in range(2):
        assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    assert len(parses) == 2
    assert len(_entries(cache_folder)) == 1
    assert runner.invoke(app, ["summary", "--data", str(path)]).exit_code == 0
    assert len(parses) == 2  # summary took what validate had checked


def test_only_the_most_recent_entries_are_kept(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    data = bundled_json()
    keys = []
    for number in range(4):
        data["source"]["title"] = f"Version {number}"
        path = write_dataset(tmp_path, data, name=f"v{number}.json")
        load(str(path))
        keys.append(cache.key(path.read_bytes()))
        # why: make the order of writing plain to eviction, whatever the clock's resolution
        os.utime(cache_folder / f"{keys[-1]}.pickle", (1_000_000_000 + number,) * 2)
    assert [entry.stem for entry in _entries(cache_folder)] == sorted(keys[2:])


def test_the_key_follows_the_code(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "inner").mkdir(parents=True)
    module = package / "inner" / "module.py"
    module.write_text("A = 1\n")
    seen = {cache.code_fingerprint(package)}
    module.write_text("A = 22\n")  # another size
    seen.add(cache.code_fingerprint(package))
    os.utime(module, ns=(1, 1))  # the same size, another time
    seen.add(cache.code_fingerprint(package))
    assert len(seen) == 3
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "module.py").write_text("ignored")
    (package / "notes.txt").write_text("ignored")
    assert cache.code_fingerprint(package) in seen


def test_the_key_follows_the_bytes() -> None:
    assert cache.key(b"{}") == cache.key(b"{}")
    assert cache.key(b"{}") != cache.key(b"{} ")


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "--format", "json"],
        ["list", "--format", "csv"],
        ["check", "--format", "json"],
        ["explain", "transport-share"],
    ],
)
def test_output_is_the_same_from_the_cache(
    args: list[str], monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    runner = CliRunner()
    env = {"POLICYEXPORTS_DATA": "", "NO_COLOR": "1"}
    outputs = [runner.invoke(app, args, env=env).stdout for _ in range(2)]
    monkeypatch.setenv("POLICYEXPORTS_CACHE", "off")
    outputs.append(runner.invoke(app, args, env=env).stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(parses) == 2  # the first run and the one with the cache off
