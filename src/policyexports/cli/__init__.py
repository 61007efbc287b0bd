"""The command line: a thin layer that parses options, calls the core and renders the result.

The modules here do without ``from __future__ import annotations``: Typer reads every
command's annotations on every run, and each one written as a string costs it an ``eval``
(half of building the commands, about 2.5 ms a run). A test keeps it so.
"""

import gc
import io
import os
import sys

from policyexports.cli import checks as _checks  # noqa: F401
from policyexports.cli import data as _data  # noqa: F401  (registers its commands)
from policyexports.cli import reports as _reports  # noqa: F401
from policyexports.cli.common import app

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
    try:
        app()
    except BrokenPipeError:
        # why: `policyexports list | head -1` closes the pipe early; end quietly, as cat does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
