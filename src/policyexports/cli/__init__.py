"""The command line: a thin layer that parses options, calls the core and renders the result.

The modules here do without ``from __future__ import annotations``: Typer reads every
command's annotations on every run, and each one written as a string costs it an ``eval``
(half of building the commands, about 2.5 ms a run). A test keeps it so.
"""

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


def main() -> None:
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
    if sys.stdout is None:  # why: started with standard output closed (`>&-`)
        say("policyexports: standard output is closed; there is nowhere to write to")
        sys.exit(EXIT_BAD_INPUT)
    try:
        with _only_the_command_run(sys.argv[1:]):
            app()
    except BrokenPipeError:
        # why: the reader closed the pipe before Typer or Click wrote what they write
        # themselves; end quietly, as cat does
        discard(sys.stdout)
        sys.exit(0)
    except OSError as error:
        # why: what Typer and Click do themselves failed: writing help to a full disk,
        # installing shell completion where HOME cannot take it
        discard(sys.stdout)
        where = f": {error.filename}" if error.filename else ""
        say(f"policyexports: {error.strerror or error}{where}")
        sys.exit(EXIT_BAD_INPUT)


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
    completing = any(name.startswith("_POLICYEXPORTS_COMPLETE") for name in os.environ)
    if len(chosen) == 1 and not completing:
        app.registered_commands = chosen
    try:
        yield
    finally:
        app.registered_commands = registered
