"""Rich helpers shared by the table renderers: a console that renders to a string, and bars."""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from fractions import Fraction
from itertools import chain
from typing import TypeVar

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import DEFAULT_JUSTIFY, DEFAULT_OVERFLOW, Text

from policyexports.render.plain import drained, visible

BAR_FULL = "█"
BAR_EIGHTHS = " ▏▎▍▌▋▊▉"
TABLE_PART = 1_000  # rows of a long table drawn at a time (``in_parts``)


def render_to_text(renderables: list[RenderableType], *, color: bool, width: int) -> str:
    """Render to a string: ANSI styles only when ``color``; data is never read as markup.

    Without colour, no line ends in spaces."""
    return "".join(text_pieces(renderables, color=color, width=width))


def text_pieces(renderables: Iterable[RenderableType], *, color: bool, width: int) -> Iterator[str]:
    """``render_to_text`` of ``renderables``, one piece for each, made as it is written.

    why: a summary of 100,000 figures is thousands of tables; drawn into one buffer, then
    copied into one string, they took 900 MB, and nothing showed until the last was drawn.
    """
    buffer = io.StringIO()
    console = text_console(buffer, color=color, width=width)
    for renderable in renderables:
        console.print(renderable)  # why: each ends its last line, so pieces end on a line
        output = drained(buffer)
        # why: rich pads every line to its table's width and ends a wrapped line with its
        # space; text pasted from a terminal into notes should carry neither
        yield output if color else "\n".join(line.rstrip() for line in output.split("\n"))


def text_console(file: io.StringIO, *, color: bool, width: int) -> Console:
    """A console writing to ``file``: ANSI styles only when ``color``, no markup read."""
    return Console(
        file=file,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        soft_wrap=False,
    )


def bar(share: Fraction, width: int, style: str = "cyan") -> Text:
    """A horizontal bar of ``share`` (0..1) of ``width`` cells, in eighths of a cell."""
    clamped = min(max(share, Fraction(0)), Fraction(1))
    eighths = round(clamped * width * 8)
    full, rest = divmod(eighths, 8)
    text = BAR_FULL * full + (BAR_EIGHTHS[rest] if rest else "")
    return Text(text.ljust(width), style=style)


def literal(value: str, style: str = "") -> Text:
    """Text from the data, shown exactly (``[bold]X`` stays as typed; control codes visible)."""
    return Text(visible(value), style=style)


PADDED = 2  # columns a cell of ``Padded`` takes beyond its text: a space either side


class Padded:
    """``text`` with a space either side: a cell of a table made with ``padding=0``, drawn
    as the same table with rich's default padding, ``(0, 1)``, draws it (a column is then
    ``PADDED`` wider). why: rich wraps every cell in a ``Padding`` that lays out its lines
    once, pads them, and hands them to the table to lay out again; ``check``'s table took
    14 ms of the command's 120 that way, 11 ms this way (in one process).

    The lines are what a ``Padding`` would draw: the text wrapped as ``Text`` wraps it,
    each line padded to the width. Where a height is to be kept, or the text ends other
    than with a line break, the ``Padding`` draws it. Differences are left where rich
    counts its padding itself: a ``ratio`` column of an expanding table whose share comes
    to less than 3 columns gets them with rich's padding and may get 2, its text gone,
    with these cells, at any width; a column of a fixed ``width`` must be given 2 wider
    too; and a table squeezed until every column has no width can fail in rich's own
    arithmetic. A cell that is not ``Padded`` is not padded. (All found by a helper's
    fuzzing.) None of this reaches check's table: it is drawn from 80 columns, its first
    column never narrower than 7, and no column has a fixed width. Tests compare the two
    ways of drawing."""

    __slots__ = ("padding", "text")

    def __init__(self, text: str | Text) -> None:
        self.text = Text(text) if isinstance(text, str) else text
        self.padding = Padding(self.text, (0, 1))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.padding.__rich_measure__(console, options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.height is not None or self.text.end != "\n":
            yield from self.padding.__rich_console__(console, options)
            return
        text, width = self.text, options.max_width - PADDED
        if width < 1:  # why: rich draws nothing in no width, so the padding draws no line
            return
        style = console.get_style("none")  # why: what a ``Padding`` pads with
        lines = text.wrap(
            console,
            width,
            justify=text.justify or options.justify or DEFAULT_JUSTIFY,
            overflow=text.overflow or options.overflow or DEFAULT_OVERFLOW,
            tab_size=(console.tab_size if text.tab_size is None else text.tab_size) or 8,
            no_wrap=bool(options.no_wrap) if text.no_wrap is None else text.no_wrap,
        )
        edge, end = Segment(" ", style), Segment.line()
        for line in lines:
            if line.spans:  # why: as ``Text`` draws its lines, joined, its style a span
                segments = list(_JOINED.join((line,)).render(console))
            else:
                plain = line.plain
                segments = (
                    [Segment(plain, console.get_style(line.style, default=_NO_STYLE) or None)]
                    if plain
                    else []
                )
            yield edge
            yield from Segment.adjust_line_length(segments, width, style=style, pad=True)
            yield edge
            yield end


_JOINED = Text("\n")
_NO_STYLE = Style.null()  # why: a style rich cannot read is ignored, as ``Text`` ignores it

_Item = TypeVar("_Item")


def in_parts(
    items: Sequence[_Item],
    table: Callable[[bool], Table],
    cells: Callable[[_Item], Sequence[RenderableType]],
    *,
    width: int,
    separated: bool = False,
) -> Iterator[RenderableType]:
    """One table of a row of ``cells`` for each item, drawn ``TABLE_PART`` rows at a time.

    ``table(header)`` makes the table with its columns and no rows, its header shown or
    not; ``separated`` draws a line between rows. Each part is a table whose columns are as
    wide as those of one table of every row: it ends with a row that draws blank and
    measures, column by column, as the widest of every row and the header. Each part then
    leaves out that row, the parts before the last their bottom edge, and those after the
    first their header and top edge: what is left is the lines one table would draw. why:
    one table of 100,000 figures held 1 GB and drew nothing for 61 s.

    That holds for a table drawn with a box and its edges, and without a footer,
    ``show_lines`` or ``row_styles`` (the parts would draw those anew): the tables of
    ``list`` and ``check``. Tests compare the parts with one table for both.
    """
    part = max(1, TABLE_PART)
    if len(items) <= part:
        whole = table(True)
        for item in items:
            whole.add_row(*cells(item), end_section=separated)
        yield whole
        return
    widest = _widest(table(True), map(cells, items), width)
    for start in range(0, len(items), part):
        rows = items[start : start + part]
        last = start + part >= len(items)
        grid = table(not start)
        for index, item in enumerate(rows, start=1):
            # why: one table draws no line after its last row
            grid.add_row(*cells(item), end_section=separated and not (last and index == len(rows)))
        grid.add_row(*widest)
        yield _Part(grid, first=not start, last=last)


def _widest(table: Table, rows: Iterable[Sequence[RenderableType]], width: int) -> list[_Widest]:
    """For each column of ``table``, a cell as wide as the widest of its header and ``rows``."""
    console = text_console(io.StringIO(), color=False, width=width)
    options = console.options  # why: a property that asks the system for the terminal's size
    columns = table.columns
    least, most = [0] * len(columns), [0] * len(columns)
    headers: tuple[RenderableType, ...] = tuple(column.header for column in columns)
    for cells in chain((headers,), rows):
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
    """A part of ``in_parts``'s table, drawn as one table of every row would draw it: its
    last two lines are the measuring row and the bottom edge, its first the top edge."""

    def __init__(self, table: Table, *, first: bool, last: bool) -> None:
        self.table, self.first, self.last = table, first, last

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # why: a table ends each line with a segment of its own; the lines are passed on as
        # they come, two held back, rather than split and cropped twice over
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
                if len(held) > 2:
                    yield from held.popleft()
            line = []
        if self.last:
            yield from held[-1]
