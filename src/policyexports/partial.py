"""The valid part of an invalid dataset, so reference and quote problems are reported too.

When some items fail type validation, the others are still checked for references and
quotes; problems that only follow from a dropped item (a reference to it) are left out.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pydantic_core import ValidationError

from policyexports.basetypes import construct
from policyexports.integrity import Issue
from policyexports.models import Dataset, Source
from policyexports.prebuilt import item_validator

_WHAT = {  # the fields validated item by item, in this order, and what their ids name
    "countries": "country",
    "cities": "city",
    "organizations": "organization",
    "sectors": "sector",
    "figures": "figure",
    "claims": "figure",  # why: claims share the figures' namespace of ids
}
_UNKNOWN = re.compile(r"^unknown (?P<what>\w+) '(?P<id>[^']*)'$")


class Partial(NamedTuple):
    """The items that validated, where they were in the file, and the ids of those that did not."""

    dataset: Dataset
    has_source: bool
    positions: dict[str, list[int]]
    dropped: dict[str, set[str]]  # "figure" -> ids of figures that failed validation

    def relocate(self, issue: Issue) -> Issue | None:
        """``issue`` with indices of the file, or ``None`` if it follows from a dropped item."""
        unknown = _UNKNOWN.match(issue.message)
        # why: only "unknown <kind> 'id'" follows from dropping an item of that kind
        if unknown is not None and unknown["id"] in self.dropped.get(unknown["what"], set()):
            return None
        path = issue.path
        if len(path) > 1 and isinstance(path[0], str) and isinstance(path[1], int):
            original = self.positions.get(path[0])
            if original is not None:
                path = (path[0], original[path[1]], *path[2:])
        return Issue(path, issue.message)


def _identifier(item: object) -> str | None:
    if isinstance(item, dict):
        for key in ("id", "code"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return None


def partial_dataset(data: dict[str, Any]) -> Partial:
    """Validate item by item what a whole-dataset validation refused.

    Each item of ``data``'s lists is let go of (replaced by ``None``) once validated. why:
    kept beside their models, the items of a dataset of 100,000 figures with one wrong value
    raised the peak of `validate` from 385 MiB to 469 MiB.
    """
    kept: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    dropped: dict[str, set[str]] = {}
    for section, what in _WHAT.items():
        found = data.get(section)
        items: list[Any] = found if isinstance(found, list) else []
        kept[section], positions[section] = [], []
        for index, item in enumerate(items):
            items[index] = None
            try:
                model = item_validator(section).validate_python(item)
            except ValidationError:
                identifier = _identifier(item)
                if identifier is not None:
                    dropped.setdefault(what, set()).add(identifier)
                continue
            kept[section].append(model)
            positions[section].append(index)
    try:
        source: Source | None = item_validator("source").validate_python(data.get("source"))
    except ValidationError:
        source = None
    # why: without a valid source, integrity checks run without the article and never read it
    dataset = construct(
        Dataset,
        source=source,
        countries=tuple(kept["countries"]),
        cities=tuple(kept["cities"]),
        organizations=tuple(kept["organizations"]),
        sectors=tuple(kept["sectors"]),
        figures=tuple(kept["figures"]),
        claims=tuple(kept["claims"]),
    )
    return Partial(dataset, source is not None, positions, dropped)
