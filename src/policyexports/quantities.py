"""What a figure measures and how exactly (units, bounds), exact decimals, and won formatted
in units; ``written.py`` reads figures as the article writes them."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from math import gcd


class Unit(StrEnum):
    """What a figure's number measures."""

    KRW = "KRW"
    COUNT = "count"
    PERCENT = "percent"
    KM = "km"
    YEAR = "year"
    YEARS = "years"


class Bound(StrEnum):
    """How the written number constrains the true value."""

    ROUNDED = "rounded"  # "644.5 billion": anything that rounds to it
    OVER = "over"  # "over", "more than", "exceeded": strictly greater
    AT_LEAST = "at_least"
    UNDER = "under"  # "less than": strictly smaller
    RANGE = "range"  # "400 to 500 million"


class DisplayUnit(StrEnum):
    """Units in which amounts of won can be shown (``--unit``)."""

    WON = "won"
    MILLION = "million"
    BILLION = "billion"
    TRILLION = "trillion"
    EOK = "eok"
    JO = "jo"


# why: every unit is a power of ten of won, so whole won in a unit is a shift of its digits
UNIT_PLACES: dict[DisplayUnit, int] = {
    DisplayUnit.WON: 0,
    DisplayUnit.MILLION: 6,
    DisplayUnit.BILLION: 9,
    DisplayUnit.TRILLION: 12,
    DisplayUnit.EOK: 8,
    DisplayUnit.JO: 12,
}
WON_PER_UNIT: dict[DisplayUnit, int] = {unit: 10**places for unit, places in UNIT_PLACES.items()}
EXACT_PLACES = 12  # where a fraction whose decimal expansion never ends is rounded

UNIT_SUFFIX: dict[DisplayUnit, str] = {
    DisplayUnit.WON: "",
    DisplayUnit.MILLION: " million",
    DisplayUnit.BILLION: " billion",
    DisplayUnit.TRILLION: " trillion",
    DisplayUnit.EOK: " eok",
    DisplayUnit.JO: " jo",
}

MONTHS = [
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
]


class QuantityParseError(ValueError):
    """A written figure that the grammar of ``parse_written`` does not accept."""


def canonical_decimal(value: Decimal) -> Decimal:
    """Return ``value`` without exponent or trailing zeros: 6.445E+11 becomes 644500000000."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


PLAIN_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"  # a number written as text, in the JSON Schema too


@functools.cache
def _plain_decimal() -> re.Pattern[str]:
    return re.compile(PLAIN_DECIMAL, re.ASCII)


def to_decimal(text: str) -> Decimal:
    """Parse a plain decimal number (``PLAIN_DECIMAL``: "-12.5"), raising
    ``QuantityParseError`` on anything else.

    why: ``Decimal`` itself also reads "1_5" as 15, " 15 " as 15, "1.5E1", "Infinity" and
    "NaN"; a dataset's numbers are checked against what its schema says they are.
    """
    # why: fullmatch, as "$" would also match before a final line break
    if _plain_decimal().fullmatch(text) is None:
        raise QuantityParseError(
            f"{text!r} is not a plain decimal number (digits, at most one '.', "
            "an optional leading '-')"
        )
    try:
        return Decimal(text)
    except InvalidOperation:  # why: too many digits for the context (about 10^18)
        raise QuantityParseError(f"{text!r} is out of range") from None


def won_in_unit(won: int | Fraction, unit: DisplayUnit) -> Decimal:
    """Return ``won`` expressed exactly in ``unit`` (no rounding, no float)."""
    if type(won) is int:
        return Decimal(shifted_text(won, UNIT_PLACES[unit], separators=False))
    numerator, denominator = _ratio(won)
    return _exact(numerator, denominator * WON_PER_UNIT[unit])


def shifted_text(whole: int, places: int, *, separators: bool) -> str:
    """``whole / 10**places`` as text, with no trailing zeros after the point (as ``_exact``
    writes it), and with thousands separators if asked."""
    digits = str(abs(whole)).rjust(places + 1, "0")
    point = len(digits) - places
    units = f"{int(digits[:point]):,}" if separators else digits[:point]
    fraction = digits[point:].rstrip("0")
    sign = "-" if whole < 0 else ""
    return f"{sign}{units}.{fraction}" if fraction else sign + units


# why: scaleb rounds to its context's precision, 28 digits by default; shifting the point
# of an exact number must not round it (places_clear_of looped forever on such a rounding)
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _ratio(value: int | Fraction) -> tuple[int, int]:
    # why: amounts are mostly whole won; a Fraction for each cost more than the arithmetic
    if isinstance(value, int):
        return value, 1
    return value.numerator, value.denominator


def exact_decimal(value: Fraction) -> Decimal:
    """Return ``value`` exactly as a Decimal when its expansion ends, else to 12 places."""
    return _exact(value.numerator, value.denominator)


def _exact(numerator: int, denominator: int) -> Decimal:
    # why: integer arithmetic, not Fraction's, which took most of a large report's time
    common = gcd(numerator, denominator)
    numerator, denominator = numerator // common, denominator // common
    places = decimal_places(denominator)
    if places is None:
        return _round(numerator, denominator, EXACT_PLACES)
    return Decimal(numerator * 10**places // denominator).scaleb(-places, _EXACT)


def decimal_places(denominator: int) -> int | None:
    """How many places ``n / denominator`` takes written out, for ``n`` coprime to the
    denominator; ``None`` when they never end (a factor other than 2 and 5)."""
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    return max(twos, fives) if rest == 1 else None


def rounded(numerator: int, denominator: int, places: int) -> int:
    """``numerator / denominator`` times ``10**places``, rounded half away from zero."""
    scaled: int = abs(numerator) * 10**places  # why: typeshed types int ** int as Any
    whole, remainder = divmod(scaled, denominator)
    if 2 * remainder >= denominator:
        whole += 1
    return -whole if numerator < 0 else whole


def round_fraction(value: Fraction, places: int) -> Decimal:
    """Round half away from zero to ``places`` decimal places, exactly."""
    return _round(value.numerator, value.denominator, places)


def _round(numerator: int, denominator: int, places: int) -> Decimal:
    return Decimal(rounded(numerator, denominator, places)).scaleb(-places, _EXACT)


def places_clear_of(
    value: Fraction, places: int, limits: Iterable[Fraction | int], most: int | None = None
) -> int | None:
    """The fewest decimal places, from ``places``, at which ``value`` rounds to a number on the
    same side of every limit as ``value`` itself: never onto a limit or across it (69.498, not
    69.50, against 69.5; 0.0001%, never 0.00%). ``None`` if that takes more than ``most``."""
    bounds = [Fraction(limit) for limit in limits]
    digits = places
    while most is None or digits <= most:
        shown = Fraction(round_fraction(value, digits))
        # why: a limit it rounds onto, or across, would say the value is what it is not
        if all(
            (shown > bound) - (shown < bound) == (value > bound) - (value < bound)
            for bound in bounds
        ):
            return digits
        digits += 1
    return None


def _side(value: Fraction, limit: Fraction) -> int:
    return (value > limit) - (value < limit)


def round_clear_of(value: Fraction, places: int, limits: Iterable[Fraction | int]) -> Decimal:
    """``value`` rounded to ``places_clear_of`` places (found for any value not on a limit)."""
    digits = places_clear_of(value, places, limits)
    assert digits is not None  # why: with no upper bound on places the search always ends
    return round_fraction(value, digits)


def format_won(
    won: int | Fraction,
    unit: DisplayUnit = DisplayUnit.BILLION,
    *,
    separators: bool = True,
    places: int | None = None,
    suffix: bool = False,
) -> str:
    """Format an amount of won in ``unit``: exact unless ``places`` asks for rounding."""
    if places is None and type(won) is int:
        # why: the usual case, and common: a large report shows hundreds of thousands
        text = shifted_text(won, UNIT_PLACES[unit], separators=separators)
        return text + (UNIT_SUFFIX[unit] if suffix else "")
    if places is None:
        value = won_in_unit(won, unit)
    else:
        numerator, denominator = _ratio(won)
        value = _round(numerator, denominator * WON_PER_UNIT[unit], places)
    text = f"{value:,f}" if separators else f"{value:f}"
    return text + (UNIT_SUFFIX[unit] if suffix else "")


def format_percent(share: Fraction, places: int = 2) -> str:
    """Format a share (0..1) as a percentage rounded for display."""
    return f"{round_fraction(share * 100, places):f}%"
