"""The summary and list reports as Markdown, with the data escaped to literal text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from policyexports.quantities import format_won
from policyexports.render.plain import Cell, Markdown, markdown_literal, markdown_pieces
from policyexports.render.reports import (
    FILTERED_NOTE,
    NO_PARTNER,
    NO_SECTOR,
    UNIT_HEADER,
    Report,
    View,
)
from policyexports.render.words import (
    amount_text,
    count_text,
    filters_text,
    no_total_text,
    not_shown_text,
    nothing_text,
    others_title,
    partners_text,
    row_name,
    share_text,
    short_quote,
    unattributed_work,
    visible,
    who_text,
)
from policyexports.reports import ListReport, SummaryReport, TotalSummary


def md_text(text: str) -> str:
    """Data as literal Markdown text outside a table (``*x*`` stays as typed, ESC as ``\\x1b``)."""
    return " ".join(markdown_literal(visible(text)).split())


def md_table(header: Sequence[str], rows: list[list[Cell]], right: Sequence[bool]) -> str:
    """A Markdown table of data: control characters shown escaped, never passed on raw."""
    return "".join(_md_table_pieces(header, rows, right))


def _md_table_pieces(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], right: Sequence[bool]
) -> Iterator[str]:
    shown = ([visible(cell) if isinstance(cell, str) else cell for cell in row] for row in rows)
    return markdown_pieces(header, shown, right)


def _md_heading(report: Report, view: View) -> list[str]:
    info = report.dataset
    source = info.publisher + (f", data as of {info.data_as_of}" if info.data_as_of else "")
    return [
        f"## {md_text(info.title)}",
        "",
        f"{md_text(source)}. Amounts in {UNIT_HEADER[view.unit]}. "
        f"Filters: {md_text(filters_text(report.filters))}.",
        "",
    ]


def _md_list(report: ListReport, view: View) -> Iterator[str]:
    """The list in pieces: a list of every figure is as long as the dataset."""
    lines = [
        *_md_heading(report, view),
        f"{count_text(report)}, sorted by {report.sort.value}.",
        "",
    ]
    if not report.rows:
        yield "\n".join([*lines, nothing_text(report)]) + "\n"
        return
    rows = (
        (
            *(row.id, row.kind_label, who_text(row), partners_text(row)),
            ", ".join(sector.name for sector in row.sectors),
            amount_text(row, view.unit, money_unit=True),
            short_quote(row.quote, row.value.written, 80),
        )
        for row in report.rows
    )
    # why: counts and percentages share the column with money, so each row names its unit
    header = ["Id", "Kind", "Who", "Partners", "Sector", "Amount", "Quote"]
    right = [False] * 5 + [True, False]
    yield "\n".join(lines) + "\n"
    yield from _md_table_pieces(header, rows, right)


def _md_total(total: TotalSummary, view: View) -> list[str]:
    head, unit = total.total, view.unit
    amount = f"Amount ({UNIT_HEADER[unit]})"
    sum_label = "**Sum of the matching rows**" if total.filtered else "**Total**"
    sum_cells: list[Cell] = [
        Markdown(sum_label),
        Markdown(f"**{format_won(total.rows.won, unit)}**"),
        Markdown(f"**{share_text(total.rows.share)}**"),
    ]
    parts: list[list[Cell]] = [
        [
            who_text(p.figure) or p.figure.label,
            p.figure.id,
            amount_text(p.figure, unit),
            share_text(p.share),
        ]
        for p in total.parts
    ]
    if total.unattributed is not None:
        row = total.unattributed
        name = row_name(row, unit, "")
        parts.append([name, "", format_won(row.won, unit), share_text(row.share)])
    parts.append([sum_cells[0], "", *sum_cells[1:]])
    lines = [
        f"### {md_text(head.kind_label.capitalize())}: stated total "
        f"{md_text(head.value.written)} ({head.id})",
        "",
        f"Quote: “{md_text(head.quote)}”",
        "",
        md_table(
            ["Earner", "Figure", amount, "Share of the stated total"],
            parts,
            [False, False, True, True],
        ),
    ]
    if total.filtered:
        lines += [FILTERED_NOTE, ""]
    if total.unattributed is not None:
        lines += [md_text(unattributed_work(total, unit)), ""]
    for title, breakdown, column, not_given in (
        (
            "By sector (a figure in several sectors is one joint row).",
            total.by_sector,
            "Sector",
            NO_SECTOR,
        ),
        (
            "By partner country (a figure shared by several countries is one joint row; "
            "the article does not split it).",
            total.by_country,
            "Country",
            NO_PARTNER,
        ),
    ):
        rows: list[list[Cell]] = [
            [
                row_name(row, unit, not_given) + (" (joint)" if row.joint else ""),
                format_won(row.won, unit),
                share_text(row.share),
                ", ".join(row.figures),
            ]
            for row in breakdown
        ]
        rows.append([*sum_cells, ""])
        lines += [
            title,
            "",
            md_table([column, amount, "Share", "Figures"], rows, [False, True, True, False]),
        ]
    return lines


def _md_summary(report: SummaryReport, view: View) -> str:
    lines = _md_heading(report, view)
    if not report.matched and not report.totals:
        lines.append(nothing_text(report))
    elif not report.totals:
        lines += [no_total_text(report), ""]
    for total in report.totals:
        lines += _md_total(total, view)
    if report.others:
        rows: list[list[Cell]] = [
            [
                section.label + (" (stated total, not added)" if row.stated_total else ""),
                row.label,
                amount_text(row, view.unit, money_unit=True),
                row.id,
            ]
            for section in report.others
            for row in section.rows
        ]
        # why: counts and percentages share the column with money, so each row names its unit
        lines += [
            f"### {others_title(report)}",
            "",
            md_table(
                ["Kind", "What", "Amount", "Figure"],
                rows,
                [False, False, True, False],
            ),
        ]
    if report.not_shown:
        lines.append(not_shown_text(report) + "\n")
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown_report_pieces(report: Report, view: View) -> Iterable[str]:
    """The report as Markdown, a list in pieces made as they are written."""
    if isinstance(report, ListReport):
        return _md_list(report, view)
    return (_md_summary(report, view),)
