"""The summary and list reports as CSV tables, whose numbers stay numbers."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from policyexports.models import Quantity
from policyexports.quantities import DisplayUnit, Unit, won_in_unit
from policyexports.render.plain import Cell
from policyexports.render.reports import (
    NO_PARTNER,
    NO_SECTOR,
    UNATTRIBUTED,
    UNIT_HEADER,
    Report,
    View,
)
from policyexports.render.words import percent_decimal, plain, row_name, share_decimal, who_text
from policyexports.reports import FigureRow, ListReport, ShareRow, SummaryReport, TotalSummary

LIST_CSV_HEADER = (
    *("id", "kind", "label", "earner", "partners", "countries", "joint", "shared_with"),
    *("sectors", "stated_total", "part_of", "bound", "won", "won_high", "amount"),
    *("amount_high", "unit", "written", "quote"),
)
SUMMARY_CSV_HEADER = (
    *("section", "total", "id", "name", "role", "kind", "bound", "won", "won_high", "amount"),
    *("amount_high", "unit", "share", "share_percent", "figures"),
)


def _numbers(value: Quantity, unit: DisplayUnit) -> tuple[Cell, Cell, Cell, Cell, str]:
    """won, won_high, amount, amount_high, unit: numbers stay numbers (never neutralised)."""
    if value.unit is Unit.KRW:
        high = None if value.high is None else int(value.high)
        return (
            value.won,
            high,
            plain(won_in_unit(value.won, unit)),
            None if high is None else plain(won_in_unit(high, unit)),
            UNIT_HEADER[unit],
        )
    return None, None, plain(value.value), plain(value.high), value.unit.value


def _list_csv(report: ListReport, unit: DisplayUnit) -> Iterator[list[Cell]]:
    return (
        [
            *(row.id, row.kind.value, row.label, who_text(row)),
            "; ".join(place.label for place in row.partners),
            ";".join(country.id for country in row.countries),
            str(row.joint).lower(),
            "; ".join(row.shared_with),
            ";".join(sector.id for sector in row.sectors),
            str(row.stated_total).lower(),
            row.part_of,
            row.value.bound.value,
            *_numbers(row.value, unit),
            row.value.written,
            row.quote,
        ]
        for row in report.rows
    )


def _share_cells(share: Fraction | None) -> list[Cell]:
    return [share_decimal(share), None if share is None else plain(percent_decimal(share))]


def _figure_cells(
    section: str, total: str | None, row: FigureRow, name: str, unit: DisplayUnit
) -> list[Cell]:
    return [
        *(section, total, row.id, name, None, row.kind.value, row.value.bound.value),
        *_numbers(row.value, unit),
    ]


def _group_cells(
    section: str, total: str, row: ShareRow, name: str, unit: DisplayUnit, *, role: bool = True
) -> list[Cell]:
    amounts = [row.won, None, plain(won_in_unit(row.won, unit)), None, UNIT_HEADER[unit]]
    key = "+".join(named.id for named in row.names) or None
    figures = " ".join(row.figures) or None
    head = [section, total, key, name, row.role.value if role else None, None, None]
    return [*head, *amounts, *_share_cells(row.share), figures]


def _total_rows(total: TotalSummary, unit: DisplayUnit) -> list[list[Cell]]:
    """Every row of one stated total's section, each naming the total in the ``total`` column."""
    head = total.total
    rows: list[list[Cell]] = [
        [*_figure_cells("total", head.id, head, head.label, unit), *_share_cells(Fraction(1)), None]
    ]
    for part in total.parts:
        name = who_text(part.figure) or part.figure.label
        cells = _figure_cells("part", head.id, part.figure, name, unit)
        rows.append([*cells, *_share_cells(part.share), None])
    if total.unattributed is not None:
        name = row_name(total.unattributed, unit, UNATTRIBUTED)
        rows.append(_group_cells("unattributed", head.id, total.unattributed, name, unit))
    sums = _group_cells("rows", head.id, total.rows, "sum of the rows above", unit, role=False)
    rows.append(sums)
    for section, breakdown, not_given in (
        ("sector", total.by_sector, NO_SECTOR),
        ("country", total.by_country, NO_PARTNER),
    ):
        rows += [
            _group_cells(section, head.id, row, row_name(row, unit, not_given), unit)
            for row in breakdown
        ]
    return rows


def _summary_csv(report: SummaryReport, unit: DisplayUnit) -> Iterator[list[Cell]]:
    for total in report.totals:
        yield from _total_rows(total, unit)
    for kind_section in report.others:
        for row in kind_section.rows:
            yield [*_figure_cells("other", None, row, row.label, unit), None, None, None]


def csv_table(report: Report, view: View) -> tuple[tuple[str, ...], Iterator[list[Cell]]]:
    """The header and the rows, made as they are written."""
    if isinstance(report, ListReport):
        return LIST_CSV_HEADER, _list_csv(report, view.unit)
    return SUMMARY_CSV_HEADER, _summary_csv(report, view.unit)
