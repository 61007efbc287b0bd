"""Explanations of a figure or a claim in every output format, chosen in one place."""

from __future__ import annotations

from typing import Any, assert_never

from policyexports.explain import ClaimExplanation, Explanation, FigureExplanation, Sentence
from policyexports.models import KIND_LABEL
from policyexports.prebuilt import dumped
from policyexports.quantities import DisplayUnit
from policyexports.render.checks import (
    INFERRED_MARK,
    INFERRED_NOTE,
    claim_json,
    markdown_rows,
    rows,
    visible_cells,
)
from policyexports.render.plain import (
    OutputFormat,
    markdown_literal,
    to_csv,
    to_json,
    to_markdown,
    visible,
)
from policyexports.showwork import bounds_text, condition_text
from policyexports.verdicts import ClaimCheck

QUOTE_OPEN, QUOTE_CLOSE = "«", "»"  # why: marks the quoted part where there is no colour
FIGURE_COLUMNS = ("Figure", "Kind", "Written", "Value", "Admits")
INFERRED_LINE = "Inferred: " + INFERRED_NOTE.removeprefix("(inferred): ")


def figure_rows(check: ClaimCheck, display: DisplayUnit) -> list[list[str | None]]:
    """Every figure a claim uses: as written, at face value, and what its rounding admits."""
    operands = {o.figure: o for reading in check.readings for o in reading.operands}
    return [
        [
            o.figure,
            KIND_LABEL[o.kind],
            o.written,
            bounds_text(o.face, o.unit, display),
            bounds_text(o.interval, o.unit, display),
        ]
        for o in operands.values()
    ]


def sentence_json(sentence: Sentence) -> dict[str, Any]:
    return {"text": sentence.text, "quote_start": sentence.start, "quote_end": sentence.end}


def marked(sentence: Sentence) -> str:
    return f"{sentence.before}{QUOTE_OPEN}{sentence.quoted}{QUOTE_CLOSE}{sentence.after}"


def explanation_json(explanation: Explanation, display: DisplayUnit) -> dict[str, Any]:
    if isinstance(explanation, ClaimExplanation):
        return {
            "type": "claim",
            "id": explanation.check.id,
            "sentence": sentence_json(explanation.sentence),
            "check": claim_json(explanation.check, display),
            "steps": [
                {"reading": label, "steps": list(steps)} for label, steps in explanation.steps
            ],
        }
    return {
        "type": "figure",
        "id": explanation.figure.id,
        "sentence": sentence_json(explanation.sentence),
        "figure": dumped("figures", explanation.figure),
        "facts": dict(explanation.facts),
        "claims": [claim_json(check, display) for check in explanation.claims],
    }


def _markdown_explanation(explanation: Explanation, display: DisplayUnit) -> str:
    sentence = explanation.sentence
    before, quote, after = (
        _md(part.replace("\n", " ")) for part in (sentence.before, sentence.quoted, sentence.after)
    )
    quoted = f"{before}**{quote}**{after}"
    if isinstance(explanation, FigureExplanation):
        figure = explanation.figure
        lines = [f"## Figure `{figure.id}`", "", f"> {quoted}", ""]
        lines.append(to_markdown(["", ""], visible_cells(explanation.facts)))
        if explanation.claims:
            lines += ["### Claims that use it", ""]
            lines.append(markdown_rows(explanation.claims, display, quoted=False))
        return "\n".join(lines).rstrip("\n") + "\n"
    check = explanation.check
    mark = INFERRED_MARK if check.inferred else ""
    lines = [f"## Claim `{check.id}`{mark}: {check.verdict.label}", "", _md(check.statement)]
    lines += ["", f"> {quoted}", ""]
    if check.inferred:
        lines += [INFERRED_LINE, ""]
    lines.append(to_markdown(list(FIGURE_COLUMNS), visible_cells(figure_rows(check, display))))
    several = len(explanation.steps) > 1
    for index, ((label, steps), reading) in enumerate(
        zip(explanation.steps, check.readings, strict=True), start=1
    ):
        title = f"Reading {index}: " if several else "Arithmetic: " if label else "Arithmetic"
        title += label or ""
        lines.append(f"### {_md(title)} → {reading.verdict.label}\n")
        lines += [f"{position}. {_md(step)}" for position, step in enumerate(steps, start=1)]
        lines.append("")
    condition = condition_text(check, display)
    if condition:
        lines.append(_md(f"Holds only if {condition}."))
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """Text that carries data (statements, labels, steps) as Markdown that shows it as typed."""
    return markdown_literal(visible(text))


def _csv_explanation(explanation: Explanation, display: DisplayUnit) -> str:
    lines: list[list[str | int | None]] = [["sentence", "", marked(explanation.sentence)]]
    if isinstance(explanation, FigureExplanation):
        lines += [["fact", key, value] for key, value in explanation.facts]
        lines += [
            [
                "claim" if row.depth == 0 else "reading",
                row.name,
                f"{row.verdict.label}: {row.numbers}",
            ]
            for row in rows(explanation.claims, display)
        ]
    else:
        check = explanation.check
        lines.append(["statement", check.id, check.statement])
        lines.append(["inferred", check.id, "true" if check.inferred else "false"])
        lines.append(["verdict", check.id, check.verdict.label])
        for index, ((label, steps), reading) in enumerate(
            zip(explanation.steps, check.readings, strict=True), start=1
        ):
            lines.append([f"reading {index}", label, f"verdict: {reading.verdict.label}"])
            lines += [[f"reading {index}", label, step] for step in steps]
        condition = condition_text(check, display)
        if condition:
            lines.append(["condition", check.id, f"Holds only if {condition}."])
    return to_csv(["section", "item", "value"], visible_cells(lines))


def render_explanation(
    explanation: Explanation,
    output_format: OutputFormat,
    *,
    display: DisplayUnit,
    color: bool,
    width: int,
) -> str:
    """An explanation as text in ``output_format``."""
    if output_format is OutputFormat.JSON:
        return to_json(explanation_json(explanation, display))
    if output_format is OutputFormat.CSV:
        return _csv_explanation(explanation, display)
    if output_format is OutputFormat.MARKDOWN:
        return _markdown_explanation(explanation, display)
    if output_format is OutputFormat.TABLE:
        from policyexports.render.explain_table import explanation_table

        return explanation_table(explanation, display, color=color, width=width)
    assert_never(output_format)
