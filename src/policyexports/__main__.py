"""``python -m policyexports``: the same command line as the ``policyexports`` script."""

from policyexports.cli import main

main()
