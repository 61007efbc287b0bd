"""The cache of validated datasets: used only for the same bytes, code and article; never a
reason for a run to fail."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import time
from dataclasses import FrozenInstanceError
from decimal import Decimal
from hashlib import blake2b
from pathlib import Path
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from builders import ARTICLE_NAME, bundled_json, write_dataset
from policyexports import cache, loading
from policyexports.basetypes import _MODELS, _rebuild, construct
from policyexports.cli import app
from policyexports.errors import DatasetError
from policyexports.loading import Loaded
from policyexports.loading import load as plain_load
from policyexports.models import Dataset, Figure, Kind, Partner


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


def load(path: str | None = None) -> Loaded:
    """Load as the commands do: from the cache when possible, into it when valid."""
    return plain_load(path, remember=True, reuse=True)


def _kept(tmp_path: Path, cache_folder: Path) -> tuple[Path, Loaded, Path]:
    """The bundled dataset written to a file, loaded once, and the one entry that left."""
    path = write_dataset(tmp_path, bundled_json())
    first = load(str(path))
    (entry,) = _entries(cache_folder)
    return path, first, entry


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


def test_an_edited_article_is_noticed(tmp_path: Path, parses: list[str]) -> None:
    path = write_dataset(tmp_path, bundled_json())
    load(str(path))
    article = tmp_path / ARTICLE_NAME
    article.write_text(article.read_text("utf-8") + "One more line.\n", "utf-8")
    with pytest.raises(DatasetError, match="sha256"):
        load(str(path))
    assert len(parses) == 2  # validated in full, which reports the change


def test_a_removed_article_is_found_again_where_validation_would(
    tmp_path: Path, parses: list[str]
) -> None:
    path = write_dataset(tmp_path, bundled_json())
    load(str(path))
    (tmp_path / ARTICLE_NAME).unlink()  # why: the bundled article has this name and checksum
    assert load(str(path)).article == loading._bundled_file(ARTICLE_NAME).decode("utf-8")
    assert parses == [str(path)]  # the same text, so the entry still serves


def test_a_damaged_entry_is_replaced(tmp_path: Path, cache_folder: Path, parses: list[str]) -> None:
    path, first, entry = _kept(tmp_path, cache_folder)
    for damage in (b"", b"not a pickle", entry.read_bytes()[:100]):
        entry.write_bytes(damage)
        _same(first, load(str(path)))
    _same(first, load(str(path)))
    assert len(parses) == 4  # the first load and one per damage; the last from the cache


@pytest.mark.parametrize("target", ["entry", "folder"])
def test_what_others_could_write_is_not_read(
    tmp_path: Path, cache_folder: Path, parses: list[str], target: str
) -> None:
    path, _, entry = _kept(tmp_path, cache_folder)
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
    keys = _load_versions(tmp_path, cache_folder, 4)
    assert [entry.stem for entry in _entries(cache_folder)] == sorted(keys[2:])


def _load_versions(tmp_path: Path, cache_folder: Path, count: int) -> list[str]:
    """Load ``count`` versions of the dataset, oldest first; their entries' names."""
    data = bundled_json()
    keys: list[str] = []
    for number in range(count):
        data["source"]["title"] = f"Version {number}"
        path = write_dataset(tmp_path, data, name=f"v{number}.json")
        load(str(path))
        key = cache.key(path.read_bytes())
        assert key is not None
        keys.append(key)
        # why: make the order of writing plain to eviction, whatever the clock's resolution
        os.utime(cache_folder / f"{key}.pickle", (1_000_000_000 + number,) * 2)
    return keys


def test_the_key_follows_the_code(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "inner").mkdir(parents=True)
    module = package / "inner" / "module.py"
    module.write_text("A = 1\n")
    seen = {cache.code_fingerprint(package)}
    module.write_text("A = 2\n")  # the same size
    os.utime(module, ns=(1, 1))  # and a time an archive might have kept
    seen.add(cache.code_fingerprint(package))
    module.write_text("A = 22\n")
    seen.add(cache.code_fingerprint(package))
    assert len(seen) == 3
    os.utime(module, ns=(1, 1))  # only touched: a new key, so one more validation
    assert cache.code_fingerprint(package) not in seen
    seen.add(cache.code_fingerprint(package))
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "module.py").write_text("ignored")
    (package / "notes.txt").write_text("ignored")
    assert cache.code_fingerprint(package) in seen


def test_the_key_follows_a_change_an_archive_would_hide(tmp_path: Path) -> None:
    module = tmp_path / "package" / "module.py"
    module.parent.mkdir()
    module.write_text("A = 1\n")
    os.utime(module, ns=(1, 1))
    before = cache.code_fingerprint(module.parent)
    time.sleep(0.05)  # why: the system stamps files with a clock that ticks every few ms
    module.write_text("A = 2\n")  # the same size, and below the same times
    os.utime(module, ns=(1, 1))
    assert cache.code_fingerprint(module.parent) != before


@pytest.mark.parametrize("by_contents", [True, False])
def test_where_file_times_do_not_tell_a_change_the_contents_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_contents: bool
) -> None:
    module = tmp_path / "package" / "module.py"
    module.parent.mkdir()
    module.write_text("A = 1\n")
    unchanging = os.stat(module)  # why: as on Windows, where st_ctime is the creation time
    monkeypatch.setattr(os, "stat", lambda path, **_: unchanging)
    monkeypatch.setattr(cache, "_BY_CONTENTS", by_contents)
    before = cache.code_fingerprint(module.parent)
    module.write_text("A = 2\n")
    assert (cache.code_fingerprint(module.parent) != before) is by_contents


def test_the_key_follows_the_bytes() -> None:
    assert cache.key(b"{}") is not None
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
    results = [runner.invoke(app, args, env=env) for _ in range(2)]
    monkeypatch.setenv("POLICYEXPORTS_CACHE", "off")
    results.append(runner.invoke(app, args, env=env))
    assert [result.exit_code for result in results] == [0, 0, 0]
    assert results[0].stdout
    assert results[0].stdout == results[1].stdout == results[2].stdout
    assert len(parses) == 2  # the first run and the one with the cache off


def test_a_module_that_cannot_be_read_means_no_cache(tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "models.py").write_text("A = 1\n")
    (package / ".#models.py").symlink_to(tmp_path / "nowhere")  # an editor's lock file
    with pytest.raises(FileNotFoundError):
        cache.code_fingerprint(package)
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError, match="no modules found"):
        cache.code_fingerprint(tmp_path / "empty")


def test_no_key_and_no_entry_when_the_code_cannot_be_read(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    def unreadable(package: Path = cache.PACKAGE) -> bytes:
        raise PermissionError("unreadable")

    monkeypatch.setattr(cache, "code_fingerprint", unreadable)
    path = write_dataset(tmp_path, bundled_json())
    _same(load(str(path)), load(str(path)))
    assert len(parses) == 2
    assert _entries(cache_folder) == []


def test_the_code_is_not_read_when_the_cache_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(package: Path = cache.PACKAGE) -> bytes:
        raise AssertionError("fingerprint computed with the cache off")

    monkeypatch.setattr(cache, "code_fingerprint", must_not_run)
    monkeypatch.setenv("POLICYEXPORTS_CACHE", "off")
    assert cache.key(b"{}") is None
    load(str(write_dataset(tmp_path, bundled_json())))


def test_an_entry_that_is_a_link_is_not_followed(
    tmp_path: Path, cache_folder: Path, parses: list[str]
) -> None:
    path, _, entry = _kept(tmp_path, cache_folder)
    elsewhere = tmp_path / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    load(str(path))
    assert len(parses) == 2


def test_an_entry_of_another_user_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    path = write_dataset(tmp_path, bundled_json())
    load(str(path))
    monkeypatch.setattr(os, "getuid", lambda: os.stat(path).st_uid + 1)
    load(str(path))
    assert len(parses) == 2


def _made(kind: type, state: bytes) -> bytes:
    """A planted pickle that has the unpickler make an empty ``kind`` and hand it the state
    that ``state`` (pickle opcodes) pushes, as it does for a model."""
    name = f"{kind.__module__}\n{kind.__qualname__}\n".encode()
    return b"\x80\x02c" + name + b")\x81" + state + b"b."  # NEWOBJ, then BUILD


class _Rebuilding:
    """A planted entry that calls the function models were once rebuilt by."""

    def __reduce__(self) -> tuple[Any, tuple[type, tuple[()]]]:
        return (_rebuild, (Dataset, ()))


class _Planted:
    """What a planted entry would hold: an object whose unpickling runs a command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_entry_cannot_run_code(
    tmp_path: Path, cache_folder: Path, parses: list[str]
) -> None:
    path, first, entry = _kept(tmp_path, cache_folder)
    marker = tmp_path / "ran"
    _plant(entry, pickle.dumps(_Planted(marker)))
    _same(first, load(str(path)))
    assert not marker.exists()
    assert len(parses) == 2


def _with_persistent_id(pid: object) -> bytes:
    class Pickler(pickle.Pickler):
        def persistent_id(self, obj: Any) -> object:
            return pid if obj == "marked" else None

    buffer = io.BytesIO()
    Pickler(buffer).dump(["marked"])
    return buffer.getvalue()


_SOURCE = plain_load(None).dataset.source  # why: the bundled dataset's, so only figures differ


def _plant(entry: Path, payload: bytes) -> None:
    """Write an entry as the cache does, checksum and all, for the article of the entry that
    was there: what someone planting one would do."""
    article = entry.read_bytes()[32:64]
    entry.write_bytes(blake2b(article + payload, digest_size=32).digest() + article + payload)


@pytest.mark.parametrize(
    "planted",
    [
        pickle.dumps(("a", "b")),
        pickle.dumps(None),
        pickle.dumps(construct(Dataset, source=cast(Any, "not a source"), figures=())),
        pickle.dumps(construct(Dataset, source=_SOURCE, figures=cast(Any, "abc"))),
        pickle.dumps(construct(Dataset, source=_SOURCE, figures=cast(Any, (1, 2)))),
        _made(Dataset, b")"),  # a model gets one value per field
        _made(Dataset, b"N"),
        _made(Decimal, b"X\x01\x00\x00\x001\x85"),  # a decimal takes no state
        _made(Kind, b")"),  # an enum is not made empty
        pickle.dumps(_Rebuilding()),  # and no function may be called
        b"cpolicyexports.models\nStrEnum\n.",  # a name the module only imports
        b"cpolicyexports.models\nKIND_LABEL\n.",  # not a class
        b"not a pickle",
        _with_persistent_id(("names", ("a",))),
    ],
)
def test_a_planted_entry_of_another_shape_is_validated_again(
    tmp_path: Path, cache_folder: Path, parses: list[str], planted: bytes
) -> None:
    path, first, entry = _kept(tmp_path, cache_folder)
    _plant(entry, planted)
    _same(first, load(str(path)))
    assert len(parses) == 2


def _pickles(entry: Path) -> list[Any]:
    stream = io.BytesIO(entry.read_bytes()[64:])
    found = []
    while stream.tell() < len(stream.getbuffer()):
        found.append(cache._ModelsOnly(stream).load())
    return found


def test_an_entry_of_several_pickles_is_read_back_whole(
    tmp_path: Path, cache_folder: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_CHUNK", 3)
    path, first, entry = _kept(tmp_path, cache_folder)
    outline, *chunks = _pickles(entry)
    assert outline.figures == outline.claims == ()
    figures = [item for section, items in chunks if section == "figures" for item in items]
    claims = [item for section, items in chunks if section == "claims" for item in items]
    assert tuple(figures) == first.dataset.figures
    assert tuple(claims) == first.dataset.claims
    assert all(len(items) <= 3 for _, items in chunks)
    assert len(chunks) == -(-len(figures) // 3) + -(-len(claims) // 3)
    second = load(str(path))
    _same(first, second)
    assert second.dataset == first.dataset
    assert parses == [str(path)]


def test_a_large_entry_is_read_back_whole_with_written_out_setstate(
    tmp_path: Path, cache_folder: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_UNROLL_ABOVE", 0)  # why: as for an entry over 1 MiB
    try:
        path, first, _ = _kept(tmp_path, cache_folder)
        second = load(str(path))
        assert "__setstate__" in Figure.__dict__
        _same(first, second)
        assert second.dataset == first.dataset
        assert parses == [str(path)]
    finally:  # why: the other tests run with the loop most runs use
        for made in _MODELS:
            if "__setstate__" in made.__dict__:
                type.__delattr__(made, "__setstate__")


@pytest.mark.parametrize(
    "extra",
    [
        ("elsewhere", ()),
        ("figures", ["not a tuple"]),
        ("figures", (1, 2, 3)),  # not figures
        ("claims", (construct(Partner, city="x"),)),  # models, but not claims
        "not a pair",
    ],
)
def test_a_chunk_of_another_shape_is_validated_again(
    tmp_path: Path, cache_folder: Path, parses: list[str], extra: object
) -> None:
    path, first, entry = _kept(tmp_path, cache_folder)
    (outline, *chunks) = _pickles(entry)
    payload = b"".join(pickle.dumps(part) for part in [outline, *chunks, extra])
    _plant(entry, payload)
    _same(first, load(str(path)))
    assert len(parses) == 2


def test_only_the_package_s_own_classes_are_unpickled() -> None:
    assert cache._ModelsOnly(io.BytesIO(b"cpolicyexports.models\nFigure\n.")).load() is Figure
    assert cache._ModelsOnly(io.BytesIO(b"cdecimal\nDecimal\n.")).load() is Decimal
    for name in (b"os\nsystem", b"policyexports.models\nStrEnum", b"builtins\neval"):
        with pytest.raises(pickle.UnpicklingError, match="not allowed"):
            cache._ModelsOnly(io.BytesIO(b"c" + name + b"\n.")).load()


def test_an_entry_damaged_but_still_a_pickle_is_not_served(
    tmp_path: Path, cache_folder: Path, parses: list[str]
) -> None:
    path, first, entry = _kept(tmp_path, cache_folder)
    content = entry.read_bytes()
    assert b"644500000000" in content
    entry.write_bytes(content.replace(b"644500000000", b"744500000000", 1))
    second = load(str(path))
    _same(first, second)
    assert len(parses) == 2


def test_a_fifo_in_place_of_an_entry_does_not_hang(tmp_path: Path, cache_folder: Path) -> None:
    path, _, entry = _kept(tmp_path, cache_folder)
    entry.unlink()
    os.mkfifo(entry, 0o600)
    probe = (
        "from policyexports.loading import load; "
        f"load({str(path)!r}, remember=True, reuse=True); print('loaded')"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "loaded", done.stderr


def test_a_relative_home_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYEXPORTS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "relative/home")
    assert cache.folder() is None


def test_a_home_folder_that_does_not_exist_is_not_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POLICYEXPORTS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "no-such-home"))
    assert cache.folder() is None
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.folder() == tmp_path / ".cache" / "policyexports"


def test_a_dataset_too_large_to_keep_is_not_kept(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_dataset(tmp_path, bundled_json())
    monkeypatch.setattr(cache, "KEEP_BYTES", 2 * len(path.read_bytes()) - 2)
    assert cache.key(path.read_bytes()) is None
    load(str(path))
    assert _entries(cache_folder) == []


def test_entries_beyond_the_size_limit_are_removed(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 2 * len(write_dataset(tmp_path, bundled_json()).read_bytes())  # keeps these
    monkeypatch.setattr(cache, "KEEP_BYTES", limit)
    keys = _load_versions(tmp_path, cache_folder, 6)
    kept = _entries(cache_folder)
    assert sum(entry.stat().st_size for entry in kept) <= limit
    assert 1 <= len(kept) < 6
    assert sorted(entry.stem for entry in kept) == sorted(keys[-len(kept) :])  # the newest


def test_models_from_the_cache_are_equal_slotted_and_stay_frozen(
    tmp_path: Path, parses: list[str]
) -> None:
    path = write_dataset(tmp_path, bundled_json())
    fresh = load(str(path)).dataset
    kept = load(str(path)).dataset
    assert parses == [str(path)]  # the second came from the cache
    assert kept == fresh
    assert kept is not fresh
    assert hash(kept) == hash(fresh)
    for a, b in zip(fresh.figures, kept.figures, strict=True):
        assert type(a) is type(b)
        assert type(a.value) is type(b.value)
        assert a == b
        assert repr(a) == repr(b)
        assert not hasattr(b, "__dict__")  # fields only, in slots
    first = kept.figures[0]
    with pytest.raises(FrozenInstanceError):
        first.note = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del first.value.written
    assert first == fresh.figures[0]
