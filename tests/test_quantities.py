"""Parsing written figures exactly, and formatting won in every unit without loss."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from decimal import Context, Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from policyexports.quantities import (
    PLAIN_DECIMAL,
    WON_PER_UNIT,
    Bound,
    DisplayUnit,
    QuantityParseError,
    Unit,
    format_percent,
    format_won,
    to_decimal,
    won_in_unit,
)
from policyexports.render.words import share_decimal, share_decimal_text
from policyexports.written import Parsed, _by_grammar, parse_written


@pytest.mark.parametrize(
    ("written", "unit", "value", "step", "bound", "high", "month"),
    [
        ("KRW 992.77 billion", Unit.KRW, 992_770_000_000, 10_000_000, Bound.ROUNDED, None, None),
        ("KRW 644.5 billion", Unit.KRW, 644_500_000_000, 100_000_000, Bound.ROUNDED, None, None),
        ("KRW 4.0144 billion", Unit.KRW, 4_014_400_000, 100_000, Bound.ROUNDED, None, None),
        (
            "KRW 400 to 500 million",
            Unit.KRW,
            400_000_000,
            1_000_000,
            Bound.RANGE,
            500_000_000,
            None,
        ),
        ("over KRW 1 trillion", Unit.KRW, 10**12, 10**12, Bound.OVER, None, None),
        ("likely exceeded KRW 1 trillion", Unit.KRW, 10**12, 10**12, Bound.OVER, None, None),
        ("70 percent", Unit.PERCENT, 70, 1, Bound.ROUNDED, None, None),
        ("2.8 kilometers", Unit.KM, Decimal("2.8"), Decimal("0.1"), Bound.ROUNDED, None, None),
        ("June 2016", Unit.YEAR, 2016, 1, Bound.ROUNDED, None, 6),
        ("2006", Unit.YEAR, 2006, 1, Bound.ROUNDED, None, None),
        ("16,756", Unit.COUNT, 16756, 1, Bound.ROUNDED, None, None),
        ("over 120 countries", Unit.COUNT, 120, 1, Bound.OVER, None, None),
        ("over 10 million", Unit.COUNT, 10_000_000, 1_000_000, Bound.OVER, None, None),
        ("two millennia", Unit.YEARS, 2000, 1000, Bound.ROUNDED, None, None),
        ("less than half century", Unit.YEARS, 50, 50, Bound.UNDER, None, None),
        ("decade", Unit.YEARS, 10, 10, Bound.ROUNDED, None, None),
        ("10 Years", Unit.YEARS, 10, 1, Bound.ROUNDED, None, None),
        ("at least ₩3,000", Unit.KRW, 3000, 1, Bound.AT_LEAST, None, None),
        ("zero cities", Unit.COUNT, 0, 1, Bound.ROUNDED, None, None),  # not a step of 0
        ("half", Unit.COUNT, Decimal("0.5"), Decimal("0.5"), Bound.ROUNDED, None, None),
    ],
)
def test_parse_written(
    written: str,
    unit: Unit,
    value: int | Decimal,
    step: int | Decimal,
    bound: Bound,
    high: int | None,
    month: int | None,
) -> None:
    parsed = parse_written(written)
    assert (parsed.unit, parsed.value, parsed.step, parsed.bound) == (unit, value, step, bound)
    assert parsed.high == high
    assert parsed.month == month


def test_default_unit_applies_when_the_text_names_none() -> None:
    assert parse_written("644.5 billion", default_unit=Unit.KRW).value == 644_500_000_000


@pytest.mark.parametrize(
    "written", ["", "billion dollars", "a great deal", "KRW 1.5 won", "over 3 to 4", "NaN"]
)
def test_parse_rejects(written: str) -> None:
    with pytest.raises(QuantityParseError):
        parse_written(written)


@pytest.mark.parametrize("written", ["6 months", "less than 1 month", "3 Weeks", "2 days"])
def test_a_length_of_time_not_in_years_is_refused_not_read_as_years(written: str) -> None:
    # why: "6 months" of a duration was read as 6 years, "months" taken for a mere noun
    with pytest.raises(QuantityParseError, match="read in years"):
        parse_written(written, default_unit=Unit.YEARS)
    assert parse_written(written).unit is Unit.COUNT  # why: a count of months is a count


# why: Unicode case folding matches these to ASCII letters: the long s to s, the dotless i to i,
# the Kelvin sign to k; the dotted capital I lowers to two characters
LOOKALIKES = {
    "s": "\u017f",
    "S": "\u017f",
    "i": "\u0131",
    "I": "\u0130",
    "k": "\u212a",
    "K": "\u212a",
}


@pytest.mark.parametrize(
    "written",
    [
        *("\u017fix", "\u017fix cities", "KRW 1 b\u0131llion", "\u212aRW 1 billion"),
        *("more than \u017fix", "5 \u212am"),
    ],
)
def test_letters_that_fold_to_ascii_are_not_the_grammars_words(written: str) -> None:
    with pytest.raises(QuantityParseError, match="cannot read"):
        parse_written(written)


GRAMMAR_WORDS = [
    *("KRW", "₩", "over", "more than", "likely exceeded", "at least", "less than", "June"),
    *("six", "a", "half", "to", "billion", "decades", "kilometers", "per cent", "years", "cities"),
    *("1", "2.5", "1,000"),
]


@given(st.lists(st.sampled_from(GRAMMAR_WORDS), max_size=5), st.data())
def test_a_written_figure_is_read_or_refused_with_a_message(
    words: list[str], data: st.DataObject
) -> None:
    text = " ".join(words)
    swaps = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    written = "".join(
        LOOKALIKES.get(char, char) if swap else char for char, swap in zip(text, swaps, strict=True)
    )
    # why: anything else (KeyError, InvalidOperation) was a traceback for the user
    with contextlib.suppress(QuantityParseError):
        parse_written(written)


def _read(read: Callable[[str, Unit | None], Parsed], written: str, unit: Unit | None) -> object:
    """What ``read`` makes of ``written``: its meaning, each number's text, or its error."""
    try:
        parsed = read(written, unit)
    except QuantityParseError as error:
        return str(error)
    return parsed, [str(field) for field in parsed]


@st.composite
def _plain(draw: st.DrawFn) -> str:
    """Amounts written as "KRW 644.5 billion", and texts a character or a word off it."""
    digits = "0123456789"
    whole = draw(st.text(digits, min_size=1, max_size=32))
    places = draw(st.integers(min_value=0, max_value=14))  # why: around every scale's places
    fraction = draw(st.text(digits, min_size=places, max_size=places))
    prefix = draw(st.sampled_from(["KRW ", "KRW", "krw ", "₩", " KRW "]))
    scale = draw(st.sampled_from(["thousand", "million", "billion", "trillion", "Billion", "km"]))
    suffix = draw(st.sampled_from(["", " ", "\n", " cities"]))
    return f"{prefix}{whole}{'.' if places else ''}{fraction} {scale}{suffix}"


@given(_plain() | st.text(max_size=40), st.none() | st.sampled_from(Unit))
@example("KRW 1.123 thousand", None)
@example("KRW 1.1234 thousand", None)  # why: not whole won
@example("KRW 1.123456789 billion", Unit.COUNT)
@example("KRW 1.1234567891 billion", None)
@example("KRW 1.123456789012 trillion", None)
@example("KRW 1.1234567890123 trillion", None)
@example("KRW 1234567890123456.123456789012 trillion", None)  # why: 28 digits, read at once
@example("KRW 12345678901234567.123456789012 trillion", None)  # why: 29, which Decimal rounds
@example("KRW 10000000000000000000000000001 thousand", None)
def test_amounts_written_plainly_are_read_as_the_grammar_reads_them(
    written: str, unit: Unit | None
) -> None:
    # why: parse_written reads "KRW 644.5 billion" without the grammar; for that text, and
    # every other (each its own way, or left to the grammar), the meaning and error are its
    assert _read(parse_written, written, unit) == _read(_by_grammar.__wrapped__, written, unit)


@pytest.mark.parametrize(
    ("won", "unit", "separators", "expected"),
    [
        (992_770_000_000, DisplayUnit.BILLION, True, "992.77"),
        (992_770_000_000, DisplayUnit.WON, True, "992,770,000,000"),
        (992_770_000_000, DisplayUnit.WON, False, "992770000000"),
        (992_770_000_000, DisplayUnit.EOK, True, "9,927.7"),
        (992_770_000_000, DisplayUnit.JO, True, "0.99277"),
        (4_014_400_000, DisplayUnit.TRILLION, True, "0.0040144"),
        (400_000_000, DisplayUnit.MILLION, True, "400"),
        (1, DisplayUnit.TRILLION, False, "0.000000000001"),
    ],
)
def test_format_won_is_exact(won: int, unit: DisplayUnit, separators: bool, expected: str) -> None:
    assert format_won(won, unit, separators=separators) == expected


def test_format_rounds_half_away_from_zero_only_when_asked() -> None:
    assert format_won(644_550_000_000, DisplayUnit.BILLION, places=1) == "644.6"
    assert format_percent(Fraction(69_775, 100_000)) == "69.78%"


@given(st.integers(min_value=0, max_value=10**20), st.sampled_from(list(DisplayUnit)))
def test_format_and_parse_round_trip(won: int, unit: DisplayUnit) -> None:
    shown = format_won(won, unit, separators=False)
    assert Decimal(shown) * WON_PER_UNIT[unit] == won
    with_separators = format_won(won, unit)
    assert Decimal(with_separators.replace(",", "")) == Decimal(shown)


@given(st.integers(min_value=-(10**30), max_value=10**30), st.sampled_from(list(DisplayUnit)))
def test_whole_won_in_a_unit_is_the_exact_quotient_in_its_shortest_form(
    won: int, unit: DisplayUnit
) -> None:
    shifted = won_in_unit(won, unit)
    assert shifted == Fraction(won, WON_PER_UNIT[unit])  # exact, at any size
    general = won_in_unit(Fraction(won), unit)  # through _exact
    assert shifted.as_tuple() == general.as_tuple()  # same digits and exponent
    assert str(shifted) == str(general)
    for separators in (True, False):
        text = format_won(won, unit, separators=separators)
        assert text == format_won(Fraction(won), unit, separators=separators)


@given(st.integers(min_value=0, max_value=10**15))
def test_written_billions_parse_back_to_the_same_won(won: int) -> None:
    written = f"KRW {format_won(won, DisplayUnit.BILLION, separators=False)} billion"
    assert parse_written(written).value == won


_DENOMINATORS = st.one_of(
    st.integers(min_value=1, max_value=10**15),
    st.builds(lambda a, b: 2**a * 5**b, st.integers(0, 60), st.integers(0, 60)),
)


@given(st.integers(min_value=-(10**20), max_value=10**20), _DENOMINATORS)
def test_share_decimal_text_is_share_decimal_as_text(numerator: int, denominator: int) -> None:
    share = Fraction(numerator, denominator)
    assert share_decimal_text(share) == str(share_decimal(share))


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (Fraction(1, 4), "0.25"),
        (Fraction(-3, 8), "-0.375"),
        (Fraction(1, 3), "0.333333333333"),
        (Fraction(2, 3), "0.666666666667"),
        (Fraction(0), "0"),
        (Fraction(1), "1"),
        (Fraction(7), "7"),
        (Fraction(1, 3 * 10**13), "0.00000000000003"),  # more places, not 0
        (Fraction(3 * 10**13 - 1, 3 * 10**13), "0.99999999999997"),  # more places, not 1
        (1 - Fraction(1, 3 * 10**40), "0.99999999999999999999999999999999999999997"),
        (Fraction(1, 2**200), format(Decimal(5**200).scaleb(-200, Context(prec=999)), "f")),
    ],
)
def test_share_decimal_text_examples(share: Fraction, text: str) -> None:
    assert share_decimal_text(share) == text


PLAIN = re.compile(PLAIN_DECIMAL)  # the pattern the JSON Schema publishes for them


@given(
    st.one_of(
        st.from_regex(PLAIN, fullmatch=True),
        st.text(alphabet="0123456789-+._eE \u0663\u00b2NaInfity", max_size=12),
        st.text(max_size=8),
    )
)
def test_to_decimal_reads_exactly_what_the_schema_calls_a_number(text: str) -> None:
    if PLAIN.fullmatch(text) and text.isascii():
        assert to_decimal(text) == Decimal(text)
    else:
        with pytest.raises(QuantityParseError):
            to_decimal(text)


@pytest.mark.parametrize(
    "text", ["1_5", " 15 ", "1.5E1", "+1", ".5", "5.", "NaN", "-Infinity", "\u0663", "15\n"]
)
def test_to_decimal_refuses_what_decimal_alone_would_read(text: str) -> None:
    with pytest.raises(QuantityParseError, match="is not a plain decimal number"):
        to_decimal(text)


def test_the_schema_publishes_the_pattern_to_decimal_reads() -> None:
    from policyexports.schema import dataset_schema

    assert f'"pattern": {json.dumps(PLAIN_DECIMAL)}' in json.dumps(dataset_schema())


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None, min_value=-(10**24)))
def test_numbers_are_written_as_to_decimal_reads_them(value: Decimal) -> None:
    from policyexports.models import _serialise_number

    written = _serialise_number(value)
    # why: "5E-7" was written for 0.0000005, which a dataset may not say
    assert (written if isinstance(written, int) else to_decimal(written)) == value
