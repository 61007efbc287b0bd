"""Finding many quotes in one article without comparing every quote with every place.

Few quotes are searched for one by one. Many are first looked for in the order given, each
from where the one before was found: a dataset lists its figures as its article tells them,
so each is found a few characters on (``_in_order``). What that leaves is looked up in one
pass over the places a word starts in the article. A quote of several words is looked up
from its second word, which begins a word wherever the quote occurs, even if the quote
itself begins inside one; what comes before is then compared in place. The lookup goes by
the first ``ANCHOR`` characters from there, among the quotes that share them, and a binary
search in those, sorted, finds every one that occurs there at once, however many share the
anchor. Only a quote of one word that begins inside a word, or is not in the article, is
searched for alone.

So the lookups are one a word of the article, each among the quotes of one anchor. What
each costs is not bounded by a constant: a place is compared with a quote for as far as
they agree, and the tails nested in one another that share an anchor are each tried there.
In prose that is a few characters; in text that repeats itself for whole quotes at a time
("a a a a ...") it grows with the quotes, and one-word quotes that are missing are each a
search of the article. A bound for any text would take an automaton of every quote
(Aho-Corasick), which is more code than articles have needed.
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
# why: how far past the last quote found the next is looked for before the rest of the
# article is; a quote looked for in vain reads this many characters and its own length
NEAR = 2_000
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

    __slots__ = ("heads", "longest", "parent", "tails")

    def __init__(self, quotes: list[tuple[str, int]]) -> None:
        by_tail: dict[str, list[str]] = {}
        for quote, point in quotes:
            by_tail.setdefault(quote[point:], []).append(quote[:point])
        self.tails = sorted(by_tail)
        self.longest = max(map(len, self.tails))
        self.parent: list[int] = []
        chain: list[int] = []  # why: in sorted order a tail's prefixes come just before it
        for index, tail in enumerate(self.tails):
            while chain and not tail.startswith(self.tails[chain[-1]]):
                chain.pop()
            self.parent.append(chain[-1] if chain else -1)
            chain.append(index)
        self.heads = [_by_length(by_tail[tail]) for tail in self.tails]

    def find_at(self, article: str, start: int, found: set[str]) -> None:
        """Add to ``found`` the quotes whose tails occur at ``start``.

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
            if isinstance(heads, str):
                if len(heads) <= start and article.startswith(heads, start - len(heads)):
                    found.add(heads + self.tails[index])
            else:  # why: one look for each length of head, however many heads there are
                for length, group in heads.items():
                    if length <= start and (head := article[start - length : start]) in group:
                        found.add(head + self.tails[index])
            index = self.parent[index]

    def missing(self, found: set[str]) -> list[tuple[str, int]]:
        """The quotes not in ``found``, each with its lookup point."""
        every = (
            (head + tail, len(head))
            for tail, heads in zip(self.tails, self.heads, strict=True)
            for head in ([heads] if isinstance(heads, str) else set().union(*heads.values()))
        )
        return [(quote, point) for quote, point in every if quote not in found]


def _by_length(heads: list[str]) -> str | dict[int, set[str]]:
    """One tail's heads: the only one as it is (most tails; a dictionary and a set for each
    took most of the memory of an index of 100,000 quotes), else in sets by length."""
    if len(heads) == 1:
        return heads[0]
    grouped: dict[int, set[str]] = {}
    for head in heads:
        grouped.setdefault(len(head), set()).add(head)
    return grouped


def _in_order(article: str, quotes: list[str]) -> list[str]:
    """The quotes not found by looking for each from where the one before was found.

    Each is looked for within ``NEAR`` characters of there; then, while those longer
    searches have read less than twice the article in all, in the rest of it, and then
    from its beginning. So each quote reads at most ``NEAR`` characters and its own length,
    and all of them together at most about three articles more, whatever the order (a
    search may compare more than it reads in text that repeats a quote's beginning, as
    the index does); a quote not found is left for the index. A quote out of order (an
    entity's, a claim's) only moves the search there: the quotes after it are found again
    in order. why: at 100,000 figures listed in the order of their article this found
    every quote in 0.06 s, where the index took 1.25 s; in a random order it added 0.21 s
    to the index's 1.35 s.
    """
    find, length = article.find, len(article)
    cursor, budget, left = 0, 2 * length, []
    for quote in quotes:
        at = find(quote, cursor, cursor + NEAR + len(quote))
        if at < 0 and budget > 0:
            at = find(quote, cursor)
            budget -= (length if at < 0 else at) - cursor
            if at < 0:  # why: before where the search is, as an entity's quote leaves it
                at = find(quote, 0, cursor + len(quote))
                budget -= min(length, cursor + len(quote)) if at < 0 else at
        if at < 0:
            left.append(quote)
        else:
            cursor = at
    return left


def missing_quotes(article: str, quotes: Iterable[str]) -> set[str]:
    """The quotes that do not occur verbatim in ``article``: fastest in the article's order."""
    lines = set(article.splitlines())
    # why: a quote that is a whole line of the article needs no search at all
    remaining = list(dict.fromkeys(quote for quote in quotes if quote not in lines))
    del lines  # why: a copy of the whole article, not kept while the index is made and used
    if len(remaining) > FEW:
        remaining = _in_order(article, remaining)
    if len(remaining) <= FEW:
        return {quote for quote in remaining if quote not in article}
    # why: a tail shorter than the anchor is looked up whole, by its own length
    grouped: dict[int, dict[str, list[tuple[str, int]]]] = {}
    alone: list[str] = []
    for quote in remaining:
        point = _lookup_point(quote)
        if point == len(quote) or quote[point].isspace():  # why: no word of it begins one
            alone.append(quote)
            continue
        anchor = quote[point : point + ANCHOR]
        grouped.setdefault(len(anchor), {}).setdefault(anchor, []).append((quote, point))
    # why: most anchors are one quote's, kept as the quote and its lookup point: an index of
    # 100,000 quotes made of one object each took four times the memory
    index: dict[int, dict[str, tuple[str, int] | _Sharing]] = {
        length: {
            anchor: sharing[0] if len(sharing) == 1 else _Sharing(sharing)
            for anchor, sharing in anchors.items()
        }
        for length, anchors in grouped.items()
    }
    del grouped
    found: set[str] = set()
    lookups = [(length, anchors.get) for length, anchors in index.items()]
    for token in _TOKEN_START.finditer(article):  # why: one pass over the places a word starts
        start = token.start()
        for length, find in lookups:
            hit = find(article[start : start + length])
            if hit is None:
                continue
            if isinstance(hit, tuple):
                quote, point = hit
                # why: once found, not compared again wherever its anchor recurs
                if (
                    quote not in found
                    and point <= start
                    and article.startswith(quote, start - point)
                ):
                    found.add(quote)
            else:
                hit.find_at(article, start, found)
    absent: set[str] = set()
    for anchors in index.values():
        for entry in anchors.values():
            for quote, point in entry.missing(found) if isinstance(entry, _Sharing) else [entry]:
                if quote in found:
                    pass
                elif point:  # why: looked up from its second word, it is not there
                    absent.add(quote)
                else:  # why: a quote of one word may begin inside a word of the article
                    alone.append(quote)
    return absent | {quote for quote in alone if quote not in article}
