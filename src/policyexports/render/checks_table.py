"""The check report and explanations as rich tables for the terminal (imported only for tables)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from policyexports.explain import ClaimExplanation, Explanation, Sentence
from policyexports.quantities import DisplayUnit
from policyexports.render.checks import (
    INFERRED_MARK,
    INFERRED_NOTE,
    NO_CLAIMS,
    Row,
    counts_line,
    rows,
)
from policyexports.render.explain import (
    FIGURE_COLUMNS,
    INFERRED_LINE,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    figure_rows,
)
from policyexports.render.terminal import bar, literal, render_to_text
from policyexports.showwork import PERCENT_LIMITS, condition_text, decimal_text
from policyexports.verdicts import CheckReport, Operation, Verdict

VERDICT_STYLE = {
    Verdict.HOLDS: "bold green",
    Verdict.WITHIN_ROUNDING: "green",
    Verdict.FAILS: "bold red",
    Verdict.UNVERIFIABLE: "yellow",
    Verdict.HOLDS_ONLY_IF: "magenta",
}
SHORT_QUOTE = 72  # why: the table shows the gist; `explain ID` shows the whole sentence
BAR_WIDTH = 24
NARROW = 80
CLAIM_HEADER = "Claim"


def _short(quote: str) -> str:
    return quote if len(quote) <= SHORT_QUOTE else quote[: SHORT_QUOTE - 1].rstrip() + "…"


def verdict_text(verdict: Verdict) -> Text:
    return Text(verdict.label, style=VERDICT_STYLE[verdict])


def _rows_table(found: list[Row], width: int, *, quoted: bool) -> Table:
    """Claims and, beneath each claim read several ways, its readings."""
    table = Table(expand=True, header_style="bold")
    # why: ids stay whole on one line where they fit; reading labels wrap beneath them
    longest = max((len(row.claim) for row in found if not row.depth), default=0)
    # why: never narrower than the header, nor than the "(inferred)" mark beneath an id
    marks = [INFERRED_MARK.strip()] if any(row.inferred for row in found) else []
    least = max(len(word) for word in (CLAIM_HEADER, *marks))
    claim_width = max(min(longest, width // 3), least)  # why: rich adds the padding to it
    table.add_column(CLAIM_HEADER, overflow="fold", min_width=claim_width, max_width=claim_width)
    table.add_column("Verdict", max_width=15)
    table.add_column("Numbers compared", overflow="fold", ratio=3)
    if quoted:
        table.add_column("Quote", overflow="fold", ratio=2)
    for row in found:
        claim = literal(("  " if row.depth else "") + row.name, "dim" if row.depth else "bold")
        cells = [claim, verdict_text(row.verdict), literal(row.numbers)]
        table.add_row(*cells, *([literal(_short(row.quote))] if quoted else []))
    return table


def _footnote(found: list[Row]) -> list[RenderableType]:
    return [Text(INFERRED_NOTE, style="dim")] if any(row.inferred for row in found) else []


def report_table(report: CheckReport, display: DisplayUnit, *, color: bool, width: int) -> str:
    if not report.checks:
        return render_to_text([Text(NO_CLAIMS)], color=color, width=width)
    found = rows(report.checks, display)
    quoted = width >= NARROW  # why: a narrow terminal keeps the numbers; `explain` has the quote
    parts: list[RenderableType] = [_rows_table(found, width, quoted=quoted), *_footnote(found)]
    return render_to_text([*parts, Text(counts_line(report))], color=color, width=width)


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
                _rows_table(found, width, quoted=False),
                *_footnote(found),
            ]
    return render_to_text(parts, color=color, width=width)
