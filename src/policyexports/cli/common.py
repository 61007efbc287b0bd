"""The Typer app, the options every command shares, and the mapping of errors to exit codes."""

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from policyexports import __version__
from policyexports.errors import DatasetError, PolicyExportsError
from policyexports.quantities import DisplayUnit
from policyexports.render.plain import OutputFormat, utf8_chunks, visible

if TYPE_CHECKING:
    from policyexports.loading import Loaded

_T = TypeVar("_T")

EXIT_CLAIM_FAILED = 1
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="policyexports",
    help="Every figure of an article about Seoul's policy exports, typed, sourced and checked.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # why: tracebacks are bugs; never dress them up for users
    rich_markup_mode=None,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        "-d",
        metavar="FILE",
        help="Dataset to use ('-' for standard input); default $POLICYEXPORTS_DATA, "
        "else the bundled one.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
UnitOption = Annotated[
    DisplayUnit,
    typer.Option(
        "--unit",
        "-u",
        help="Unit for amounts of won (eok = 10^8, jo = 10^12).",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE (whole or not at all; '-' for standard output).",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the --output file if it exists.")
]


def say(message: str) -> None:
    """A line to standard error. Where it cannot be written (a full disk, a closed pipe),
    nothing more can be said there, and the exit code still tells what happened."""
    try:
        typer.echo(message, err=True)
    except OSError:
        discard(sys.stderr)


def discard(stream: IO[Any]) -> None:
    """Send what is still to be written to ``stream`` to the null device.

    why: its reader is gone or its device is full; Python would otherwise fail again
    flushing it at exit, print that it could not, and change the exit code to 120.
    """
    try:
        fileno = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):  # why: no file behind it (closed, in memory)
        return
    try:
        os.dup2(devnull, fileno)
    finally:
        os.close(devnull)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    # why: messages quote data; control characters in it must not drive the terminal
    say(f"policyexports: {visible(message)}")
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn domain errors into one message per problem on stderr and exit code 2."""
    try:
        yield
    except DatasetError as error:
        for problem in error.problems:
            say(visible(str(problem)))
        count = len(error.problems)
        say(f"{count} problem{'s' if count != 1 else ''} found")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except PolicyExportsError as error:
        fail(str(error))


def use_color() -> bool:
    """Colour only on a terminal, never with NO_COLOR set (https://no-color.org)."""
    return (
        sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    )


MAX_WIDTH = 500  # why: COLUMNS=1000000 made check's table, which fills the width, 81 MB


def terminal_width() -> int:
    import shutil

    return min(max(40, shutil.get_terminal_size((100, 24)).columns), MAX_WIDTH)


@contextmanager
def paused() -> Iterator[None]:
    """A block run with the garbage collector paused, which is then as it was before.

    why: writing a report makes pieces of text and the tuples of their parts, each freed as
    soon as it is used, and no more than a handful of cycles whatever the report's size (a
    test counts them). The collector's scans of those young objects were 0.1 s of writing the
    JSON of 100,000 figures.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def kept() -> Iterator[None]:
    """A block that makes what the command keeps to its end (a dataset read, a report built),
    run with the garbage collector paused; what it made is then set aside from the collector.

    why: such a block makes objects to keep, not cycles to free. At 100,000 figures, scanning
    them as they grew was 0.5 s of a first summary's 9.2 s while the dataset was read, and
    0.28 s of the 2.0 s that building the summary's report took; once set aside, no later
    collection scans them again. Memory peaks the same. A block that made cycles would keep
    them to the end (``gc.freeze``): what runs in one must make none. After an error the
    collector runs again and nothing is set aside.

    They are set aside before the collector is on again: a collection started in between
    (by what a context manager's exit makes, say) scanned everything the block had made:
    0.2 s each for reading and for building the summary of 100,000 figures.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    except BaseException:
        if collecting:
            gc.enable()
        raise
    gc.freeze()
    if collecting:
        gc.enable()


class _Held:
    """What ``held`` keeps, once ``hold_to_the_end`` has turned it on."""

    def __init__(self) -> None:
        self.on = False
        self.values: list[object] = []


_HELD = _Held()


def hold_to_the_end() -> None:
    """Have ``held`` keep what it is given until the process ends: for the script alone
    (``_entry.script``), which ends without freeing it. A process that goes on after a
    command (a test) frees what the command made, as it always did."""
    _HELD.on = True


def held(value: _T) -> _T:
    """``value``, which a command made in a ``kept`` block, referred to until the process
    ends, when the script holds them (``hold_to_the_end``).

    why: a dataset read and the report built from it are millions of objects, and nothing
    is done with them once the report is written. Freed one by one as the command returned,
    they took 0.18 to 0.21 s of a first summary of 100,000 figures.
    """
    if _HELD.on:
        _HELD.values.append(value)
    return value


def load_dataset(path: str | None, *, reuse: bool = True) -> "Loaded":
    """The dataset of ``--data``, validated or, with ``reuse``, taken from the cache of
    datasets this code has validated before; one found valid is kept there for next time.
    It is read in a ``kept`` block, and ``held``.
    """
    from policyexports.loading import load

    with kept():
        return held(load(path, remember=True, reuse=reuse))


def emit(text: str | Iterable[str], output: str | None, force: bool) -> None:
    """Send a report (its text, or its text in pieces) to standard output or, atomically, to
    a file, ending with a line break. Pieces are made as they are written, with the garbage
    collector paused (``paused``)."""
    pieces = _ended((text,) if isinstance(text, str) else text)
    if output is None or output == "-":  # why: "-" means standard output, as for --data
        try:
            with paused():
                _write_out(pieces)
        except BrokenPipeError:
            # why: the reader has read enough (`list | head -1`); end quietly, as cat does,
            # with the exit code the command has (check's verdict still counts). Any other
            # failure to write is main's to report, as for what Typer writes itself
            discard(sys.stdout)
        return
    from policyexports.render.plain import write_atomically

    with paused():
        write_atomically(output, pieces, force=force)


def _write_out(pieces: Iterable[str]) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    # why: reports are UTF-8 whatever the locale says, so data is never altered or lost
    sys.stdout.flush()
    for chunk in utf8_chunks(pieces):
        buffer.write(chunk)
    buffer.flush()


def _ended(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces, then a line break if they do not end with one (nothing for no text)."""
    last = ""
    for piece in pieces:
        if piece:
            last = piece
            yield piece
    if last and not last.endswith("\n"):
        yield "\n"


def _version(value: bool) -> None:
    if value:
        emit(f"policyexports {__version__}", None, force=False)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Every figure of an article about Seoul's policy exports, typed, sourced and checked.

    Example: policyexports summary --format markdown
    """
