"""The ``policyexports`` script and ``python -m policyexports``: the command, started so that
Ctrl-C while it starts ends it quietly."""

import signal


def main(prog_name: str | None = None) -> None:
    """Import the command line with Ctrl-C's default action, then run it as usual.

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

    if default:
        signal.signal(signal.SIGINT, handler)
    run(prog_name)
