"""The summary and list reports as rich tables with bar charts, for reading in a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction
from itertools import chain

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
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
from policyexports.render.terminal import bar, in_parts, literal, text_pieces
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


def _share_table(
    title: Text, first: str, total: TotalSummary, view: View, bars: int | None
) -> Table:
    """A table of rows with their share of a stated total, and the sum of the rows as footer;
    with bars of ``bars`` characters, or none."""
    grid = Table(
        title=title, title_justify="left", box=box.SIMPLE, pad_edge=False, show_footer=True
    )
    footer = "Sum of the matching rows" if total.filtered else "Total"
    amount, share = format_won(total.rows.won, view.unit), share_text(total.rows.share)
    grid.add_column(first, ratio=3, overflow="fold", footer=Text(footer, "bold"))
    grid.add_column("Amount", justify="right", no_wrap=True, footer=amount)
    grid.add_column("Share", justify="right", no_wrap=True, footer=share)
    if bars is not None:
        grid.add_column("", no_wrap=True, min_width=bars)
    if view.width >= WIDE:
        grid.add_column("Figures", ratio=2, overflow="fold", style="dim")
    return grid


NAME_ROOM = 14  # why: the least a breakdown's names are given: "Not attributed", whole


def _bars(total: TotalSummary, view: View) -> int | None:
    """How wide the bars of ``total``'s tables are, or ``None`` where there is no room for them.

    why: at 40 columns in won, the bars took the room that names and amounts needed: the
    names' column went, and amounts were cut ("644,500,000,0…").
    """
    rows = [total.rows, *total.by_sector, *total.by_country]
    rows += [total.unattributed] if total.unattributed is not None else []
    amounts = [part.figure.value.won for part in total.parts] + [row.won for row in rows]
    shares = [part.share for part in total.parts] + [row.share for row in rows]
    width = max(len("Amount"), *(len(format_won(won, view.unit)) for won in amounts))
    width += max(len("Share"), *(len(share_text(share)) for share in shares))
    bars = max(8, min(30, view.width // 4))
    # why: a space either side of each of the four columns but the outer two (6), and the
    # box's two edges and three dividers (5)
    return bars if NAME_ROOM + width + bars + 11 <= view.width else None


def _add_share_row(
    grid: Table,
    name: Text,
    won: int,
    share: Fraction | None,
    *,
    figures: str,
    view: View,
    bars: int | None,
) -> None:
    cells: list[RenderableType] = [name, format_won(won, view.unit), share_text(share)]
    if bars is not None:
        cells.append(bar(share or Fraction(0), bars))
    grid.add_row(*cells, *([literal(figures)] if len(grid.columns) > len(cells) else []))


def _total(total: TotalSummary, view: View) -> list[RenderableType]:
    head = total.total
    title = Text(f"{head.kind_label.capitalize()}: stated total ", "bold")
    title.append_text(literal(head.value.written, "bold"))
    title.append_text(literal(f" ({head.id})", "dim"))
    bars = _bars(total, view)
    parts = _share_table(title, "Earner", total, view, bars)
    for part in total.parts:
        figure = part.figure
        name = literal(who_text(figure) or figure.label)
        _add_share_row(
            parts, name, figure.value.won, part.share, figures=figure.id, view=view, bars=bars
        )
    rendered: list[RenderableType] = [Text(""), parts]
    if total.filtered:
        rendered.append(Text(FILTERED_NOTE, "dim"))
    if total.unattributed is not None:
        row = total.unattributed
        name = Text(row_name(row, view.unit, ""), "bold red" if row.excess else "italic")
        _add_share_row(parts, name, row.won, row.share, figures="", view=view, bars=bars)
        rendered.append(literal(unattributed_work(total, view.unit), "dim"))
    if len(rendered) > 2:
        rendered.append(Text(""))
    for heading, rows, first, not_given in (
        ("By sector", total.by_sector, "Sector", NO_SECTOR),
        ("By partner country", total.by_country, "Country", NO_PARTNER),
    ):
        grid = _share_table(Text(heading, "bold"), first, total, view, bars)
        for row in rows:
            style = "bold red" if row.excess else "" if row.names else "italic"
            name = literal(row_name(row, view.unit, not_given), style)
            if row.joint:
                name.append(" (joint)", "magenta")
            figures = ", ".join(row.figures)
            _add_share_row(grid, name, row.won, row.share, figures=figures, view=view, bars=bars)
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
    _amount_column(grid, _longest_word(amounts))
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
    A long list is drawn a part at a time (``in_parts``), as one table would be."""
    amounts = [amount_text(row, view.unit) for row in report.rows]
    longest = _longest_word(amounts)  # why: once, not again for each part's table

    def table(header: bool) -> Table:
        grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_header=header)
        grid.add_column("Id / kind", overflow="fold", ratio=2)
        grid.add_column("Who / partners / sector", overflow="fold", ratio=3)
        _amount_column(grid, longest)
        grid.add_column("Quote", overflow="fold", ratio=3, style="italic")
        return grid

    rows = list(zip(report.rows, amounts, strict=True))
    yield from in_parts(rows, table, _cells, width=view.width, separated=True)


def _cells(row_amount: tuple[FigureRow, str]) -> tuple[Text, Text, Text, Text]:
    row, amount = row_amount
    figure = literal(row.id, "bold")
    figure.append("\n" + row.kind_label, "dim")
    about = [literal(who_text(row))] if row.earner else []
    if row.partners:
        about.append(_partners(row))
    if row.sectors:
        about.append(_sectors(row))
    quote = literal(short_quote(row.quote, row.value.written, 80))
    return figure, Text("\n").join(about), literal(amount), quote


def _longest_word(amounts: list[str]) -> int:
    return max((len(word) for amount in amounts for word in amount.split()), default=0)


def _amount_column(grid: Table, longest: int) -> None:
    """A column of amounts, narrow, but never so narrow that a number (of ``longest``
    characters at most) is cut in two.

    why: "1,000,000,000,000" (in won) is 17 characters; folded at 16, its last digit went to
    a line of its own, and the first line read as a number a thousand times smaller.
    """
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
