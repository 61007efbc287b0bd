"""The typed dataset: entities, figures with their exact values and provenance, and its source."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic_core import core_schema

from policyexports.basetypes import (
    Constrained,
    CountryCode,
    Doc,
    Flag,
    Frozen,
    Id,
    Sha256,
    Text,
    WholeNumber,
    model,
)
from policyexports.claims import Claim
from policyexports.quantities import (
    PLAIN_DECIMAL,
    Bound,
    QuantityParseError,
    Unit,
    canonical_decimal,
    to_decimal,
)
from policyexports.written import parse_written

if TYPE_CHECKING:
    from policyexports.ranges import Bounds

MAX_ABS_VALUE = Decimal(10) ** 24  # why: far above any budget, low enough to rule out absurd input


def _exact_number(value: object) -> Decimal:
    number = _read_number(value)
    # why: a zero keeps the exponent it is written with and equals every other zero, so
    # 0E-999999999999999999 passed every check, and writing it out (10^18 zeros) ended in a
    # MemoryError; -0 was shown as "-0"
    return Decimal(0) if number.is_zero() else number


def _read_number(value: object) -> Decimal:
    # why: JSON is parsed with parse_float=Decimal, so 2.8 arrives exact; ints and numeric
    # strings are accepted too, floats never (they would already have lost precision).
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return to_decimal(value)
        except QuantityParseError as error:
            raise ValueError(str(error)) from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError("must be a finite number")
    if isinstance(value, float):  # why: from Python only; JSON numbers arrive as Decimal
        raise ValueError("must be exact: an integer, a Decimal or text, not a binary float")
    if not isinstance(value, Decimal):  # why: worded for JSON, not as pydantic names types
        raise ValueError('must be a number, such as 13500000000 or "2.8"')
    return value


def _serialise_number(value: Decimal) -> int | str:
    # why: written as to_decimal reads it back: "0.0000005", never "5E-7"
    return int(value) if value == value.to_integral_value() else format(value, "f")


class _Exact:
    """A number kept exact: read by ``_exact_number``, written by ``_serialise_number``."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(
            _exact_number,
            core_schema.decimal_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(_serialise_number),
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": PLAIN_DECIMAL},
            ]
        }


ExactNumber = Annotated[Decimal, _Exact()]


class Kind(StrEnum):
    """What a figure is. Kinds are never added together in a report."""

    REVENUE = "revenue"
    CONTRACT_VALUE = "contract_value"
    PROJECT_COST = "project_cost"
    EXPORT_VALUE = "export_value"
    RECURRING_YEARLY = "recurring_yearly"
    COUNT = "count"
    SHARE = "share"
    YEAR = "year"
    DATE = "date"
    DURATION = "duration"
    DISTANCE = "distance"


KIND_UNIT: dict[Kind, Unit] = {
    Kind.REVENUE: Unit.KRW,
    Kind.CONTRACT_VALUE: Unit.KRW,
    Kind.PROJECT_COST: Unit.KRW,
    Kind.EXPORT_VALUE: Unit.KRW,
    Kind.RECURRING_YEARLY: Unit.KRW,
    Kind.COUNT: Unit.COUNT,
    Kind.SHARE: Unit.PERCENT,
    Kind.YEAR: Unit.YEAR,
    Kind.DATE: Unit.YEAR,
    Kind.DURATION: Unit.YEARS,
    Kind.DISTANCE: Unit.KM,
}

KIND_LABEL: dict[Kind, str] = {
    Kind.REVENUE: "revenue earned",
    Kind.CONTRACT_VALUE: "contract value",
    Kind.PROJECT_COST: "project cost",
    Kind.EXPORT_VALUE: "value of exports",
    Kind.RECURRING_YEARLY: "recurring yearly amount",
    Kind.COUNT: "count",
    Kind.SHARE: "share",
    Kind.YEAR: "year",
    Kind.DATE: "date",
    Kind.DURATION: "duration",
    Kind.DISTANCE: "distance",
}


class Role(StrEnum):
    """Why the article mentions a place."""

    PARTNER = "partner"  # Seoul exported policy programs there
    HOME = "home"
    OTHER = "other"  # mentioned, e.g. as a competitor


class OrganizationType(StrEnum):
    COMPANY = "company"
    PUBLIC_CORPORATION = "public_corporation"
    GOVERNMENT = "government"
    AGENCY = "agency"


@model
class Source(Frozen):
    """The article a dataset was built from, with the checksum of its text."""

    title: Text
    publisher: Text
    data_as_of: Text | None = None
    file: Annotated[
        str,
        Constrained(pattern=r"^[^/\\]+$", max_length=255),
        Doc("File name of the article text, beside the dataset file"),
    ]
    sha256: Sha256


@model
class Country(Frozen):
    code: Annotated[CountryCode, Doc("ISO 3166-1 alpha-2 code")]
    name: Text
    aliases: tuple[Text, ...] = ()
    role: Role = Role.PARTNER
    quote: Text | None = None


@model
class City(Frozen):
    id: Id
    name: Text
    country: CountryCode
    aliases: tuple[Text, ...] = ()
    role: Role = Role.PARTNER
    quote: Text | None = None


@model
class Organization(Frozen):
    id: Id
    name: Text
    type: OrganizationType
    aliases: tuple[Text, ...] = ()
    quote: Text | None = None


@model
class Sector(Frozen):
    id: Id
    name: Text
    aliases: tuple[Text, ...] = ()


@model
class Partner(Frozen):
    """A city (its country follows from it), or a country where the article names no city."""

    city: Id | None = None
    country: CountryCode | None = None

    def _check(self) -> None:
        if self.city is None and self.country is None:
            raise ValueError("a partner needs a city or a country")


@model
class Quantity(Frozen):
    """A figure's value exactly as the article writes it and as an exact number."""

    written: Annotated[
        Text, Doc("The number as it appears in the quote, e.g. 'KRW 992.77 billion'")
    ]
    unit: Unit
    value: Annotated[ExactNumber, Doc("Exact value in the unit; whole won for KRW")]
    high: Annotated[ExactNumber | None, Doc("Upper end of a range")] = None
    step: Annotated[ExactNumber, Doc("Place value of the last written digit")]
    bound: Bound = Bound.ROUNDED
    month: Annotated[int, Constrained(ge=1, le=12)] | None = None

    def _check(self) -> None:
        # why: fields read once, and the whole-won test written out rather than a generator:
        # this runs for every figure of a dataset
        value, high, step, unit = self.value, self.high, self.step, self.unit
        for name, number in (("value", value), ("high", high), ("step", step)):
            # why: copy_abs is exact; abs() rounds in the context and overflows past 10^999999
            if number is not None and number.copy_abs() > MAX_ABS_VALUE:
                raise ValueError(f"{name} {number} is out of range (at most 10^24)")
        if value < 0:
            raise ValueError(f"value must not be negative, got {value}")
        if step <= 0:
            raise ValueError(f"step must be positive, got {step}")
        if self.bound is Bound.UNDER and value <= 0 and unit is not Unit.YEAR:
            # why: amounts, counts, shares and lengths are never negative
            raise ValueError(f"'under {value}' admits no value (none is below 0)")
        if unit is Unit.KRW and (
            value != value.to_integral_value()
            or step != step.to_integral_value()
            or (high is not None and high != high.to_integral_value())
        ):
            raise ValueError("amounts of KRW must be whole won")
        if (high is None) == (self.bound is Bound.RANGE):
            raise ValueError("'high' is given exactly when bound is 'range'")
        if high is not None and high < value:
            raise ValueError(f"range is reversed: low {value} is above high {high}")
        if self.month is not None and unit is not Unit.YEAR:
            raise ValueError("'month' only applies to a year")

    @property
    def exact(self) -> Fraction:
        """The nominal value: what the article writes, as a fraction."""
        return Fraction(self.value)

    @property
    def won(self) -> int:
        """The nominal amount in whole won (KRW quantities only)."""
        return int(self.value)

    def interval(self) -> Bounds:
        """Every value consistent with the written figure and its precision."""
        from policyexports.ranges import Bounds  # why: checks need it; other commands do not

        return Bounds(*self.ends())

    def ends(self) -> tuple[Fraction | None, Fraction | None, bool, bool]:
        """The low and high ends of ``interval()`` (``None``: unbounded), and whether each is
        closed. why: validation asks only whether a span ends before it starts, and importing
        ``ranges`` for that took 0.5 ms of a first run of any dataset with a duration claim."""
        value, half = Fraction(self.value), Fraction(self.step) / 2
        if self.unit is Unit.YEAR:
            # why: "2006" is the whole year; "June 2016" the whole month, as fractions of years
            start = value if self.month is None else value + Fraction(self.month - 1, 12)
            length = Fraction(1) if self.month is None else Fraction(1, 12)
            return start, start + length, True, False
        if self.bound is Bound.OVER:
            return value, None, False, False
        if self.bound is Bound.AT_LEAST:
            return value, None, True, False
        if self.bound is Bound.UNDER:
            return None, value, False, False
        top = Fraction(self.high) if self.high is not None else value
        return value - half, top + half, True, False


def expand_written(written: str, kind: Kind | None) -> dict[str, Any]:
    """The canonical form of a value written by hand ("KRW 644.5 billion")."""
    parsed = parse_written(written, default_unit=None if kind is None else KIND_UNIT[kind])
    expanded: dict[str, Any] = {
        "written": written,
        "unit": parsed.unit.value,
        "value": parsed.value,
        "step": parsed.step,
        "bound": parsed.bound.value,
    }
    if parsed.high is not None:
        expanded["high"] = parsed.high
    if parsed.month is not None:
        expanded["month"] = parsed.month
    return expanded


@model
class Figure(Frozen):
    """One quantitative statement of the article."""

    id: Id
    kind: Kind
    label: Annotated[Text, Doc("A short description: what the number is")]
    value: Annotated[
        Quantity, Doc("Canonical object, or the figure as written by hand: 'KRW 644.5 billion'")
    ]
    earner: Annotated[Id | None, Doc("Organization that earned or signed it")] = None
    partners: tuple[Partner, ...] = ()
    sectors: Annotated[
        tuple[Id, ...], Doc("Sectors; a figure in several is one joint row in breakdowns")
    ] = ()
    total: Annotated[
        Flag, Doc("States a sum of other money (a claim), so reports never add it to figures")
    ] = False
    part_of: Annotated[Id | None, Doc("Id of a stated total that includes this figure")] = None
    counts: Annotated[Text | None, Doc("What a count counts, e.g. 'cities'")] = None
    quote: Annotated[Text, Doc("Verbatim text of the article that states the figure")]
    note: Text | None = None

    @staticmethod
    def _before(data: object) -> object:
        # why: people writing a dataset by hand may give the value as the article writes it
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            try:
                kind: Kind | None = Kind(str(data.get("kind")))
            except ValueError:
                kind = None  # why: the kind's own error is reported; read the value unitless
            try:
                return {**data, "value": expand_written(data["value"], kind)}
            except QuantityParseError as error:
                raise ValueError(str(error)) from None
        return data

    def _check(self) -> None:
        expected_unit = KIND_UNIT[self.kind]
        if self.value.unit is not expected_unit:
            raise ValueError(
                f"a {self.kind.value} figure is measured in {expected_unit.value}, "
                f"not {self.value.unit.value}"
            )
        if self.value.written not in self.quote:
            raise ValueError(f"value.written {self.value.written!r} is not in the quote")
        try:
            parsed = parse_written(self.value.written, default_unit=expected_unit)
        except QuantityParseError as error:
            raise ValueError(str(error)) from None
        value = self.value
        # why: all at once first (Parsed's fields in order; Decimals by value), then field by
        # field to say which differs; cheaper than re-validating a model
        if (value.unit, value.value, value.step, value.bound, value.high, value.month) == parsed:
            return
        for key, mine, theirs in (
            ("unit", value.unit, parsed.unit),
            ("value", value.value, parsed.value),
            ("high", value.high, parsed.high),
            ("step", value.step, parsed.step),
            ("bound", value.bound, parsed.bound),
            ("month", value.month, parsed.month),
        ):
            if mine != theirs:
                raise ValueError(
                    f"value.{key} is {_show(mine)} but the quote writes "
                    f"{value.written!r}, which means {_show(theirs)}"
                )


def _show(item: object) -> str:
    if isinstance(item, Decimal):
        return str(canonical_decimal(item))
    return "none" if item is None else str(getattr(item, "value", item))


@model
class Dataset(Frozen):
    """Every figure and claim of one article, with the entities they refer to."""

    format_version: Annotated[Literal[1], WholeNumber()] = 1
    source: Source
    countries: tuple[Country, ...] = ()
    cities: tuple[City, ...] = ()
    organizations: tuple[Organization, ...] = ()
    sectors: tuple[Sector, ...] = ()
    figures: tuple[Figure, ...]
    claims: tuple[Claim, ...] = ()
