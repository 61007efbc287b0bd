"""The command line: a thin layer that parses options, calls the core and renders the result.

The modules here do without ``from __future__ import annotations``: Typer reads every
command's annotations on every run, and each one written as a string costs it an ``eval``
(half of building the commands, about 2.5 ms a run). A test keeps it so.
"""

import errno
import gc
import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from typer.main import get_command_name

from policyexports.cli import checks as _checks  # noqa: F401
from policyexports.cli import data as _data  # noqa: F401  (registers its commands)
from policyexports.cli import reports as _reports  # noqa: F401
from policyexports.cli.common import EXIT_BAD_INPUT, app, discard, say

__all__ = ["app", "main"]

_COMPLETE = "_POLICYEXPORTS_COMPLETE"  # how Click asks a program to complete a command line


def main(prog_name: str | None = None) -> None:
    """Entry point of the ``policyexports`` script and of ``python -m policyexports``."""
    # why: pydantic otherwise scans every installed distribution's entry points for plugins
    # (importlib.metadata) on first validation; this tool uses none, and the scan is slow
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # why: a large dataset is millions of long-lived objects, and the default thresholds
    # rescan them again and again while a report is built (a third of the time at 100,000
    # figures); mypy starts its runs with the same setting
    gc.set_threshold(200_000, 30, 30)
    for stream in (sys.stdout, sys.stderr):
        # why: where the terminal or pipe cannot encode curly quotes or bars, escape, never crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    _stand_ins_for_closed_streams()
    completing = _COMPLETE in os.environ
    try:
        with _only_the_command_run(sys.argv[1:]):
            app(prog_name=prog_name)
    except OSError as error:
        sys.exit(_unwritten(error))
    except (KeyError, ValueError) as error:
        if not completing:
            raise
        # why: the shell sets these variables; set by hand, a missing or malformed one
        # (COMP_CWORD) made Click's completion end in a traceback
        say(f"policyexports: shell completion: missing or malformed variable: {error}")
        sys.exit(EXIT_BAD_INPUT)
    except SystemExit as ending:
        if completing and ending.code == 1:  # why: an unknown shell; 1 is a failing claim
            sys.exit(EXIT_BAD_INPUT)
        # why: Typer ends with 1 when the reader of its own output (help) has gone; 1 is what a
        # failing claim gives, and a reader that has read enough is no failure. Typer marks
        # that case by wrapping standard output; were it ever not to, 1 stays
        if ending.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            sys.exit(0)
        raise


class _ClosedOutput(io.TextIOBase):
    """Standard output when the command started without one (`>&-`): an error only once
    something is written to it, so `check -o FILE >&-` still works."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it was closed when the command started")


def _stand_ins_for_closed_streams() -> None:
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:  # why: else Click prints usage errors on standard output instead
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (open for the whole run)


def _unwritten(error: OSError) -> int:
    """The exit code after writing failed (a report or help to a full disk, a usage error to
    a closed pipe) or Typer failed to do something (install completion where HOME cannot
    take it), having said what, where it can."""
    shown = getattr(error.__context__, "exit_code", None)
    if isinstance(shown, int):  # why: showing a usage error on standard error failed
        discard(sys.stderr)
        return shown
    discard(sys.stdout)
    if isinstance(error, BrokenPipeError):  # why: the reader has read enough, as for cat
        return 0
    if error.filename:  # why: a file Typer writes itself (installing completion)
        say(f"policyexports: {error.strerror or error}: {error.filename}")
    else:  # why: its help, or what completion prints
        say(f"policyexports: cannot write to standard output: {error.strerror or error}")
    return EXIT_BAD_INPUT


@contextmanager
def _only_the_command_run(argv: Sequence[str]) -> Iterator[None]:
    """Let Typer build only the command ``argv`` names, if it names one.

    why: Typer makes every command's options from its signature on every run, 2 to 3 ms, a
    tenth of what a run from the cache does beyond importing Typer and pydantic. A command
    reads and reports nothing of the others; ``--help``, a misspelt command and shell
    completion still get them all.
    """
    registered = app.registered_commands
    chosen = [
        info
        for info in registered
        if argv
        and info.callback is not None
        and (info.name or get_command_name(info.callback.__name__)) == argv[0]
    ]
    completing = _COMPLETE in os.environ
    if len(chosen) == 1 and not completing:
        app.registered_commands = chosen
    try:
        yield
    finally:
        app.registered_commands = registered
