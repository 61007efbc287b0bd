"""A figure or claim explained, as rich tables for the terminal (imported only for tables).

Apart from the check report's table (``checks_table``), so that ``check`` does not import
what only ``explain`` shows.
"""

from __future__ import annotations

from rich.console import RenderableType
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


def _claim_parts(
    explanation: ClaimExplanation, display: DisplayUnit, width: int
) -> list[RenderableType]:
    check = explanation.check
    figures = Table(title="Figures used", header_style="bold")
    for name in FIGURE_COLUMNS:
        # why: a figure's id stays on one line where there is room; the other columns wrap
        whole = name == FIGURE_COLUMNS[0] and width >= NARROW
        figures.add_column(name, overflow="fold", no_wrap=whole)
    for row in figure_rows(check, display):
        figures.add_row(*(literal(cell or "") for cell in row))
    parts: list[RenderableType] = [figures]
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
        for position, step in enumerate(steps, start=1):
            parts.append(literal(f"  {position}. {step}"))
        if reading.operation is Operation.PARTS_WITHIN_TOTAL:
            for part in reading.parts:
                if part.share is not None:
                    line = literal(f"  {part.figure:<24} ")
                    line.append_text(bar(part.share, BAR_WIDTH))
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
