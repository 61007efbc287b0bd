"""`explain`: the sentence around a quote, a figure's facts, and a claim's steps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyexports.errors import UnknownValueError
from policyexports.explain import (
    ClaimExplanation,
    FigureExplanation,
    explain,
    find_sentence,
)
from policyexports.loading import load
from policyexports.quantities import DisplayUnit

ARTICLE = (
    "Title Line\n"
    "  • A bullet with 15 cities in 14 countries\n"
    "First sentence. According to Seoul, since 2006, it earned KRW 992.77 billion in revenue. "
    "It did (well). Next one!\n"
    "LG CNS earned KRW 644.5 billion with Athens (Greece).<.p>\n"
)


@pytest.mark.parametrize(
    ("quote", "sentence"),
    [
        ("15 cities in 14 countries", "A bullet with 15 cities in 14 countries"),
        ("since 2006", "According to Seoul, since 2006, it earned KRW 992.77 billion in revenue."),
        (
            "KRW 992.77 billion",
            "According to Seoul, since 2006, it earned KRW 992.77 billion in revenue.",
        ),
        ("It did", "It did (well)."),
        ("Next one", "Next one!"),
        ("Title Line", "Title Line"),
        # why: a quote that ends its sentence keeps the stray markup after it out
        (
            "LG CNS earned KRW 644.5 billion with Athens (Greece).",
            "LG CNS earned KRW 644.5 billion with Athens (Greece).",
        ),
        ("not in the article", "not in the article"),
    ],
)
def test_find_sentence(quote: str, sentence: str) -> None:
    found = find_sentence(ARTICLE, quote)
    assert found.text == sentence
    assert found.quoted == quote
    assert found.before + found.quoted + found.after == found.text


@given(start=st.integers(0, len(ARTICLE) - 1), length=st.integers(1, 40))
def test_find_sentence_always_holds_the_quote(start: int, length: int) -> None:
    quote = ARTICLE[start : start + length]
    found = find_sentence(ARTICLE, quote)
    assert found.quoted == quote
    assert found.text.strip() in ARTICLE or found.text == quote


def test_explain_a_figure() -> None:
    loaded = load()
    result = explain(loaded.dataset, loaded.article, "lg-cns", DisplayUnit.BILLION)
    assert isinstance(result, FigureExplanation)
    facts = dict(result.facts)
    assert facts["admits"] == "[644.45, 644.55) billion"
    assert facts["in won"] == "644,500,000,000 won"
    assert facts["partners"] == "Bogota, Athens"
    assert [check.id for check in result.claims] == [
        "named-parts-within-total",
        "named-parts-with-seoul-metro",
        "transport-share",
    ]
    assert result.sentence.text.startswith("LG CNS, in particular, has so far earned")


def test_explain_a_claim_step_by_step() -> None:
    loaded = load()
    revenue = explain(
        loaded.dataset, loaded.article, "named-parts-within-total", DisplayUnit.BILLION
    )
    assert isinstance(revenue, ClaimExplanation)
    ((_, steps),) = revenue.steps
    assert steps == (
        "parts = lg-cns + korea-smart-card = 644.5 + 48.25 = 692.75 billion",
        "lg-cns is 64.92% of the total",
        "korea-smart-card is 4.86% of the total",
        "unattributed remainder = total - parts = 300.02 billion",
        "stated: business-revenue = KRW 992.77 billion: 992.77 billion exactly, "
        "[992.765, 992.775) billion with its rounding",
        "692.75 billion meets ≤ 992.77 billion: holds",
    )
    result = explain(
        loaded.dataset, loaded.article, "named-parts-with-seoul-metro", DisplayUnit.BILLION
    )
    assert isinstance(result, ClaimExplanation)
    ((label, steps),) = result.steps
    assert label is None
    assert steps == (
        "parts = lg-cns + korea-smart-card + seoul-metro = 644.5 + 48.25 + 2.12 = 694.87 billion",
        "lg-cns is 64.92% of the total",
        "korea-smart-card is 4.86% of the total",
        "seoul-metro is 0.21% of the total",
        "unattributed remainder = total - parts = 297.9 billion",
        "stated: business-revenue = KRW 992.77 billion: 992.77 billion exactly, "
        "[992.765, 992.775) billion with its rounding",
        # why: Seoul Metro's figure is the value of contracts signed, not revenue earned
        "note: the parts add contract value (seoul-metro) to revenue earned",
        "694.87 billion meets ≤ 992.77 billion: holds",
    )
    assert result.check.inferred


def test_explain_shows_each_reading_and_the_inputs_rounding() -> None:
    loaded = load()
    result = explain(loaded.dataset, loaded.article, "transport-share", DisplayUnit.BILLION)
    assert isinstance(result, ClaimExplanation)
    assert len(result.steps) == 5
    assert not result.check.inferred
    third = result.steps[2][1]
    assert third[2] == "share = 692.75 billion / 996.7844 billion x 100 = 69.498%"
    assert third[-1].startswith("at face value 69.498% misses [69.5%, 70.5%)")
    assert "(69.49%, 69.504%)" in third[-1]
    fifth = result.steps[4][1]
    assert fifth[2] == "share = 694.87 billion / over 1,000 billion x 100 = (0%, 69.487%)"
    assert fifth[4] == "note: the numerator adds contract value (seoul-metro) to revenue earned"
    assert fifth[-1].startswith("(0%, 69.487%) misses [69.5%, 70.5%)")


def test_explain_a_span_partly_outside_the_rounding() -> None:
    loaded = load()
    result = explain(loaded.dataset, loaded.article, "headline-ten-years", DisplayUnit.BILLION)
    assert isinstance(result, ClaimExplanation)
    assert result.steps[0][1][-1] == (
        "(9 years 5 months, 10 years 6 months) is not exactly 10 years, and only part of it "
        "lies within [9 years 6 months, 10 years 6 months) (the rest is outside even the "
        "rounding): holds within rounding, for some of the values the inputs admit"
    )


def test_explain_in_won_shows_the_extra_won() -> None:
    loaded = load()
    result = explain(loaded.dataset, loaded.article, "likely-exceeded-1-trillion", DisplayUnit.WON)
    assert isinstance(result, ClaimExplanation)
    assert result.steps[0][1][-1] == (
        "996,784,400,000 won falls short of over 1,000,000,000,000 won: holds only with "
        "at least 3,210,550,003 won (3,215,600,001 at face value) of operating profits, which "
        "the article does not report"
    )


def test_explain_an_unknown_id_names_the_closest() -> None:
    loaded = load()
    with pytest.raises(UnknownValueError, match=r"did you mean 'transport-share'"):
        explain(loaded.dataset, loaded.article, "transport-shares", DisplayUnit.BILLION)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("LG CNS", "'lg-cns'"),
        ("lgcns", "'lg-cns'"),
        ("TRANSPRT-SHARE", "'transport-share'"),
        ("seoul-metr", "'seoul-metro'"),
        ("smart", "'korea-smart-card'"),  # why: a part of an id names it
        ("trillion", "'over-1-trillion'"),
    ],
)
def test_explain_near_misses_in_any_case_name_the_closest(typed: str, hint: str) -> None:
    loaded = load()
    with pytest.raises(UnknownValueError, match=f"did you mean .*{hint}"):
        explain(loaded.dataset, loaded.article, typed, DisplayUnit.BILLION)


@pytest.mark.parametrize(("typed", "found"), [("LG-CNS", "lg-cns"), ("Last-Decade", "last-decade")])
def test_explain_takes_ids_in_any_case(typed: str, found: str) -> None:
    loaded = load()
    result = explain(loaded.dataset, loaded.article, typed, DisplayUnit.BILLION)
    shown = result.figure.id if isinstance(result, FigureExplanation) else result.check.id
    assert shown == found
