"""Rich helpers shared by the table renderers: a console that renders to a string, and bars."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from fractions import Fraction

from rich.console import Console, RenderableType
from rich.text import Text

from policyexports.render.plain import drained, visible

BAR_FULL = "█"
BAR_EIGHTHS = " ▏▎▍▌▋▊▉"


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
