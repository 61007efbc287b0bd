"""``python -m policyexports``: the same command line as the ``policyexports`` script."""

from policyexports._entry import script

# why: by its own name, not "python -m policyexports": shell completion installed from here
# was registered for "python" and ran "_PYTHON _M POLICYEXPORTS_COMPLETE" on every TAB
script(prog_name="policyexports")
