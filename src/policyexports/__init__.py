"""policyexports: every figure of an article about Seoul's policy exports, typed and checked."""

# why: a constant, not importlib.metadata, so --version costs nothing at start-up;
# tests/test_packaging.py checks it against pyproject.toml.
__version__ = "0.1.0"
