"""Finding many quotes in one article without comparing every quote with every place.

Few quotes are searched for one by one. Many are looked up in one pass over the places a word
starts in the article. A quote of several words is looked up from its second word, which
begins a word wherever the quote occurs, even if the quote itself begins inside one; what
comes before is then compared in place. The lookup goes by the first ``ANCHOR`` characters
from there, among the quotes that share them, and a binary search in those, sorted, finds
every one that occurs there at once, however many share the anchor. Only a quote of one
word that begins inside a word, or is not in the article, is searched for alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

ANCHOR = 16  # why: long enough that few word starts share an anchor, short enough for clauses
# why: below this many quotes, plain substring search is cheaper than the index. Measured on
# the bundled article (44 quotes): 60 us plain, 380 us indexed. The index costs about 50 ns a
# character of the article, a plain search about 0.2 ns: they meet near 250 quotes at any size.
FEW = 200
_TOKEN_START = re.compile(r"\S+")
_SECOND_WORD = re.compile(r"\s+\S")


def _lookup_point(quote: str) -> int:
    """Where the quote's second word begins (a word begins there in the article too), or 0."""
    match = _SECOND_WORD.search(quote)
    return match.end() - 1 if match else 0


class _Sharing:
    """Quotes whose text from their lookup point (their tail) begins alike: the tails sorted,
    each with the longest of the others that it begins with (its parent; -1 for none), and
    what comes before it in each quote (its heads), by length."""

    def __init__(self, quotes: list[tuple[str, str]]) -> None:
        self.tails = sorted({tail for _, tail in quotes})
        self.longest = max(map(len, self.tails))
        self.parent: list[int] = []
        chain: list[int] = []  # why: in sorted order a tail's prefixes come just before it
        for index, tail in enumerate(self.tails):
            while chain and not tail.startswith(self.tails[chain[-1]]):
                chain.pop()
            self.parent.append(chain[-1] if chain else -1)
            chain.append(index)
        where = {tail: index for index, tail in enumerate(self.tails)}
        self.heads: list[dict[int, set[str]]] = [{} for _ in self.tails]
        for head, tail in quotes:
            self.heads[where[tail]].setdefault(len(head), set()).add(head)
        self.found: set[str] = set()

    def find_at(self, article: str, start: int) -> None:
        """Find the quotes whose tails occur at ``start``.

        Those tails are the ones ``text`` (what the article has there) begins with. Each of
        them sorts at or before ``text``, and every tail between one of them and ``text``
        begins with it, so they are the last tail sorted at or before ``text`` and its
        parents, from the first of those that ``text`` begins with.
        """
        text = article[start : start + self.longest]
        index = bisect_right(self.tails, text) - 1
        while index >= 0 and not text.startswith(self.tails[index]):
            index = self.parent[index]
        while index >= 0:
            heads = self.heads[index]
            for length in [length for length in heads if length <= start]:
                group = heads[length]
                head = article[start - length : start]
                if head in group:
                    group.discard(head)
                    self.found.add(head + self.tails[index])
                    if not group:
                        del heads[length]
            index = self.parent[index]

    def missing(self) -> list[str]:
        return [
            head + tail
            for tail, heads in zip(self.tails, self.heads, strict=True)
            for group in heads.values()
            for head in group
        ]


def missing_quotes(article: str, quotes: Iterable[str]) -> set[str]:
    """The quotes that do not occur verbatim in ``article``."""
    lines = set(article.splitlines())
    # why: a quote that is a whole line of the article needs no search at all
    remaining = {quote for quote in quotes if quote not in lines}
    if len(remaining) <= FEW:
        return {quote for quote in remaining if quote not in article}
    # why: a tail shorter than the anchor is looked up whole, by its own length
    by_anchor: dict[int, dict[str, list[tuple[str, str]]]] = {}
    alone: list[str] = []
    for quote in remaining:
        point = _lookup_point(quote)
        tail = quote[point:]
        if not tail or tail[0].isspace():  # why: no word of it begins a word of the article
            alone.append(quote)
            continue
        anchor = tail[:ANCHOR]
        by_anchor.setdefault(len(anchor), {}).setdefault(anchor, []).append((quote[:point], tail))
    index = {
        length: {anchor: _Sharing(sharing) for anchor, sharing in anchors.items()}
        for length, anchors in by_anchor.items()
    }
    lookups = [(length, anchors.get) for length, anchors in index.items()]
    for token in _TOKEN_START.finditer(article):  # why: one pass over the places a word starts
        start = token.start()
        for length, find in lookups:
            sharing = find(article[start : start + length])
            if sharing is not None:
                sharing.find_at(article, start)
    absent: set[str] = set()
    for anchors in index.values():
        for sharing in anchors.values():
            for quote in sharing.missing():
                if _lookup_point(quote):  # why: looked up from its second word, it is not there
                    absent.add(quote)
                else:  # why: a quote of one word may begin inside a word of the article
                    alone.append(quote)
    return absent | {quote for quote in alone if quote not in article}
