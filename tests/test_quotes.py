"""The indexed quote search agrees with plain substring search."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from policyexports import quotes
from policyexports.quotes import ANCHOR, FEW, missing_quotes

words = st.sampled_from(["Seoul", "earned", "KRW", "1.5", "billion", "(Peru)", "’s", "the", "a"])
texts = st.lists(words, min_size=1, max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(st.tuples(st.integers(0, 400), st.integers(1, 80)), max_size=40))
def test_missing_quotes_agrees_with_substring_search(
    article: str, cuts: list[tuple[int, int]]
) -> None:
    # why: slices of the article (present) mixed with edited slices (often absent)
    found = [article[start : start + length] for start, length in cuts]
    found += [quote[::-1] for quote in found[::2]]
    found += [quote + " the" for quote in found[1::3]]  # why: one quote begins another
    found = [quote for quote in found if quote]
    expected = {quote for quote in found if quote not in article}
    assert missing_quotes(article, found) == expected
    with patch.object(quotes, "FEW", 0):  # why: the index, not the plain search, answers
        assert missing_quotes(article, found) == expected


def test_whole_lines_and_clauses() -> None:
    article = "First line here.\nSecond line, with a clause in it.\n"
    many = [f"line {i}" for i in range(FEW + 1)] + ["Second line", "First line here."]
    assert missing_quotes(article, many) == {f"line {i}" for i in range(FEW + 1)}


def test_many_quotes_sharing_their_first_words() -> None:
    # why: thousands of quotes begin alike and the article has each beginning thousands of
    # times; each is found by one lookup where it occurs, not by trying them all there
    head = "Seoul Metropolitan Government signed contract"
    assert len(head) > ANCHOR
    article = " ".join(f"{head} {i} in 2016." for i in range(3000))
    present = [f"{head} {i} in 2016." for i in range(0, 3000, 2)]
    absent = [f"{head} {i} in 2017." for i in range(0, 3000, 3)]
    nested = [f"{head} {i}" for i in range(0, 3000, 5)]  # why: quotes that begin others
    inside = ["ropolitan Government signed contract 7 in 2016"]  # why: begins inside a word
    assert missing_quotes(article, present + absent + nested + inside) == set(absent)


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(st.tuples(st.integers(0, 400), st.integers(1, 40)), min_size=1))
def test_a_lookup_at_every_place_finds_exactly_the_quotes_there(
    article: str, cuts: list[tuple[int, int]]
) -> None:
    wanted = [article[start : start + length] or "absent" for start, length in cuts]
    wanted += [quote + " the" for quote in wanted] + [quote[:-1] for quote in wanted]
    wanted = sorted({quote for quote in wanted if quote.strip()})
    sharing = quotes._Sharing([(quote, quotes._lookup_point(quote)) for quote in wanted])
    found: set[str] = set()
    for start in range(len(article)):
        sharing.find_at(article, start, found)
    assert sorted(quote for quote, _ in sharing.missing(found)) == [
        quote for quote in wanted if quote not in article
    ]
    assert found == {quote for quote in wanted if quote in article}


def test_the_lookup_point_is_the_start_of_the_second_word() -> None:
    assert quotes._lookup_point("Seoul earned KRW") == 6
    assert quotes._lookup_point("  Seoul") == 2
    assert quotes._lookup_point("Seoul's") == 0
    assert quotes._lookup_point("Seoul  ") == 0
