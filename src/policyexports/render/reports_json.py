"""The summary and list reports as the documented JSON document (README, "JSON output")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from policyexports.models import KIND_LABEL
from policyexports.quantities import WON_PER_UNIT, DisplayUnit, Unit, format_won
from policyexports.render.plain import Written
from policyexports.render.reports import Report, View
from policyexports.render.reports_text import FigureText, GroupText, PartText, Texts
from policyexports.render.words import amount_text, share_decimal_text
from policyexports.reports import FigureRow, ListReport, Named, Place, ShareRow, TotalSummary

JSON_FORMAT_VERSION = 1


class _Parts:
    """The pieces of one JSON document in one unit: its dictionaries, or, ``written``, the
    figures, parts and rows of breakdowns as text for ``json_pieces`` to write (``texts``).

    why: a report shares each name and place among the figures that mention them (reports.py
    builds each once), so their JSON is made once per document too, keyed by identity: at
    100,000 figures that was 800,000 small dicts.
    """

    def __init__(self, unit: DisplayUnit, *, written: bool = False) -> None:
        self.unit = unit
        self.written = written
        self.texts = Texts(unit)
        self._names: dict[int, dict[str, str]] = {}
        self._places: dict[int, dict[str, Any]] = {}
        self._keep: list[object] = []  # why: what is keyed by id() stays alive, so ids stay its

    def named(self, named: Named) -> dict[str, str]:
        found = self._names.get(id(named))
        if found is None:
            found = self._names[id(named)] = {"id": named.id, "name": named.name}
            self._keep.append(named)
        return found

    def place(self, place: Place) -> dict[str, Any]:
        found = self._places.get(id(place))
        if found is None:
            found = self._places[id(place)] = {
                "city": None if place.city is None else self.named(place.city),
                "country": None if place.country is None else self.named(place.country),
                "label": place.label,
            }
            self._keep.append(place)
        return found

    def amount(self, row: FigureRow) -> dict[str, Any]:
        value = row.value
        money = value.unit is Unit.KRW
        return {
            "written": value.written,
            # why: str() of a StrEnum is its value, at C speed; .value is a Python property,
            # and these run for every figure of a document
            "unit": str(value.unit),
            "bound": str(value.bound),
            "value": f"{value.value:f}",
            "high": None if value.high is None else f"{value.high:f}",
            "month": value.month,
            "won": value.won if money else None,
            "won_high": int(value.high) if money and value.high is not None else None,
            "display": amount_text(row, self.unit, separators=False),
        }

    def figure(self, row: FigureRow, more: dict[str, Any] | None = None) -> dict[str, Any]:
        """The figure's JSON, then the keys of ``more`` (a part's share of its total)."""
        named = self.named
        made = {
            "id": row.id,
            "kind": str(row.kind),
            "kind_label": row.kind_label,
            "label": row.label,
            "earner": None if row.earner is None else named(row.earner),
            "partners": [self.place(place) for place in row.partners],
            "countries": [named(country) for country in row.countries],
            "joint": row.joint,
            "shared_with": list(row.shared_with),
            "sectors": [named(sector) for sector in row.sectors],
            "stated_total": row.stated_total,
            "part_of": row.part_of,
            "counts": row.counts,
            "amount": self.amount(row),
            "quote": row.quote,
        }
        if more is not None:
            made.update(more)  # why: in place; merging into a third dict copied every key
        return made

    def entry(self, row: FigureRow, more: dict[str, Any] | None = None) -> dict[str, Any] | Written:
        """A figure as it stands in a document: ``figure(row, more)``, or, for
        ``json_pieces`` to write, the same as text."""
        return FigureText(self.texts, row, more) if self.written else self.figure(row, more)

    def share(self, won: int, share: Fraction | None) -> dict[str, Any]:
        return {
            "won": won,
            "display": format_won(won, self.unit, separators=False),
            "share": None if share is None else share_decimal_text(share),
            "share_exact": None if share is None else str(share),
        }

    def group(self, row: ShareRow, names_key: str) -> dict[str, Any]:
        return {
            names_key: [self.named(named) for named in row.names],
            "role": str(row.role),
            "joint": row.joint,
            **self.share(row.won, row.share),
            "figures": list(row.figures),
            "unattributed": row.unattributed,
        }

    def _group(self, row: ShareRow, names_key: str) -> dict[str, Any] | Written:
        """A row of a breakdown as it stands in a document, as ``entry`` has a figure."""
        return GroupText(self.texts, row, names_key) if self.written else self.group(row, names_key)

    def total(self, total: TotalSummary) -> dict[str, Any]:
        self.texts.new_total()
        unattributed = total.unattributed
        return {
            "figure": self.entry(total.total),
            "stated_won": total.total.value.won,
            "filtered": total.filtered,
            "parts_exceed_total": total.excess_won > 0,
            "excess_won": total.excess_won,
            "parts": [
                PartText(self.texts, part.figure, part.share)
                if self.written
                else self.figure(part.figure, self.share(part.figure.value.won, part.share))
                for part in total.parts
            ],
            "unattributed": None
            if unattributed is None
            else {
                **self.share(unattributed.won, unattributed.share),
                "parts_exceed_total": unattributed.excess,
            },
            "rows": {**self.share(total.rows.won, total.rows.share)},
            "by_sector": [self._group(row, "sectors") for row in total.by_sector],
            "by_country": [self._group(row, "countries") for row in total.by_country],
        }


def json_document(report: Report, view: View, *, lazy: bool = False) -> dict[str, Any]:
    """The documented JSON structure (README, "JSON output"); amounts are integers of won.

    With ``lazy``, the lists of figures and totals are generators, made as ``json_pieces``
    writes them, so the document of every figure is never in memory at once; and each figure
    is a ``Written`` that ``json_pieces`` writes as the text of its dictionary.
    """
    listed: Callable[[Iterable[Any]], Any] = (lambda items: items) if lazy else list
    unit = view.unit
    parts = _Parts(unit, written=lazy)
    filters: dict[str, list[dict[str, str]]] = {
        option: [] for option in ("country", "city", "sector", "company", "kind")
    }
    for active in report.filters:
        filters[active.option] = [parts.named(named) for named in active.values]
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
            "figures": listed(parts.entry(row) for row in report.rows),
        }
    return {
        **head,
        "totals": listed(parts.total(total) for total in report.totals),
        "others": [
            {
                "kind": section.kind.value,
                "kind_label": section.label,
                "figures": listed(parts.entry(row) for row in section.rows),
            }
            for section in report.others
        ],
        "not_shown": [
            {"kind": kind.value, "kind_label": KIND_LABEL[kind], "count": count}
            for kind, count in report.not_shown
        ],
    }
