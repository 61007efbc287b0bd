"""The indexed quote search agrees with plain substring search."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policyexports.quotes import FEW, missing_quotes

words = st.sampled_from(["Seoul", "earned", "KRW", "1.5", "billion", "(Peru)", "’s", "the", "a"])
texts = st.lists(words, min_size=1, max_size=60).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(texts, st.lists(st.tuples(st.integers(0, 400), st.integers(1, 80)), max_size=3 * FEW))
def test_missing_quotes_agrees_with_substring_search(
    article: str, cuts: list[tuple[int, int]]
) -> None:
    # why: slices of the article (present) mixed with edited slices (often absent)
    quotes = [article[start : start + length] for start, length in cuts]
    quotes += [quote[::-1] for quote in quotes[::2]]
    quotes = [quote for quote in quotes if quote]
    assert missing_quotes(article, quotes) == {quote for quote in quotes if quote not in article}


def test_whole_lines_and_clauses() -> None:
    article = "First line here.\nSecond line, with a clause in it.\n"
    quotes = [f"line {i}" for i in range(FEW + 1)] + ["Second line", "First line here."]
    assert missing_quotes(article, quotes) == {f"line {i}" for i in range(FEW + 1)}
