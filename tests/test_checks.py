"""Checking claims: every kind and verdict on hand-made datasets, boundaries, and invariants."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from policyexports.basetypes import validate
from policyexports.checks import check_claim, check_dataset
from policyexports.errors import UnknownValueError
from policyexports.loading import load
from policyexports.lookup import select_claims
from policyexports.models import Dataset
from policyexports.quantities import DisplayUnit
from policyexports.ranges import (
    INTEGRAL_UNITS,
    Bounds,
    Direction,
    Shift,
    gap,
    inside,
    ratio_bounds,
    sum_bounds,
)
from policyexports.showwork import summary
from policyexports.verdicts import Basis, CheckReport, ClaimCheck, Target, Verdict, judge

SOURCE = {"title": "T", "publisher": "P", "file": "article.txt", "sha256": "0" * 64}


def fig(figure_id: str, kind: str, written: str) -> dict[str, Any]:
    """A figure written by hand as the article writes it; its quote is the written value."""
    return {"id": figure_id, "kind": kind, "label": figure_id, "value": written, "quote": written}


def make(figures: list[dict[str, Any]], claims: list[dict[str, Any]], **more: Any) -> Dataset:
    return validate(Dataset, {"source": SOURCE, "figures": figures, "claims": claims, **more})


def claim(claim_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": "c", "statement": "s", "quote": "q", "type": claim_type, **fields}


def run(figures: list[dict[str, Any]], body: dict[str, Any], **more: Any) -> ClaimCheck:
    dataset = make(figures, [body], **more)
    return check_claim(dataset.claims[0], dataset)


def share(numerator: str, denominator: str, stated: str = "70 percent") -> ClaimCheck:
    return run(
        [
            fig("n", "revenue", numerator),
            fig("d", "revenue", denominator),
            fig("p", "share", stated),
        ],
        claim(
            "share",
            stated="p",
            readings=[{"label": "r", "numerator": ["n"], "denominator": ["d"]}],
        ),
    )


# ---- share: every verdict, and both ends of the rounding interval --------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "verdict", "basis"),
    [
        ("KRW 700 billion", "KRW 1,000 billion", Verdict.HOLDS, None),
        ("KRW 695.0 billion", "KRW 1,000.0 billion", Verdict.WITHIN_ROUNDING, Basis.STATED),
        ("KRW 704.9 billion", "KRW 1,000.0 billion", Verdict.WITHIN_ROUNDING, Basis.STATED),
        ("KRW 694.9 billion", "KRW 1,000.0 billion", Verdict.FAILS, None),
        ("KRW 705.1 billion", "KRW 1,000.0 billion", Verdict.FAILS, None),
        # 69.49% at face value, but 694.95 / 999.95 would be 69.4985%: still outside
        ("KRW 694.90 billion", "KRW 1,000.00 billion", Verdict.FAILS, None),
        # 69.48% at face value; the inputs' rounding reaches 69.5% (694.85 / 999.5 = 69.52%)
        ("KRW 694.8 billion", "KRW 1,000 billion", Verdict.WITHIN_ROUNDING, Basis.INPUTS),
        ("KRW 1 billion", "KRW 0", Verdict.UNVERIFIABLE, None),
        # a range of shares, all inside [69.5, 70.5): within rounding, never "holds"
        ("KRW 700 billion", "KRW 999 to 1,001 billion", Verdict.WITHIN_ROUNDING, Basis.STATED),
        # a denominator given only as a bound: 0% to 77.8%, some of it 70%, most not
        ("KRW 700 billion", "over KRW 900 billion", Verdict.UNVERIFIABLE, None),
        # ... or all of it below 69.5%: fails whatever the bound hides
        ("KRW 600 billion", "over KRW 1,000 billion", Verdict.FAILS, None),
    ],
)
def test_share_verdicts(
    numerator: str, denominator: str, verdict: Verdict, basis: Basis | None
) -> None:
    reading = share(numerator, denominator).readings[0]
    assert (reading.verdict, reading.basis) == (verdict, basis)


def test_share_miss_is_the_distance_to_the_interval_in_points() -> None:
    reading = share("KRW 650.0 billion", "KRW 1,000.0 billion").readings[0]
    assert reading.result == Bounds.point(65)
    assert reading.miss is not None
    # why: even at 650.05 / 999.95 billion, the most the figures' rounding admits, it is under
    # 69.5%: that distance, not the 4.5 points from 65%, is how far it surely fails
    assert (reading.miss.amount, reading.miss.direction) == (
        Fraction(695, 10) - Fraction(65005, 99995) * 100,
        Direction.BELOW,
    )
    face = reading.face_miss
    assert face is not None
    assert (face.amount, face.direction) == (Fraction(5), Direction.BELOW)


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        (Fraction(139, 2), Verdict.WITHIN_ROUNDING),  # 69.5 holds (within rounding)
        (Fraction("69.49"), Verdict.FAILS),
        (Fraction(70), Verdict.HOLDS),
        (Fraction("70.49"), Verdict.WITHIN_ROUNDING),
        (Fraction(141, 2), Verdict.FAILS),  # 70.5 is outside [69.5, 70.5)
    ],
)
def test_judge_at_the_ends_of_70_percent(value: Fraction, verdict: Verdict) -> None:
    seventy = Bounds(Fraction(139, 2), Fraction(141, 2), True, False)
    point = Bounds.point(value)
    target = Target.stated(Bounds.point(70), seventy)
    assert judge(point, point, target, whole=False).verdict is verdict


def test_judge_holds_only_when_every_face_value_satisfies_the_claim() -> None:
    seventy = Target.stated(
        Bounds.point(70), Bounds(Fraction(139, 2), Fraction(141, 2), True, False)
    )
    inside_rounding = Bounds(Fraction(699, 10), Fraction(701, 10))
    assert judge(inside_rounding, inside_rounding, seventy, whole=False) == (
        Verdict.WITHIN_ROUNDING,
        Basis.STATED,
        None,
        None,
    )
    # why: part of [69, 70] lies outside even the rounding; a year's span is such a range
    partly = Bounds(Fraction(69), Fraction(70))
    assert judge(partly, partly, seventy, whole=False)[:2] == (
        Verdict.WITHIN_ROUNDING,
        Basis.INPUTS,
    )
    # ... unless a bound leaves it open: then the data cannot decide, and says why
    judged = judge(partly, partly, seventy, whole=False, bounds=["over 5"])
    assert judged.verdict is Verdict.UNVERIFIABLE
    assert judged.reason == (
        "'over 5' is only a bound: some values it admits satisfy the claim, others do not"
    )


def test_share_with_several_readings_holds_only_if_read_as_those_that_hold() -> None:
    result = run(
        [
            fig("a", "revenue", "KRW 700 billion"),
            fig("b", "revenue", "KRW 100 billion"),
            fig("t", "revenue", "KRW 1,000 billion"),
            fig("p", "share", "70 percent"),
        ],
        claim(
            "share",
            stated="p",
            readings=[
                {"label": "a alone", "numerator": ["a"], "denominator": ["t"]},
                {"label": "a and b", "numerator": ["a", "b"], "denominator": ["t"]},
            ],
        ),
    )
    assert [r.verdict for r in result.readings] == [Verdict.HOLDS, Verdict.FAILS]
    assert result.verdict is Verdict.HOLDS_ONLY_IF
    assert result.holds_if_read_as == ("a alone",)


def test_share_with_a_figure_on_both_sides() -> None:
    result = run(
        [fig("a", "revenue", "KRW 70 billion"), fig("b", "revenue", "KRW 30 billion")]
        + [fig("p", "share", "70 percent")],
        claim(
            "share",
            stated="p",
            readings=[{"label": "a of a + b", "numerator": ["a"], "denominator": ["a", "b"]}],
        ),
    )
    reading = result.readings[0]
    assert reading.verdict is Verdict.HOLDS
    # a in [69.5, 70.5), b in [29.5, 30.5): the share runs from 69.5/100 to 70.5/100
    assert reading.admissible.low == Fraction(6950, 100)
    assert reading.admissible.high == Fraction(7050, 100)


# ---- total: holds, within rounding, fails, holds only if (with the won it needs) -----------------


def total(counted: list[str], stated: str, unreported: str | None = None) -> ClaimCheck:
    figures = [fig(f"x{i}", "revenue", written) for i, written in enumerate(counted)]
    reading: dict[str, Any] = {"label": "r", "counted": [f["id"] for f in figures]}
    if unreported is not None:
        reading["unreported"] = unreported
    return run(
        [*figures, fig("s", "revenue", stated)],
        claim("total", stated="s", readings=[reading]),
    )


def test_total_holds_over_a_lower_bound() -> None:
    result = total(["KRW 600 billion", "KRW 500 billion"], "over KRW 1 trillion")
    assert result.verdict is Verdict.HOLDS
    assert result.readings[0].result == Bounds.point(1_100_000_000_000)


@pytest.mark.parametrize(
    ("counted", "stated", "verdict"),
    [
        (["over KRW 600 billion", "KRW 500 billion"], "over KRW 1 trillion", Verdict.HOLDS),
        # over 500 billion may or may not be over 1 trillion: the data cannot decide
        (["over KRW 500 billion"], "over KRW 1 trillion", Verdict.UNVERIFIABLE),
        (["over KRW 500 billion"], "KRW 1 trillion", Verdict.UNVERIFIABLE),
        (["KRW 69.5 billion"], "KRW 70 billion", Verdict.WITHIN_ROUNDING),
        (["KRW 69.49 billion"], "KRW 70 billion", Verdict.FAILS),
        (["KRW 450 million"], "KRW 400 to 500 million", Verdict.HOLDS),
        (["KRW 500.4 million"], "KRW 400 to 500 million", Verdict.WITHIN_ROUNDING),
    ],
)
def test_total_verdicts(counted: list[str], stated: str, verdict: Verdict) -> None:
    result = total(counted, stated)
    assert result.verdict is verdict
    assert (result.readings[0].reason is not None) == (verdict is Verdict.UNVERIFIABLE)


def test_total_holds_within_the_rounding_of_a_round_figure() -> None:
    result = total(["KRW 992.77 billion"], "KRW 1 trillion")
    assert (result.verdict, result.readings[0].basis) == (Verdict.WITHIN_ROUNDING, Basis.STATED)


def test_total_fails_short_with_the_won_it_misses() -> None:
    result = total(["KRW 992.77 billion"], "over KRW 1 trillion")
    miss = result.readings[0].miss
    assert result.verdict is Verdict.FAILS
    assert miss is not None
    # why: "over" is strict, so reaching it from 992.77 billion takes 7.23 billion and 1 won at
    # face value; "992.77" may be as much as 992,774,999,999 won, which takes 7,225,000,002
    assert (miss.amount, miss.direction) == (Fraction(7_225_000_002), Direction.BELOW)
    face = result.readings[0].face_miss
    assert face is not None
    assert face.amount == Fraction(7_230_000_001)


def test_total_fails_over_a_total_that_unreported_money_cannot_fix() -> None:
    result = total(["KRW 2 trillion"], "KRW 1 trillion", unreported="profits")
    assert result.verdict is Verdict.FAILS
    assert result.readings[0].needed is None


def test_total_holds_only_if_unreported_money_makes_up_the_shortfall() -> None:
    result = total(["KRW 992.77 billion"], "over KRW 1 trillion", unreported="profits")
    needed = result.readings[0].needed
    assert result.verdict is Verdict.HOLDS_ONLY_IF
    assert needed is not None
    # why: with 992.77 billion at the top of its rounding (992,774,999,999 won), less than
    # 7,225,000,002 won could not be enough, whatever the figure is exactly
    assert (needed.what, needed.at_least, needed.at_most) == (
        "profits",
        Fraction(7_225_000_002),
        None,
    )


def test_total_needs_one_more_won_than_the_bound() -> None:
    # why: exact to the won, no rounding slack: 1 won only reaches the bound, 2 exceed it
    result = total(["KRW 999,999,999,999"], "over KRW 1 trillion", unreported="profits")
    needed = result.readings[0].needed
    assert needed is not None
    assert needed.at_least == 2


def test_a_sum_needs_what_its_figures_leave_as_whole_won() -> None:
    result = total(
        ["KRW 992.77 billion", "KRW 4.0144 billion"], "over KRW 1 trillion", unreported="profits"
    )
    needed = result.readings[0].needed
    assert needed is not None
    # why: at most 992,774,999,999 + 4,014,449,999 = 996,789,449,998 won, so 3,210,550,003
    # more are needed to pass 1 trillion; the open sum of their intervals allowed one won more
    assert (needed.at_least, needed.at_face_value) == (
        Fraction(3_210_550_003),
        Fraction(3_215_600_001),
    )


def test_total_within_a_range_gives_the_most_as_well() -> None:
    result = total(["KRW 300 million"], "KRW 400 to 500 million", unreported="fees")
    needed = result.readings[0].needed
    assert needed is not None
    # [399.5, 500.5) million in whole won, from anywhere in [299.5, 300.5) million
    assert (needed.at_least, needed.at_most) == (Fraction(99_000_001), Fraction(200_999_999))


# ---- parts within a total ------------------------------------------------------------------------


def parts(part_values: list[str], whole: str) -> ClaimCheck:
    figures = [fig(f"p{i}", "revenue", written) for i, written in enumerate(part_values)]
    return run(
        [*figures, fig("t", "revenue", whole)],
        claim("parts_within_total", total="t", parts=[f["id"] for f in figures]),
    )


def test_parts_within_total_holds_with_shares_and_remainder() -> None:
    reading = parts(["KRW 600 billion", "KRW 300 billion"], "KRW 1,000 billion").readings[0]
    assert reading.verdict is Verdict.HOLDS
    assert [p.share for p in reading.parts] == [Fraction(3, 5), Fraction(3, 10)]
    assert reading.remainder == Bounds.point(100_000_000_000)


def test_parts_within_total_fit_only_within_rounding() -> None:
    reading = parts(["KRW 600.4 billion", "KRW 400 billion"], "KRW 1,000 billion").readings[0]
    assert (reading.verdict, reading.basis) == (Verdict.WITHIN_ROUNDING, Basis.STATED)
    # why: at face value they exceed the total by 0.4 billion; a remainder of 0 hid that
    assert reading.remainder == Bounds.point(-400_000_000)
    line = summary(reading, DisplayUnit.BILLION)
    assert line.endswith("; the parts exceed it by 0.4 billion at face value")


def test_whole_counts_add_up_to_whole_counts_in_what_is_shown() -> None:
    reading = parts(["3 cities", "3 cities"], "5 cities").readings[0]
    # why: 3 and 3 cities are 6, not anything in [5, 7), which would contain 5
    assert reading.admissible == Bounds.point(6)
    assert reading.verdict is Verdict.FAILS


@pytest.mark.parametrize(
    ("op", "mirrored", "verdict"),
    [("==", "==", Verdict.FAILS), ("<=", ">=", Verdict.HOLDS), (">", "<", Verdict.FAILS)],
)
def test_a_comparison_reads_the_same_from_either_side(
    op: str, mirrored: str, verdict: Verdict
) -> None:
    figures = [fig("a", "count", "2 cities"), fig("b", "count", "3 cities")]
    figures.append(fig("c", "count", "6 cities"))
    sides = [
        {"label": "r", "left": ["a", "b"], "op": op, "right": ["c"]},
        {"label": "r", "left": ["c"], "op": mirrored, "right": ["a", "b"]},
    ]
    verdicts = [run(figures, claim("compare", readings=[side])).verdict for side in sides]
    assert verdicts == [verdict, verdict]


def test_parts_within_total_fails_by_the_excess() -> None:
    reading = parts(["KRW 700 billion", "KRW 400 billion"], "KRW 1,000 billion").readings[0]
    assert reading.verdict is Verdict.FAILS
    assert reading.miss is not None
    # the total admits at most 1,000,499,999,999 won; the parts are at least 1,099 billion
    assert (reading.miss.amount, reading.miss.direction) == (
        Fraction(98_500_000_001),
        Direction.ABOVE,
    )


def test_parts_below_a_total_given_as_a_lower_bound_hold() -> None:
    reading = parts(["KRW 500 billion"], "over KRW 1 trillion").readings[0]
    # why: 500 billion is below every amount over 1 trillion
    assert reading.verdict is Verdict.HOLDS
    assert reading.remainder == Bounds(Fraction(500_000_000_000), None, False, False)


def test_parts_above_a_lower_bound_cannot_be_verified() -> None:
    reading = parts(["KRW 2 trillion"], "over KRW 1 trillion").readings[0]
    # why: "over 1 trillion" may be 1.5 trillion (too small) or 3 trillion (enough)
    assert reading.verdict is Verdict.UNVERIFIABLE
    assert reading.reason is not None
    assert "'over KRW 1 trillion' is only a bound" in reading.reason
    assert reading.miss is None


@pytest.mark.parametrize(
    ("part", "verdict", "basis"),
    [
        ("KRW 70.4 billion", Verdict.WITHIN_ROUNDING, Basis.STATED),
        ("KRW 70.5 billion", Verdict.WITHIN_ROUNDING, Basis.INPUTS),  # 70.45 fits < 70.5
        ("KRW 70.55 billion", Verdict.FAILS, None),  # [70.545, 70.555) is all above
    ],
)
def test_parts_at_the_end_of_the_totals_rounding(
    part: str, verdict: Verdict, basis: Basis | None
) -> None:
    reading = parts([part], "KRW 70 billion").readings[0]
    assert (reading.verdict, reading.basis) == (verdict, basis)


# ---- named counts --------------------------------------------------------------------------------

PLACES = {
    "countries": [
        {"code": "AA", "name": "Aland"},
        {"code": "BB", "name": "Bland"},
        {"code": "KR", "name": "Korea", "role": "home"},
    ],
    "cities": [
        {"id": "a1", "name": "A One", "country": "AA"},
        {"id": "a2", "name": "A Two", "country": "AA"},
        {"id": "b1", "name": "B One", "country": "BB"},
        {"id": "seoul", "name": "Seoul", "country": "KR", "role": "home"},
    ],
}


@pytest.mark.parametrize(
    ("entity", "stated", "verdict"),
    [
        ("city", "3 cities", Verdict.HOLDS),
        ("city", "4 cities", Verdict.UNVERIFIABLE),
        ("city", "2 cities", Verdict.FAILS),
        ("country", "2 countries", Verdict.HOLDS),
        ("country", "24 countries", Verdict.UNVERIFIABLE),
        ("country", "over 1 countries", Verdict.HOLDS),
        ("country", "over 2 countries", Verdict.UNVERIFIABLE),
        ("country", "less than 2 countries", Verdict.FAILS),
    ],
)
def test_named_count(entity: str, stated: str, verdict: Verdict) -> None:
    result = run(
        [fig("n", "count", stated)],
        claim("named_count", stated="n", entity=entity),
        **PLACES,
    )
    assert result.verdict is verdict
    assert (result.readings[0].miss is not None) == (verdict is Verdict.FAILS)


def test_named_count_fails_by_how_many_too_many() -> None:
    result = run(
        [fig("n", "count", "2 cities")], claim("named_count", stated="n", entity="city"), **PLACES
    )
    assert result.readings[0].named == ("A One", "A Two", "B One")
    miss = result.readings[0].miss
    assert miss is not None
    assert (miss.amount, miss.direction) == (Fraction(1), Direction.ABOVE)


def test_named_count_in_scope_counts_the_figures_partners_only() -> None:
    scoped = {
        **fig("m", "revenue", "KRW 5 billion"),
        "partners": [{"city": "a1"}, {"country": "BB"}],
    }
    result = run(
        [scoped, fig("n", "count", "2 countries")],
        claim("named_count", stated="n", entity="country", scope="m"),
        **PLACES,
    )
    assert result.readings[0].named == ("Aland", "Bland")
    assert result.verdict is Verdict.HOLDS


# ---- compare and duration ------------------------------------------------------------------------


def compare(left: str, op: str, right: str, kind: str = "count") -> ClaimCheck:
    return run(
        [fig("l", kind, left), fig("r", kind, right)],
        claim("compare", readings=[{"label": "r", "left": ["l"], "op": op, "right": ["r"]}]),
    )


@pytest.mark.parametrize(
    ("left", "op", "right", "verdict"),
    [
        ("15 cities", "<=", "32 cities", Verdict.HOLDS),
        ("15 cities", "==", "32 cities", Verdict.FAILS),
        # why: a count of 32 is a whole number, 32 on both sides, and 32 < 32 does not hold;
        # read as any real number in [31.5, 32.5) it once held within rounding
        ("32 cities", "<", "32 cities", Verdict.FAILS),
        ("32 thousand", "<", "32 thousand", Verdict.WITHIN_ROUNDING),
        ("3 cities", "==", "5 cities", Verdict.FAILS),
        ("32 cities", ">", "15 cities", Verdict.HOLDS),
        ("15 cities", ">=", "32 cities", Verdict.FAILS),
        # two open bounds overlap, but nothing says they are the same number
        ("over 120 countries", "==", "over 10 million", Verdict.UNVERIFIABLE),
        ("over 120 countries", "<", "over 10 million", Verdict.UNVERIFIABLE),
        ("15 cities", "<=", "over 10 cities", Verdict.UNVERIFIABLE),
        ("5 cities", "<=", "over 10 cities", Verdict.HOLDS),
        ("5 cities", "<", "over 5 cities", Verdict.HOLDS),
        ("over 20 cities", ">", "15 cities", Verdict.HOLDS),
        ("over 10 cities", ">", "15 cities", Verdict.UNVERIFIABLE),
        ("less than 10 cities", "==", "15 cities", Verdict.FAILS),
        ("15 cities", "==", "over 15 cities", Verdict.FAILS),
    ],
)
def test_compare(left: str, op: str, right: str, verdict: Verdict) -> None:
    assert compare(left, op, right).verdict is verdict


@pytest.mark.parametrize(
    ("left", "verdict"),
    [
        ("KRW 70 billion", Verdict.HOLDS),
        ("KRW 69.5 billion", Verdict.WITHIN_ROUNDING),
        ("KRW 69.49 billion", Verdict.FAILS),
    ],
)
def test_compare_equal_at_the_ends_of_the_rounding(left: str, verdict: Verdict) -> None:
    assert compare(left, "==", "KRW 70 billion", "revenue").verdict is verdict


def test_compare_of_two_open_bounds_says_why_it_cannot_be_verified() -> None:
    reading = compare("over 120 countries", "==", "over 10 million").readings[0]
    assert reading.reason == (
        "'over 120 countries' and 'over 10 million' are only bounds: some values they admit "
        "satisfy the claim, others do not"
    )


def test_compare_fails_by_a_whole_number_of_counts() -> None:
    miss = compare("15 cities", "==", "32 cities").readings[0].miss
    assert miss is not None
    assert (miss.amount, miss.direction) == (Fraction(17), Direction.BELOW)


def test_a_miss_against_a_bound_is_more_than_the_distance_to_it() -> None:
    # why: "over 20 cities" is some number above 20; 15 misses it by more than 5, not by 6
    reading = compare("15 cities", ">=", "over 20 cities").readings[0]
    assert reading.miss == Shift(Fraction(5), Direction.BELOW, strict=True)
    assert reading.face_miss == Shift(Fraction(5), Direction.BELOW, strict=True)
    # ... and the parts ("12", at least 11.5 billion) miss a total "under KRW 10 billion" by
    # more than 1.5 billion whatever their rounding, by more than 2 billion at face value
    over = parts(["KRW 12 billion"], "under KRW 10 billion").readings[0]
    assert over.miss == Shift(Fraction(1_500_000_000), Direction.ABOVE, strict=True)
    assert over.face_miss == Shift(Fraction(2_000_000_000), Direction.ABOVE, strict=True)
    # a figure compared with an exact one still misses by whole counts: 21 is the least over 20
    exact = compare("15 cities", ">", "20 cities").readings[0]
    assert exact.face_miss == Shift(Fraction(6), Direction.BELOW)


def test_a_sum_given_as_a_bound_misses_a_stated_total_by_more_than() -> None:
    reading = total(["over KRW 1 trillion"], "KRW 10 billion").readings[0]
    assert reading.face_miss == Shift(Fraction(990_000_000_000), Direction.ABOVE, strict=True)
    # why: the stated total's own rounding, [9.5, 10.5) billion, still ends at a whole won
    assert reading.miss == Shift(Fraction(989_500_000_001), Direction.ABOVE, strict=True)


def test_compare_equal_within_the_rounding_of_both_sides() -> None:
    reading = compare("KRW 13.5 billion", "==", "KRW 13.46 billion", "revenue").readings[0]
    assert (reading.verdict, reading.basis) == (Verdict.WITHIN_ROUNDING, Basis.INPUTS)


def duration(stated: str, *spans: tuple[str, str]) -> ClaimCheck:
    figures = [fig("d", "duration", stated)]
    readings = []
    for index, (start, end) in enumerate(spans):
        figures += [fig(f"s{index}", "year", start), fig(f"e{index}", "date", end)]
        readings.append({"label": f"{start}-{end}", "start": f"s{index}", "end": f"e{index}"})
    return run(figures, claim("duration", stated="d", readings=readings))


def test_duration_of_a_span_partly_outside_the_rounding_holds_only_within_rounding() -> None:
    reading = duration("10 years", ("2006", "June 2016")).readings[0]
    # why: 9 years 5 months to 10 years 6 months is not all 10 years, nor all [9.5, 10.5)
    assert reading.result == Bounds(Fraction(113, 12), Fraction(21, 2), False, False)
    assert (reading.verdict, reading.basis, reading.partly) == (
        Verdict.WITHIN_ROUNDING,
        Basis.INPUTS,
        True,
    )


@pytest.mark.parametrize(
    ("span", "verdict"),
    [
        (("January 2007", "July 2016"), Verdict.WITHIN_ROUNDING),  # about 9.5 years
        (("January 2007", "June 2016"), Verdict.FAILS),  # under 9 years 6 months
        (("2006", "2016"), Verdict.WITHIN_ROUNDING),  # 9 to 11 years, in part
    ],
)
def test_duration_at_the_ends_of_the_rounding(span: tuple[str, str], verdict: Verdict) -> None:
    assert duration("10 years", span).verdict is verdict


def test_duration_holds_when_every_span_satisfies_a_bound() -> None:
    assert duration("less than half century", ("2006", "June 2016")).verdict is Verdict.HOLDS


def test_duration_fails_with_the_months_it_misses_by() -> None:
    reading = duration("10 years", ("2004", "June 2016")).readings[0]
    assert reading.verdict is Verdict.FAILS
    assert reading.miss is not None
    assert (reading.miss.amount, reading.miss.direction) == (Fraction(11, 12), Direction.ABOVE)


def test_duration_within_the_rounding_of_a_decade() -> None:
    result = duration("decade", ("2004", "June 2016"))
    assert (result.verdict, result.readings[0].basis) == (Verdict.WITHIN_ROUNDING, Basis.STATED)


@pytest.mark.parametrize(
    ("span", "result"),
    [
        (("2006", "2006"), Bounds(Fraction(0), Fraction(1), True, False)),
        (("2006", "June 2006"), Bounds(Fraction(0), Fraction(1, 2), True, False)),
        (("June 2006", "2006"), Bounds(Fraction(0), Fraction(7, 12), True, False)),
    ],
)
def test_a_span_within_one_year_is_never_negative(span: tuple[str, str], result: Bounds) -> None:
    # why: from "2006" to another "2006" read as from minus a year to a year, and a claim
    # that such a span is at least 0 years held only "within rounding"
    checked = duration("at least 0 years", span)
    assert checked.readings[0].result == checked.readings[0].admissible == result
    assert checked.verdict is Verdict.HOLDS


def test_duration_read_two_ways_holds_only_if_read_the_way_that_holds() -> None:
    result = duration("10 years", ("2006", "June 2016"), ("2004", "June 2016"))
    assert result.verdict is Verdict.HOLDS_ONLY_IF
    assert result.holds_if_read_as == ("2006-June 2016",)


# ---- combining readings, selecting claims, the bundled dataset -----------------------------------


def test_readings_that_all_pass_give_the_weaker_verdict() -> None:
    result = run(
        [fig("a", "revenue", "KRW 70 billion"), fig("b", "revenue", "KRW 70.4 billion")]
        + [fig("t", "revenue", "KRW 100 billion"), fig("p", "share", "70 percent")],
        claim(
            "share",
            stated="p",
            readings=[
                {"label": "a", "numerator": ["a"], "denominator": ["t"]},
                {"label": "b", "numerator": ["b"], "denominator": ["t"]},
            ],
        ),
    )
    assert [r.verdict for r in result.readings] == [Verdict.HOLDS, Verdict.WITHIN_ROUNDING]
    assert result.verdict is Verdict.WITHIN_ROUNDING


def test_select_claims_names_the_closest_id() -> None:
    dataset = load().dataset
    with pytest.raises(UnknownValueError, match="did you mean 'transport-share'"):
        select_claims(dataset, ["transprt-share"])
    with pytest.raises(UnknownValueError, match="'lg-cns' is a figure"):
        select_claims(dataset, ["lg-cns"])
    assert [c.id for c in select_claims(dataset, ["last-decade", "transport-share"])] == [
        "transport-share",
        "last-decade",
    ]
    # why: ids are lower case; what is typed in another case means the same claim
    assert [c.id for c in select_claims(dataset, ["Transport-SHARE"])] == ["transport-share"]
    with pytest.raises(UnknownValueError, match="did you mean 'transport-share'"):
        select_claims(dataset, ["TRANSPRT-SHARE"])
    with pytest.raises(
        UnknownValueError, match=r"'pmb-bridge-length' is a figure.*no claim uses it"
    ):
        select_claims(dataset, ["pmb-bridge-length"])


BUNDLED = {
    "named-parts-within-total": Verdict.HOLDS,
    "named-parts-with-seoul-metro": Verdict.HOLDS,
    "transport-share": Verdict.HOLDS_ONLY_IF,
    "headline-1-trillion": Verdict.WITHIN_ROUNDING,
    "earned-over-1-trillion": Verdict.HOLDS_ONLY_IF,
    "likely-exceeded-1-trillion": Verdict.HOLDS_ONLY_IF,
    "export-cities-named": Verdict.UNVERIFIABLE,
    "export-countries-named": Verdict.UNVERIFIABLE,
    "opening-cities-named": Verdict.UNVERIFIABLE,
    "opening-countries-named": Verdict.UNVERIFIABLE,
    "assistance-countries-named": Verdict.UNVERIFIABLE,
    "opening-vs-since-2006-cities": Verdict.HOLDS_ONLY_IF,
    "opening-vs-since-2006-countries": Verdict.HOLDS_ONLY_IF,
    "countries-within-cities": Verdict.HOLDS,
    "cities-within-occasions": Verdict.HOLDS,
    "headline-ten-years": Verdict.HOLDS_ONLY_IF,
    "last-decade": Verdict.WITHIN_ROUNDING,
    "brunei-contract-within-project": Verdict.HOLDS,
}


INFERRED = {
    "named-parts-within-total",
    "named-parts-with-seoul-metro",
    "opening-vs-since-2006-cities",
    "opening-vs-since-2006-countries",
    "countries-within-cities",
    "cities-within-occasions",
    "brunei-contract-within-project",
}


def test_bundled_verdicts() -> None:
    report = check_dataset(load().dataset)
    assert {c.id: c.verdict for c in report.checks} == BUNDLED
    assert {c.id for c in report.checks if c.inferred} == INFERRED
    assert report.inferred == 7
    assert report.failing(strict=False) == ()
    assert len(report.failing(strict=True)) == 5


def test_bundled_readings_that_add_kinds_say_so() -> None:
    checks = {c.id: c for c in check_dataset(load().dataset).checks}
    (revenue,) = checks["named-parts-within-total"].readings
    assert revenue.note is None  # the two companies' revenue alone: one kind
    (parts,) = checks["named-parts-with-seoul-metro"].readings
    assert parts.note == "the parts add contract value (seoul-metro) to revenue earned"
    share = checks["transport-share"]
    notes = [reading.note or "" for reading in share.readings]
    assert ["seoul-metro" in note for note in notes] == [False, True, False, True, True]
    # the fifth reading: of the article's own "over KRW 1 trillion", all of it under 69.5%
    fifth = share.readings[4]
    assert fifth.verdict is Verdict.FAILS
    assert fifth.result.high is not None
    assert fifth.result.high < Fraction(139, 2)
    assert share.holds_if_read_as == tuple(r.label for r in share.readings[:4])
    headline = checks["headline-ten-years"].readings[0]
    assert (headline.verdict, headline.partly) == (Verdict.WITHIN_ROUNDING, True)


def test_bundled_transport_share_reading_three_needs_the_inputs_rounding() -> None:
    check = next(c for c in check_dataset(load().dataset).checks if c.id == "transport-share")
    third = check.readings[2]
    assert third.basis is Basis.INPUTS
    # 692.75 / 996.7844 is just under 69.5% at face value
    assert third.result == Bounds.point(Fraction(692_750_000_000, 996_784_400_000) * 100)
    assert third.result.low is not None
    assert third.result.low < Fraction(139, 2)


# ---- invariants ----------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**13)
precisions = st.sampled_from(["", "billion", "million"])


@st.composite
def written_money(draw: st.DrawFn) -> str:
    scale = draw(precisions)
    if not scale:
        return f"KRW {draw(amounts):,}"
    digits = draw(st.integers(min_value=0, max_value=3))
    whole = draw(st.integers(min_value=0, max_value=2000))
    fraction = draw(st.integers(min_value=0, max_value=10**digits - 1)) if digits else None
    qualifier = draw(st.sampled_from(["", "over ", "less than ", "at least "]))
    if qualifier == "less than " and whole == 0 and not fraction:
        whole = 1  # why: "less than 0" admits no amount, and validation refuses it
    number = f"{whole}" if fraction is None else f"{whole}.{fraction:0{digits}d}"
    return f"{qualifier}KRW {number} {scale}"


@settings(max_examples=150, deadline=None)
@given(
    counted=st.lists(written_money(), min_size=1, max_size=4),
    stated=written_money(),
    unreported=st.booleans(),
)
@example(
    counted=["KRW 992.77 billion", "KRW 4.0144 billion"],
    stated="over KRW 1 trillion",
    unreported=True,
)
def test_total_invariants(counted: list[str], stated: str, unreported: bool) -> None:
    result = total(counted, stated, unreported="money" if unreported else None)
    reading = result.readings[0]
    assert (reading.verdict is Verdict.FAILS) == (reading.miss is not None)
    if reading.miss is not None:
        # why: a miss is never none at all: a positive amount, or "more than 0" past a bound
        assert reading.miss.amount > 0 or reading.miss.strict
    if reading.verdict is Verdict.HOLDS:
        assert inside(reading.result, reading.exact, whole=True)
    assert (reading.verdict is Verdict.UNVERIFIABLE) == (reading.reason is not None)
    if reading.verdict is Verdict.HOLDS_ONLY_IF:
        needed = reading.needed
        assert needed is not None
        assert needed.at_least > 0
        # the amount it needs can be enough, and one won less cannot, with the counted
        # figures anywhere in their rounding
        enough = reading.admissible + Bounds.point(needed.at_least)
        assert gap(enough, reading.tolerance, whole=True) is None
        short = reading.admissible + Bounds.point(needed.at_least - 1)
        assert gap(short, reading.tolerance, whole=True) is not None


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 50)), min_size=2, max_size=5),
    split=st.integers(min_value=1, max_value=4),
    shared=st.booleans(),
    data=st.data(),
)
def test_ratio_bounds_hold_every_ratio_of_values_inside_the_ranges(
    values: list[tuple[int, int]], split: int, shared: bool, data: st.DataObject
) -> None:
    ends = {
        f"f{i}": Bounds(Fraction(low), Fraction(low + width))
        for i, (low, width) in enumerate(values)
    }
    names = list(ends)
    cut = min(split, len(names) - 1)
    numerator = Counter(names[:cut])
    denominator = Counter(names[cut - 1 if shared else cut :])
    bounds = ratio_bounds(numerator, denominator, ends)
    picked = {
        name: Fraction(data.draw(st.integers(0, 100))) / 100 * (b.high - b.low) + b.low  # type: ignore[operator]
        for name, b in ends.items()
    }
    top = sum((picked[name] * times for name, times in numerator.items()), Fraction(0))
    bottom = sum((picked[name] * times for name, times in denominator.items()), Fraction(0))
    if bottom == 0:
        return
    assert bounds is not None
    assert 100 * top / bottom in Bounds(bounds.low, bounds.high)


@settings(max_examples=100, deadline=None)
@given(
    stated=st.integers(0, 40),
    named=st.integers(0, 40),
)
def test_named_count_verdict_follows_the_order_of_the_counts(stated: int, named: int) -> None:
    countries = [
        {"code": f"A{chr(65 + i % 26)}" if i < 26 else f"B{chr(65 + i % 26)}", "name": f"C{i}"}
        for i in range(named)
    ]
    result = run(
        [fig("n", "count", f"{stated} countries")],
        claim("named_count", stated="n", entity="country"),
        countries=countries,
    )
    expected = (
        Verdict.HOLDS
        if named == stated
        else Verdict.UNVERIFIABLE
        if named < stated
        else Verdict.FAILS
    )
    assert result.verdict is expected


percents = st.builds(
    lambda qualifier, value: f"{qualifier}{value} percent",
    st.sampled_from(["", "over ", "less than "]),
    st.sampled_from(["0", "5", "69.5", "70", "100", "0.25"]),
).filter(lambda written: written != "less than 0 percent")  # why: it admits no share
counts = st.builds(lambda n, word: f"{n} {word}", st.integers(0, 40), st.sampled_from(["cities"]))
years = st.sampled_from(["2004", "2006", "2016", "June 2016", "January 2005"])
spans = st.sampled_from(["10 years", "decade", "three years", "less than half century"])


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """A valid dataset with random figures and one claim of every kind (and several readings)."""
    money = [fig(f"m{i}", "revenue", draw(written_money())) for i in range(4)]
    figures = [
        *money,
        fig("p", "share", draw(percents)),
        fig("c0", "count", draw(counts)),
        fig("c1", "count", draw(counts)),
        fig("d", "duration", draw(spans)),
        fig("y0", "year", draw(years)),
        fig("y1", "date", draw(years)),
    ]
    ids = [f["id"] for f in money]
    some = st.lists(st.sampled_from(ids), min_size=1, max_size=4)
    ops = st.sampled_from(["<", "<=", "==", ">=", ">"])
    claims = [
        claim("parts_within_total", total=draw(st.sampled_from(ids)), parts=draw(some)),
        claim(
            "share",
            stated="p",
            readings=[
                {"label": f"r{i}", "numerator": draw(some), "denominator": draw(some)}
                for i in range(draw(st.integers(1, 3)))
            ],
        ),
        claim(
            "total",
            stated=draw(st.sampled_from(ids)),
            readings=[
                {
                    "label": f"r{i}",
                    "counted": draw(some),
                    "unreported": draw(st.none() | st.just("x")),
                }
                for i in range(draw(st.integers(1, 3)))
            ],
        ),
        claim("named_count", stated="c0", entity=draw(st.sampled_from(["city", "country"]))),
        claim(
            "compare",
            readings=[
                {"label": "money", "left": draw(some), "op": draw(ops), "right": draw(some)},
                {"label": "counts", "left": ["c0"], "op": draw(ops), "right": ["c1"]},
            ],
        ),
        claim("duration", stated="d", readings=[{"label": "r", "start": "y0", "end": "y1"}]),
    ]
    for index, body in enumerate(claims):
        body["id"] = f"c{index}"
    return make(figures, claims, **PLACES)


@settings(max_examples=120, deadline=None)
@given(dataset=datasets())
def test_checking_never_raises_and_verdicts_are_consistent(dataset: Dataset) -> None:
    from policyexports.quantities import DisplayUnit
    from policyexports.render.checks import render_report
    from policyexports.render.plain import OutputFormat

    report = check_dataset(dataset)
    assert [check.id for check in report.checks] == [c.id for c in dataset.claims]
    for check in report.checks:
        for reading in check.readings:
            assert (reading.verdict is Verdict.FAILS) == (reading.miss is not None)
            assert (reading.verdict is Verdict.HOLDS_ONLY_IF) == (reading.needed is not None)
            assert (reading.basis is not None) == (reading.verdict is Verdict.WITHIN_ROUNDING)
            assert (reading.reason is not None) == (reading.verdict is Verdict.UNVERIFIABLE)
            if reading.verdict is Verdict.HOLDS:
                # why: "holds" means every face value satisfies the claim, not just some
                whole = reading.unit in INTEGRAL_UNITS
                assert inside(reading.result, reading.exact, whole=whole)
        if all(r.verdict.passes for r in check.readings):
            assert check.verdict.passes
        if all(r.verdict is Verdict.FAILS for r in check.readings):
            assert check.verdict is Verdict.FAILS
    for output_format in OutputFormat:
        assert render_report(
            report,
            output_format,
            dataset="d",
            display=DisplayUnit.EOK,
            strict=True,
            color=False,
            width=80,
        )


def test_operands_are_made_once_a_figure_and_unknown_ones_always_fail() -> None:
    from policyexports.checks import _Figures

    figures = _Figures(load().dataset)
    first = figures.operand("lg-cns")
    assert figures.operand("lg-cns") is first
    assert first.value == Fraction(644_500_000_000)
    for _ in range(2):
        with pytest.raises(UnknownValueError, match="no-such-figure"):
            figures.operand("no-such-figure")


@given(
    low=st.none() | st.fractions(min_value=-50, max_value=50, max_denominator=8),
    width=st.fractions(min_value=0, max_value=20, max_denominator=8),
    low_closed=st.booleans(),
    high_closed=st.booleans(),
    unbounded=st.booleans(),
)
def test_whole_ends_are_those_of_the_whole_numbers_held(
    low: Fraction | None, width: Fraction, low_closed: bool, high_closed: bool, unbounded: bool
) -> None:
    high = None if unbounded or low is None else low + width
    bounds = Bounds(low, high, low_closed, high_closed)
    # why: counted one by one, well past both ends the strategy can draw
    held = [n for n in range(-60, 80) if bounds.overlaps(Bounds.point(Fraction(n)))]
    least = None if low is None else min(held, default=None)
    most = None if high is None else max(held, default=None)
    expected = None if high is not None and not held else (least, most)
    assert bounds.whole_ends() == expected
    whole = bounds.whole()
    assert (None if whole is None else (whole.low, whole.high)) == expected


_ENDS = st.none() | st.fractions(min_value=-(10**15), max_value=10**15, max_denominator=10**6)


@given(st.lists(st.tuples(_ENDS, _ENDS, st.booleans(), st.booleans()), max_size=8))
def test_a_sum_of_bounds_is_what_adding_them_one_by_one_gives(
    ends: list[tuple[Fraction | None, Fraction | None, bool, bool]],
) -> None:
    items = [Bounds(*end) for end in ends]
    expected = Bounds.point(0)
    for item in items:
        expected = expected + item
    assert sum_bounds(items) == expected


_WHOLE = 10**9  # why: more rows than any test draws, so the table is one table


def _table_pieces(report: CheckReport, color: bool, width: int) -> list[str]:
    from policyexports.render.checks import render_report_pieces
    from policyexports.render.plain import OutputFormat

    return list(
        render_report_pieces(
            report,
            OutputFormat.TABLE,
            dataset="exports.json",
            display=DisplayUnit.BILLION,
            strict=False,
            color=color,
            width=width,
        )
    )


@pytest.mark.parametrize("part", [1, 2, 5, 40])
@pytest.mark.parametrize(("color", "width"), [(False, 80), (True, 100), (False, 137), (True, 200)])
def test_a_check_table_drawn_in_parts_is_the_one_table_of_every_claim(
    monkeypatch: pytest.MonkeyPatch, part: int, color: bool, width: int
) -> None:
    from policyexports.render import terminal
    from policyexports.render.checks import rows

    report = check_dataset(load().dataset)

    def pieces() -> list[str]:
        return _table_pieces(report, color, width)

    monkeypatch.setattr(terminal, "TABLE_PART", _WHOLE)
    whole = pieces()
    monkeypatch.setattr(terminal, "TABLE_PART", part)
    drawn = pieces()
    assert "".join(drawn) == "".join(whole)
    # why: the table's rows are the claims and, beneath those read several ways, the readings
    count = len(rows(report.checks, DisplayUnit.BILLION))
    assert count > 2 * part or part == 40
    assert len(drawn) == len(whole) - 1 + -(-count // part)


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("width", [80, 81, 99, 100, 123, 137, 200, 500])
def test_a_check_table_of_padded_cells_is_the_table_rich_pads(
    monkeypatch: pytest.MonkeyPatch, color: bool, width: int
) -> None:
    from rich.table import Table

    from policyexports.render import checks_table

    report = check_dataset(load().dataset)

    def drawn() -> str:
        return "".join(_table_pieces(report, color, width))

    padded = drawn()
    # why: the same table, its cells as they are and padded by rich (padding (0, 1))
    monkeypatch.setattr(checks_table, "Padded", lambda cell: cell)
    monkeypatch.setattr(checks_table, "PADDED", 0)
    monkeypatch.setattr(checks_table, "Table", lambda padding, **options: Table(**options))
    assert padded == drawn()
