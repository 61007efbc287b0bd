"""The summary and list reports as the documented JSON document (README, "JSON output")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

from policyexports.models import KIND_LABEL, Kind
from policyexports.quantities import WON_PER_UNIT, Bound, DisplayUnit, Unit, format_won
from policyexports.queries import Role
from policyexports.render.plain import Written
from policyexports.render.reports import Report, View
from policyexports.render.words import amount_text, share_decimal_text
from policyexports.reports import FigureRow, ListReport, Named, Place, ShareRow, TotalSummary

try:  # why: json's own escaping, in C (a string of a figure at a time), without importing json
    from _json import encode_basestring as _string
except ImportError:  # pragma: no cover - an interpreter without CPython's C modules
    from json.encoder import py_encode_basestring as _string

JSON_FORMAT_VERSION = 1

# why: the JSON text of each kind, its label, each unit and bound, made once (a StrEnum's
# str() is its value)
_KIND_TEXT = {kind: _string(str(kind)) for kind in Kind}
_KIND_LABEL_TEXT = {kind: _string(KIND_LABEL[kind]) for kind in Kind}
_UNIT_TEXT = {unit: _string(str(unit)) for unit in Unit}
_BOUND_TEXT = {bound: _string(str(bound)) for bound in Bound}
_ROLE_TEXT = {role: _string(str(role)) for role in Role}


class _Parts:
    """The pieces of one JSON document in one unit.

    why: a report shares each name and place among the figures that mention them (reports.py
    builds each once), so their JSON is made once per document too, keyed by identity: at
    100,000 figures that was 800,000 small dicts.
    """

    def __init__(self, unit: DisplayUnit, *, written: bool = False) -> None:
        self.unit = unit
        self.written = written  # why: figures for json_pieces to write as text (``_Figure``)
        self._names: dict[int, dict[str, str]] = {}
        self._places: dict[int, dict[str, Any]] = {}
        self._texts: dict[tuple[int, int], str] = {}  # (id, level): a name's or place's JSON
        self._layouts: dict[tuple[int, tuple[str, ...]], str] = {}  # see _figure_layout
        self._group_layouts: dict[tuple[int, str], str] = {}  # (level, names_key): group_text
        self._ones: dict[tuple[int, int], str] = {}  # (id, level): see _one_text
        self._shares: dict[tuple[int, int, int], tuple[str, str, str, str]] = {}  # see total()
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

    def _named_text(self, named: Named, level: int) -> str:
        """``named(named)`` as JSON text, ``level`` steps in; made once per level."""
        found = self._texts.get((id(named), level))
        if found is None:
            inner = "\n" + "  " * (level + 1)
            found = self._texts[id(named), level] = (
                f'{{{inner}"id": {_string(named.id)},{inner}"name": {_string(named.name)}'
                f"\n{'  ' * level}}}"
            )
            self._keep.append(named)
        return found

    def _place_text(self, place: Place, level: int) -> str:
        """``place(place)`` as JSON text, ``level`` steps in; made once per level."""
        found = self._texts.get((id(place), level))
        if found is None:
            inner = "\n" + "  " * (level + 1)
            city = "null" if place.city is None else self._named_text(place.city, level + 1)
            country = (
                "null" if place.country is None else self._named_text(place.country, level + 1)
            )
            found = self._texts[id(place), level] = (
                f'{{{inner}"city": {city},{inner}"country": {country},'
                f'{inner}"label": {_string(place.label)}\n{"  " * level}}}'
            )
            self._keep.append(place)
        return found

    def _item_text(self, item: Named | Place, level: int) -> str:
        """A name's or a place's JSON, ``level`` steps in."""
        if isinstance(item, Place):
            return self._place_text(item, level)
        return self._named_text(item, level)

    def _one_text(self, item: Named | Place, level: int) -> str:
        """``[item]`` as the value of a figure's key, ``level`` steps in; made once per level.

        why: most figures name one earner, one place and one sector, each shared by many
        figures, so the whole list's text is made once for each."""
        found = self._ones.get((id(item), level))
        if found is None:
            text = self._item_text(item, level + 2)
            found = self._ones[id(item), level] = _list_text([text], level)
            self._keep.append(item)
        return found

    def _list_of(self, items: tuple[Named, ...] | tuple[Place, ...], level: int) -> str:
        """A figure's names or places as the value of its key, ``level`` steps in."""
        if not items:
            return "[]"
        if len(items) == 1:
            return self._one_text(items[0], level)
        return _list_text([self._item_text(item, level + 2) for item in items], level)

    def figure_text(self, row: FigureRow, level: int, more: dict[str, Any] | None = None) -> str:
        """``figure(row, more)`` as ``to_json`` writes it, ``level`` steps in (before what
        would not print is escaped): the same keys, values and layout, made as text."""
        if more is None:
            return self._figure_text(row, level, (), ())
        return self._figure_text(row, level, tuple(more), tuple(map(_scalar, more.values())))

    def part_text(self, row: FigureRow, share: Fraction | None, level: int) -> str:
        """``figure(row, share(row.value.won, share))``, a part of a total, as ``figure_text``
        writes it."""
        value = row.value
        texts = self._share_texts(value.won, share)  # why: as total() gives share() a part's
        # why: what amount_text says of an amount written as a number, its display
        plain = value.bound is Bound.ROUNDED and value.high is None
        return self._figure_text(row, level, _SHARE_KEYS, texts, texts[1] if plain else None)

    def _share_texts(self, won: int, share: Fraction | None) -> tuple[str, str, str, str]:
        """The values of ``share(won, share)`` as JSON: digits, points, signs and slashes,
        which JSON writes as they are. Made once for each amount and share in a total."""
        key = (won, 0, 0) if share is None else (won, share.numerator, share.denominator)
        found = self._shares.get(key)
        if found is None:
            display = f'"{format_won(won, self.unit, separators=False)}"'
            found = self._shares[key] = (
                (str(won), display, "null", "null")
                if share is None
                else (str(won), display, f'"{share_decimal_text(share)}"', f'"{share}"')
            )
        return found

    def _figure_text(
        self,
        row: FigureRow,
        level: int,
        keys: tuple[str, ...],
        more: tuple[str, ...],
        amount: str | None = None,
    ) -> str:
        """A figure's text with ``more`` (JSON texts) as the values of ``keys`` after its own;
        ``amount``, if given, the JSON of its ``amount_text``."""
        layout = self._layouts.get((level, keys))
        if layout is None:
            layout = self._layouts[level, keys] = _figure_layout(level, keys)
        value, earner, countries = row.value, row.earner, row.countries
        money = value.unit is Unit.KRW
        high, month, part_of, counts = value.high, value.month, row.part_of, row.counts
        # why: in the order of _FIGURE_KEYS, the amount's in that of _AMOUNT_KEYS; the values
        # as figure() and amount() give them. Written out rather than by _scalar, which took
        # a tenth of the time of a large report's JSON; a Decimal's text needs no escaping
        return layout % (
            _string(row.id),
            _KIND_TEXT[row.kind],
            _KIND_LABEL_TEXT[row.kind],
            _string(row.label),
            "null" if earner is None else self._named_text(earner, level + 1),
            self._list_of(row.partners, level),
            self._list_of(countries, level),
            "true" if len(countries) > 1 else "false",  # why: row.joint, without its call
            _list_text([_string(place) for place in row.shared_with], level),
            self._list_of(row.sectors, level),
            "true" if row.stated_total else "false",
            "null" if part_of is None else _string(part_of),
            "null" if counts is None else _string(counts),
            _string(value.written),
            _UNIT_TEXT[value.unit],
            _BOUND_TEXT[value.bound],
            f'"{value.value:f}"',
            "null" if high is None else f'"{high:f}"',
            "null" if month is None else str(month),
            str(int(value.value)) if money else "null",  # why: value.won, without its call
            str(int(high)) if money and high is not None else "null",
            _string(amount_text(row, self.unit, separators=False)) if amount is None else amount,
            _string(row.quote),
            *more,
        )

    def entry(self, row: FigureRow, more: dict[str, Any] | None = None) -> dict[str, Any] | Written:
        """A figure as it stands in a document: ``figure(row, more)``, or, for
        ``json_pieces`` to write, the same as text."""
        return _Figure(self, row, more) if self.written else self.figure(row, more)

    def share(self, won: int, share: Fraction | None) -> dict[str, Any]:
        return {
            "won": won,
            "display": format_won(won, self.unit, separators=False),
            "share": None if share is None else share_decimal_text(share),
            "share_exact": None if share is None else str(share),
        }

    def group_text(self, row: ShareRow, names_key: str, level: int) -> str:
        """``group(row, names_key)`` as ``to_json`` writes it, ``level`` steps in."""
        layout = self._group_layouts.get((level, names_key))
        if layout is None:
            keys = (names_key, "role", "joint", *_SHARE_KEYS, "figures", "unattributed")
            layout = self._group_layouts[level, names_key] = _layout(level, keys)
        names, figures = row.names, row.figures
        return layout % (
            self._list_of(names, level),
            _ROLE_TEXT[row.role],
            "true" if len(names) > 1 else "false",  # why: row.joint, without its call
            *self._share_texts(row.won, row.share),
            _list_text([_string(figure) for figure in figures], level),
            "true" if row.unattributed else "false",
        )

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
        return _Group(self, row, names_key) if self.written else self.group(row, names_key)

    def total(self, total: TotalSummary) -> dict[str, Any]:
        # why: a row of a breakdown of one part has the amount and share of that part, whose
        # texts are then made once (_share_texts). A total's parts and rows are written
        # together, after the total before them: what is kept is one total's
        self._shares = {}
        unattributed = total.unattributed
        return {
            "figure": self.entry(total.total),
            "stated_won": total.total.value.won,
            "filtered": total.filtered,
            "parts_exceed_total": total.excess_won > 0,
            "excess_won": total.excess_won,
            "parts": [
                _Part(self, part.figure, part.share)
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


_FIGURE_KEYS = (
    "id", "kind", "kind_label", "label", "earner", "partners", "countries", "joint",
    "shared_with", "sectors", "stated_total", "part_of", "counts", "amount", "quote",
)  # fmt: skip
_SHARE_KEYS = ("won", "display", "share", "share_exact")  # the keys of _Parts.share
_AMOUNT_KEYS = (
    "written", "unit", "bound", "value", "high", "month", "won", "won_high", "display",
)  # fmt: skip


def _figure_layout(level: int, more: tuple[str, ...]) -> str:
    """The JSON text of a figure ``level`` steps in with the keys of ``more`` after its own,
    each value (and each of its amount's) a ``%s``, in the order of ``_Parts.figure``.

    why: made once per level and keys, so that one ``%`` makes a figure's 2 KB of text.
    """
    if set(more) & set(_FIGURE_KEYS):  # why: figure() would overwrite it in its place
        raise ValueError(f"keys of a figure's own given again: {sorted(more)}")
    return _layout(level, _FIGURE_KEYS + more, {"amount": _layout(level + 1, _AMOUNT_KEYS)})


def _layout(level: int, keys: tuple[str, ...], within: dict[str, str] | None = None) -> str:
    """The JSON text of an object ``level`` steps in with ``keys``, each value a ``%s`` but
    those of ``within``, which are given (a layout of its own, one step further in)."""
    inner, within = "\n" + "  " * (level + 1), within or {}
    lines = [f"{inner}{_string(key).replace('%', '%%')}: {within.get(key, '%s')}" for key in keys]
    return "{" + ",".join(lines) + "\n" + "  " * level + "}"


def _list_text(texts: list[str], level: int) -> str:
    """The JSON text of a list, as a value of an object ``level`` steps in, whose items'
    texts (made ``level + 2`` steps in) are ``texts``."""
    if not texts:
        return "[]"
    items, inner = "\n" + "  " * (level + 2), "\n" + "  " * (level + 1)
    return "[" + items + ("," + items).join(texts) + inner + "]"


def _scalar(value: object) -> str:
    """A JSON scalar of a document's own types (text, whole numbers, true, false, null)."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return _string(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


class _Figure(Written):
    """A figure of a document that ``json_pieces`` writes, as ``_Parts.figure_text``."""

    __slots__ = ("more", "parts", "row")

    def __init__(self, parts: _Parts, row: FigureRow, more: dict[str, Any] | None = None) -> None:
        self.parts, self.row, self.more = parts, row, more

    def text(self, level: int) -> str:
        return self.parts.figure_text(self.row, level, self.more)


class _Group(Written):
    """A row of a breakdown that ``json_pieces`` writes, as ``_Parts.group_text``."""

    __slots__ = ("names_key", "parts", "row")

    def __init__(self, parts: _Parts, row: ShareRow, names_key: str) -> None:
        self.parts, self.row, self.names_key = parts, row, names_key

    def text(self, level: int) -> str:
        return self.parts.group_text(self.row, self.names_key, level)


class _Part(Written):
    """A part of a total, with its share of it, that ``json_pieces`` writes, as
    ``_Parts.part_text``."""

    __slots__ = ("parts", "row", "share")

    def __init__(self, parts: _Parts, row: FigureRow, share: Fraction | None) -> None:
        self.parts, self.row, self.share = parts, row, share

    def text(self, level: int) -> str:
        return self.parts.part_text(self.row, self.share, level)


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
