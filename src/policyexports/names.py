"""Matching what users type (any case, accents or none, ISO codes, aliases) to entity ids."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from policyexports.errors import UnknownValueError, quoted_input

_NEAR = 10  # characters a typed name may run past the longest known one and still be compared


def close_matches(typed: str, known: Sequence[str]) -> list[str]:
    """The (up to three) known names closest to ``typed``, as ``difflib`` finds them.

    why: what is far longer than every known name is like none of them, and comparing it
    with each would take seconds.
    """
    if len(typed) > max(map(len, known), default=0) + _NEAR:
        return []
    return difflib.get_close_matches(typed, known, n=3, cutoff=0.6)


def fold(name: str) -> str:
    """A form of ``name`` that ignores case, accents, punctuation and spacing."""
    if not name.isascii():  # why: ASCII has nothing to decompose; most names are, 3x faster
        import unicodedata  # why: a run that filters nothing and checks nothing never folds

        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", name.casefold()).split())


class Names:
    """Every name of one kind of entity (country, city, ...) and the id each one means."""

    def __init__(self, what: str, entries: Iterable[tuple[str, Sequence[str]]]) -> None:
        self.what = what
        self._ids: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        self._labels: dict[str, str] = {}  # id -> "Colombia (CO)", for listing what is known
        self._names: dict[str, str] = {}  # id -> "Colombia", what to suggest typing
        for entity_id, names in entries:
            label = names[0] if names else entity_id
            self._names.setdefault(entity_id, label)
            self._labels.setdefault(
                entity_id, label if fold(label) == fold(entity_id) else f"{label} ({entity_id})"
            )
            for name in (*names, entity_id):
                folded = fold(name)
                if folded:
                    self._ids.setdefault(folded, entity_id)
                    self._shown.setdefault(folded, name)

    def resolve(self, typed: str) -> str:
        """The id ``typed`` means, or ``UnknownValueError`` with the closest known names."""
        entity_id = self._ids.get(fold(typed))
        if entity_id is not None:
            return entity_id
        close = close_matches(fold(typed), list(self._ids))
        # why: suggest the entity's own name, not whichever alias happened to be closest
        suggested = list(dict.fromkeys(self._names[self._ids[name]] for name in close))
        hint = f" (did you mean {' or '.join(map(repr, suggested))}?)" if suggested else ""
        known = ", ".join(sorted(self._labels.values(), key=str.casefold))
        listed = f"known: {known}" if known else f"the dataset names no {self.what}"
        raise UnknownValueError(f"unknown {self.what} {quoted_input(typed)}{hint}; {listed}")
