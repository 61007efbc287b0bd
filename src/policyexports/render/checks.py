"""The check report in every output format, chosen in one place, and what they share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, NamedTuple, assert_never

from policyexports.quantities import DisplayUnit, exact_decimal
from policyexports.ranges import Bounds
from policyexports.render.plain import (
    Cell,
    OutputFormat,
    joined,
    json_pieces,
    to_csv,
    to_markdown,
    visible,
)
from policyexports.showwork import condition_text, miss_text, summary
from policyexports.verdicts import CheckReport, ClaimCheck, Operand, ReadingCheck, Verdict

INFERRED_MARK = " (inferred)"
INFERRED_NOTE = (
    "(inferred): a consistency check the dataset adds; the article implies it but does not "
    "assert it in so many words."
)


def visible_cells(rows: Iterable[Sequence[Cell]]) -> list[list[Cell]]:
    return [[visible(cell) if isinstance(cell, str) else cell for cell in row] for row in rows]


class Row(NamedTuple):
    """One line of the check table: a claim, or (depth 1) one reading of it."""

    claim: str
    verdict: Verdict
    numbers: str
    quote: str
    depth: int = 0
    inferred: bool = False

    @property
    def name(self) -> str:
        """The claim id with its "(inferred)" mark, or the reading's number and label."""
        return self.claim + (INFERRED_MARK if self.inferred else "")


NO_CLAIMS = "The dataset has no claims."


def counts_line(report: CheckReport) -> str:
    """ "17 claims (11 stated by the article, 6 inferred): holds 4, ..."."""
    total = len(report.checks)
    counts = ", ".join(f"{verdict.label} {count}" for verdict, count in report.counts.items())
    origins = f"{total - report.inferred} stated by the article, {report.inferred} inferred"
    return f"{total} claim{'s' if total != 1 else ''} ({origins}): {counts}"


def _claim_numbers(check: ClaimCheck, display: DisplayUnit) -> str:
    if len(check.readings) == 1:
        return summary(check.readings[0], display)  # why: it already states any condition
    head = f"{len(check.readings)} readings, side by side below"
    if check.holds_if_read_as:
        # why: the rows beneath give each reading's number and label; name them by number
        numbers = [
            str(index)
            for index, reading in enumerate(check.readings, start=1)
            if reading.label in check.holds_if_read_as
        ]
        shown = ", ".join(numbers[:-1]) + " or " + numbers[-1] if len(numbers) > 1 else numbers[0]
        return f"{head}; holds only if read as {shown}"
    return head  # why: each reading's row says what it needs


def rows(checks: Iterable[ClaimCheck], display: DisplayUnit) -> list[Row]:
    """The claims and, under any claim read several ways, each of its readings."""
    found: list[Row] = []
    for check in checks:
        numbers = _claim_numbers(check, display)
        found.append(Row(check.id, check.verdict, numbers, check.quote, 0, check.inferred))
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
            "at_face_value": number_json(needed.at_face_value),
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
        "reason": reading.reason,
        "summary": summary(reading, display),
    }


def claim_json(check: ClaimCheck, display: DisplayUnit) -> dict[str, Any]:
    return {
        "id": check.id,
        "type": check.type,
        "statement": check.statement,
        "quote": check.quote,
        "inferred": check.inferred,
        "verdict": check.verdict.value,
        "holds_if_read_as": list(check.holds_if_read_as),
        "condition": condition_text(check, display),
        "readings": [reading_json(reading, display) for reading in check.readings],
    }


def report_json(
    report: CheckReport, *, dataset: str, display: DisplayUnit, strict: bool, lazy: bool = False
) -> dict[str, Any]:
    """The documented JSON report; with ``lazy``, its claims are a generator (for
    ``json_pieces``, which writes them as they are made)."""
    claims = (claim_json(check, display) for check in report.checks)
    return {
        "dataset": dataset,
        "unit": display.value,
        "strict": strict,
        "claims": claims if lazy else list(claims),
        "counts": {verdict.value: count for verdict, count in report.counts.items()},
        "origins": {
            "stated": len(report.checks) - report.inferred,
            "inferred": report.inferred,
        },
        "failing": list(report.failing(strict=strict)),
    }


def markdown_rows(checks: Sequence[ClaimCheck], display: DisplayUnit, *, quoted: bool) -> str:
    """The claims and their readings as a Markdown table, with the "(inferred)" footnote."""
    header = ["Claim", "Verdict", "Numbers compared", *(["Quote"] if quoted else [])]
    table = to_markdown(
        header,
        visible_cells(
            [
                ("↳ " if row.depth else "") + row.name,
                row.verdict.label,
                row.numbers,
                *([row.quote] if quoted else []),
            ]
            for row in rows(checks, display)
        ),
    )
    return table + (f"\n{INFERRED_NOTE}\n" if any(c.inferred for c in checks) else "")


def _markdown_report(report: CheckReport, display: DisplayUnit) -> str:
    if not report.checks:
        return f"{NO_CLAIMS}\n"  # why: a table of no rows says nothing
    return f"{markdown_rows(report.checks, display, quoted=True)}\n{counts_line(report)}\n"


def _csv_report(report: CheckReport, display: DisplayUnit) -> str:
    lines: list[list[str | int | None]] = []
    for check in report.checks:
        for index, reading in enumerate(check.readings, start=1):
            lines.append(
                [
                    check.id,
                    check.type,
                    "true" if check.inferred else "false",
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
    header = ["claim", "type", "inferred", "claim_verdict", "reading", "reading_label", "verdict"]
    return to_csv([*header, "numbers", "miss", "condition", "quote"], visible_cells(lines))


def render_report_pieces(
    report: CheckReport,
    output_format: OutputFormat,
    *,
    dataset: str,
    display: DisplayUnit,
    strict: bool,
    color: bool,
    width: int,
) -> Iterable[str]:
    """The check report's text in pieces, for writing as it is made (JSON, for a large
    dataset, is hundreds of megabytes, and a table is drawn a part at a time; Markdown and
    CSV are one piece)."""
    if output_format is OutputFormat.JSON:
        document = report_json(report, dataset=dataset, display=display, strict=strict, lazy=True)
        return json_pieces(document, depth=2)  # why: a claim at a time (256 held 70 MB more)
    if output_format is OutputFormat.CSV:
        return (_csv_report(report, display),)
    if output_format is OutputFormat.MARKDOWN:
        return (_markdown_report(report, display),)
    if output_format is OutputFormat.TABLE:
        from policyexports.render.checks_table import report_pieces  # why: rich only for tables

        return report_pieces(report, display, color=color, width=width)
    assert_never(output_format)


render_report = joined(render_report_pieces)  # the check report as one string
