"""Rendering the summary and list reports: the one dispatch over formats, and what they share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, assert_never

from policyexports.quantities import DisplayUnit
from policyexports.render.plain import OutputFormat, csv_pieces, joined, json_pieces
from policyexports.reports import ListReport, SummaryReport

Report = ListReport | SummaryReport

UNIT_HEADER: dict[DisplayUnit, str] = {
    DisplayUnit.WON: "KRW",
    DisplayUnit.MILLION: "KRW million",
    DisplayUnit.BILLION: "KRW billion",
    DisplayUnit.TRILLION: "KRW trillion",
    DisplayUnit.EOK: "KRW eok (10^8)",
    DisplayUnit.JO: "KRW jo (10^12)",
}
UNATTRIBUTED = "Not attributed"
EXCESS = "Parts exceed the stated total"
NO_SECTOR = "No sector given"
NO_PARTNER = "No partner given"
FILTERED_NOTE = (
    "Filtered: only the matching rows are shown; each share is of the whole stated total."
)
JOINT_NOTE = (
    "(joint): one figure for several places or sectors together; the article does not split "
    "it, so neither does this report, and it is counted once."
)


class View(NamedTuple):
    """How to show a report: the unit of money, and for tables colour and width."""

    unit: DisplayUnit = DisplayUnit.BILLION
    color: bool = False
    width: int = 100


def render_pieces(report: Report, fmt: OutputFormat, view: View) -> Iterable[str]:
    """The report's text in pieces, for writing as it is made (JSON, CSV, tables and a
    list's Markdown can be hundreds of megabytes; a summary's Markdown is one piece): the
    one place where a format is chosen."""
    if fmt is OutputFormat.TABLE:
        # why: rich is slow to import; only the table path pays for it
        from policyexports.render.reports_table import table_pieces

        return table_pieces(report, view)
    # why: each format module imports View and the constants above from here, so importing
    # them at the top of this module would make an import cycle
    if fmt is OutputFormat.JSON:
        from policyexports.render.reports_json import json_document

        # why: laid out down to the lists of figures (a list's; a total's parts, the others'
        # of each kind), which are encoded a batch of figures at a time
        depth = 1 if isinstance(report, ListReport) else 3
        return json_pieces(json_document(report, view, lazy=True), depth)
    if fmt is OutputFormat.CSV:
        from policyexports.render.reports_csv import csv_table

        return csv_pieces(*csv_table(report, view))
    if fmt is OutputFormat.MARKDOWN:
        from policyexports.render.reports_markdown import markdown_report_pieces

        return markdown_report_pieces(report, view)
    assert_never(fmt)


render = joined(render_pieces)  # the report as one string
