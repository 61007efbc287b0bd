"""Showing the work: rounded numbers never land on or cross a limit they are compared with."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyexports.quantities import DisplayUnit, Unit
from policyexports.ranges import Direction, Shift
from policyexports.showwork import decimal_text, number, shift_text

SEVENTY = [Fraction(139, 2), Fraction(70), Fraction(141, 2)]


@pytest.mark.parametrize(
    ("value", "near", "shown"),
    [
        (Fraction(692_750_000_000, 996_784_400_000) * 100, SEVENTY, "69.498"),  # not 69.50
        (Fraction(694_870, 992_770) * 100, SEVENTY, "69.99"),
        (Fraction(139, 2), SEVENTY, "69.5"),
        (Fraction(1, 3), [], "0.33"),
        (Fraction(1, 3), [Fraction(333, 1000)], "0.3333"),  # why: 0.33 would cross it
        (Fraction(1, 3), [Fraction(33, 100)], "0.333"),  # why: 0.33 would sit on the limit
        (Fraction(10**6, 3), [], "333,333.33"),
    ],
)
def test_decimal_text(value: Fraction, near: list[Fraction], shown: str) -> None:
    assert decimal_text(value, near) == shown


def test_a_share_just_under_100_percent_is_not_shown_as_100() -> None:
    share = Fraction(992_750, 992_770) * 100  # 99.99798...%
    assert number(share, Unit.PERCENT, DisplayUnit.BILLION, near=SEVENTY) == "99.998%"
    assert number(Fraction(200, 99_277), Unit.PERCENT, DisplayUnit.BILLION) == "0.002%"


def test_a_miss_is_shown_with_as_many_places_as_its_result() -> None:
    over = Shift(Fraction(992_750, 992_770) * 100 - 70, Direction.ABOVE)
    shown = shift_text(over, Unit.PERCENT, DisplayUnit.BILLION, places=3)
    assert shown == "over by 29.998 percentage points"
    tiny = Shift(Fraction(1, 10**7), Direction.BELOW, strict=True)
    assert shift_text(tiny, Unit.PERCENT, DisplayUnit.BILLION) == (
        "short by more than 0.0000001 percentage points"
    )


limits = st.lists(
    st.integers(-(10**6), 10**6).map(lambda n: Fraction(n, 10**4)), min_size=0, max_size=4
)
values = st.builds(Fraction, st.integers(-(10**9), 10**9), st.integers(1, 10**6))


def _sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


@given(value=values, near=limits)
def test_a_shown_value_keeps_to_its_side_of_every_limit(
    value: Fraction, near: list[Fraction]
) -> None:
    shown = Fraction(decimal_text(value, near).replace(",", ""))
    for limit in near:
        assert _sign(shown - limit) == _sign(value - limit), (value, limit, shown)


tiny = st.builds(Fraction, st.integers(1, 10**3), st.integers(10**13, 10**25))


@given(value=tiny, limit=st.sampled_from([Fraction(0), Fraction(1), Fraction(100)]))
def test_a_value_next_to_a_limit_past_12_places_keeps_to_its_side(
    value: Fraction, limit: Fraction
) -> None:
    # why: rounded to 12 places, a share of 1 in 3 x 10^24 read 0%, and one that short of
    # all of it 100%; past 12 places a value whose decimals never end is rounded further
    for near in (limit - value, limit + value):
        shown = Fraction(decimal_text(near, [limit]).replace(",", ""))
        assert _sign(shown - limit) == _sign(near - limit), (near, limit, shown)


def test_a_span_of_a_millionth_of_a_year_is_not_shown_as_none() -> None:
    from policyexports.showwork import _years_text

    assert _years_text(Fraction(1, 10**6)) == "0.000001 years"
    assert _years_text(Fraction(1, 2 * 10**6)) == "0.0000005 years"  # its rounding, exactly
    assert _years_text(Fraction(1, 3 * 10**6)) == "0.0000003 years"


@pytest.mark.parametrize(
    ("amount", "places", "shown"),
    [
        (Fraction(2_949_194, 100_000), 3, "29.491"),  # not 29.492
        (Fraction(2_949_194, 100_000), 2, "29.49"),
        (Fraction(96, 10_000), 2, "0.0096"),  # four places or fewer: exact
        (Fraction(96_001, 10_000_000), 2, "0.009"),  # cut to 0.00 it would say nothing
        (Fraction(2, 3), 2, "0.66"),
        # why: past 12 places too, never cut to nothing (it was once 0.000000000000)
        (Fraction(615, 10**15), 2, "0.0000000000006"),
    ],
)
def test_a_miss_after_more_than_is_cut_never_rounded_up(
    amount: Fraction, places: int, shown: str
) -> None:
    miss = Shift(amount, Direction.BELOW, strict=True)
    text = shift_text(miss, Unit.PERCENT, DisplayUnit.BILLION, places)
    assert text == f"short by more than {shown} percentage points"
    exact = Shift(amount, Direction.BELOW, strict=False)  # why: no "more than", rounded as ever
    assert "more than" not in shift_text(exact, Unit.PERCENT, DisplayUnit.BILLION, places)


@given(
    value=st.fractions(min_value=Fraction(1, 10**9), max_value=10**6),
    places=st.integers(min_value=0, max_value=4),
)
def test_a_value_cut_down_is_never_above_it_nor_zero(value: Fraction, places: int) -> None:
    shown = Fraction(decimal_text(value, [Fraction(0)], places, down=True).replace(",", ""))
    assert 0 < shown <= value
