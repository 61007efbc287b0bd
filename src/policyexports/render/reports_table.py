"""The summary and list reports as rich tables with bar charts, for reading in a terminal."""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from itertools import chain

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from policyexports.quantities import format_won
from policyexports.render.reports import (
    FILTERED_NOTE,
    JOINT_NOTE,
    NO_PARTNER,
    NO_SECTOR,
    UNIT_HEADER,
    Report,
    View,
)
from policyexports.render.terminal import bar, literal, text_console, text_pieces
from policyexports.render.words import (
    amount_text,
    count_text,
    filters_text,
    no_total_text,
    not_shown_text,
    nothing_text,
    others_title,
    partners_text,
    row_name,
    share_text,
    short_quote,
    unattributed_work,
    who_text,
)
from policyexports.reports import FigureRow, ListReport, SummaryReport, TotalSummary

WIDE = 90  # why: below this even four columns wrap into slivers; each figure becomes a card
LIST_PART = 1_000  # rows of `list`'s table drawn at a time (``_stacked``)


def table_pieces(report: Report, view: View) -> Iterator[str]:
    """The report for a terminal, drawn a part at a time: colour only when ``view.color``;
    data never read as markup."""
    body = _list(report, view) if isinstance(report, ListReport) else _summary(report, view)
    return text_pieces(chain((_heading(report, view),), body), color=view.color, width=view.width)


def _heading(report: Report, view: View) -> RenderableType:
    info = report.dataset
    lines = Text()
    lines.append_text(literal(info.title, "bold"))
    source = info.publisher + (f", data as of {info.data_as_of}" if info.data_as_of else "")
    lines.append("\n")
    lines.append_text(literal(source, "dim"))
    lines.append(f"\nAmounts in {UNIT_HEADER[view.unit]}. Filters: ")
    lines.append_text(literal(filters_text(report.filters), "yellow" if report.filters else ""))
    return lines


def _share_table(title: Text, first: str, total: TotalSummary, view: View) -> Table:
    """A table of rows with their share of a stated total, and the sum of the rows as footer."""
    grid = Table(
        title=title, title_justify="left", box=box.SIMPLE, pad_edge=False, show_footer=True
    )
    footer = "Sum of the matching rows" if total.filtered else "Total"
    grid.add_column(first, ratio=3, overflow="fold", footer=Text(footer, "bold"))
    grid.add_column(
        "Amount", justify="right", no_wrap=True, footer=format_won(total.rows.won, view.unit)
    )
    grid.add_column("Share", justify="right", no_wrap=True, footer=share_text(total.rows.share))
    grid.add_column("", no_wrap=True, min_width=_bar_width(view))
    if view.width >= WIDE:
        grid.add_column("Figures", ratio=2, overflow="fold", style="dim")
    return grid


def _bar_width(view: View) -> int:
    return max(8, min(30, view.width // 4))


def _add_share_row(
    grid: Table, name: Text, won: int, share: Fraction | None, *, figures: str, view: View
) -> None:
    cells: list[RenderableType] = [
        name,
        format_won(won, view.unit),
        share_text(share),
        bar(share or Fraction(0), _bar_width(view)),
    ]
    grid.add_row(*cells, *([literal(figures)] if len(grid.columns) > 4 else []))


def _total(total: TotalSummary, view: View) -> list[RenderableType]:
    head = total.total
    title = Text(f"{head.kind_label.capitalize()}: stated total ", "bold")
    title.append_text(literal(head.value.written, "bold"))
    title.append_text(literal(f" ({head.id})", "dim"))
    parts = _share_table(title, "Earner", total, view)
    for part in total.parts:
        figure = part.figure
        name = literal(who_text(figure) or figure.label)
        _add_share_row(parts, name, figure.value.won, part.share, figures=figure.id, view=view)
    rendered: list[RenderableType] = [Text(""), parts]
    if total.filtered:
        rendered.append(Text(FILTERED_NOTE, "dim"))
    if total.unattributed is not None:
        row = total.unattributed
        name = Text(row_name(row, view.unit, ""), "bold red" if row.excess else "italic")
        _add_share_row(parts, name, row.won, row.share, figures="", view=view)
        rendered.append(literal(unattributed_work(total, view.unit), "dim"))
    if len(rendered) > 2:
        rendered.append(Text(""))
    for heading, rows, first, not_given in (
        ("By sector", total.by_sector, "Sector", NO_SECTOR),
        ("By partner country", total.by_country, "Country", NO_PARTNER),
    ):
        grid = _share_table(Text(heading, "bold"), first, total, view)
        for row in rows:
            style = "bold red" if row.excess else "" if row.names else "italic"
            name = literal(row_name(row, view.unit, not_given), style)
            if row.joint:
                name.append(" (joint)", "magenta")
            _add_share_row(
                grid, name, row.won, row.share, figures=", ".join(row.figures), view=view
            )
        rendered.append(grid)
    if any(row.joint for row in (*total.by_sector, *total.by_country)):
        rendered.append(Text(JOINT_NOTE, "dim"))
    return rendered


def _others(report: SummaryReport, view: View) -> Table:
    grid = Table(
        title=Text(others_title(report), "bold"),
        title_justify="left",
        box=box.SIMPLE,
        pad_edge=False,
    )
    wide = view.width >= WIDE
    grid.add_column("What", ratio=3, overflow="fold")
    # why: made once, for the column's width and for its cells
    amounts = [amount_text(row, view.unit) for section in report.others for row in section.rows]
    _amount_column(grid, amounts)
    shown = iter(amounts)
    if wide:
        grid.add_column("Figure", overflow="fold", style="dim")
    for section in report.others:
        grid.add_row(Text(section.label.capitalize(), "bold underline"))
        for row in section.rows:
            what = literal(row.label)
            if row.stated_total:
                what.append(" (stated total)", "italic")
            if not wide:
                what.append("\n")
                what.append_text(literal(row.id, "dim"))
            cells: list[RenderableType] = [what, literal(next(shown))]
            grid.add_row(*cells, *([literal(row.id)] if wide else []))
        grid.rows[-1].end_section = True
    return grid


def _summary(report: SummaryReport, view: View) -> Iterator[RenderableType]:
    """The summary's parts, each made when it is to be drawn."""
    if not report.matched and not report.totals:
        yield from (Text(""), Text(nothing_text(report), "bold"))
        return
    if not report.totals:
        yield from (Text(""), Text(no_total_text(report), "italic"))
    for total in report.totals:
        yield from _total(total, view)
    if report.others:
        yield from (Text(""), _others(report, view))
    if report.not_shown:
        yield Text(not_shown_text(report), "dim")


def _list(report: ListReport, view: View) -> Iterable[RenderableType]:
    summary = Text(f"{count_text(report)}, sorted by {report.sort.value}.")
    if not report.rows:
        return [summary, Text(""), Text(nothing_text(report), "bold")]
    if view.width < WIDE:
        return chain((summary, Text("")), (_card(row, view) for row in report.rows))
    return chain((summary,), _stacked(report, view))


def _stacked(report: ListReport, view: View) -> Iterator[RenderableType]:
    """Four columns of a few lines each: seven side-by-side columns would wrap into slivers.

    A list of more than ``LIST_PART`` rows is drawn that many rows at a time, each part a
    table whose columns are as wide as those of one table of every row: a last row that
    draws blank and measures, column by column, as the widest of every row and the header.
    Each part then leaves out that row, and the parts after the first their header and top
    edge: what is left is the lines one table would draw. why: one table of 100,000 figures
    held 1 GB and drew nothing for 61 s.
    """
    rows = report.rows
    amounts = [amount_text(row, view.unit) for row in rows]
    part = max(1, LIST_PART)
    if len(rows) <= part:
        yield _list_part(rows, amounts, amounts, header=True)
        return
    widest = _widest(rows, amounts, view)
    for start in range(0, len(rows), part):
        end = start + part
        grid = _list_part(
            rows[start:end], amounts[start:end], amounts, header=not start, last=widest
        )
        yield _Part(grid, first=not start, last=end >= len(rows))


def _cells(row: FigureRow, amount: str) -> tuple[Text, Text, Text, Text]:
    figure = literal(row.id, "bold")
    figure.append("\n" + row.kind_label, "dim")
    about = [literal(who_text(row))] if row.earner else []
    if row.partners:
        about.append(_partners(row))
    if row.sectors:
        about.append(_sectors(row))
    quote = literal(short_quote(row.quote, row.value.written, 80))
    return figure, Text("\n").join(about), literal(amount), quote


def _list_part(
    rows: Sequence[FigureRow],
    amounts: Sequence[str],
    every_amount: list[str],
    *,
    header: bool,
    last: Sequence[RenderableType] = (),
) -> Table:
    """The table of ``rows`` (with their ``amounts``), its amount column made for
    ``every_amount`` of the list, then a row of ``last`` if given."""
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_header=header)
    grid.add_column("Id / kind", overflow="fold", ratio=2)
    grid.add_column("Who / partners / sector", overflow="fold", ratio=3)
    _amount_column(grid, every_amount)
    grid.add_column("Quote", overflow="fold", ratio=3, style="italic")
    for row, amount in zip(rows, amounts, strict=True):
        grid.add_row(*_cells(row, amount), end_section=True)
    if last:
        grid.add_row(*last)
    return grid


def _widest(rows: Sequence[FigureRow], amounts: list[str], view: View) -> list[_Widest]:
    """For each column of the list, a cell as wide as the widest of its header and rows."""
    console = text_console(io.StringIO(), color=view.color, width=view.width)
    options = console.options  # why: a property that asks the system for the terminal's size
    columns = _list_part((), (), amounts, header=True).columns
    least, most = [0] * len(columns), [0] * len(columns)
    headers: tuple[RenderableType, ...] = tuple(column.header for column in columns)
    for cells in chain((headers,), map(_cells, rows, amounts)):
        for index, cell in enumerate(cells):
            low, high = Measurement.get(console, options, cell)
            least[index], most[index] = max(least[index], low), max(most[index], high)
    return [_Widest(Measurement(low, high)) for low, high in zip(least, most, strict=True)]


class _Widest:
    """A cell measured as ``measure`` that draws nothing (its row is one blank line)."""

    def __init__(self, measure: Measurement) -> None:
        self.measure = measure

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.measure

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from ()


class _Part:
    """A part of ``_stacked``'s table, drawn as one table of every row would draw it.

    Its table ends with the line that separates its last row from the next, the measuring
    row and the bottom edge: the last part keeps only the edge, the others only the line
    that separates. A part after the first has no header and leaves out its top edge.
    """

    def __init__(self, table: Table, *, first: bool, last: bool) -> None:
        self.table, self.first, self.last = table, first, last

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # why: a table ends each line with a segment of its own; the lines are passed on as
        # they come, three held back, rather than split and cropped twice over
        held: deque[list[Segment]] = deque()
        line: list[Segment] = []
        skip = 0 if self.first else 1
        for segment in console.render(self.table, options):
            line.append(segment)
            if segment.text != "\n":
                continue
            if skip:
                skip -= 1
            else:
                held.append(line)
                if len(held) > 3:
                    yield from held.popleft()
            line = []
        separator, _, edge = held
        yield from edge if self.last else separator


def _amount_column(grid: Table, amounts: list[str]) -> None:
    """A column of amounts, narrow, but never so narrow that a number is cut in two.

    why: "1,000,000,000,000" (in won) is 17 characters; folded at 16, its last digit went to
    a line of its own, and the first line read as a number a thousand times smaller.
    """
    longest = max((len(word) for amount in amounts for word in amount.split()), default=0)
    grid.add_column(
        "Amount", justify="right", overflow="fold", min_width=longest, max_width=max(16, longest)
    )


def _sectors(row: FigureRow) -> Text:
    return literal(", ".join(sector.name for sector in row.sectors), "dim")


def _partners(row: FigureRow) -> Text:
    marked = row.joint or bool(row.shared_with)
    return literal(partners_text(row), "magenta" if marked else "")


def _card(row: FigureRow, view: View) -> RenderableType:
    """One figure as a few short lines: readable in 60 columns, where a wide table is not."""
    head = literal(row.id, "bold")
    head.append(f" · {row.kind_label} · ")
    head.append_text(literal(amount_text(row, view.unit), "bold"))
    lines: list[Text] = []
    about = " · ".join(part for part in (who_text(row), _sectors(row).plain) if part)
    if about:
        lines.append(literal(about))
    if row.partners:
        lines.append(_partners(row))
    quote = short_quote(row.quote, row.value.written, max(30, 2 * view.width - 8))
    lines.append(literal(f"“{quote}”", "italic"))
    # why: wrapped lines stay indented under their figure
    return Group(head, *(Padding(line, (0, 0, 0, 2)) for line in lines), Text(""))
