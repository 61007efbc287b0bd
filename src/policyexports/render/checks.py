"""The check report and explanations in every output format, chosen in one place."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, assert_never

from policyexports.explain import ClaimExplanation, Explanation, FigureExplanation, Sentence
from policyexports.models import KIND_LABEL
from policyexports.quantities import DisplayUnit, exact_decimal
from policyexports.ranges import Bounds
from policyexports.render.plain import OutputFormat, to_csv, to_json, to_markdown
from policyexports.showwork import bounds_text, condition_text, miss_text, summary
from policyexports.verdicts import CheckReport, ClaimCheck, Operand, ReadingCheck, Verdict

QUOTE_OPEN, QUOTE_CLOSE = "«", "»"  # why: marks the quoted part where there is no colour


@dataclass(frozen=True)
class Row:
    """One line of the check table: a claim, or (depth 1) one reading of it."""

    claim: str
    verdict: Verdict
    numbers: str
    quote: str
    depth: int = 0


def counts_line(report: CheckReport) -> str:
    """ "17 claims: holds 4, holds within rounding 3, fails 0, ..."."""
    total = len(report.checks)
    counts = ", ".join(f"{verdict.label} {count}" for verdict, count in report.counts.items())
    return f"{total} claim{'s' if total != 1 else ''}: {counts}"


def _claim_numbers(check: ClaimCheck, display: DisplayUnit) -> str:
    if len(check.readings) == 1:
        return summary(check.readings[0], display)  # why: it already states any condition
    head = f"{len(check.readings)} readings, side by side below"
    if check.holds_if_read_as:
        return f"{head}; holds only if read as: " + "; or ".join(check.holds_if_read_as)
    return head  # why: each reading's row says what it needs


def rows(report: CheckReport, display: DisplayUnit) -> list[Row]:
    """The claims and, under any claim read several ways, each of its readings."""
    found: list[Row] = []
    for check in report.checks:
        found.append(Row(check.id, check.verdict, _claim_numbers(check, display), check.quote))
        if len(check.readings) > 1:
            for index, reading in enumerate(check.readings, start=1):
                label = f"{index}. {reading.label}" if reading.label else f"{index}."
                found.append(Row(label, reading.verdict, summary(reading, display), "", 1))
    return found


def number_json(value: Fraction) -> int | str:
    """An exact number: an integer, or a string Python's Fraction reads ("69.5", "113/12")."""
    if value.denominator == 1:
        return value.numerator
    shown = exact_decimal(value)
    if Fraction(shown) == value:
        return format(shown, "f")  # why: "0.000000001", never "1E-9"
    return f"{value.numerator}/{value.denominator}"


def bounds_json(bounds: Bounds) -> dict[str, Any]:
    return {
        "low": None if bounds.low is None else number_json(bounds.low),
        "high": None if bounds.high is None else number_json(bounds.high),
        "low_closed": bounds.low_closed and bounds.low is not None,
        "high_closed": bounds.high_closed and bounds.high is not None,
    }


def _operand_json(operand: Operand, role: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {"role": role} if role is not None else {}
    document |= {
        "figure": operand.figure,
        "kind": operand.kind.value,
        "written": operand.written,
        "unit": operand.unit.value,
        "value": number_json(operand.value),
        "face": bounds_json(operand.face),
        "interval": bounds_json(operand.interval),
    }
    return document


def reading_json(reading: ReadingCheck, display: DisplayUnit) -> dict[str, Any]:
    miss, needed = reading.miss, reading.needed
    return {
        "label": reading.label,
        "verdict": reading.verdict.value,
        "operation": reading.operation.value,
        "unit": reading.unit.value,
        "stated": None if reading.stated is None else _operand_json(reading.stated),
        "inputs": [_operand_json(o, term.role) for term in reading.terms for o in term.operands],
        "terms": [
            {"role": t.role, "face": bounds_json(t.face), "interval": bounds_json(t.interval)}
            for t in reading.terms
        ],
        "op": None if reading.op is None else reading.op.value,
        "result": bounds_json(reading.result),
        "admissible": bounds_json(reading.admissible),
        "exact": bounds_json(reading.exact),
        "tolerance": bounds_json(reading.tolerance),
        "within_rounding_of": None if reading.basis is None else reading.basis.value,
        "miss": None
        if miss is None
        else {
            "amount": number_json(miss.amount),
            "direction": miss.direction.value,
            "more_than": miss.strict,
            "at_face_value": None
            if reading.face_miss is None
            else number_json(reading.face_miss.amount),
            "text": miss_text(reading, display),
        },
        "needed": None
        if needed is None
        else {
            "unreported": needed.what,
            "at_least": number_json(needed.at_least),
            "more_than": needed.strict,
            "at_most": None if needed.at_most is None else number_json(needed.at_most),
        },
        "parts": [
            {
                "figure": part.figure,
                "share_percent": None if part.share is None else number_json(part.share * 100),
            }
            for part in reading.parts
        ],
        "remainder": None if reading.remainder is None else bounds_json(reading.remainder),
        "entity": None if reading.entity is None else reading.entity.value,
        "named": list(reading.named),
        "note": reading.note,
        "summary": summary(reading, display),
    }


def claim_json(check: ClaimCheck, display: DisplayUnit) -> dict[str, Any]:
    return {
        "id": check.id,
        "type": check.type,
        "statement": check.statement,
        "quote": check.quote,
        "verdict": check.verdict.value,
        "holds_if_read_as": list(check.holds_if_read_as),
        "condition": condition_text(check, display),
        "readings": [reading_json(reading, display) for reading in check.readings],
    }


def report_json(
    report: CheckReport, *, dataset: str, display: DisplayUnit, strict: bool
) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "unit": display.value,
        "strict": strict,
        "claims": [claim_json(check, display) for check in report.checks],
        "counts": {verdict.value: count for verdict, count in report.counts.items()},
        "failing": list(report.failing(strict=strict)),
    }


def _markdown_report(report: CheckReport, display: DisplayUnit) -> str:
    table = to_markdown(
        ["Claim", "Verdict", "Numbers compared", "Quote"],
        [
            [("↳ " if row.depth else "") + row.claim, row.verdict.label, row.numbers, row.quote]
            for row in rows(report, display)
        ],
    )
    return f"{table}\n{counts_line(report)}\n"


def _csv_report(report: CheckReport, display: DisplayUnit) -> str:
    lines: list[list[str | int | None]] = []
    for check in report.checks:
        for index, reading in enumerate(check.readings, start=1):
            lines.append(
                [
                    check.id,
                    check.type,
                    check.verdict.value,
                    index,
                    reading.label,
                    reading.verdict.value,
                    summary(reading, display),
                    miss_text(reading, display),
                    condition_text(check, display),
                    check.quote,
                ]
            )
    header = ["claim", "type", "claim_verdict", "reading", "reading_label", "verdict"]
    return to_csv([*header, "numbers", "miss", "condition", "quote"], lines)


def render_report(
    report: CheckReport,
    output_format: OutputFormat,
    *,
    dataset: str,
    display: DisplayUnit,
    strict: bool,
    color: bool,
    width: int,
) -> str:
    """The check report as text in ``output_format``."""
    if output_format is OutputFormat.JSON:
        return to_json(report_json(report, dataset=dataset, display=display, strict=strict))
    if output_format is OutputFormat.CSV:
        return _csv_report(report, display)
    if output_format is OutputFormat.MARKDOWN:
        return _markdown_report(report, display)
    if output_format is OutputFormat.TABLE:
        from policyexports.render.checks_table import report_table  # why: rich only for tables

        return report_table(report, display, color=color, width=width)
    assert_never(output_format)


FIGURE_COLUMNS = ("Figure", "Kind", "Written", "Value", "Admits")


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
        "figure": explanation.figure.model_dump(mode="json", exclude_none=True),
        "facts": dict(explanation.facts),
        "claims": [claim_json(check, display) for check in explanation.claims],
    }


def _markdown_explanation(explanation: Explanation, display: DisplayUnit) -> str:
    sentence = explanation.sentence
    quoted = f"{sentence.before}**{sentence.quoted}**{sentence.after}".replace("\n", " ")
    if isinstance(explanation, FigureExplanation):
        figure = explanation.figure
        lines = [f"## Figure `{figure.id}`", "", f"> {quoted}", ""]
        lines.append(to_markdown(["", ""], list(explanation.facts)))
        if explanation.claims:
            lines.append(
                to_markdown(
                    ["Claim", "Verdict", "Numbers compared"],
                    [
                        [c.id, c.verdict.label, _claim_numbers(c, display)]
                        for c in explanation.claims
                    ],
                )
            )
        return "\n".join(lines)
    check = explanation.check
    lines = [f"## Claim `{check.id}`: {check.verdict.label}", "", f"> {quoted}", ""]
    lines.append(to_markdown(list(FIGURE_COLUMNS), figure_rows(check, display)))
    for index, (label, steps) in enumerate(explanation.steps, start=1):
        if label is not None:
            lines.append(f"### Reading {index}: {label}\n")
        lines += [f"{position}. {step}" for position, step in enumerate(steps, start=1)]
        lines.append("")
    condition = condition_text(check, display)
    if condition:
        lines.append(f"Holds only if {condition}.")
    return "\n".join(lines).rstrip("\n") + "\n"


def _csv_explanation(explanation: Explanation, display: DisplayUnit) -> str:
    lines: list[list[str | int | None]] = [["sentence", "", marked(explanation.sentence)]]
    if isinstance(explanation, FigureExplanation):
        lines += [["fact", key, value] for key, value in explanation.facts]
        lines += [
            ["claim", c.id, f"{c.verdict.label}: {_claim_numbers(c, display)}"]
            for c in explanation.claims
        ]
    else:
        lines.append(["verdict", explanation.check.id, explanation.check.verdict.label])
        for index, (label, steps) in enumerate(explanation.steps, start=1):
            lines += [[f"reading {index}", label, step] for step in steps]
    return to_csv(["section", "item", "value"], lines)


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
        from policyexports.render.checks_table import explanation_table

        return explanation_table(explanation, display, color=color, width=width)
    assert_never(output_format)
