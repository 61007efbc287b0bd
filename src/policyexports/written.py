"""Reading figures as the article writes them: "KRW 992.77 billion", "over 120", "70 percent",
"June 2016", "the last decade"."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from policyexports.quantities import MONTHS, Bound, QuantityParseError, Unit, canonical_decimal

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
    """``KRW``, a number of at most 28 digits and a scale word, exactly so spelt and spaced.

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
