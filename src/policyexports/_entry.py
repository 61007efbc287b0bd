"""The ``policyexports`` script and ``python -m policyexports``: the command, started so that
Ctrl-C while it starts ends it quietly, and ended without freeing what it made."""

import os
import signal
import sys


def main(prog_name: str | None = None, *, to_the_end: bool = False) -> None:
    """Import the command line with Ctrl-C's default action, then run it as usual; with
    ``to_the_end``, holding what the command makes until the process ends
    (``common.hold_to_the_end``).

    why: importing Typer, pydantic-core and rich takes most of a run's first 60 ms; an interrupt
    then raised KeyboardInterrupt inside an import and printed its traceback. With the default
    action the process just ends, as the shell expects of Ctrl-C; once imported, Python's
    own handler is back, and the command ends an interrupted run as before.
    """
    handler = signal.getsignal(signal.SIGINT)
    default = handler is signal.default_int_handler  # why: not one a caller installed
    if default:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    from policyexports.cli import main as run
    from policyexports.cli.common import hold_to_the_end

    if default:
        signal.signal(signal.SIGINT, handler)
    if to_the_end:
        hold_to_the_end()
    run(prog_name)


def script(prog_name: str | None = None) -> None:
    """The installed ``policyexports`` and ``python -m policyexports``: ``main``, then the
    process ends with its exit code, without freeing what it made (``_end``). A process that
    goes on after a command (a test) calls ``main``, which then frees it as usual.
    """
    try:
        main(prog_name, to_the_end=True)
    except SystemExit as ending:
        if ending.code is None or type(ending.code) is int:
            _end(ending.code or 0)
        raise
    _end(0)


def _end(status: int) -> None:
    """End the process with ``status`` once what it wrote is flushed, without freeing what
    it made; where flushing fails, return, for the interpreter to end as it always does.

    why: a command's dataset and report are millions of objects (``common.held`` keeps them
    to the end here), and freeing them one by one took 0.2 s of a first summary of 100,000
    figures, after its report was written. Nothing this tool does waits for the
    interpreter's exit (no ``atexit``, no finalizer); mypy ends its runs the same way
    (``util.hard_exit``).
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # why: a full disk, a reader gone, a closed stream
        return
    os._exit(status)
