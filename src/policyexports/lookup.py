"""Finding claims and figures by the id a user types: any case, with the closest ids on a miss."""

from __future__ import annotations

from collections.abc import Sequence

from policyexports.claims import Claim
from policyexports.errors import UnknownValueError, quoted_input
from policyexports.models import Dataset
from policyexports.names import close_matches


def normalise(typed: str) -> str:
    """An id as the dataset spells ids: lower case ("LG-CNS" is "lg-cns")."""
    return typed.strip().lower()


def closest(typed: str, known: Sequence[str]) -> str:
    """A hint naming the known ids closest to ``typed`` (in any case), or an empty string."""
    wanted = normalise(typed)
    spelled = {normalise(name): name for name in known}
    close = close_matches(wanted, list(spelled))
    if not close and len(wanted) >= 3:
        # why: "transport" or "trillion" is a near miss of the ids that contain it
        close = [name for name in spelled if wanted in name][:3]
    shown = [spelled[name] for name in close]
    return " (did you mean " + " or ".join(repr(name) for name in shown) + "?)" if shown else ""


def find(typed: str, known: Sequence[str]) -> str | None:
    """The known id ``typed`` means, in any case; ``None`` if none."""
    wanted = normalise(typed)
    return next((name for name in known if normalise(name) == wanted), None)


def select_claims(dataset: Dataset, only: Sequence[str] = ()) -> tuple[Claim, ...]:
    """The claims named in ``only`` (every claim if empty; any case), in dataset order."""
    if not only:
        return dataset.claims
    ids = [claim.id for claim in dataset.claims]
    chosen: set[str] = set()
    for wanted in only:
        found = find(wanted, ids)
        if found is not None:
            chosen.add(found)
            continue
        figure = find(wanted, [figure.id for figure in dataset.figures])
        users = [
            claim.id
            for claim in dataset.claims
            if figure is not None and any(ref == figure for _, ref in claim.figure_refs())
        ]
        if users:
            raise UnknownValueError(
                f"{wanted!r} is a figure, not a claim; claims that use it: " + ", ".join(users)
            )
        if figure is not None:
            raise UnknownValueError(
                f"{wanted!r} is a figure, not a claim, and no claim uses it; "
                f"see `policyexports explain {figure}`"
            )
        raise UnknownValueError(
            f"unknown claim {quoted_input(wanted)}{closest(wanted, ids)}; see `policyexports check`"
        )
    return tuple(claim for claim in dataset.claims if claim.id in chosen)
