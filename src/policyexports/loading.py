"""Reading a dataset from a file, standard input or the bundled copy, validated as a whole.

Every failure becomes one ``DatasetError`` carrying all the problems found, each located by
file, line, column and JSON path where they are known. Nothing here prints or exits. When
asked, a valid dataset is kept in, or taken from, the cache of ``cache.py``.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from pydantic_core import ValidationError

from policyexports import cache
from policyexports.errors import DatasetError, PolicyExportsError, Problem
from policyexports.models import Dataset

# What only parsing, validating and placing problems use (a dataset found in the cache needs
# none of it) is imported inside the functions that use it, so that such a run never loads it.

ENV_VAR = "POLICYEXPORTS_DATA"
BUNDLED_NAME = "exports.json"
STDIN = "-"
MAX_BYTES = 512 * 1024 * 1024  # why: refuse to read a file that cannot be a dataset whole


class Loaded(NamedTuple):
    """A valid dataset, the name it is known by in messages, and its article's text."""

    dataset: Dataset
    name: str
    article: str


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonFinite(name)


class _Unreadable(ValueError):
    pass


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:  # why: an exponent past what decimal holds (about 10^18 digits)
        raise _Unreadable(text) from None


def _bundled_file(name: str) -> bytes:
    try:
        return (Path(__file__).parent / "data" / name).read_bytes()
    except OSError:  # why: not installed as files (from a zip, say): ask importlib for it
        from importlib import resources

        return resources.files("policyexports").joinpath("data", name).read_bytes()


def _read(path: str, stdin: BinaryIO | None) -> bytes:
    if path == STDIN:
        if stdin is None and sys.stdin is None:  # why: started with it closed (`<&-`)
            raise OSError(errno.EBADF, "standard input is closed")
        return (stdin or sys.stdin.buffer).read(MAX_BYTES + 1)
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file. why: the article is found by its name beside the
    dataset, and a FIFO of that name would hang a plain read until something wrote to it."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return stream.read()


def _read_problem(name: str, error: OSError) -> Problem:
    if isinstance(error, FileNotFoundError):
        return Problem(name, "no such file (expected a JSON dataset)")
    if isinstance(error, IsADirectoryError):
        return Problem(name, "is a directory (expected a JSON dataset file)")
    if isinstance(error, PermissionError):
        return Problem(name, "permission denied")
    return Problem(name, f"cannot read: {error.strerror or error}")


_BOM = b"\xef\xbb\xbf"


def _unmarked(raw: bytes) -> bytes:
    """``raw`` without its byte order mark, if it has one."""
    return raw[len(_BOM) :] if raw.startswith(_BOM) else raw


def _utf8(raw: bytes) -> str:
    """``raw.decode("utf-8-sig")`` without loading that codec's module (0.3 ms a run)."""
    return _unmarked(raw).decode()


def _decode(name: str, raw: bytes) -> str:
    text = _unmarked(raw)
    try:
        return text.decode()
    except UnicodeDecodeError as error:
        # why: positions in the text after the mark, as an editor shows them
        before = text[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise DatasetError(
            [Problem(name, "not valid UTF-8 text (expected UTF-8 JSON)", line=line, column=column)]
        ) from None


def _scalar_offset(text: str, wanted: str | None) -> int | None:
    """Offset of the first bare token ``wanted`` (or first over-long number) in ``text``."""
    from policyexports.jsonpos import tokens

    for group, token, offset in tokens(text):
        if group == "scalar" and (token == wanted if wanted else len(token) > 4000):
            return offset
    return None


def _parse(name: str, text: str) -> tuple[Any, list[Problem]]:
    from policyexports.jsontext import loads

    repeated: list[dict[str, Any]] = []  # why: kept, so an object dropped is still itself

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            repeated.append(result)
        return result

    def at(offset: int | None, message: str) -> DatasetError:
        from policyexports.jsonpos import JsonMap  # why: only a problem is placed in the text

        if offset is None:
            return DatasetError([Problem(name, message)])
        line, column = JsonMap(text).line_column(offset)
        return DatasetError([Problem(name, message, line=line, column=column)])

    if not text or text.isspace():  # why: not text.strip(), which copies a whole dataset
        raise DatasetError([Problem(name, "the file is empty (expected a JSON object)")])
    try:
        data = loads(
            text, parse_float=_decimal, parse_constant=_reject_constant, object_pairs_hook=pairs
        )
    except _Unreadable as error:
        raise at(
            _scalar_offset(text, str(error)), f"{error} is out of range (at most 10^24)"
        ) from None
    except _NonFinite as error:
        raise at(
            _scalar_offset(text, str(error)),
            f"{error} is not allowed (expected a finite number)",
        ) from None
    except RecursionError:
        raise DatasetError([Problem(name, "JSON nested too deeply to be a dataset")]) from None
    except ValueError as error:
        from json import JSONDecodeError  # why: only json raises it, so it is imported by now

        if isinstance(error, JSONDecodeError):
            problem = Problem(
                name, f"invalid JSON: {error.msg}", line=error.lineno, column=error.colno
            )
            raise DatasetError([problem]) from None
        # why: int() refuses numbers of more than 4300 digits
        raise at(
            _scalar_offset(text, None), "number too long (expected at most 4300 digits)"
        ) from None
    problems: list[Problem] = []
    if repeated:
        from policyexports.jsonpos import format_path, repeated_keys

        positions = repeated_keys(text, data, repeated)
        for path, offset in positions.duplicates:
            line, column = positions.line_column(offset)
            problems.append(
                Problem(
                    name,
                    f"duplicate key {path[-1]!r} in one object (each key once)",
                    path=format_path(path),
                    line=line,
                    column=column,
                )
            )
    return data, problems


def _article(
    dataset: Dataset, folder: Path | None, name: str, known: Callable[[str], bool] | None = None
) -> tuple[str | None, Problem | None]:
    """The article beside the dataset, else the bundled one of its name whose text is
    ``known`` (by default: has the checksum the dataset records)."""
    file = dataset.source.file
    candidates: list[tuple[str, Path | None]] = []
    if folder is not None:
        candidates.append((str(folder / file) if str(folder) != "." else file, folder / file))
    candidates.append((file, None))  # the bundled article of that name
    unreadable: Problem | None = None
    for shown, path in candidates:
        try:
            raw = _read_regular(path) if path is not None else _bundled_file(file)
        except (OSError, ValueError) as error:
            if path is not None and isinstance(error, OSError) and path.exists():
                # why: there, but a folder, a FIFO, a device or not ours to read: say so,
                # rather than that it is not found
                reason = error.strerror or str(error)
                unreadable = Problem(shown, f"the article cannot be read: {reason}")
            continue
        try:
            text = _utf8(raw)
        except UnicodeDecodeError:
            return None, Problem(shown, "the article is not valid UTF-8 text")
        if path is None and not (known or _recorded(dataset))(text):
            continue  # why: a bundled article of the same name but other text is not this one
        return text, None
    if unreadable is not None:
        return None, unreadable
    where = (
        " in the current directory (the dataset came from standard input)"
        if name == "<stdin>"
        else f" beside {name}"
        if folder is not None
        else ""
    )
    return None, Problem(
        name,
        f"article {file!r} not found{where} (the dataset's quotes are checked against it)",
        path="source.file",
    )


def _recorded(dataset: Dataset) -> Callable[[str], bool]:
    from policyexports.integrity import article_sha256

    return lambda text: article_sha256(text) == dataset.source.sha256


def resolve_source(path: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The dataset to read: ``path``, else ``$POLICYEXPORTS_DATA``, else ``None`` (bundled).

    An empty ``path`` is an error, not the bundled dataset: ``validate "$FILE"`` with ``FILE``
    unset must not pass. An empty variable is unset, as the shell's conventions have it.
    """
    if path == "":
        raise PolicyExportsError("the dataset's file name is empty (expected a file, or '-')")
    if path is not None:
        return path
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    return value or None


def _bytes(source: str | None, stdin: BinaryIO | None) -> tuple[str, Path | None, bytes]:
    """The name a dataset is known by in messages, the folder its article is looked for in
    (``None``: bundled), and its bytes."""
    if source is None:
        return f"{BUNDLED_NAME} (bundled)", None, _bundled_file(BUNDLED_NAME)
    name = "<stdin>" if source == STDIN else source
    # why: a dataset on standard input finds its article in the current directory
    folder = Path(".") if source == STDIN else Path(source).parent
    try:
        raw = _read(source, stdin)
    except OSError as error:
        raise DatasetError([_read_problem(name, error)]) from None
    if len(raw) > MAX_BYTES:
        raise DatasetError([Problem(name, f"larger than {MAX_BYTES // 2**20} MiB")])
    return name, folder, raw


def load(
    path: str | None = None,
    *,
    stdin: BinaryIO | None = None,
    environ: Mapping[str, str] | None = None,
    remember: bool = False,
    reuse: bool = False,
) -> Loaded:
    """Read, parse and validate a dataset; raise ``DatasetError`` with every problem found.

    With ``remember``, a dataset found valid is kept in the cache (``cache.py``); with
    ``reuse``, one of exactly these bytes that this same code validated before, against an
    article of the same checksum, is taken from there instead of validated again.
    """
    name, folder, raw = _bytes(resolve_source(path, environ), stdin)
    entry = cache.key(raw, environ) if remember or reuse else None
    if entry is not None and reuse and (kept := _recall(entry, folder, name, environ)):
        return kept
    from policyexports.integrity import check_integrity
    from policyexports.prebuilt import validate_dataset

    data, problems = _parse(name, _decode(name, raw))
    # why: from here the text is decoded again only to place a problem; a dataset of 100,000
    # figures is 60 MB of text, not kept while its models are built
    if not isinstance(data, dict):
        raise DatasetError(
            [*problems, Problem(name, "expected a JSON object at the top", line=1, column=1)]
        )
    try:
        dataset = validate_dataset(data)
    except ValidationError as error:
        from policyexports.problems import located, validation_problems

        text = _decode(name, raw)
        del raw  # why: the text is all that problems are placed in from here
        found, positions = validation_problems(name, text, error)
        problems += found
        # why: report reference and quote problems of the valid items in the same run
        from policyexports.partial import partial_dataset

        partial = partial_dataset(data)
        article = _article(partial.dataset, folder, name)[0] if partial.has_source else None
        issues = [
            relocated
            for issue in check_integrity(partial.dataset, article, _source_file(data))
            if (relocated := partial.relocate(issue)) is not None
        ]
        problems += located(name, issues, positions)
        raise _failed(problems) from None
    del data  # why: its memory is reused for what follows (the checks, the cache's pickles)
    article, missing = _article(dataset, folder, name)
    if missing is not None:
        problems.append(missing)
    issues = check_integrity(dataset, article, dataset.source.file)
    if issues:
        from policyexports.jsonpos import JsonMap
        from policyexports.problems import located

        # why: an issue holds only its path and message. At 100,000 figures with one quote
        # missing, the models and the bytes kept beside the text took `validate` from a
        # peak of 393 MiB to 471 MiB
        del dataset
        positions = JsonMap(_decode(name, raw))
        del raw
        problems += located(name, issues, positions)
        raise _failed(problems)
    if problems or article is None:
        raise _failed(problems)
    if entry is not None and remember:
        # why: after a miss the entry there, if any, could not be used; replace it
        cache.remember(entry, dataset, article, environ, replace=reuse)
    return Loaded(dataset=dataset, name=name, article=article)


def _failed(problems: list[Problem]) -> DatasetError:
    """Every problem found, in the order of the file."""
    return DatasetError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))


def _recall(
    entry: str, folder: Path | None, name: str, environ: Mapping[str, str] | None
) -> Loaded | None:
    kept = cache.recall(entry, environ)
    if kept is None:
        return None
    dataset, digest = kept

    def known(text: str) -> bool:
        return cache.digest(text) == digest

    # why: the article is found afresh (beside the dataset or bundled) and must be the one
    # validation found the quotes in
    try:
        article, missing = _article(dataset, folder, name, known)
    except Exception:  # why: a planted entry of another shape only means validating again
        return None
    if missing is not None or article is None or not known(article):
        return None
    return Loaded(dataset=dataset, name=name, article=article)


def _source_file(data: dict[str, Any]) -> str:
    source = data.get("source")
    file = source.get("file") if isinstance(source, dict) else None
    return file if isinstance(file, str) else "the article"
