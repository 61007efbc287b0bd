"""Output formats that need no terminal library: JSON, CSV, Markdown, and atomic file writes."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from enum import StrEnum
from itertools import chain, islice
from types import GeneratorType
from typing import TYPE_CHECKING, Any, ParamSpec

from pydantic_core import PydanticSerializationError
from pydantic_core import to_json as to_json_bytes

from policyexports.errors import OutputError
from policyexports.invisible import DRAWN_AS_NOTHING

if TYPE_CHECKING:
    import signal

_P = ParamSpec("_P")


class OutputFormat(StrEnum):
    """The ``--format`` of every report."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


Cell = str | int | Decimal | None

# why: a spreadsheet runs a cell that starts with one of these as a formula (OWASP CSV injection)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


_HIDDEN = frozenset(DRAWN_AS_NOTHING)  # why: printable to Python, yet drawn as nothing


def _seen(char: str) -> bool:
    return char.isprintable() and char not in _HIDDEN


def _hides(text: str) -> bool:
    """Whether ``text`` holds a character of ``_HIDDEN``. why: a substring search for each,
    at C speed, was ten times faster than ``isdisjoint`` over a megabyte of JSON."""
    return any(char in text for char in _HIDDEN)


def visible(text: str, *, line_breaks: str | None = None) -> str:
    """Text from the data with control and invisible characters shown escaped (ESC as
    ``\\x1b``, a Hangul filler as ``\\u3164``), so none reaches a terminal raw;
    ``line_breaks`` replaces tabs and line breaks (a space in table cells) instead of
    escaping them."""
    if text.isprintable() and (text.isascii() or not _hides(text)):
        return text  # why: the usual case, decided at C speed
    return "".join(
        char
        if _seen(char) or char == " "
        else line_breaks
        if line_breaks is not None and char in "\t\n\r"
        else repr(char)[1:-1]
        if not char.isprintable()
        else f"\\u{ord(char):04x}"
        for char in text
    )


def joined(pieces: Callable[_P, Iterable[str]]) -> Callable[_P, str]:
    """The function that returns, whole, the text that ``pieces`` makes piece by piece."""

    @functools.wraps(pieces)
    def whole(*args: _P.args, **kwargs: _P.kwargs) -> str:
        return "".join(pieces(*args, **kwargs))

    return whole


def _not_json(value: object) -> Any:
    # why: documents carry exact decimals as text already; anything else here is a bug
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(document: object) -> str:
    """Pretty JSON, UTF-8 text kept as is, keys in the order given, nothing invisible raw.

    The document holds only JSON's own types (exact decimals are already text; a test walks
    every command's document). Laid out as ``json.dumps(indent=2, ensure_ascii=False)``
    would, by pydantic-core's encoder, which is written in Rust: Python's own encoder falls
    back to pure Python when it indents, and took most of the time of a large report. A lone
    surrogate, which UTF-8 cannot carry, goes the slow way and comes out escaped below.

    ``json`` escapes C0 controls (ESC is ``\\u001b``); the rest of what would not print (C1
    controls such as U+009B, bidirectional overrides) is escaped here too, so the text is safe
    on a terminal and still reads back as exactly the same strings.
    """
    return _encode(document) + "\n"


JSON_BATCH = 256  # items of a list encoded or written in one piece (about 350 KB of figures)


class Written:
    """A value that writes its own JSON text: ``text(level)`` is what ``to_json`` makes of it,
    laid out ``level`` steps in (its first line not indented), before what would not print
    is escaped. It may stand wherever a generator may in ``json_pieces``, and as an item of
    such a generator.

    why: a report of 100,000 figures is 236 MB of JSON, much of it the same few names and
    places again and again; a figure written as text, those pieces written once, took less
    time than making its dictionaries and encoding them.
    """

    __slots__ = ()

    def text(self, level: int) -> str:
        """The value's JSON, ``level`` steps in; its first line not indented."""
        raise NotImplementedError


def json_pieces(document: object, depth: int = 3, batch: int = JSON_BATCH) -> Iterator[str]:
    """``to_json(document)`` in pieces: the containers of the first ``depth`` levels are laid
    out item by item, so a report of every figure is never one string of hundreds of
    megabytes (building that string took twice as long per figure at 100,000 figures as at
    10,000). A list just below them is encoded ``batch`` items at a time. why: one call and
    one piece an item made a list of 100,000 figures take 3 s more to write than its
    dictionaries took to make. A generator in the document stands for a list made only as
    it is written; it may stand wherever the layout goes item by item, down to ``depth``,
    and just below it, but not inside a container encoded whole; so may a ``Written``, which
    writes its own text, and a list just below the layout may hold them (a batch of items
    is then one piece of their texts)."""
    yield from _pieces(document, 0, depth, max(1, batch))
    yield "\n"


_END = object()


def _pieces(node: object, level: int, depth: int, batch: int) -> Iterator[str]:
    if isinstance(node, Written):
        yield _safe(node.text(level))
        return
    if isinstance(node, GeneratorType):
        if (first := next(node, _END)) is _END:
            yield "[]"
        else:
            yield from _listed(chain((first,), node), level, depth, batch)
        return
    # why: only string keys are laid out one by one; anything else is left to the encoder
    if depth and isinstance(node, dict) and node and all(type(key) is str for key in node):
        yield from _items("{", "}", iter(node.items()), level, depth, batch=batch, keyed=True)
        return
    if isinstance(node, list) and node:
        yield from _listed(iter(node), level, depth, batch)
        return
    yield _indented(_encode(node), level)


def _indented(text: str, level: int) -> str:
    """Encoded JSON moved ``level`` steps in. why: a raw line break in JSON text is always
    layout (in strings it is escaped)."""
    return text.replace("\n", "\n" + "  " * level) if level and "\n" in text else text


def _listed(items: Iterator[Any], level: int, depth: int, batch: int) -> Iterator[str]:
    """The items of a list that has some: laid out one by one within ``depth``, else encoded
    ``batch`` at a time, each batch as a list whose brackets are cut off."""
    if depth:
        yield from _items("[", "]", items, level, depth, batch=batch)
        return
    yield "["
    comma = ""
    while chunk := list(islice(items, batch)):
        if any(isinstance(item, Written) for item in chunk):
            pad = "\n" + "  " * (level + 1)
            yield comma + _safe(",".join(pad + _item_text(item, level + 1) for item in chunk))
        else:
            # why: a batch is "[\n  a,\n  b\n]" at level 0: the items, each after a line break
            yield comma + _indented(_encode(chunk)[1:-2], level)
        comma = ","
    yield "\n" + "  " * level + "]"


def _item_text(item: object, level: int) -> str:
    """An item of a list ``level - 1`` steps in, as its JSON text ``level`` steps in."""
    return item.text(level) if isinstance(item, Written) else _indented(_encode(item), level)


def _items(
    opening: str,
    closing: str,
    items: Iterator[Any],
    level: int,
    depth: int,
    *,
    batch: int,
    keyed: bool = False,
) -> Iterator[str]:
    inner = "  " * (level + 1)
    yield opening + "\n"
    for index, item in enumerate(items):
        yield ",\n" + inner if index else inner
        value = item
        if keyed:
            key, value = item
            yield _encode(key) + ": "
        yield from _pieces(value, level + 1, depth - 1, batch)
    yield "\n" + "  " * level + closing


def _encode(node: object) -> str:
    try:
        encoded = to_json_bytes(node, indent=2, fallback=_not_json)
    except PydanticSerializationError:
        import json  # why: only for what pydantic-core cannot encode (lone surrogates)

        return _safe(json.dumps(node, ensure_ascii=False, indent=2, default=_not_json))
    # why: JSON escapes every ASCII control but DEL, so plain ASCII needs no scan
    if encoded.isascii() and b"\x7f" not in encoded:
        return encoded.decode("ascii")
    return _safe(encoded.decode())


def _safe(text: str) -> str:
    """JSON text with what would not print (C1 controls, DEL, bidirectional overrides, lone
    surrogates) escaped, as ``to_json`` has it; a raw line break in JSON text is layout."""
    if text.isascii() and "\x7f" not in text:
        return text  # why: JSON escapes every other ASCII control
    if text.replace("\n", "").isprintable() and not _hides(text):
        return text  # why: the usual case, decided at C speed
    return "".join(char if _seen(char) or char == "\n" else _json_escape(char) for char in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # why: JSON escapes a character beyond the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """RFC 4180 CSV with CRLF line ends; text cells neutralised, numbers left as numbers."""
    return "".join(csv_pieces(header, rows))


CSV_BATCH = 2000  # rows of CSV text made at a time


def csv_pieces(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """``to_csv(header, rows)`` in pieces made as they are written: ``CSV_BATCH`` rows at a
    time (the header goes with the first; the last piece holds what is left, maybe nothing).

    why: a summary of 100,000 figures is 150,000 rows; made whole, with its rows as lists
    first, it took 500 MB, where the same summary as JSON, written in pieces, took 300 MB.
    """
    buffer = io.StringIO()
    import csv  # why: only the CSV format needs it

    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for index, row in enumerate(rows, 1):
        writer.writerow(
            [
                "" if cell is None else neutralise(cell) if isinstance(cell, str) else _plain(cell)
                for cell in row
            ]
        )
        if index % CSV_BATCH == 0:
            yield drained(buffer)
    yield buffer.getvalue()


def drained(buffer: io.StringIO) -> str:
    """What ``buffer`` holds, leaving it empty for what is written next."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _plain(cell: int | Decimal) -> str:
    return format(cell, "f") if isinstance(cell, Decimal) else str(cell)


# why: data is literal text: emphasis, code, links, raw HTML and entities in it are shown as
# typed (a backslash escapes any ASCII punctuation in CommonMark), and a pipe would end a cell
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|#~&"})


def markdown_literal(text: str) -> str:
    """``text`` as Markdown that shows it as typed: ``**LG** <b>`` is not bold, nor HTML."""
    return text.translate(_MARKDOWN_ESCAPES)


class Markdown(str):
    """A table cell that is Markdown already (the bold of a total row), not data."""

    __slots__ = ()


def _markdown_cell(cell: Cell) -> str:
    text = "" if cell is None else cell if isinstance(cell, str) else _plain(cell)
    if not isinstance(cell, Markdown):
        text = markdown_literal(text)
    # why: a newline in data would break the table; shown as a space, never dropped
    return text.replace("\r", " ").replace("\n", " ")


def to_markdown(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], right: Sequence[bool] | None = None
) -> str:
    """A GitHub-flavoured Markdown table; ``right`` marks right-aligned (numeric) columns."""
    return "".join(markdown_pieces(header, rows, right))


def markdown_pieces(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], right: Sequence[bool] | None = None
) -> Iterator[str]:
    """``to_markdown(header, rows, right)`` in pieces made as they are written, ``CSV_BATCH``
    rows at a time as CSV is (the header and the alignment line go with the first)."""
    align = right or [False] * len(header)
    lines = [
        "| " + " | ".join(_markdown_cell(name) for name in header) + " |",
        "|" + "|".join("---:" if flag else "---" for flag in align) + "|",
    ]
    for index, row in enumerate(rows, 1):
        lines.append("| " + " | ".join(_markdown_cell(cell) for cell in row) + " |")
        if index % CSV_BATCH == 0:
            yield "\n".join(lines) + "\n"
            lines = []
    if lines:
        yield "\n".join(lines) + "\n"


def utf8_chunks(text: str | Iterable[str], size: int = 2**16) -> Iterator[bytes]:
    """``text``, or the pieces of a text, as UTF-8 about 64 KiB of characters at a time: a
    report of hundreds of megabytes is never held twice, as text and as bytes, and what is
    drawn first is read first. why: at a megabyte, a summary of 10,000 figures showed its
    first table after 3.6 s of its 8.5; writing 236 MB of JSON takes no longer this way."""
    batch: list[str] = []
    length = 0
    for piece in (text,) if isinstance(text, str) else text:
        for start in range(0, len(piece), size):
            part = piece[start : start + size] if len(piece) > size else piece
            batch.append(part)
            length += len(part)
            if length >= size:
                yield "".join(batch).encode("utf-8")
                batch, length = [], 0
    if batch:
        yield "".join(batch).encode("utf-8")


def write_atomically(path: str, text: str | Iterable[str], *, force: bool) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file beside it, then rename.

    Only regular files are written: a directory, a device, a FIFO or a symbolic link at
    ``path`` is refused even with ``force`` (a rename would replace the link or the device).
    """
    if not path:
        raise OutputError("the output file name is empty (expected a file, or '-')")
    if os.path.lexists(path):
        if os.path.islink(path) or not os.path.isfile(path):
            kind = "a directory" if os.path.isdir(path) else "not a regular file"
            raise OutputError(f"{path}: is {kind} (--output writes regular files only)")
        if not force:
            raise OutputError(f"{path}: already exists (use --force to overwrite)")
    # why: an overwritten file keeps its mode; a new one gets what the umask allows
    existing_mode = stat.S_IMODE(os.stat(path).st_mode) if os.path.lexists(path) else None
    folder = os.path.dirname(path) or "."
    import tempfile  # why: only --output needs it

    temporary: str | None = None
    try:
        with _signals_raised() as handled:
            # why: a signal between making the temporary file and knowing its name would
            # leave the file behind; held until then, it arrives where the file is removed
            held = _hold(handled)
            try:
                handle, temporary = tempfile.mkstemp(
                    prefix=".policyexports-", suffix=".tmp", dir=folder
                )
            except OSError as error:
                raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
            finally:
                _release(held)
            # why: mkstemp makes the file private (0600)
            if existing_mode is None:
                umask = os.umask(0)
                os.umask(umask)
                existing_mode = 0o666 & ~umask
            os.fchmod(handle, existing_mode)
            with os.fdopen(handle, "wb") as stream:
                for chunk in utf8_chunks(text):
                    stream.write(chunk)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
    except BaseException as error:
        # why: the text may be made while it is written; whatever stops it, no part is left
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):  # why: a signal just after the rename
                os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"{path}: cannot write ({error.strerror or error})") from None
        if isinstance(error, _Signalled):
            _end_by(error.signum)  # why: now that nothing is left
        raise


def _end_by(signum: int) -> None:
    """End as the signal ``signum`` would have ended the command."""
    import signal

    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _hold(signums: list[int]) -> set[int | signal.Signals] | None:
    """Hold ``signums``, and SIGINT, back from this thread until ``_release``; the signals
    held before, or ``None`` where signals cannot be held (Windows)."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, [*signums, signal.SIGINT])


def _release(held: set[int | signal.Signals] | None) -> None:
    """Let the signals held by ``_hold`` arrive: one that came meanwhile is handled now."""
    import signal

    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class _Signalled(BaseException):
    """A signal that ends the command (SIGTERM, SIGHUP) arrived while a file was written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _signals_raised() -> Iterator[list[int]]:
    """While writing, SIGTERM and SIGHUP raise ``_Signalled``, as SIGINT raises
    KeyboardInterrupt, so that the temporary file is removed before the command ends. The
    block is given the signals so handled.

    why: by default they end the process at once, and a run stopped by ``kill`` or by
    closing its terminal left a temporary file of up to hundreds of megabytes behind.
    """
    import signal

    def raised(signum: int, frame: object) -> None:
        raise _Signalled(signum)

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    try:
        # why: only where the signal would end the process at once; one that is ignored
        # (`nohup`) or handled already is left as it is
        before = {
            signum: signal.signal(signum, raised)
            for signum in wanted
            if signal.getsignal(signum) is signal.SIG_DFL
        }
    except ValueError:  # why: not the main thread, where only signals can be handled
        yield []
        return
    try:
        yield list(before)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
