"""``json.loads`` without importing ``json``'s Python modules when the text is valid.

``json.loads`` reads text with the scanner of CPython's C module ``_json``; the package around
it compiles seven regular expressions on import, 1.7 ms of every run that validates a dataset
(a first run, ``validate``, the cache off), more than parsing the bundled dataset takes. Here
the same scanner reads the text with the same settings. Text it cannot read whole, and any
Python without that module, goes to ``json.loads`` itself, so every error, its message and
position, is ``json``'s own (a hook's error is raised again as ``json.loads`` meets it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_SPACE = " \t\n\r"  # why: the only whitespace JSON allows between tokens


class _Settings:
    """What the C scanner reads from ``json.JSONDecoder``, with ``json.loads``'s defaults."""

    def __init__(
        self,
        parse_float: Callable[[str], Any],
        parse_constant: Callable[[str], Any] | None,
        object_hook: Callable[[dict[str, Any]], Any] | None,
        object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None,
    ) -> None:
        self.strict = True
        self.parse_float = parse_float
        self.parse_int = int
        self.parse_constant = parse_constant or _CONSTANTS.__getitem__
        self.object_hook = object_hook
        self.object_pairs_hook = object_pairs_hook


_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


def loads(
    text: str,
    *,
    parse_float: Callable[[str], Any] = float,
    parse_constant: Callable[[str], Any] | None = None,
    object_hook: Callable[[dict[str, Any]], Any] | None = None,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
) -> Any:
    """``json.loads(text, ...)`` with these options: the same value, or the same error."""
    settings = _Settings(parse_float, parse_constant, object_hook, object_pairs_hook)
    try:
        from _json import make_scanner
    except ImportError:  # why: not CPython; json has a scanner in Python
        return _by_json(text, settings)
    # why: the usual text starts with its value; lstrip would copy all of it
    start = len(text) - len(text.lstrip(_SPACE)) if text[:1].isspace() else 0
    try:
        # why: typeshed types the context as a scanner; any object with JSONDecoder's settings
        value, end = make_scanner(settings)(text, start)  # type: ignore[arg-type]
    except (RecursionError, MemoryError):
        raise  # why: json would fail alike, only after reading it all again
    except Exception:
        # why: json reads it again and raises its own error. Not the scanner's: a missing
        # value is json's to word, and on Python 3.11 the scanner makes its JSONDecodeError
        # only if json.decoder is imported already (else it raises SystemError)
        pass
    else:
        if not text[end:].strip(_SPACE):
            return value
        del value  # why: not kept while json reads it all again to say where the extra begins
    return _by_json(text, settings)


def _by_json(text: str, settings: _Settings) -> Any:
    import json

    return json.loads(
        text,
        parse_float=settings.parse_float,
        parse_constant=settings.parse_constant,
        object_hook=settings.object_hook,
        object_pairs_hook=settings.object_pairs_hook,
    )
