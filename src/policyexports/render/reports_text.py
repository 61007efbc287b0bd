"""A report's figures, parts and rows of breakdowns as JSON text: what the dictionaries of
``reports_json._Parts`` are, encoded by ``to_json``, made without them. ``figure()``,
``share()``, ``group()`` and the like below are that class's.

why: a report of 100,000 figures is 236 MB of JSON, much of it the same few names and places
again and again; written as text, each of those pieces made once, it took less time than
making the dictionaries and encoding them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from policyexports.models import KIND_LABEL, Kind
from policyexports.quantities import Bound, DisplayUnit, Unit, format_won
from policyexports.queries import Role
from policyexports.render.plain import Written
from policyexports.render.words import amount_text, share_decimal_text
from policyexports.reports import FigureRow, Named, Place, ShareRow

try:  # why: json's own escaping, in C (a string of a figure at a time), without importing json
    from _json import encode_basestring as _string
except ImportError:  # pragma: no cover - an interpreter without CPython's C modules
    from json.encoder import py_encode_basestring as _string

# why: the JSON text of each kind, its label, each unit and bound, made once (a StrEnum's
# str() is its value)
_KIND_TEXT = {kind: _string(str(kind)) for kind in Kind}
_KIND_LABEL_TEXT = {kind: _string(KIND_LABEL[kind]) for kind in Kind}
_UNIT_TEXT = {unit: _string(str(unit)) for unit in Unit}
_BOUND_TEXT = {bound: _string(str(bound)) for bound in Bound}
_ROLE_TEXT = {role: _string(str(role)) for role in Role}


class Texts:
    """The texts of one JSON document in one unit. Each name's, place's and one-item list's
    text is made once per level, keyed by identity (a report builds each name and place once,
    ``reports.RowMaker``), and each amount's and share's once per total (``new_total``)."""

    def __init__(self, unit: DisplayUnit) -> None:
        self.unit = unit
        self._texts: dict[tuple[int, int], str] = {}  # (id, level): a name's or place's JSON
        self._layouts: dict[tuple[int, tuple[str, ...]], str] = {}  # see _figure_layout
        self._group_layouts: dict[tuple[int, str], str] = {}  # (level, names_key): group_text
        self._ones: dict[tuple[int, int], str] = {}  # (id, level): see _one_text
        self._shares: dict[tuple[int, int, int], tuple[str, str, str, str]] = {}
        self._keep: list[object] = []  # why: what is keyed by id() stays alive, so ids stay its

    def new_total(self) -> None:
        """Let go of the texts of the amounts and shares of the total before.

        why: a row of a breakdown of one part has the amount and share of that part, whose
        texts are then made once (``_share_texts``). A total's parts and rows are written
        together, after the total before them: what is kept is one total's.
        """
        self._shares = {}

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


_FIGURE_KEYS = (
    "id", "kind", "kind_label", "label", "earner", "partners", "countries", "joint",
    "shared_with", "sectors", "stated_total", "part_of", "counts", "amount", "quote",
)  # fmt: skip
_SHARE_KEYS = ("won", "display", "share", "share_exact")  # the keys of reports_json's share
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


class FigureText(Written):
    """A figure of a document that ``json_pieces`` writes, as ``Texts.figure_text``."""

    __slots__ = ("more", "row", "texts")

    def __init__(self, texts: Texts, row: FigureRow, more: dict[str, Any] | None = None) -> None:
        self.texts, self.row, self.more = texts, row, more

    def text(self, level: int) -> str:
        return self.texts.figure_text(self.row, level, self.more)


class GroupText(Written):
    """A row of a breakdown that ``json_pieces`` writes, as ``Texts.group_text``."""

    __slots__ = ("names_key", "row", "texts")

    def __init__(self, texts: Texts, row: ShareRow, names_key: str) -> None:
        self.texts, self.row, self.names_key = texts, row, names_key

    def text(self, level: int) -> str:
        return self.texts.group_text(self.row, self.names_key, level)


class PartText(Written):
    """A part of a total, with its share of it, that ``json_pieces`` writes, as
    ``Texts.part_text``."""

    __slots__ = ("row", "share", "texts")

    def __init__(self, texts: Texts, row: FigureRow, share: Fraction | None) -> None:
        self.texts, self.row, self.share = texts, row, share

    def text(self, level: int) -> str:
        return self.texts.part_text(self.row, self.share, level)
