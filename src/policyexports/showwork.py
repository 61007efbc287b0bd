"""Showing the work of a check as text: exact numbers in a display unit, summaries and steps."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from policyexports.quantities import (
    MONTHS,
    UNIT_SUFFIX,
    DisplayUnit,
    Unit,
    exact_decimal,
    format_won,
    places_clear_of,
    round_fraction,
)
from policyexports.ranges import Bounds, Direction, Shift
from policyexports.verdicts import (
    Basis,
    ClaimCheck,
    Needed,
    Operation,
    ReadingCheck,
    Term,
    Verdict,
)

_SUFFIXED = frozenset({Unit.KRW, Unit.KM})  # why: "[644.45, 644.55) billion" reads better


PERCENT_LIMITS = (Fraction(0), Fraction(100))  # why: "100.00%" would say all of it
_MOST_PLACES = 12  # why: rounded to more places than this, a value is shown exactly as it is
# why: past _MOST_PLACES, a value whose decimals never end is rounded to as many places as keep
# it clear of its limits, up to this many (a dataset's amounts, up to 10^24, need about 50)
_ANY_PLACES = 100


def _short(value: Fraction, most: int = 4) -> Decimal | None:
    """``value`` exactly, if it has at most ``most`` decimals: then it is shown as it is."""
    exact = exact_decimal(value)
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= most and Fraction(exact) == value:
        return exact
    return None


def decimal_places(value: Fraction, near: Iterable[Fraction] = (), places: int = 2) -> int | None:
    """How many places ``decimal_text`` shows ``value`` with (``None``: exactly, as it is)."""
    if _short(value) is not None:
        return None
    found = places_clear_of(value, places, near, most=_MOST_PLACES)
    if found is not None or Fraction(exact_decimal(value)) == value:
        return found  # why: one that needs more places and whose decimals end is shown whole
    # why: exact_decimal rounds a value whose decimals never end to 12 places, which can land
    # on a limit: a share of 1 in 3 x 10^24 read 0%, and one short of all of it by as much,
    # 100%. The places up to 12 were tried above
    return places_clear_of(value, max(places, _MOST_PLACES + 1), near, most=_ANY_PLACES)


def decimal_text(
    value: Fraction, near: Iterable[Fraction] = (), places: int = 2, *, down: bool = False
) -> str:
    """``value`` exactly when it has at most 4 decimals, else rounded to the fewest places
    (from ``places``) that keep it on the same side of every limit in ``near``: never onto a
    limit or across it (69.498, not 69.50, against 69.5).

    With ``down``, cut toward zero instead, for a number that "more than" comes before: a miss
    of 29.4919 is "more than 29.491", which is true, not "more than 29.492".
    """
    limits = list(near)
    if down:
        return _cut_text(value, limits, places)
    digits = decimal_places(value, limits, places)
    if digits is None:
        return f"{exact_decimal(value):,f}"
    return f"{round_fraction(value, digits):,f}"


def _cut_text(value: Fraction, limits: list[Fraction], places: int) -> str:
    """``value`` cut toward zero at the fewest places, from ``places``, that leave it on its
    side of every limit: never rounded up, however many places that takes (no cap at 12, where
    a miss of 6e-13 was once shown as 0.000000000000)."""
    exact = _short(value)
    if exact is not None:
        return f"{exact:,f}"  # why: exact at four places or fewer, as decimal_text shows it
    digits = places
    while True:
        scale = 10**digits
        cut = Fraction(math.trunc(value * scale), scale)
        # why: cut, it may land on a limit that rounding kept clear of (0.0096 to 0.00)
        if all(_against(cut, limit) == _against(value, limit) for limit in limits):
            return f"{round_fraction(cut, digits):,f}"
        digits += 1


def _against(value: Fraction, limit: Fraction) -> int:
    """Which side of ``limit`` ``value`` is on: -1, 0 (on it) or 1."""
    return (value > limit) - (value < limit)


def _years_text(value: Fraction, *, down: bool = False) -> str:
    months = value * 12
    if months.denominator != 1:
        exact = _short(value, _MOST_PLACES)
        if exact is not None:
            # why: a written duration and its rounding end in a few decimals; rounded to two
            # places, "0.000001 years" read 0.00 years, and its range [0.0000005, 0.0000015)
            return f"{exact:,f} years"
        return f"{decimal_text(value, (Fraction(0),), down=down)} years"  # why: never 0.00
    years, rest = divmod(abs(int(months)), 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    parts += [f"{rest} month{'s' if rest != 1 else ''}"] if rest else []
    return ("-" if value < 0 else "") + (" ".join(parts) or "0 years")


def _date_text(value: Fraction) -> str:
    year, rest = divmod(value, 1)
    if rest == 0:
        return str(int(year))
    months = rest * 12
    if months.denominator == 1:
        return f"{MONTHS[int(months)].capitalize()} {int(year)}"
    return decimal_text(value)


def date_text(value: Fraction) -> str:
    """The first day of a month: 2016 + 5/12 is "1 June 2016"."""
    year, rest = divmod(value, 1)
    months = rest * 12
    if months.denominator != 1:
        return decimal_text(value)
    return f"1 {MONTHS[int(months)].capitalize()} {int(year)}"


def entity_word(reading: ReadingCheck) -> str:
    return (
        "cities" if reading.entity is not None and reading.entity.value == "city" else ("countries")
    )


def _period_text(low: Fraction, high: Fraction) -> str | None:
    """ "2006" for the whole of 2006, "June 2016" for the whole of that month."""
    if low.denominator == 1 and high - low == 1:
        return str(low.numerator)
    if (low * 12).denominator == 1 and high - low == Fraction(1, 12):
        return _date_text(low)
    return None


def money_suffix(display: DisplayUnit) -> str:
    return UNIT_SUFFIX[display].strip() or "won"


def number(
    value: Fraction,
    unit: Unit,
    display: DisplayUnit,
    *,
    near: Iterable[Fraction] = (),
    bare: bool = False,
    places: int = 2,
    down: bool = False,
) -> str:
    """One exact value, in ``display`` for money; ``bare`` leaves off money and km units.

    Rounded values keep to the side of every limit in ``near`` (and of 0% and 100%); with
    ``down`` they are cut toward zero (see ``decimal_text``). Money is shown exactly."""
    if unit is Unit.KRW:
        text = format_won(value, display)
        return text if bare else f"{text} {money_suffix(display)}"
    if unit is Unit.PERCENT:
        return f"{decimal_text(value, [*near, *PERCENT_LIMITS], places, down=down)}%"
    if unit is Unit.KM:
        return decimal_text(value, near, places, down=down) + ("" if bare else " km")
    if unit is Unit.YEARS:
        return _years_text(value, down=down)
    if unit is Unit.YEAR:
        return _date_text(value)
    return decimal_text(value, near, places, down=down)


def _suffix(unit: Unit, display: DisplayUnit) -> str:
    if unit is Unit.KRW:
        return f" {money_suffix(display)}"
    return " km" if unit is Unit.KM else ""


def bounds_text(
    bounds: Bounds, unit: Unit, display: DisplayUnit, near: Iterable[Fraction] = ()
) -> str:
    """A range as words for one-sided ranges ("over 1,000 billion"), else "[a, b)"."""
    near = list(near)
    bare = unit in _SUFFIXED

    def show(value: Fraction) -> str:
        return number(value, unit, display, near=near, bare=bare)

    low, high = bounds.low, bounds.high
    if unit is Unit.YEAR and low is not None and high is not None:
        period = _period_text(low, high)
        if period is not None:
            return period
    if low is not None and low == high:
        return number(low, unit, display, near=near)
    if low is None and high is None:
        return "any value"
    if high is None:
        assert low is not None
        word = "at least" if bounds.low_closed else "over"
        return f"{word} {show(low)}{_suffix(unit, display)}"
    if low is None or (low == 0 and unit is not Unit.YEAR and bounds.low_closed):
        word = "at most" if bounds.high_closed else "under"
        return f"{word} {show(high)}{_suffix(unit, display)}"
    opening = "[" if bounds.low_closed else "("
    closing = "]" if bounds.high_closed else ")"
    return f"{opening}{show(low)}, {show(high)}{closing}{_suffix(unit, display)}"


def shift_text(shift: Shift, unit: Unit, display: DisplayUnit, places: int = 2) -> str:
    """ "short by 17", "over by more than 11 months", "short by 0.3 percentage points"; after
    "more than", the amount is cut toward zero, so that the statement stays true.

    ``places``: at least as many decimals as the result it is the distance of was shown with.
    """
    zero = [Fraction(0)]  # why: a miss is never shown as none at all
    down = shift.strict  # why: "more than" a rounded-up number can be false
    amount = number(shift.amount, unit, display, near=zero, places=places, down=down)
    if unit is Unit.PERCENT:
        amount = f"{decimal_text(shift.amount, zero, places, down=down)} percentage points"
    side = "short" if shift.direction is Direction.BELOW else "over"
    return f"{side} by {'more than ' if shift.strict else ''}{amount}"


def miss_text(reading: ReadingCheck, display: DisplayUnit) -> str | None:
    """ "over by 5 billion (3.500000001 billion beyond every rounding)"."""
    if reading.miss is None:
        return None
    places = result_places(reading)
    beyond = shift_text(reading.miss, reading.unit, display, places)
    face = reading.face_miss
    if face is None or face == reading.miss:
        return beyond
    at_face = shift_text(face, reading.unit, display, places)
    return f"{at_face} ({beyond.split(' by ', 1)[1]} beyond every rounding)"


def needed_text(needed: Needed, display: DisplayUnit) -> str:
    """ "at least 7.230000001 billion of operating profits the article does not report"."""
    least = number(needed.at_least, Unit.KRW, display)
    if needed.at_face_value != needed.at_least:
        # why: the least is from the top of the counted figures' rounding; beside what the row
        # adds at face value, it would read as a sum that falls short
        face = format_won(needed.at_face_value, display)
        least += f" ({face} at face value)"
    if needed.at_most is not None:
        most = number(needed.at_most, Unit.KRW, display)
        return f"between {least} and {most} of {needed.what}"
    return f"{'more than' if needed.strict else 'at least'} {least} of {needed.what}"


OPERATOR_SIGN = {"<": "<", "<=": "≤", "==": "=", ">=": "≥", ">": ">"}


def _term_unit(term: Term) -> Unit:
    return term.operands[0].unit if term.operands else Unit.COUNT


def expression(term: Term, display: DisplayUnit) -> str:
    """The figures of a term and their sum: "644.5 + 48.25 = 692.75 billion"."""
    unit = _term_unit(term)
    total = bounds_text(term.face, unit, display)
    if len(term.operands) == 1:
        return total
    values = " + ".join(
        bounds_text(o.face, o.unit, display).removesuffix(_suffix(unit, display))
        for o in term.operands
    )
    return f"{values} = {total}"


def near(reading: ReadingCheck) -> list[Fraction]:
    """The ends a reading's results are compared with (shown to enough places to tell)."""
    return [
        end
        for bounds in (reading.exact, reading.tolerance)
        for end in (bounds.low, bounds.high)
        if end is not None
    ]


def result_text(reading: ReadingCheck, display: DisplayUnit) -> str:
    return bounds_text(reading.result, reading.unit, display, near(reading))


def result_places(reading: ReadingCheck) -> int:
    """The decimals the result is shown with (at least 2), so its miss can match it."""
    limits = [*near(reading), *(PERCENT_LIMITS if reading.unit is Unit.PERCENT else ())]
    shown = [
        decimal_places(end, limits)
        for end in (reading.result.low, reading.result.high)
        if end is not None
    ]
    return max([2, *(places for places in shown if places is not None)])


def _stated_text(reading: ReadingCheck, display: DisplayUnit) -> str:
    stated = reading.stated
    assert stated is not None  # why: only compare readings have no stated figure
    tolerance = bounds_text(reading.tolerance, reading.unit, display)
    written = stated.written
    return (
        written
        if tolerance == bounds_text(stated.face, stated.unit, display)
        else (f"{written} {tolerance}")
    )


def _named_text(reading: ReadingCheck) -> str:
    what = (
        "cities" if reading.entity is not None and reading.entity.value == "city" else ("countries")
    )
    stated = reading.stated.written if reading.stated is not None else "?"
    return f"{len(reading.named)} {what} named, {stated} claimed"


def _side(term: Term, display: DisplayUnit) -> str:
    """A term as bare figures, in brackets when several are added: "(644.5 + 48.25)"."""
    values = [
        bounds_text(o.face, o.unit, display).removesuffix(_suffix(o.unit, display))
        for o in term.operands
    ]
    return values[0] if len(values) == 1 else "(" + " + ".join(values) + ")"


def _compared(term: Term, display: DisplayUnit) -> str:
    if len(term.operands) == 1 and _term_unit(term) is not Unit.KRW:
        return term.operands[0].written  # why: "15 cities" says what is counted
    return expression(term, display)


def summary(reading: ReadingCheck, display: DisplayUnit) -> str:
    """The numbers a reading compares, on one line."""
    operation = reading.operation
    if operation is Operation.PARTS_WITHIN_TOTAL:
        parts, total = reading.term("parts"), reading.stated
        assert total is not None
        text = (
            f"parts {expression(parts, display)} ≤ total "
            f"{bounds_text(total.face, total.unit, display)}"
        )
        remainder = reading.remainder
        if remainder is not None and reading.miss is None and remainder.negative:
            # why: they fit only within the total's rounding; a remainder of 0 would hide that
            excess = bounds_text(-remainder, total.unit, display)
            text += f"; the parts exceed it by {excess} at face value"
        elif remainder is not None and reading.miss is None:
            text += f"; unattributed {bounds_text(remainder, total.unit, display)}"
            shares = [part.share for part in reading.parts]
            if shares and all(share is not None for share in shares):
                rest = 1 - sum((share for share in shares if share is not None), Fraction(0))
                text += f" ({number(rest * 100, Unit.PERCENT, display)})"
    elif operation is Operation.SHARE:
        numerator, denominator = reading.term("numerator"), reading.term("denominator")
        text = (
            f"{_side(numerator, display)} / {_side(denominator, display)}"
            f"{_suffix(_term_unit(numerator), display)} = {result_text(reading, display)} "
            f"vs {_stated_text(reading, display)}"
        )
    elif operation is Operation.SUM:
        text = f"{expression(reading.terms[0], display)} vs {_stated_text(reading, display)}"
    elif operation is Operation.COUNT_NAMED:
        text = _named_text(reading)
    elif operation is Operation.COMPARE:
        left, right = reading.term("left"), reading.term("right")
        op = OPERATOR_SIGN[reading.op.value] if reading.op is not None else "?"
        text = f"{_compared(left, display)} {op} {_compared(right, display)}"
    else:
        start, end = reading.term("start"), reading.term("end")
        text = (
            f"{start.operands[0].written} to {end.operands[0].written}: "
            f"{result_text(reading, display)} vs {_stated_text(reading, display)}"
        )
    note = f"; note: {reading.note}" if reading.note else ""
    return text + _outcome(reading, display) + note


def _outcome(reading: ReadingCheck, display: DisplayUnit) -> str:
    missed = miss_text(reading, display)
    if missed is not None:
        return f": {missed}"
    if reading.needed is not None:
        return f": needs {needed_text(reading.needed, display)}"
    if reading.partly:
        return " (only partly within its rounding)"
    if reading.basis is Basis.INPUTS:
        admissible = bounds_text(reading.admissible, reading.unit, display, near(reading))
        return f" (only with the inputs' rounding: {admissible})"
    if reading.verdict is Verdict.UNVERIFIABLE and reading.operation is Operation.COUNT_NAMED:
        return ": consistent, not verifiable"
    if reading.verdict is Verdict.UNVERIFIABLE and reading.reason:
        return f": cannot be verified ({reading.reason})"
    return ""


def condition_text(check: ClaimCheck, display: DisplayUnit) -> str | None:
    """What a claim that holds only on a condition needs, in words."""
    if check.verdict is not Verdict.HOLDS_ONLY_IF:
        return None
    if check.holds_if_read_as:
        readings = [r for r in check.readings if r.label in check.holds_if_read_as]
    else:
        readings = list(check.readings)
    conditions = []
    for reading in readings:
        text = f"read as {reading.label}" if reading.label and len(check.readings) > 1 else ""
        if reading.needed is not None:
            needs = f"there are {needed_text(reading.needed, display)}"
            text = f"{text}, and {needs}" if text else needs
        conditions.append(text)
    return "; or ".join(conditions)
