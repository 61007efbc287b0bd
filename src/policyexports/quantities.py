"""Parsing figures as the article writes them ("KRW 992.77 billion"); formatting won in units."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from math import gcd
from typing import NamedTuple


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

_NUMBER_WORDS: dict[str, Decimal] = {
    word: Decimal(index)
    for index, word in enumerate(
        [
            *("zero", "one", "two", "three", "four", "five", "six"),
            *("seven", "eight", "nine", "ten", "eleven", "twelve"),
        ]
    )
}
_NUMBER_WORDS.update({"a": Decimal(1), "an": Decimal(1), "half": Decimal("0.5")})

# Scale words multiply the number; a value written "644.5 billion" is precise to 0.1 billion.
_SCALES: dict[str, tuple[Decimal, Unit | None]] = {
    "thousand": (Decimal(10**3), None),
    "million": (Decimal(10**6), None),
    "billion": (Decimal(10**9), None),
    "trillion": (Decimal(10**12), None),
    "decade": (Decimal(10), Unit.YEARS),
    "decades": (Decimal(10), Unit.YEARS),
    "century": (Decimal(100), Unit.YEARS),
    "centuries": (Decimal(100), Unit.YEARS),
    "millennium": (Decimal(1000), Unit.YEARS),
    "millennia": (Decimal(1000), Unit.YEARS),
}

_UNIT_WORDS: dict[str, Unit] = {
    "percent": Unit.PERCENT,
    "per cent": Unit.PERCENT,
    "%": Unit.PERCENT,
    "kilometers": Unit.KM,
    "kilometres": Unit.KM,
    "km": Unit.KM,
    "years": Unit.YEARS,
    "year": Unit.YEARS,
}

# Lengths of time the grammar does not read: a duration written so is refused, not misread.
_SHORTER_SPANS = frozenset(
    f"{word}{plural}"
    for word in ("month", "week", "day", "hour", "minute", "second")
    for plural in ("", "s")
)

_QUALIFIERS: dict[str, Bound] = {
    "over": Bound.OVER,
    "more than": Bound.OVER,
    "exceeded": Bound.OVER,
    "likely exceeded": Bound.OVER,
    "at least": Bound.AT_LEAST,
    "less than": Bound.UNDER,
    "under": Bound.UNDER,
}


def _words(words: Iterable[str], *, longest_first: bool = True) -> str:
    """An alternation of ``words`` (longest first, or as given), whose letters match in either
    case only as ASCII letters do.

    why: under ``re.IGNORECASE`` alone, Unicode's case folding made "six" written with a long
    s (U+017F) and "billion" with a dotless i (U+0131) match those words; they were then not
    found in these tables, and validating a dataset that wrote them ended in a traceback.
    """
    chosen = sorted(words, key=len, reverse=True) if longest_first else list(words)
    return "(?a:" + "|".join(chosen) + ")"


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|" + _words(_NUMBER_WORDS)
_WRITTEN_SOURCE = (
    r"^(?:(?P<qualifier>" + _words(_QUALIFIERS) + r")\s+)?"
    r"(?:(?P<month>" + _words(MONTHS, longest_first=False) + r")\s+)?"
    r"(?:(?P<currency>" + _words(["KRW", "₩"]) + r")\s*)?"
    r"(?P<number>" + _NUMBER + r")?"
    r"(?:\s+" + _words(["to"]) + r"\s+(?P<high>" + _NUMBER + r"))?"
    r"(?:\s*(?P<scale>" + _words(_SCALES, longest_first=False) + r"))?"
    r"(?:\s*(?P<unit>" + _words(_UNIT_WORDS) + r"))?"
    r"(?:\s+(?P<noun>(?a:[A-Za-z][A-Za-z ]*)))?$"
)


@functools.cache
def _written() -> re.Pattern[str]:
    # why: compiled when first needed (validating, checking), not by every command's start-up
    return re.compile(_WRITTEN_SOURCE, re.IGNORECASE)


class QuantityParseError(ValueError):
    """A written figure that the grammar of ``parse_written`` does not accept."""


class Parsed(NamedTuple):
    """The exact meaning of a written figure."""

    unit: Unit
    value: Decimal
    step: Decimal
    bound: Bound
    high: Decimal | None = None
    month: int | None = None


_ONE = Decimal(1)
# why: the place value of a number's last digit, by how many digits follow its point
_STEPS = [_ONE.scaleb(-places) for places in range(40)]


def _number(text: str) -> tuple[Decimal, Decimal]:
    """Return a written number and the place value of its last written digit."""
    word = _NUMBER_WORDS.get(text.lower())
    if word is not None:
        # why: a counting word is exact to one ("zero" too); "half" is exact to a half
        return word, _ONE if word >= 1 or word == 0 else word
    # why: the grammar's numbers are digits, commas and at most one point; the digits after
    # it give the step, read from the text rather than from the Decimal's tuple
    point = text.find(".")
    places = 0 if point < 0 else len(text) - point - 1
    step = _STEPS[places] if places < len(_STEPS) else _ONE.scaleb(-places)
    return Decimal(text.replace(",", "") if "," in text else text), step


def parse_written(written: str, default_unit: Unit | None = None) -> Parsed:
    """Parse a figure as written ("KRW 400 to 500 million", "70 percent", "June 2016").

    ``default_unit`` applies when the text names none ("644.5 billion" of a revenue figure).
    An amount written as the article writes most, "KRW 644.5 billion", is read at once; every
    other text by the grammar, which reads it the same (a test compares the two).
    """
    plain = _plain_money().fullmatch(written)
    if plain is not None:
        whole, fraction, scale = plain.groups()
        shift = _PLAIN_SCALES[scale] - (0 if fraction is None else len(fraction))
        if shift >= 0:  # why: else not whole won, as the grammar says
            step = 10**shift
            value = int(whole if fraction is None else whole + fraction) * step
            return Parsed(Unit.KRW, Decimal(value), Decimal(step), Bound.ROUNDED)
    return _by_grammar(written, default_unit)


# why: read by the grammar, such an amount took 3.9 us and a miss of its cache, and each
# figure of a large dataset writes its own. The places of a power of ten, of the scales
# that name no unit
_PLAIN_SCALES = {
    word: len(str(int(factor))) - 1 for word, (factor, unit) in _SCALES.items() if unit is None
}


@functools.cache
def _plain_money() -> re.Pattern[str]:
    """ "KRW", a number of at most 28 digits, and a scale word, exactly so spelt and spaced.

    why: at most 28 digits, as the grammar multiplies by the scale in Decimal's default
    precision of 28 digits, which rounds longer numbers (all far beyond 10^24, and refused)
    """
    words = "|".join(_PLAIN_SCALES)
    return re.compile(r"KRW ([0-9]{1,16})(?:\.([0-9]{1,12}))? (" + words + ")")


@functools.lru_cache(maxsize=4096)
def _by_grammar(written: str, default_unit: Unit | None = None) -> Parsed:
    """``parse_written``: by the grammar, which reads every figure."""
    match = _written().match(written.strip())
    if match is None:
        raise QuantityParseError(
            f"cannot read {written!r} as a figure "
            "(expected e.g. 'KRW 992.77 billion', 'over 120', '70 percent', 'June 2016')"
        )
    # why: the groups at once, as locals; a lookup by name each took a tenth of the parse
    qualifier, month_word, currency, number, high_text, scale, unit_word, noun_text = match.groups()
    scale_word = "" if scale is None else scale.lower()
    bare_scale = _SCALES[scale_word][1] if scale_word else None
    if number is None and bare_scale is not Unit.YEARS:
        # why: "the last decade" is one decade; "billion dollars" is no figure at all
        raise QuantityParseError(f"{written!r} has no number")
    if number is not None and scale is None and number.lower() in ("a", "an"):
        # why: "a" counts only before a scale word ("a decade"); "a great deal" is no number
        raise QuantityParseError(
            f"cannot read {written!r} as a figure (expected e.g. 'KRW 992.77 billion')"
        )
    # why: a bare scale word ("the last decade") means one of it
    value, step = _number(number or "1")
    high: Decimal | None = None
    if high_text is not None:
        high, high_step = _number(high_text)
        step = min(step, high_step)
    unit: Unit | None = None
    if scale_word:
        factor, unit = _SCALES[scale_word]
        value, step = value * factor, step * factor
        high = None if high is None else high * factor
    if unit_word is not None:
        unit = _UNIT_WORDS[unit_word.lower()]
    month: int | None = None
    if currency is not None:
        unit = Unit.KRW
    elif month_word is not None:
        unit, month = Unit.YEAR, MONTHS.index(month_word.lower()) + 1
    elif (
        unit is None
        and default_unit in (None, Unit.YEAR)
        and not scale_word
        and step == 1
        and 1000 <= value <= 2999
        and "," not in (number or ",")
    ):
        unit = Unit.YEAR  # why: a bare four-digit number in the article is a year
    if unit is None:
        unit = default_unit or Unit.COUNT
    if unit is Unit.YEARS and noun_text is not None:
        noun = noun_text.split()
        if noun and noun[0].lower() in _SHORTER_SPANS:
            # why: the grammar knows no month, week or day as a length of time; a duration
            # "6 months" was read as 6 years, its noun taken for a word after the number
            raise QuantityParseError(
                f"{written!r}: a length of time is read in years (write e.g. '0.5 years')"
            )
    bound = Bound.ROUNDED if qualifier is None else _QUALIFIERS[qualifier.lower()]
    if high is not None:
        if bound is not Bound.ROUNDED:
            raise QuantityParseError(f"{written!r}: a range cannot also be {bound.value}")
        bound = Bound.RANGE
    if unit is Unit.KRW and (value != value.to_integral() or step != step.to_integral()):
        raise QuantityParseError(f"{written!r}: amounts must be whole won")
    # why: Parsed's fields by position, not by keyword, which cost twice as much
    return Parsed(
        unit,
        canonical_decimal(value),
        canonical_decimal(step),
        bound,
        None if high is None else canonical_decimal(high),
        month,
    )


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
