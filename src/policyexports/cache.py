"""Datasets that passed validation, kept between runs so the same bytes are not validated twice.

An entry is found by the SHA-256 of the dataset's bytes together with the code that
validated them (this package's source files by size and modification time, as Python
invalidates its own bytecode, and the versions of Python, pydantic and pydantic-core). It
holds the validated models and the checksum of the article their quotes were found in; the
loader uses it only when the article it finds now has that same checksum. Any other
difference (one changed byte of the dataset or of the article, an edited module, another
pydantic) misses, and the dataset is validated in full again.

Entries are pickles, read only when they are regular files owned by this user and written by
no one else, in a folder only this user can enter. Anything unexpected (no home folder, a
read-only disk, a damaged entry) is treated as a miss: the cache can make a run faster, never
make it fail.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policyexports.models import Dataset

ENV_DISABLE = "POLICYEXPORTS_CACHE"  # "off" (or 0, no, false) turns the cache off
ENV_DIR = "POLICYEXPORTS_CACHE_DIR"
# why: an entry of 100,000 figures is about 60 MB; keep the most recent few, never a lot
KEEP = 8
KEEP_BYTES = 256 * 2**20
_SUFFIX = ".pickle"
_OFF = {"off", "0", "no", "false"}


def folder() -> Path | None:
    """Where entries live, or ``None`` when the cache is turned off."""
    if os.environ.get(ENV_DISABLE, "").strip().lower() in _OFF:
        return None
    if chosen := os.environ.get(ENV_DIR):
        return Path(chosen)
    if base := os.environ.get("XDG_CACHE_HOME"):
        return Path(base) / "policyexports"
    try:
        return Path.home() / ".cache" / "policyexports"
    except RuntimeError:  # why: no home folder is known for this user
        return None


PACKAGE = Path(__file__).parent


def code_fingerprint(package: Path = PACKAGE) -> bytes:
    """This code, as far as validation goes: the versions it runs on and its modules."""
    import pydantic
    import pydantic_core

    digest = hashlib.sha256()
    for part in (sys.version, pydantic.VERSION, pydantic_core.__version__):
        digest.update(part.encode() + b"\0")
    pending = [str(package)]
    while pending:
        with os.scandir(pending.pop()) as found:
            for item in sorted(found, key=lambda item: item.name):
                if item.is_dir() and item.name != "__pycache__":
                    pending.append(item.path)
                elif item.name.endswith(".py"):
                    info = item.stat()
                    name = os.path.relpath(item.path, package)
                    digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.digest()


def key(raw: bytes) -> str:
    """The name of the entry for a dataset of these bytes, validated by this code."""
    digest = hashlib.sha256(code_fingerprint())
    digest.update(raw)
    return digest.hexdigest()


def _private(path: Path, kind: int) -> bool:
    """A file or folder of this kind that only this user can change."""
    info = path.lstat()
    if stat.S_IFMT(info.st_mode) != kind or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    owner = getattr(os, "getuid", None)
    return owner is None or info.st_uid == owner()


def recall(entry: str) -> tuple[Dataset, str] | None:
    """The dataset and article checksum kept under ``entry``, or ``None``."""
    where = folder()
    if where is None:
        return None
    path = where / (entry + _SUFFIX)
    try:
        # why: a pickle runs code as it loads; read only what no one else could have written
        if not (_private(where, stat.S_IFDIR) and _private(path, stat.S_IFREG)):
            return None
        with path.open("rb") as handle:
            kept = pickle.load(handle)
        os.utime(path)  # why: eviction removes the entries used least recently
    except Exception:  # why: a missing or damaged entry only means validating again
        return None
    from policyexports.models import Dataset

    if (
        not isinstance(kept, tuple)
        or len(kept) != 2
        or not isinstance(kept[0], Dataset)
        or not isinstance(kept[1], str)
    ):
        return None
    return kept[0], kept[1]


def remember(entry: str, dataset: Dataset, article_sha256: str, size: int) -> None:
    """Keep a validated dataset of ``size`` bytes under ``entry``; on any failure, nothing."""
    where = folder()
    if where is None or size > KEEP_BYTES // 2:  # why: an entry is about as large as its JSON
        return
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=where)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((dataset, article_sha256), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, where / (entry + _SUFFIX))
        except BaseException:
            os.unlink(temporary)
            raise
        _evict(where)
    except Exception:  # why: a read-only or full disk costs speed next time, nothing else
        return


def _evict(where: Path) -> None:
    entries = sorted(
        ((path.stat(), path) for path in where.glob("*" + _SUFFIX)),
        key=lambda entry: entry[0].st_mtime_ns,
        reverse=True,
    )
    total = 0
    for count, (info, path) in enumerate(entries):
        total += info.st_size
        if count >= KEEP or total > KEEP_BYTES:
            path.unlink(missing_ok=True)
