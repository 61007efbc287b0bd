"""The check report as a rich table for the terminal (imported only for tables)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from policyexports.quantities import DisplayUnit
from policyexports.render.checks import (
    INFERRED_MARK,
    INFERRED_NOTE,
    NO_CLAIMS,
    Row,
    counts_line,
    rows,
)
from policyexports.render.terminal import PADDED, Padded, in_parts, literal, text_pieces
from policyexports.verdicts import CheckReport, Verdict

VERDICT_STYLE = {
    Verdict.HOLDS: "bold green",
    Verdict.WITHIN_ROUNDING: "green",
    Verdict.FAILS: "bold red",
    Verdict.UNVERIFIABLE: "yellow",
    Verdict.HOLDS_ONLY_IF: "magenta",
}
SHORT_QUOTE = 72  # why: the table shows the gist; `explain ID` shows the whole sentence
NARROW = 80
CLAIM_HEADER = "Claim"


def _short(quote: str) -> str:
    return quote if len(quote) <= SHORT_QUOTE else quote[: SHORT_QUOTE - 1].rstrip() + "…"


def verdict_text(verdict: Verdict) -> Text:
    return Text(verdict.label, style=VERDICT_STYLE[verdict])


def _rows_table(found: list[Row], width: int, *, quoted: bool) -> Iterator[RenderableType]:
    """Claims and, beneath each claim read several ways, its readings: one table, drawn a
    part at a time when long (``in_parts``)."""
    # why: ids stay whole on one line where they fit; reading labels wrap beneath them
    longest = max((len(row.claim) for row in found if not row.depth), default=0)
    # why: never narrower than the header, nor than the "(inferred)" mark beneath an id
    marks = [INFERRED_MARK.strip()] if any(row.inferred for row in found) else []
    least = max(len(word) for word in (CLAIM_HEADER, *marks))
    claim_width = max(min(longest, width // 3), least) + PADDED  # why: a space either side

    def table(header: bool) -> Table:
        grid = Table(expand=True, header_style="bold", show_header=header, padding=0)
        claim = Padded(CLAIM_HEADER)
        grid.add_column(claim, overflow="fold", min_width=claim_width, max_width=claim_width)
        grid.add_column(Padded("Verdict"), max_width=15 + PADDED)
        grid.add_column(Padded("Numbers compared"), overflow="fold", ratio=3)
        if quoted:
            grid.add_column(Padded("Quote"), overflow="fold", ratio=2)
        return grid

    def cells(row: Row) -> list[Padded]:
        claim = literal(("  " if row.depth else "") + row.name, "dim" if row.depth else "bold")
        shown = [claim, verdict_text(row.verdict), literal(row.numbers)]
        return [
            Padded(cell) for cell in (*shown, *([literal(_short(row.quote))] if quoted else []))
        ]

    return in_parts(found, table, cells, width=width)


def claims_shown(found: list[Row], width: int, *, quoted: bool) -> Iterable[RenderableType]:
    """The claims as a table or, below ``NARROW`` columns, as cards: a line with the claim
    and its verdict, the numbers beneath it, and each reading so beneath its claim.

    why: in fewer columns a table's three columns cut ids, verdicts and numbers into slivers
    ("Nu/mb/er/s") and take a screen for each claim.
    """
    if width >= NARROW:
        return _rows_table(found, width, quoted=quoted)
    shown: list[RenderableType] = []
    for row in found:
        if not row.depth and shown:
            shown.append(Text(""))
        indent = 4 if row.depth else 0
        heading = literal(row.name, "" if row.depth else "bold")
        heading.append(": ")
        heading.append_text(verdict_text(row.verdict))
        shown.append(Padding(heading, (0, 0, 0, indent)))
        shown.append(Padding(literal(row.numbers), (0, 0, 0, indent + 2)))
    return [*shown, Text("")]


def footnote(found: list[Row]) -> list[RenderableType]:
    return [Text(INFERRED_NOTE, style="dim")] if any(row.inferred for row in found) else []


def report_pieces(
    report: CheckReport, display: DisplayUnit, *, color: bool, width: int
) -> Iterator[str]:
    """The check report for a terminal, drawn a part at a time."""
    if not report.checks:
        return text_pieces([Text(NO_CLAIMS)], color=color, width=width)
    found = rows(report.checks, display)
    # why: a narrow terminal keeps the numbers; `explain ID` has the quote
    parts = chain(claims_shown(found, width, quoted=True), footnote(found))
    return text_pieces(chain(parts, (Text(counts_line(report)),)), color=color, width=width)
