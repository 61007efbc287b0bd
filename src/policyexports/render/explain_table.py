"""A figure or claim explained, as rich tables for the terminal (imported only for tables).

Apart from the check report's table (``checks_table``), so that ``check`` does not import
what only ``explain`` shows.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from policyexports.explain import ClaimExplanation, Explanation, Sentence
from policyexports.quantities import DisplayUnit
from policyexports.render.checks import INFERRED_MARK, rows
from policyexports.render.checks_table import NARROW, claims_shown, footnote, verdict_text
from policyexports.render.explain import (
    FIGURE_COLUMNS,
    INFERRED_LINE,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    figure_rows,
)
from policyexports.render.terminal import bar, literal, render_to_text
from policyexports.showwork import PERCENT_LIMITS, condition_text, decimal_text
from policyexports.verdicts import Operation

BAR_WIDTH = 24


def _sentence(sentence: Sentence, color: bool) -> Text:
    text = literal(sentence.before)
    if color:
        text.append_text(literal(sentence.quoted, "bold underline"))
    else:
        text.append_text(literal(QUOTE_OPEN + sentence.quoted + QUOTE_CLOSE))
    text.append_text(literal(sentence.after))
    return text


def _figures_used(rows: list[list[str | None]], width: int) -> list[RenderableType]:
    """The figures a claim uses: a table or, below ``NARROW`` columns, a card each (as the
    claims of ``check``), where five columns would cut ids and numbers into slivers."""
    if width >= NARROW:
        figures = Table(title="Figures used", header_style="bold")
        for name in FIGURE_COLUMNS:
            # why: a figure's id stays on one line; the other columns wrap
            figures.add_column(name, overflow="fold", no_wrap=name == FIGURE_COLUMNS[0])
        for row in rows:
            figures.add_row(*(literal(cell or "") for cell in row))
        return [figures]
    cards: list[RenderableType] = [Text("Figures used", "bold")]
    for figure, kind, *facts in rows:
        heading = literal(figure or "", "bold")
        heading.append_text(literal(f" ({kind})" if kind else ""))
        named = zip((name.lower() for name in FIGURE_COLUMNS[2:]), facts, strict=True)
        details = "; ".join(f"{name} {fact}" for name, fact in named if fact)
        cards += [heading, Padding(literal(details), (0, 0, 0, 2))]
    return cards


def _claim_parts(
    explanation: ClaimExplanation, display: DisplayUnit, width: int
) -> list[RenderableType]:
    check = explanation.check
    parts = _figures_used(figure_rows(check, display), width)
    # why: the bar shrinks before a line of a part would wrap ("  id  bar  64.92%")
    bar_width = max(4, min(BAR_WIDTH, width - 36))
    for index, ((label, steps), reading) in enumerate(
        zip(explanation.steps, check.readings, strict=True), start=1
    ):
        several = len(check.readings) > 1
        heading = Text(
            f"Reading {index}: " if several else "Arithmetic: " if label else "Arithmetic"
        )
        heading.stylize("bold")
        heading.append_text(literal(label or ""))
        heading.append(" → ")
        heading.append_text(verdict_text(reading.verdict))
        parts.append(heading)
        if steps:
            # why: a step that wraps goes on beneath its own text, not under its number
            numbered = Table.grid(padding=(0, 1, 0, 0))
            numbered.add_column(justify="right", no_wrap=True)
            numbered.add_column(overflow="fold")
            for position, step in enumerate(steps, start=1):
                numbered.add_row(f"  {position}.", literal(step))
            parts.append(numbered)
        if reading.operation is Operation.PARTS_WITHIN_TOTAL:
            for part in reading.parts:
                if part.share is not None:
                    line = literal(f"  {part.figure:<24} ")
                    line.append_text(bar(part.share, bar_width))
                    line.append(f" {decimal_text(part.share * 100, PERCENT_LIMITS)}%")
                    parts.append(line)
    condition = condition_text(check, display)
    if condition:
        parts.append(literal(f"Holds only if {condition}.", "magenta"))
    return parts


def explanation_table(
    explanation: Explanation, display: DisplayUnit, *, color: bool, width: int
) -> str:
    parts: list[RenderableType] = []
    if isinstance(explanation, ClaimExplanation):
        check = explanation.check
        mark = INFERRED_MARK if check.inferred else ""
        heading = literal(f"Claim {check.id}{mark}: ", "bold")
        heading.append_text(verdict_text(check.verdict))
        parts += [heading, literal(check.statement)]
        if check.inferred:
            parts.append(Text(INFERRED_LINE, style="dim"))
        parts += [Text(""), _sentence(explanation.sentence, color)]
        parts += _claim_parts(explanation, display, width)
    else:
        figure = explanation.figure
        parts += [literal(f"Figure {figure.id}", "bold"), _sentence(explanation.sentence, color)]
        facts = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
        facts.add_column(style="bold")
        facts.add_column(overflow="fold")
        for key, value in explanation.facts:
            facts.add_row(literal(key), literal(value))
        parts.append(facts)
        if explanation.claims:
            found = rows(explanation.claims, display)
            parts += [
                Text("Claims that use it", "bold"),
                *claims_shown(found, width, quoted=False),
                *footnote(found),
            ]
    return render_to_text(parts, color=color, width=width)
