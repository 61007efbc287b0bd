"""Exact ranges of values: what a written figure admits, and sums, ratios and gaps of ranges."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from fractions import Fraction
from itertools import product
from typing import TYPE_CHECKING, assert_never, cast

from policyexports.basetypes import Frozen, model
from policyexports.claims import Operator
from policyexports.quantities import Bound, Unit

if TYPE_CHECKING:  # why: models builds its intervals from Bounds, so import it lazily
    from policyexports.models import Quantity

MAX_SHARED = 8  # why: a ratio tries 2^n corners for figures on both sides; datasets use 0 or 1


class Direction(StrEnum):
    BELOW = "below"
    ABOVE = "above"


INTEGRAL_UNITS = frozenset({Unit.KRW, Unit.COUNT})


@model
class Bounds(Frozen):
    """A set of exact values: an interval whose ends are open or closed (``None``: unbounded)."""

    low: Fraction | None
    high: Fraction | None
    low_closed: bool = True
    high_closed: bool = True

    # why: immutable, compared and hashed by its fields like a frozen dataclass, which took
    # 0.7 ms to define on every run of `check`
    def __init__(
        self,
        low: Fraction | None,
        high: Fraction | None,
        low_closed: bool = True,
        high_closed: bool = True,
    ) -> None:
        self.__setstate__((low, high, low_closed, high_closed))

    @classmethod
    def point(cls, value: Fraction | int) -> Bounds:
        return cls(Fraction(value), Fraction(value))

    @property
    def is_point(self) -> bool:
        return self.low is not None and self.low == self.high

    def __contains__(self, value: Fraction) -> bool:
        return self.overlaps(Bounds.point(value))

    def overlaps(self, other: Bounds) -> bool:
        """Whether some value lies in both."""
        low, low_closed = _tighter(self.low, self.low_closed, other.low, other.low_closed, max)
        high, high_closed = _tighter(
            self.high, self.high_closed, other.high, other.high_closed, min
        )
        if low is None or high is None:
            return True
        return low < high or (low == high and low_closed and high_closed)

    def within(self, other: Bounds) -> bool:
        """Whether every value of this lies in ``other``."""
        low_ok = other.low is None or (
            self.low is not None
            and (
                self.low > other.low
                or (self.low == other.low and (other.low_closed or not self.low_closed))
            )
        )
        high_ok = other.high is None or (
            self.high is not None
            and (
                self.high < other.high
                or (self.high == other.high and (other.high_closed or not self.high_closed))
            )
        )
        return low_ok and high_ok

    def __add__(self, other: Bounds) -> Bounds:
        """Every sum of a value of each (the Minkowski sum)."""
        return Bounds(
            None if self.low is None or other.low is None else self.low + other.low,
            None if self.high is None or other.high is None else self.high + other.high,
            self.low_closed and other.low_closed,
            self.high_closed and other.high_closed,
        )

    def __neg__(self) -> Bounds:
        return Bounds(
            None if self.high is None else -self.high,
            None if self.low is None else -self.low,
            self.high_closed,
            self.low_closed,
        )

    @property
    def negative(self) -> bool:
        """Whether every value is below zero."""
        return self.high is not None and (
            self.high < 0 or (self.high == 0 and not self.high_closed)
        )

    def non_negative(self) -> Bounds:
        """The part at or above zero: amounts, counts and lengths are never negative."""
        if self.low is not None and self.low >= 0:
            return self
        if self.negative:
            return Bounds.point(0)  # why: "less than 0" of an amount can only mean none at all
        return Bounds(Fraction(0), self.high, True, self.high_closed)

    def whole(self) -> Bounds | None:
        """The closed interval of the whole numbers it holds (``None`` if it holds none)."""
        ends = self.whole_ends()
        if ends is None:
            return None
        least, most = ends
        return Bounds(
            None if least is None else Fraction(least), None if most is None else Fraction(most)
        )

    def whole_ends(self) -> tuple[int | None, int | None] | None:
        """The least and the greatest whole number it holds (``None``: none at all), as
        integers. why: sums of them need no Fraction arithmetic, a quarter of checking claims
        when they had it."""
        low, high = self.low, self.high
        least = None
        if low is not None:
            floor = low.numerator // low.denominator
            least = floor if self.low_closed and floor == low else floor + 1
        most = None
        if high is not None:
            floor = high.numerator // high.denominator
            most = floor - 1 if floor == high and not self.high_closed else floor
        if least is not None and most is not None and least > most:
            return None
        return least, most

    def __str__(self) -> str:
        if self.is_point:
            return str(self.low)
        low = "-inf" if self.low is None else str(self.low)
        high = "+inf" if self.high is None else str(self.high)
        opening = "[" if self.low_closed and self.low is not None else "("
        closing = "]" if self.high_closed and self.high is not None else ")"
        return f"{opening}{low}, {high}{closing}"


def _tighter(
    first: Fraction | None,
    first_closed: bool,
    second: Fraction | None,
    second_closed: bool,
    pick: Callable[[Fraction, Fraction], Fraction],
) -> tuple[Fraction | None, bool]:
    """The tighter of two ends (``pick`` is max for low ends, min for high ends)."""
    if first is None:
        return second, second_closed
    if second is None:
        return first, first_closed
    if first == second:
        return first, first_closed and second_closed
    chosen = pick(first, second)
    return chosen, first_closed if chosen == first else second_closed


def sum_bounds(items: list[Bounds]) -> Bounds:
    """Every sum of a value of each (0 for none): what adding them one by one gives."""
    lows = [item.low for item in items]
    highs = [item.high for item in items]
    return Bounds(
        None if any(low is None for low in lows) else _exact_sum(cast("list[Fraction]", lows)),
        None if any(high is None for high in highs) else _exact_sum(cast("list[Fraction]", highs)),
        all(item.low_closed for item in items),
        all(item.high_closed for item in items),
    )


def _exact_sum(values: list[Fraction]) -> Fraction:
    """The sum of ``values``, adding the numerators over each denominator as integers.
    why: the ends of amounts in won share a denominator or two; a Fraction addition for
    each was a quarter of checking the claims of 100,000 figures."""
    numerators: dict[int, int] = {}
    for value in values:
        denominator = value.denominator
        numerators[denominator] = numerators.get(denominator, 0) + value.numerator
    return sum(
        (Fraction(numerator, denominator) for denominator, numerator in numerators.items()),
        Fraction(0),
    )


def face_bounds(quantity: Quantity) -> Bounds:
    """What a written figure says at face value ("over 10" is (10, inf); "2006" the year)."""
    value = Fraction(quantity.value)
    if quantity.unit is Unit.YEAR:
        return rounding_bounds(quantity)
    if quantity.bound is Bound.ROUNDED:
        return Bounds.point(value)
    if quantity.bound is Bound.RANGE:
        assert quantity.high is not None  # why: the model requires 'high' for a range
        return Bounds(value, Fraction(quantity.high))
    return rounding_bounds(quantity)


def rounding_bounds(quantity: Quantity) -> Bounds:
    """Every value the written figure admits with its precision ("70" is [69.5, 70.5))."""
    bounds = quantity.interval()
    return bounds if quantity.unit is Unit.YEAR else bounds.non_negative()


@model
class Shift(Frozen):
    """How far a result must move to reach a target: a miss, or an amount a claim needs."""

    amount: Fraction
    direction: Direction
    strict: bool = False  # why: "more than amount" when the target's nearest end is excluded

    def __init__(self, amount: Fraction, direction: Direction, strict: bool = False) -> None:
        self.__setstate__((amount, direction, strict))


def _whole_pair(result: Bounds, target: Bounds, whole: bool) -> tuple[Bounds, Bounds]:
    """Both as the whole numbers they hold (with ``whole``, and where both hold some)."""
    if whole:
        whole_result, whole_target = result.whole(), target.whole()
        if whole_result is not None and whole_target is not None:
            return whole_result, whole_target
    return result, target


def meets(result: Bounds, target: Bounds, *, whole: bool) -> bool:
    """Whether some value lies in both; with ``whole`` (won, counts), some whole number."""
    result, target = _whole_pair(result, target, whole)
    return result.overlaps(target)


def inside(result: Bounds, target: Bounds | None, *, whole: bool) -> bool:
    """Whether every value of ``result`` lies in ``target`` (``None``: the empty set)."""
    if target is None:
        return False
    result, target = _whole_pair(result, target, whole)
    return result.within(target)


def gap(
    result: Bounds,
    target: Bounds,
    *,
    whole: bool,
    result_bound: bool = False,
    target_bound: bool = False,
) -> Shift | None:
    """The smallest move that brings ``result`` into ``target`` (``None`` if they meet).

    With ``whole`` (won, counts) both are taken as whole numbers, so reaching "over 1
    trillion" from exactly 1 trillion takes 1 won. A side that is a figure the article gives
    only as a bound (``result_bound``, ``target_bound``: "over 20 cities") is some unknown
    value beyond it, not a threshold: its open ends are kept as written, so 15 cities miss
    "over 20 cities" by more than 5, not by exactly 6.
    """
    whole_result, whole_target = _whole_pair(result, target, whole)
    if whole_result.overlaps(whole_target):
        return None
    shown = (result if result_bound else whole_result, target if target_bound else whole_target)
    if shown[0].overlaps(shown[1]):
        shown = (whole_result, whole_target)  # why: only whole numbers tell these two apart
    result, target = shown
    if target.low is not None and (result.high is not None and result.high <= target.low):
        touching = result.high_closed and target.low_closed
        return Shift(target.low - result.high, Direction.BELOW, strict=not touching)
    # why: disjoint and not below, so above
    assert result.low is not None
    assert target.high is not None
    touching = result.low_closed and target.high_closed
    return Shift(result.low - target.high, Direction.ABOVE, strict=not touching)


def room(result: Bounds, target: Bounds, *, whole: bool) -> Fraction | None:
    """The largest upward move of ``result`` that still meets ``target`` (``None``: no limit)."""
    result, target = _whole_pair(result, target, whole)
    if target.high is None or result.low is None:
        return None
    return target.high - result.low


def _corner(
    numerator: Counter[str],
    denominator: Counter[str],
    ends: dict[str, Bounds],
    shared_high: dict[str, bool],
    maximise: bool,
) -> tuple[Fraction | None, bool] | None:
    """100 * N / D with each figure at the end that pushes the ratio the wanted way.

    Returns (value, closed), value ``None`` for no upper limit; ``None`` when 0 / 0.
    """
    closed = True

    def pick(ref: str, high: bool) -> Fraction | None:
        nonlocal closed
        bounds = ends[ref]
        closed = closed and (bounds.high_closed if high else bounds.low_closed)
        return bounds.high if high else bounds.low

    def side(counter: Counter[str], other: Counter[str], high_when_alone: bool) -> Fraction | None:
        total = Fraction(0)
        for ref, times in counter.items():
            high = shared_high[ref] if ref in other else high_when_alone
            value = pick(ref, high)
            if value is None:
                return None
            total += times * value
        return total

    top = side(numerator, denominator, maximise)
    bottom = side(denominator, numerator, not maximise)
    if top is None:
        return None, False
    if bottom is None:
        return Fraction(0), False
    if bottom == 0:
        # why: a denominator near zero makes the share unbounded; one that is zero, undefined
        return (None, False) if maximise and top != 0 else None
    return 100 * top / bottom, closed


def ratio_bounds(
    numerator: Counter[str], denominator: Counter[str], ends: dict[str, Bounds]
) -> Bounds | None:
    """Every value of 100 * N / D as each figure ranges over ``ends`` (``None``: always 0 / 0).

    A ratio of sums is monotonic in each figure, so its extremes lie at corners: figures only
    above the line at their high (or low) end, figures only below at the other, and the
    figures on both sides tried at both ends together.
    """
    shared = sorted(set(numerator) & set(denominator))
    if len(shared) > MAX_SHARED or any(
        ends[ref].low is None or ends[ref].high is None for ref in shared
    ):
        return Bounds(Fraction(0), None)  # why: no finite corners to try; admit any share
    lows: list[tuple[Fraction | None, bool]] = []
    highs: list[tuple[Fraction | None, bool]] = []
    for choice in product((False, True), repeat=len(shared)):
        shared_high = dict(zip(shared, choice, strict=True))
        for maximise, found in ((False, lows), (True, highs)):
            corner = _corner(numerator, denominator, ends, shared_high, maximise)
            if corner is not None:
                found.append(corner)
    if not lows or not highs:
        return None
    low_values = [value for value, _ in lows if value is not None]
    low = min(low_values) if low_values else None
    high = None if any(v is None for v, _ in highs) else max(v for v, _ in highs if v is not None)
    if low is not None and low == high:
        return Bounds.point(low)  # why: a ratio that cannot move (a / a) takes its one value
    return Bounds(
        low,
        high,
        low is not None and any(closed for value, closed in lows if value == low),
        high is not None and any(closed for value, closed in highs if value == high),
    )


def op_target(op: Operator, right: Bounds) -> Bounds:
    """The values a left side may take to stand in ``op`` to some value of ``right``."""
    if op is Operator.EQ:
        return right
    if op is Operator.LE:
        return Bounds(None, right.high, True, right.high_closed)
    if op is Operator.LT:
        return Bounds(None, right.high, True, False)
    if op is Operator.GE:
        return Bounds(right.low, None, right.low_closed, True)
    if op is Operator.GT:
        return Bounds(right.low, None, False, True)
    assert_never(op)


def op_every(op: Operator, right: Bounds) -> Bounds | None:
    """The values a left side may take to stand in ``op`` to every value of ``right``.

    ``None`` when no value can: nothing equals every value of a range, nothing is below every
    value of a range without a lower end.
    """
    if op is Operator.EQ:
        return right if right.is_point else None
    if op in (Operator.LE, Operator.LT):
        if right.low is None:
            return None
        # why: "< every value of (a, ...)" allows a itself; "< every value of [a, ...)" does not
        closed = op is Operator.LE or not right.low_closed
        return Bounds(None, right.low, True, closed)
    if right.high is None:
        return None
    closed = op is Operator.GE or not right.high_closed
    return Bounds(right.high, None, closed, True)
