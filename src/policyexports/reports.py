"""The ``summary`` and ``list`` reports as typed, frozen results: pure data, amounts in won."""

# why: annotations are evaluated, not kept as text: typing.NamedTuple compiles each text
# annotation of its fields, about 20 us a field, on every run's start-up

from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import NamedTuple

from policyexports.models import KIND_LABEL, KIND_UNIT, Dataset, Figure, Kind, Partner, Quantity
from policyexports.quantities import Unit
from policyexports.queries import (
    Catalog,
    FilterRequest,
    Filters,
    Group,
    Role,
    SortKey,
    by_country,
    by_sector,
    partner_selected,
    resolve_filters,
    select,
    sort_figures,
    stated_totals,
    total_view,
)

NO_FILTERS = FilterRequest()
# why: one screen about money; years, dates, durations and distances are for `list`
SUMMARY_KINDS = tuple(kind for kind in Kind if KIND_UNIT[kind] is Unit.KRW) + (
    Kind.COUNT,
    Kind.SHARE,
)


class Named(NamedTuple):
    """An entity as reports show it: its id (or ISO code) and its name."""

    id: str
    name: str


class DatasetInfo(NamedTuple):
    name: str
    title: str
    publisher: str
    data_as_of: str | None
    sha256: str


class ActiveFilter(NamedTuple):
    """One option in use (``country``) and the entities its values resolved to."""

    option: str
    values: tuple[Named, ...]


class Place(NamedTuple):
    """A partner: a city with its country, or a country named without a city."""

    city: Named | None
    country: Named | None
    label: str  # "Bogota (Colombia)" or "Bangladesh"


class FigureRow(NamedTuple):
    """One figure with every name resolved, ready for any format."""

    id: str
    kind: Kind
    label: str
    earner: Named | None
    partners: tuple[Place, ...]
    countries: tuple[Named, ...]
    sectors: tuple[Named, ...]
    stated_total: bool
    part_of: str | None
    value: Quantity
    counts: str | None
    quote: str
    shared_with: tuple[str, ...]  # partners outside the active place filters

    @property
    def kind_label(self) -> str:
        return KIND_LABEL[self.kind]

    @property
    def joint(self) -> bool:
        """Shared by several countries; the article does not split it, so neither do we."""
        return len(self.countries) > 1

    @property
    def won(self) -> int | None:
        return self.value.won if self.value.unit is Unit.KRW else None


class ListReport(NamedTuple):
    dataset: DatasetInfo
    filters: tuple[ActiveFilter, ...]
    sort: SortKey
    limit: int | None
    matched: int  # figures passing the filters, before --limit
    rows: tuple[FigureRow, ...]


class ShareRow(NamedTuple):
    """A row of a breakdown: who or where (several names: one joint row), its sum and share."""

    names: tuple[Named, ...]  # empty for every role but NAMED
    won: int
    share: Fraction | None  # of the stated total; None when that total is zero
    figures: tuple[str, ...]
    unattributed: bool  # includes what the article leaves unattributed
    role: Role = Role.NAMED

    @property
    def joint(self) -> bool:
        return len(self.names) > 1

    @property
    def excess(self) -> bool:
        """The named parts exceed the stated total: this row is the (negative) difference."""
        return self.role is Role.EXCESS


class Part(NamedTuple):
    """A named part of a stated total and its share of that total."""

    figure: FigureRow
    share: Fraction | None


class TotalSummary(NamedTuple):
    """A stated total broken down: named parts, the unattributed rest, sectors, countries."""

    total: FigureRow
    filtered: bool
    parts: tuple[Part, ...]
    unattributed: ShareRow | None  # None when the filters leave out the total itself
    named_parts_won: tuple[int, ...]  # every named part, filtered or not: the unattributed's work
    rows: ShareRow  # the sum of the rows shown; the stated total itself when not filtered
    by_sector: tuple[ShareRow, ...]
    by_country: tuple[ShareRow, ...]

    @property
    def excess_won(self) -> int:
        """How much every named part (filtered or not) exceeds the stated total by; else 0."""
        return max(0, sum(self.named_parts_won) - self.total.value.won)


class KindSection(NamedTuple):
    """Figures of one kind, listed apart and never added to another kind."""

    kind: Kind
    rows: tuple[FigureRow, ...]

    @property
    def label(self) -> str:
        return KIND_LABEL[self.kind]


class SummaryReport(NamedTuple):
    dataset: DatasetInfo
    filters: tuple[ActiveFilter, ...]
    has_totals: bool  # the dataset states a total with named parts at all
    totals: tuple[TotalSummary, ...]
    others: tuple[KindSection, ...]
    not_shown: tuple[tuple[Kind, int], ...]  # matching figures of kinds left to `list`
    matched: int


def _info(dataset: Dataset, name: str) -> DatasetInfo:
    source = dataset.source
    return DatasetInfo(name, source.title, source.publisher, source.data_as_of, source.sha256)


def _active(catalog: Catalog, filters: Filters) -> tuple[ActiveFilter, ...]:
    options = [
        ("country", [Named(code, catalog.country_name(code)) for code in filters.countries]),
        ("city", [Named(city, catalog.city_name(city)) for city in filters.cities]),
        ("sector", [Named(sector, catalog.sector_name(sector)) for sector in filters.sectors]),
        ("company", [Named(org, catalog.organization_name(org)) for org in filters.companies]),
        ("kind", [Named(kind.value, KIND_LABEL[kind]) for kind in filters.kinds]),
    ]
    return tuple(ActiveFilter(option, tuple(values)) for option, values in options if values)


class RowMaker:
    """Figure rows for one report. Each place and name is built once: a large dataset names
    the same cities, countries and sectors in figure after figure. So is each tuple of a
    row's countries or sectors, keyed by the ids it lists."""

    def __init__(self, catalog: Catalog, filters: Filters) -> None:
        self.catalog = catalog
        self.filters = filters
        self._places: dict[tuple[str | None, str | None], Place] = {}
        self._named: dict[tuple[str, str], Named] = {}
        self._countries: dict[tuple[str, ...], tuple[Named, ...]] = {}
        self._sectors: dict[tuple[str, ...], tuple[Named, ...]] = {}

    def _name(self, what: str, key: str, name_of: Callable[[str], str]) -> Named:
        named = self._named.get((what, key))
        if named is None:
            named = self._named[what, key] = Named(key, name_of(key))
        return named

    def sector(self, key: str) -> Named:
        return self._name("sector", key, self.catalog.sector_name)

    def country(self, code: str) -> Named:
        return self._name("country", code, self.catalog.country_name)

    def _place(self, partner: Partner) -> Place:
        place = self._places.get((partner.city, partner.country))
        if place is None:
            catalog = self.catalog
            code = catalog.partner_country(partner)
            city = partner.city
            place = self._places[partner.city, partner.country] = Place(
                city=None if city is None else self._name("city", city, catalog.city_name),
                country=None if code is None else self._name("country", code, catalog.country_name),
                label=catalog.place_name(partner),
            )
        return place

    @staticmethod
    def _each(
        made: dict[tuple[str, ...], tuple[Named, ...]],
        keys: tuple[str, ...],
        named: Callable[[str], Named],
    ) -> tuple[Named, ...]:
        """Each of ``keys`` ``named``, once, in order: made once per tuple of keys (``made``)."""
        found = made.get(keys)
        if found is None:
            found = made[keys] = tuple([named(key) for key in dict.fromkeys(keys)])
        return found

    def row(self, figure: Figure) -> FigureRow:
        catalog, filters = self.catalog, self.filters
        shared_with: tuple[str, ...] = ()
        if filters.places:
            outside = (p for p in figure.partners if not partner_selected(catalog, p, filters))
            shared_with = tuple(dict.fromkeys(self._place(partner).label for partner in outside))
        earner = figure.earner
        # why: FigureRow's fields by position, not by keyword, which cost twice as much;
        # lists made into tuples, as a generator costs more for a few items, once a figure
        return FigureRow(
            figure.id,
            figure.kind,
            figure.label,
            None if earner is None else self._name("company", earner, catalog.organization_name),
            tuple([self._place(partner) for partner in figure.partners]),
            self._each(self._countries, catalog.countries_of(figure), self.country),
            self._each(self._sectors, figure.sectors, self.sector),
            figure.total,
            figure.part_of,
            figure.value,
            figure.counts,
            figure.quote,
            shared_with,
        )


def build_list(
    dataset: Dataset,
    request: FilterRequest = NO_FILTERS,
    *,
    sort: SortKey = SortKey.KIND,
    limit: int | None = None,
    name: str = "",
) -> ListReport:
    """Every figure that passes the filters, as rows, sorted, at most ``limit`` of them."""
    catalog = Catalog(dataset)
    filters = resolve_filters(catalog, request)
    figures = sort_figures(select(catalog, filters), sort)
    shown = figures if limit is None else figures[:limit]
    return ListReport(
        dataset=_info(dataset, name),
        filters=_active(catalog, filters),
        sort=sort,
        limit=limit,
        matched=len(figures),
        rows=tuple(map(RowMaker(catalog, filters).row, shown)),
    )


def _share(won: int, total: int) -> Fraction | None:
    return Fraction(won, total) if total else None


def _by_name(names: Iterable[Named]) -> tuple[Named, ...]:
    """A joint row's places or sectors in alphabetical order of the names shown, in every format."""
    return tuple(sorted(names, key=lambda named: (named.name.casefold(), named.name, named.id)))


def _share_rows(
    groups: tuple[Group, ...], named: Callable[[str], Named], total: int
) -> tuple[ShareRow, ...]:
    # why: ShareRow's fields by position (a breakdown has a row for each place or sector,
    # and each joint set of them)
    return tuple(
        [
            ShareRow(
                # why: most rows name one place or sector; only a joint row needs ordering
                (named(key[0]),) if len(key) == 1 else _by_name(named(each) for each in key),
                won,
                _share(won, total),
                figures,
                unattributed,
                role,
            )
            for key, won, figures, unattributed, role in groups
        ]
    )


def _total_summary(rows: RowMaker, total: Figure, parts: tuple[Figure, ...]) -> TotalSummary | None:
    catalog = rows.catalog
    named_parts_won = tuple([part.value.won for part in parts])
    view = total_view(catalog, total, parts, rows.filters, named_parts_won)
    if not view.parts and view.unattributed is None:
        return None
    stated, rows_won = total.value.won, view.rows_won
    unattributed = None
    if view.unattributed is not None:
        role = Role.EXCESS if view.unattributed < 0 else Role.UNATTRIBUTED
        share = _share(view.unattributed, stated)
        unattributed = ShareRow((), view.unattributed, share, (), unattributed=True, role=role)
    return TotalSummary(
        total=rows.row(total),
        filtered=view.filtered,
        parts=tuple(
            [
                Part(rows.row(part), _share(won, stated))
                for part, won in zip(view.parts, view.parts_won, strict=True)
            ]
        ),
        unattributed=unattributed,
        named_parts_won=named_parts_won,
        rows=ShareRow(
            (),
            rows_won,
            _share(rows_won, stated),
            tuple(part.id for part in view.parts),
            unattributed=unattributed is not None,
        ),
        by_sector=_share_rows(by_sector(view), rows.sector, stated),
        by_country=_share_rows(by_country(catalog, view), rows.country, stated),
    )


def build_summary(
    dataset: Dataset, request: FilterRequest = NO_FILTERS, *, name: str = ""
) -> SummaryReport:
    """Each stated total with its parts and breakdowns, then the other figures by kind."""
    catalog = Catalog(dataset)
    filters = resolve_filters(catalog, request)
    totals = stated_totals(dataset)
    in_breakdowns = {figure.id for total, parts in totals for figure in (total, *parts)}
    rows = RowMaker(catalog, filters)
    summaries = (_total_summary(rows, total, parts) for total, parts in totals)
    matching = select(catalog, filters)
    rest = [figure for figure in matching if figure.id not in in_breakdowns]
    # why: a kind asked for by name (`--kind year`) is shown even if the summary skips it
    shown = [kind for kind in Kind if kind in SUMMARY_KINDS or kind in filters.kinds]
    others = tuple(
        KindSection(kind, tuple(rows.row(f) for f in rest if f.kind is kind))
        for kind in shown
        if any(f.kind is kind for f in rest)
    )
    not_shown = tuple(
        (kind, count)
        for kind in Kind
        if kind not in shown and (count := sum(f.kind is kind for f in rest))
    )
    return SummaryReport(
        dataset=_info(dataset, name),
        filters=_active(catalog, filters),
        has_totals=bool(totals),
        totals=tuple(summary for summary in summaries if summary is not None),
        others=others,
        not_shown=not_shown,
        matched=len(matching),
    )
