"""Datasets that passed validation, kept between runs so the same bytes are not validated twice.

An entry is found by a digest of the dataset's bytes together with the code that validated
them: this package's version, every one of its modules and the core schema its validator
is built from (``prebuilt.py``), each known by its size, inode and times of modification
and status change, and the versions of Python, pydantic and pydantic-core. It holds the
validated models and a digest of the article their quotes were found in; the loader uses
it only when the article it finds now has that same digest. Any other difference (one
changed byte of the dataset, of the article or of a module, another pydantic) misses, and
the dataset is validated in full again.

Entries are pickles (the dataset's outline, then its figures and claims a chunk at a time)
behind a digest of their own, so a damaged one is never served. One is read only when it
and its folder are owned by this user and writable by no one else, and unpickling may name
nothing but this package's models and enums and ``decimal.Decimal`` (a model is made empty
and given its field values by ``Frozen.__setstate__``): a planted entry cannot run code (it
could still alter what that one run shows, or stop it, which takes writing files as this
user). Anything unexpected (no home folder, a read-only disk, a damaged entry, a module
that cannot be read) is a miss: the cache can make a run faster, never make it fail.

Digests are BLAKE2b of 32 bytes, from the interpreter's builtin module: ``hashlib`` loads
OpenSSL when imported, and ``pickle`` is the pure-Python face of ``_pickle``; the two took
4 to 5 ms of every run from the cache, a fifth of its own time.
"""

from __future__ import annotations

import enum
import io
import os
import stat
import sys
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

try:
    from _blake2 import blake2b
    from _pickle import Unpickler, UnpicklingError
except ImportError:  # pragma: no cover - an interpreter without CPython's builtin modules
    from hashlib import blake2b
    from pickle import Unpickler, UnpicklingError

if TYPE_CHECKING:
    from policyexports.models import Dataset

ENV_DISABLE = "POLICYEXPORTS_CACHE"  # "off" (or 0, no, false) turns the cache off
ENV_DIR = "POLICYEXPORTS_CACHE_DIR"
# why: an entry of 100,000 figures is about 60 MiB; keep the most recent few, never a lot
KEEP = 8
KEEP_BYTES = 256 * 2**20
PACKAGE = Path(__file__).parent
_SUFFIX = ".pickle"
_TEMPORARY = ".entry-"
_OFF = {"off", "0", "no", "false"}
_DIGEST_SIZE = 32  # an entry is its digest, the article's digest, then the pickles
_CHUNK = 4096  # figures or claims per pickle
_UNROLL_ABOVE = 2**20  # why: about 3,000 figures, where basetypes.unroll_setstate pays off
_BY_CONTENTS = os.name == "nt"  # why: there st_ctime is when a file was made, not changed
CORE_SCHEMA = "core-schema.json"  # why: the dataset's validator is built from it (prebuilt.py)
_MODEL_MODULES = {"policyexports.models", "policyexports.claims", "policyexports.quantities"}


def folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where entries live, or ``None`` when the cache is off or has nowhere to live."""
    env = os.environ if environ is None else environ
    if env.get(ENV_DISABLE, "").strip().lower() in _OFF:
        return None
    if chosen := env.get(ENV_DIR):
        return Path(chosen)
    # why: the XDG specification says a relative XDG_CACHE_HOME is to be ignored
    if (base := env.get("XDG_CACHE_HOME", "")) and os.path.isabs(base):
        return Path(base) / "policyexports"
    try:
        home = Path.home()
    except RuntimeError:  # why: no home folder is known for this user
        return None
    # why: a home folder that does not exist (HOME set to a wrong path) is not made here
    return home / ".cache" / "policyexports" if home.is_absolute() and home.is_dir() else None


def code_fingerprint(package: Path = PACKAGE) -> bytes:
    """This code, as far as validation goes: its version, its modules and the core schema its
    validator is built from, and the versions it runs on. Raises ``OSError`` if a module
    cannot be read.

    A module counts by its name, size, inode and times of modification and of status change,
    not by its contents. why: reading and hashing every module was 1.5 ms of each run, a
    tenth of its own time; and a file cannot be written without the system moving its
    status-change time (``st_ctime``) on, which, unlike the modification time that archives
    and stores keep, no tool can set back. A file only touched, or copied, makes a new key:
    one more validation, never a wrong reuse. On Windows, where ``st_ctime`` is the time a
    file was made, the contents are read as well.
    """
    from policyexports import __version__
    from policyexports.prebuilt import versions

    digest = blake2b(digest_size=_DIGEST_SIZE)
    for part in (__version__, sys.version, *versions().values()):
        digest.update(part.encode() + b"\0")
    pending, modules = [""], 0  # folders below the package, as "" or "name/"
    while pending:
        folder = pending.pop()
        with os.scandir(package / folder) as found:
            for item in sorted(found, key=lambda item: item.name):
                if item.is_dir(follow_symlinks=False) and item.name != "__pycache__":
                    pending.append(f"{folder}{item.name}/")
                elif item.name.endswith(".py") or item.name == CORE_SCHEMA:
                    info = os.stat(item.path)  # why: of the file a link names, as imports read
                    name = folder + item.name
                    identity = (info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
                    digest.update(f"{name}\0{identity}\0".encode())
                    if _BY_CONTENTS:
                        digest.update(Path(item.path).read_bytes() + b"\0")
                    modules += 1
    if not modules:
        raise OSError(f"no modules found in {package.name}")
    return digest.digest()


def key(raw: bytes, environ: Mapping[str, str] | None = None) -> str | None:
    """The name of the entry for a dataset of these bytes, validated by this code; ``None``
    when the cache is off or the code cannot be read."""
    if folder(environ) is None or len(raw) > KEEP_BYTES // 2:
        return None  # why: an entry is about as large as its JSON; a huge one is not kept
    try:
        digest = blake2b(code_fingerprint(), digest_size=_DIGEST_SIZE)
    except (OSError, ValueError):
        return None
    digest.update(raw)
    return digest.hexdigest()


def _private(info: os.stat_result, kind: int) -> bool:
    """Of this kind, owned by this user, and writable by no one else."""
    if stat.S_IFMT(info.st_mode) != kind or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    owner = getattr(os, "getuid", None)
    return owner is None or info.st_uid == owner()


def digest(text: str) -> bytes:
    """The digest by which an entry knows the article it was validated against."""
    return blake2b(text.encode("utf-8"), digest_size=_DIGEST_SIZE).digest()


class _ModelsOnly(Unpickler):
    """Unpickles this package's models and enums, and decimals; refuses every other name."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("decimal", "Decimal"):
            return Decimal
        from policyexports.basetypes import Frozen

        if module in _MODEL_MODULES:
            found = getattr(sys.modules.get(module), name, None)
            if (
                isinstance(found, type)
                and issubclass(found, Frozen | enum.Enum)
                and found.__module__ == module  # why: not what the module merely imports
            ):
                return found
        raise UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


def recall(entry: str, environ: Mapping[str, str] | None = None) -> tuple[Dataset, bytes] | None:
    """The dataset kept under ``entry`` and the ``digest`` of the article it was validated
    against, or ``None``."""
    where = folder(environ)
    if where is None:
        return None
    # why: the modules _ModelsOnly takes classes from, loaded before unpickling
    from policyexports import claims, models, quantities  # noqa: F401

    try:
        if not _private(where.lstat(), stat.S_IFDIR):
            return None
        # why: O_NOFOLLOW and fstat: what is checked is the file that is read; O_NONBLOCK: a
        # FIFO put there would otherwise hang the open
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        handle = os.open(where / (entry + _SUFFIX), flags)
        # why: unbuffered, so the rest of the file is read into one bytes object, no copy
        with open(handle, "rb", buffering=0) as stream:
            if not _private(os.fstat(handle), stat.S_IFREG):
                return None
            checksum, article, payload = (
                stream.read(_DIGEST_SIZE),
                stream.read(_DIGEST_SIZE),
                stream.read(),
            )
            if os.utime in os.supports_fd:
                os.utime(handle)  # why: eviction removes the least recently used entries
        # why: a checksum of its own, so a damaged entry that still unpickles is not served
        check = blake2b(article, digest_size=_DIGEST_SIZE)
        check.update(payload)
        if check.digest() != checksum:
            return None
        dataset = _unpickled(payload)
        return None if dataset is None else (dataset, article)
    except Exception:  # why: a missing, damaged or foreign entry only means validating again
        return None


def _unpickled(payload: bytes) -> Dataset | None:
    """The dataset of an entry's pickles (``_pickle``), or ``None`` if they are not one."""
    from policyexports.basetypes import replaced, unroll_setstate
    from policyexports.claims import _ClaimBase
    from policyexports.models import Dataset, Figure

    if len(payload) > _UNROLL_ABOVE:
        unroll_setstate()
    stream = io.BytesIO(payload)
    outline = _ModelsOnly(stream).load()
    if not isinstance(outline, Dataset):
        return None
    parts: dict[str, list[Any]] = {"figures": [], "claims": []}
    chunks = [("figures", outline.figures), ("claims", outline.claims)]
    while stream.tell() < len(payload):
        chunks.append(_ModelsOnly(stream).load())
    # why: an entry's shape is checked down to its items' classes, so one planted with
    # something else in their place is a miss, not a failure in the report it feeds
    kinds = {"figures": Figure, "claims": _ClaimBase}
    for section, items in chunks:
        if section not in parts or type(items) is not tuple:
            return None
        if not all(isinstance(item, kinds[section]) for item in items):
            return None
        parts[section] += items
    return replaced(outline, figures=tuple(parts["figures"]), claims=tuple(parts["claims"]))


def _pickle(dataset: Dataset, stream: BinaryIO) -> None:
    """Write ``dataset`` as pickles: its outline, then its figures and claims a chunk at a time.

    why: a pickler remembers every object it wrote, and what our models reduce to, until it is
    cleared; in one pickle of 100,000 figures that was 190 MB more at the peak.
    """
    import pickle  # why: only writing an entry needs the Pickler's Python side

    from policyexports.basetypes import replaced

    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dump(replaced(dataset, figures=(), claims=()))
    for section, items in (("figures", dataset.figures), ("claims", dataset.claims)):
        for start in range(0, len(items), _CHUNK):
            pickler.clear_memo()
            pickler.dump((section, items[start : start + _CHUNK]))


class _Hashing:
    """A binary stream that also hashes what is written to it."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = blake2b(digest_size=_DIGEST_SIZE)

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.stream.write(data)


def remember(
    entry: str,
    dataset: Dataset,
    article: str,
    environ: Mapping[str, str] | None = None,
    *,
    replace: bool = True,
) -> None:
    """Keep a validated dataset, and the digest of the ``article`` it was validated against,
    under ``entry``; on any failure, keep nothing. Without
    ``replace``, an entry already there is left as it is."""
    where = folder(environ)
    if where is None:
        return
    path = where / (entry + _SUFFIX)
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(where.lstat(), stat.S_IFDIR):
            return  # why: an entry there would never be read
        if not replace and path.exists():
            return  # why: the same key means the same bytes, validated by the same code
        import tempfile  # why: only writing an entry needs it

        handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY, suffix=".tmp", dir=where)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(bytes(_DIGEST_SIZE))  # why: the checksum, once it is known
                hashing = _Hashing(stream)
                hashing.write(digest(article))
                _pickle(dataset, cast(BinaryIO, hashing))
                stream.seek(0)
                stream.write(hashing.digest.digest())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        _evict(where)
    except Exception:  # why: a read-only or full disk costs speed next time, nothing else
        return


def _evict(where: Path) -> None:
    # why: a run killed while writing leaves its temporary file behind
    an_hour_ago = time.time() - 3600
    for leftover in where.glob(_TEMPORARY + "*.tmp"):
        if leftover.stat().st_mtime < an_hour_ago:
            leftover.unlink(missing_ok=True)
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
