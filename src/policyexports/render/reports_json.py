"""The summary and list reports as the documented JSON document (README, "JSON output")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from policyexports.models import KIND_LABEL
from policyexports.quantities import WON_PER_UNIT, DisplayUnit, Unit, format_won
from policyexports.render.reports import Report, View
from policyexports.render.words import amount_text, share_decimal
from policyexports.reports import FigureRow, ListReport, Named, ShareRow, TotalSummary

JSON_FORMAT_VERSION = 1


def _named(named: Named) -> dict[str, str]:
    return {"id": named.id, "name": named.name}


def _amount_json(row: FigureRow, unit: DisplayUnit) -> dict[str, Any]:
    value = row.value
    money = value.unit is Unit.KRW
    return {
        "written": value.written,
        "unit": value.unit.value,
        "bound": value.bound.value,
        "value": f"{value.value:f}",
        "high": None if value.high is None else f"{value.high:f}",
        "month": value.month,
        "won": value.won if money else None,
        "won_high": int(value.high) if money and value.high is not None else None,
        "display": amount_text(row, unit, separators=False),
    }


def figure_json(row: FigureRow, unit: DisplayUnit) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind.value,
        "kind_label": row.kind_label,
        "label": row.label,
        "earner": None if row.earner is None else _named(row.earner),
        "partners": [
            {
                "city": None if place.city is None else _named(place.city),
                "country": None if place.country is None else _named(place.country),
                "label": place.label,
            }
            for place in row.partners
        ],
        "countries": [_named(country) for country in row.countries],
        "joint": row.joint,
        "shared_with": list(row.shared_with),
        "sectors": [_named(sector) for sector in row.sectors],
        "stated_total": row.stated_total,
        "part_of": row.part_of,
        "counts": row.counts,
        "amount": _amount_json(row, unit),
        "quote": row.quote,
    }


def _share_json(won: int, share: Fraction | None, unit: DisplayUnit) -> dict[str, Any]:
    return {
        "won": won,
        "display": format_won(won, unit, separators=False),
        "share": None if share is None else str(share_decimal(share)),
        "share_exact": None if share is None else str(share),
    }


def _group_json(row: ShareRow, names_key: str, unit: DisplayUnit) -> dict[str, Any]:
    return {
        names_key: [_named(named) for named in row.names],
        "role": row.role.value,
        "joint": row.joint,
        **_share_json(row.won, row.share, unit),
        "figures": list(row.figures),
        "unattributed": row.unattributed,
    }


def _total_json(total: TotalSummary, unit: DisplayUnit) -> dict[str, Any]:
    unattributed = total.unattributed
    return {
        "figure": figure_json(total.total, unit),
        "stated_won": total.total.value.won,
        "filtered": total.filtered,
        "parts_exceed_total": total.excess_won > 0,
        "excess_won": total.excess_won,
        "parts": [
            {
                **figure_json(part.figure, unit),
                **_share_json(part.figure.value.won, part.share, unit),
            }
            for part in total.parts
        ],
        "unattributed": None
        if unattributed is None
        else {
            **_share_json(unattributed.won, unattributed.share, unit),
            "parts_exceed_total": unattributed.excess,
        },
        "rows": {**_share_json(total.rows.won, total.rows.share, unit)},
        "by_sector": [_group_json(row, "sectors", unit) for row in total.by_sector],
        "by_country": [_group_json(row, "countries", unit) for row in total.by_country],
    }


def json_document(report: Report, view: View, *, lazy: bool = False) -> dict[str, Any]:
    """The documented JSON structure (README, "JSON output"); amounts are integers of won.

    With ``lazy``, the lists of figures and totals are generators, made as ``json_pieces``
    writes them, so the document of every figure is never in memory at once.
    """
    listed: Callable[[Iterable[Any]], Any] = (lambda items: items) if lazy else list
    unit = view.unit
    filters: dict[str, list[dict[str, str]]] = {
        option: [] for option in ("country", "city", "sector", "company", "kind")
    }
    for active in report.filters:
        filters[active.option] = [_named(named) for named in active.values]
    info = report.dataset
    head: dict[str, Any] = {
        "report": "list" if isinstance(report, ListReport) else "summary",
        "format_version": JSON_FORMAT_VERSION,
        "dataset": {
            "name": info.name,
            "title": info.title,
            "publisher": info.publisher,
            "data_as_of": info.data_as_of,
            "sha256": info.sha256,
        },
        "filters": filters,
        "unit": unit.value,
        "won_per_unit": WON_PER_UNIT[unit],
        "matched": report.matched,
    }
    if isinstance(report, ListReport):
        return {
            **head,
            "sort": report.sort.value,
            "limit": report.limit,
            "figures": listed(figure_json(row, unit) for row in report.rows),
        }
    return {
        **head,
        "totals": listed(_total_json(total, unit) for total in report.totals),
        "others": [
            {
                "kind": section.kind.value,
                "kind_label": section.label,
                "figures": listed(figure_json(row, unit) for row in section.rows),
            }
            for section in report.others
        ],
        "not_shown": [
            {"kind": kind.value, "kind_label": KIND_LABEL[kind], "count": count}
            for kind, count in report.not_shown
        ],
    }
