"""The article's claims as declarative data: one typed model per kind of claim."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Literal

from policyexports.basetypes import Doc, Flag, Frozen, Id, MinItems, Tagged, Text, model

Ids = Annotated[tuple[Id, ...], MinItems(1)]
Path = tuple[str | int, ...]


class Operator(StrEnum):
    LT = "<"
    LE = "<="
    EQ = "=="
    GE = ">="
    GT = ">"


class EntityType(StrEnum):
    CITY = "city"
    COUNTRY = "country"


@model
class _ClaimBase(Frozen):
    id: Id
    statement: Annotated[Text, Doc("What the article claims, in a few words")]
    quote: Annotated[Text, Doc("Verbatim text of the article that makes the claim")]
    inferred: Annotated[
        Flag,
        Doc(
            "A consistency check the dataset adds (the article implies it, "
            "but does not assert it in so many words)"
        ),
    ] = False

    def figure_refs(self) -> Iterator[tuple[Path, str]]:
        """Every figure id the claim uses, with the path where it is named."""
        return iter(())


@model
class ShareReading(Frozen):
    label: Text
    numerator: Ids
    denominator: Ids


@model
class TotalReading(Frozen):
    label: Text
    counted: Ids
    unreported: Annotated[
        Text | None,
        Doc(
            "Money the article says exists but does not report; "
            "the check then says how much of it the claim needs"
        ),
    ] = None


@model
class CompareReading(Frozen):
    label: Text
    left: Ids
    op: Operator
    right: Ids


@model
class DurationReading(Frozen):
    label: Text
    start: Id
    end: Id


@model
class PartsWithinTotal(_ClaimBase):
    """Named parts fit inside a stated total; the rest is unattributed."""

    type: Literal["parts_within_total"]
    total: Id
    parts: Ids

    def figure_refs(self) -> Iterator[tuple[Path, str]]:
        yield ("total",), self.total
        for index, part in enumerate(self.parts):
            yield ("parts", index), part


@model
class Share(_ClaimBase):
    """A stated percentage against the figures it is a share of, under each reading."""

    type: Literal["share"]
    stated: Id
    readings: Annotated[tuple[ShareReading, ...], MinItems(1)]

    def figure_refs(self) -> Iterator[tuple[Path, str]]:
        yield ("stated",), self.stated
        for index, reading in enumerate(self.readings):
            for side in ("numerator", "denominator"):
                for position, ref in enumerate(getattr(reading, side)):
                    yield ("readings", index, side, position), ref


@model
class Total(_ClaimBase):
    """A stated amount (often a bound: "over KRW 1 trillion") against the figures summed."""

    type: Literal["total"]
    stated: Id
    readings: Annotated[tuple[TotalReading, ...], MinItems(1)]

    def figure_refs(self) -> Iterator[tuple[Path, str]]:
        yield ("stated",), self.stated
        for index, reading in enumerate(self.readings):
            for position, ref in enumerate(reading.counted):
                yield ("readings", index, "counted", position), ref


@model
class NamedCount(_ClaimBase):
    """A stated count of cities or countries against those the article actually names."""

    type: Literal["named_count"]
    stated: Id
    entity: EntityType
    scope: Annotated[
        Id | None, Doc("Count only the partners of this figure; by default every partner named")
    ] = None

    def figure_refs(self) -> Iterator[tuple[Path, str]]:
        yield ("stated",), self.stated
        if self.scope is not None:
            yield ("scope",), self.scope


@model
class Compare(_ClaimBase):
    """An order between figures of one unit (a part below a whole, one count below another)."""

    type: Literal["compare"]
    readings: Annotated[tuple[CompareReading, ...], MinItems(1)]

    def figure_refs(self) -> Iterator[tuple[Path, str]]:
        for index, reading in enumerate(self.readings):
            for side in ("left", "right"):
                for position, ref in enumerate(getattr(reading, side)):
                    yield ("readings", index, side, position), ref


@model
class Duration(_ClaimBase):
    """A stated number of years against the span between a start and an end."""

    type: Literal["duration"]
    stated: Id
    readings: Annotated[tuple[DurationReading, ...], MinItems(1)]

    def figure_refs(self) -> Iterator[tuple[Path, str]]:
        yield ("stated",), self.stated
        for index, reading in enumerate(self.readings):
            yield ("readings", index, "start"), reading.start
            yield ("readings", index, "end"), reading.end


Claim = Annotated[
    PartsWithinTotal | Share | Total | NamedCount | Compare | Duration,
    Tagged("type"),
]
