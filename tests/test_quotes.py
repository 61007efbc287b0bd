"""The indexed quote search agrees with plain substring search."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from policyexports import quotes
from policyexports.quotes import ANCHOR, FEW, NEAR, missing_quotes

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
    with patch.object(quotes, "FEW", 0):  # why: the search in order, then the index, answer
        assert missing_quotes(article, found) == expected
        with patch.object(quotes, "_in_order", lambda article, wanted: wanted):
            assert missing_quotes(article, found) == expected  # why: the index alone


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


@settings(max_examples=300, deadline=None)
@given(
    texts,
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 80)), max_size=40),
    st.integers(0, 30),
)
def test_the_search_in_order_leaves_the_absent_quotes_and_finds_those_in_order(
    article: str, cuts: list[tuple[int, int]], near: int
) -> None:
    wanted = [article[start : start + length] for start, length in cuts]
    wanted += [quote + " the" for quote in wanted[::2]] + [quote[::-1] for quote in wanted[1::3]]
    with patch.object(quotes, "NEAR", near):
        left = quotes._in_order(article, wanted)
    assert all(quote in wanted for quote in left)
    assert {quote for quote in wanted if quote not in article} <= set(left)
    # why: given in the order they occur, none is left, however far apart: each is found at
    # or before its place, so the next is never behind where the search is
    ordered = [article[start : start + length] for start, length in sorted(cuts)]
    with patch.object(quotes, "NEAR", near):
        assert quotes._in_order(article, ordered) == []


class _Counted(str):
    """An article that adds up how many characters each search of it may read."""

    read = 0

    def find(self, sub: str, start: int = 0, end: int | None = None) -> int:  # type: ignore[override]
        stop = len(self) if end is None else min(end, len(self))
        _Counted.read += max(0, stop - start)
        return super().find(sub, start, end)


def test_the_search_in_order_reads_the_article_at_most_three_times() -> None:
    article = _Counted(" ".join(f"sentence {i} of the article." for i in range(20_000)))
    absent = [f"not in the article {i}" for i in range(1_000)]
    _Counted.read = 0
    assert quotes._in_order(article, absent) == absent
    longest = max(map(len, absent))
    assert _Counted.read <= 3 * len(article) + len(absent) * (NEAR + longest)
    assert _Counted.read > 2 * len(article)  # why: the budget was used, so it was the bound


def test_quotes_in_the_order_of_their_article_need_no_index() -> None:
    article = " ".join(f"Company {i} earned KRW {i}.5 billion from City {i}." for i in range(5000))
    wanted = [f"Company {i} earned KRW {i}.5 billion" for i in range(0, 5000, 2)]
    wanted += ["Company 7 earned KRW 8.5 billion"]  # why: absent, left to the index
    looked_up: list[str] = []
    real = quotes._lookup_point

    def lookup_point(quote: str) -> int:
        looked_up.append(quote)
        return real(quote)

    with patch.object(quotes, "_lookup_point", lookup_point):
        assert missing_quotes(article, wanted) == {"Company 7 earned KRW 8.5 billion"}
        assert looked_up == []  # why: one quote left, searched for plainly
        assert missing_quotes(article, wanted[::-1]) == {"Company 7 earned KRW 8.5 billion"}
        assert len(looked_up) > FEW  # why: backwards, the index finds them


def test_a_quote_out_of_order_or_absent_stops_no_search_in_order() -> None:
    article = " ".join(f"Record {i} earned KRW {i}.5 billion." for i in range(20_000))
    in_order = [f"Record {i} earned KRW {i}.5 billion" for i in range(0, 20_000, 7)]
    late = ["Record 19999 earned"]  # why: as an entity's quote may come first, far on
    assert quotes._in_order(article, late + in_order) == []
    # why: absent quotes spend the searches of the whole article; within NEAR of each
    # other, those in order are still found
    absent = [f"Record {i} earned nothing" for i in range(5)]
    assert quotes._in_order(article, absent + in_order) == absent
    assert quotes._in_order(article, in_order[:9] + absent + in_order[9:]) == absent
