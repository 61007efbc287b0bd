"""A table of ``Padded`` cells draws what rich draws for the same table with its padding.

Not compared here: ``ratio`` columns of an expanding table, whose least width rich counts
with its padding (check's table has them, and is compared in test_checks.py).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.table import Table
from rich.text import Text

from policyexports.render.terminal import PADDED, Padded, text_console

_WORDS = st.text(alphabet="ab é中\t\n-", max_size=24)
_STYLES = st.sampled_from(["", "bold", "dim", "bold green", "red on white"])


@st.composite
def _texts(draw: st.DrawFn) -> Text:
    text = Text(draw(_WORDS), style=draw(_STYLES))
    if text.plain and draw(st.booleans()):  # why: a span inside, as a styled word is
        start = draw(st.integers(0, len(text.plain) - 1))
        text.stylize(draw(_STYLES) or "italic", start, draw(st.integers(start, len(text.plain))))
    return text


_COLUMNS = st.fixed_dictionaries(
    {
        "overflow": st.sampled_from(["fold", "ellipsis", "crop"]),
        "justify": st.sampled_from(["left", "right", "center", "full"]),
        "no_wrap": st.booleans(),
    },
    optional={"min_width": st.integers(0, 12), "max_width": st.integers(1, 30)},
)


def _drawn(table: Table, width: int, color: bool) -> str:
    buffer = io.StringIO()
    text_console(buffer, color=color, width=width).print(table)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_COLUMNS, min_size=1, max_size=4),
    st.data(),
    st.integers(4, 120),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_padded_cells_draw_as_rich_pads_them(
    columns: list[dict[str, Any]],
    data: st.DataObject,
    width: int,
    expand: bool,
    header: bool,
    color: bool,
) -> None:
    rows = data.draw(st.lists(st.lists(_texts(), min_size=len(columns), max_size=len(columns))))
    padded = Table(expand=expand, show_header=header, header_style="bold", padding=0)
    plain = Table(expand=expand, show_header=header, header_style="bold")
    for index, options in enumerate(columns):
        wider = {
            key: value + PADDED if key in ("min_width", "max_width") else value
            for key, value in options.items()
        }
        padded.add_column(Padded(f"Column {index}"), **wider)
        plain.add_column(f"Column {index}", **options)
    for row in rows:
        padded.add_row(*(Padded(cell.copy()) for cell in row))
        plain.add_row(*(cell.copy() for cell in row))
    assert _drawn(padded, width, color) == _drawn(plain, width, color)


@pytest.mark.parametrize(
    "text",
    [Text("a", end="\n\n"), Text("a", end="Z"), Text("a b", style="no-such-style")],
    ids=["two line breaks", "another end", "a style rich cannot read"],
)
@pytest.mark.parametrize("color", [False, True])
def test_padded_texts_with_an_end_or_a_style_of_their_own(text: Text, color: bool) -> None:
    padded, plain = Table(padding=0), Table()
    padded.add_column(Padded("Column"))
    plain.add_column("Column")
    padded.add_row(Padded(text.copy()))
    plain.add_row(text.copy())
    assert _drawn(padded, 40, color) == _drawn(plain, 40, color)
