"""Filtering a dataset's figures and breaking a stated total down exactly: pure functions."""

# why: annotations are evaluated, not kept as text: typing.NamedTuple compiles each text
# annotation of its fields, about 20 us a field, on every run's start-up

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from policyexports.models import KIND_LABEL, KIND_UNIT, Dataset, Figure, Kind, Partner
from policyexports.names import Names
from policyexports.quantities import Bound, Unit


class SortKey(StrEnum):
    """The order of ``list`` rows (``--sort``)."""

    KIND = "kind"  # kinds in a fixed order, the article's order within a kind
    AMOUNT = "amount"  # money largest first, then other kinds, each largest first (see sort)
    ID = "id"
    ARTICLE = "article"  # the order of the dataset, which follows the article


class FilterRequest(NamedTuple):
    """Filter values as the user typed them (``--country CO --country Greece``)."""

    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


class Filters(NamedTuple):
    """Resolved filters: ids in the order typed. Values of one option are OR-ed, options AND-ed."""

    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()

    @property
    def active(self) -> bool:
        return any((self.countries, self.cities, self.sectors, self.companies, self.kinds))

    @property
    def places(self) -> bool:
        return bool(self.countries or self.cities)


class Catalog:
    """Lookups over one dataset: entities by id, and the names users may type for them."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.countries = {country.code: country for country in dataset.countries}
        self.cities = {city.id: city for city in dataset.cities}
        self.organizations = {org.id: org for org in dataset.organizations}
        self.sectors = {sector.id: sector for sector in dataset.sectors}
        self.figures = {figure.id: figure for figure in dataset.figures}
        self._countries_of: dict[str, tuple[str, ...]] = {}

    def names(self, what: str) -> Names:
        """The names of one option's entities; built on demand as most runs filter nothing."""
        if what == "country":
            return Names(what, [(c.code, (c.name, *c.aliases)) for c in self.dataset.countries])
        if what == "city":
            return Names(what, [(c.id, (c.name, *c.aliases)) for c in self.dataset.cities])
        if what == "sector":
            return Names(what, [(s.id, (s.name, *s.aliases)) for s in self.dataset.sectors])
        if what == "company":
            orgs = self.dataset.organizations
            return Names(what, [(o.id, (o.name, *o.aliases)) for o in orgs])
        return Names("kind", [(kind.value, (KIND_LABEL[kind],)) for kind in Kind])

    def partner_country(self, partner: Partner) -> str | None:
        city = self.cities.get(partner.city) if partner.city is not None else None
        return city.country if city is not None else partner.country

    def countries_of(self, figure: Figure) -> tuple[str, ...]:
        """The partner countries of ``figure``, each once, in the order the figure names them."""
        found = self._countries_of.get(figure.id)
        if found is None:  # why: asked for by filters, rows and breakdowns alike
            codes = (self.partner_country(partner) for partner in figure.partners)
            found = tuple(dict.fromkeys(code for code in codes if code is not None))
            self._countries_of[figure.id] = found
        return found

    def country_name(self, code: str) -> str:
        country = self.countries.get(code)
        return country.name if country is not None else code

    def city_name(self, city_id: str) -> str:
        city = self.cities.get(city_id)
        return city.name if city is not None else city_id

    def sector_name(self, sector_id: str) -> str:
        sector = self.sectors.get(sector_id)
        return sector.name if sector is not None else sector_id

    def organization_name(self, org_id: str) -> str:
        organization = self.organizations.get(org_id)
        return organization.name if organization is not None else org_id

    def place_name(self, partner: Partner) -> str:
        """ "Bogota (Colombia)" for a city, "Bangladesh" for a country named without a city."""
        code = self.partner_country(partner)
        country = self.country_name(code) if code is not None else ""
        if partner.city is None:
            return country
        return f"{self.city_name(partner.city)} ({country})" if country else partner.city


def _resolve_all(names: Names, typed: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names.resolve(value) for value in typed))


def resolve_filters(catalog: Catalog, request: FilterRequest) -> Filters:
    """Turn typed values into ids; ``UnknownValueError`` (with "did you mean") for any unknown."""
    pairs = [
        ("country", request.countries),
        ("city", request.cities),
        ("sector", request.sectors),
        ("company", request.companies),
        ("kind", request.kinds),
    ]
    resolved = {what: _resolve_all(catalog.names(what), typed) for what, typed in pairs if typed}
    return Filters(
        countries=resolved.get("country", ()),
        cities=resolved.get("city", ()),
        sectors=resolved.get("sector", ()),
        companies=resolved.get("company", ()),
        kinds=tuple(Kind(kind) for kind in resolved.get("kind", ())),
    )


def partner_selected(catalog: Catalog, partner: Partner, filters: Filters) -> bool:
    """Whether any place filter picks this partner: its country or its city is one asked for.

    Always true when no place filter is active. This is per partner, for display only (which
    partners a row names as matching, which as "shared with"); whether a figure matches at all is
    decided figure by figure in ``matches``, where each option may be met by a different partner.
    """
    if not filters.places:
        return True
    if catalog.partner_country(partner) in filters.countries:
        return True
    return partner.city is not None and partner.city in filters.cities


def matches(catalog: Catalog, figure: Figure, filters: Filters) -> bool:
    """Whether ``figure`` passes every active option (any of each option's values)."""
    if filters.kinds and figure.kind not in filters.kinds:
        return False
    if filters.companies and figure.earner not in filters.companies:
        return False
    if filters.sectors and not set(figure.sectors) & set(filters.sectors):
        return False
    if filters.countries and not set(catalog.countries_of(figure)) & set(filters.countries):
        return False
    if not filters.cities:
        return True
    return not {partner.city for partner in figure.partners}.isdisjoint(filters.cities)


def select(catalog: Catalog, filters: Filters) -> tuple[Figure, ...]:
    """The figures that pass the filters, each once, in the dataset's order."""
    if not filters.active:  # why: every figure, without asking each
        return catalog.dataset.figures
    return tuple(f for f in catalog.dataset.figures if matches(catalog, f, filters))


def is_money(figure: Figure) -> bool:
    return KIND_UNIT[figure.kind] is Unit.KRW


_KIND_ORDER = {kind: position for position, kind in enumerate(Kind)}


def sort_figures(figures: Sequence[Figure], key: SortKey) -> tuple[Figure, ...]:
    """``figures`` in the order asked; ties keep the article's order (sorts are stable), except
    by amount, where figures that admit the same values are in order of id."""
    if key is SortKey.ARTICLE:
        return tuple(figures)
    if key is SortKey.ID:
        return tuple(sorted(figures, key=lambda figure: figure.id))
    if key is SortKey.KIND:
        return tuple(sorted(figures, key=lambda figure: _KIND_ORDER[figure.kind]))
    # why: amounts of won compare with each other; a count never competes with money
    return tuple(sorted(figures, key=_amount_key))


# why: at one written number X, "over X" admits only more than X, "at least X" X or more, "X to
# Y" up to Y, "X" itself, "under X" only less: largest first is this order
_BOUND_ORDER = {
    bound: position
    for position, bound in enumerate(
        (Bound.OVER, Bound.AT_LEAST, Bound.RANGE, Bound.ROUNDED, Bound.UNDER)
    )
}


def _amount_key(figure: Figure) -> tuple[bool, int, Decimal, int, Decimal, str]:
    """Money first, then each other kind; largest first by the values the figure admits.

    "Over KRW 1 trillion" comes before "KRW 1 trillion"; figures that admit the same values
    are in order of id.
    """
    value = figure.value
    money = is_money(figure)
    top = value.value if value.high is None else value.high
    return (
        not money,
        0 if money else _KIND_ORDER[figure.kind],
        -value.value,
        _BOUND_ORDER[value.bound],
        -top,
        figure.id,
    )


class TotalView(NamedTuple):
    """A stated total and the parts of it that pass the filters, with what is left unattributed.

    ``unattributed`` is the stated total minus every named part (negative when the named parts
    exceed it). It stands for money the article does not attribute, so it is shown only when the
    total itself passes the filters: it has the total's earner, partners and sectors, no others.
    """

    total: Figure
    parts: tuple[Figure, ...]
    unattributed: int | None
    filtered: bool
    parts_won: tuple[int, ...]  # each part's amount in won, in the order of ``parts``

    @property
    def rows_won(self) -> int:
        """The sum of the rows shown: the stated total itself when nothing is filtered out."""
        return sum(self.parts_won) + (self.unattributed or 0)


def stated_totals(dataset: Dataset) -> tuple[tuple[Figure, tuple[Figure, ...]], ...]:
    """Every money total that has named parts, with its parts in the article's order."""
    # why: one pass to group the parts, so many totals cost no more than one (no N x N scan)
    parts_of: dict[str, list[Figure]] = {}
    for figure in dataset.figures:
        if figure.part_of is not None and not figure.total:
            parts_of.setdefault(figure.part_of, []).append(figure)
    return tuple(
        (total, tuple(parts_of[total.id]))
        for total in dataset.figures
        if total.total and KIND_UNIT[total.kind] is Unit.KRW and total.id in parts_of
    )


def total_view(
    catalog: Catalog,
    total: Figure,
    parts: Sequence[Figure],
    filters: Filters,
    parts_won: Sequence[int] | None = None,
) -> TotalView:
    """``parts_won``: each part's amount in won, if the caller has them already."""
    every = [part.value.won for part in parts] if parts_won is None else parts_won
    shown = (
        list(zip(parts, every, strict=True))
        if not filters.active  # why: every part, without asking each
        else [
            (part, won)
            for part, won in zip(parts, every, strict=True)
            if matches(catalog, part, filters)
        ]
    )
    return TotalView(
        total=total,
        parts=tuple([part for part, _ in shown]),
        unattributed=total.value.won - sum(every) if matches(catalog, total, filters) else None,
        filtered=filters.active,
        parts_won=tuple([won for _, won in shown]),
    )


class Role(StrEnum):
    """What a row of a breakdown stands for."""

    NAMED = "named"  # one sector or country (several: one joint row)
    NOT_GIVEN = "not_given"  # named parts that give no sector (or no partner)
    UNATTRIBUTED = "unattributed"  # what the stated total leaves unattributed, when it names none
    EXCESS = "excess"  # the named parts exceed the stated total: a negative remainder


_ROLE_ORDER = {role: position for position, role in enumerate(Role)}


class Group(NamedTuple):
    """One row of a breakdown: a key (one id, or several for a joint row) and its exact sum."""

    key: tuple[str, ...]
    won: int
    figures: tuple[str, ...]  # ids of the parts summed here
    unattributed: bool  # the unattributed remainder is in this row
    role: Role = Role.NAMED

    @property
    def joint(self) -> bool:
        return len(self.key) > 1


def breakdown(view: TotalView, key_of: Callable[[Figure], tuple[str, ...]]) -> tuple[Group, ...]:
    """Group the view's rows by ``key_of``; each row lands in exactly one group, never split.

    A figure with several keys (two countries, two sectors) forms one joint group of its own, so
    the groups add up to ``view.rows_won`` exactly. Keys are sorted so that the same set of
    places is one group whatever order a figure names them in. Parts with no key form their own
    row, apart from the remainder: "no sector given" is not "not attributed". The remainder joins
    the row of the total's own key; when negative (the parts exceed the total) it is always a row
    of its own, so no row quietly shrinks. Largest first; rows without a key last.
    """
    sums: dict[tuple[Role, tuple[str, ...]], int] = {}
    members: dict[tuple[Role, tuple[str, ...]], list[str]] = {}
    remainder: tuple[Role, tuple[str, ...]] | None = None
    for part, won in zip(view.parts, view.parts_won, strict=True):
        keys = key_of(part)
        key = keys if len(keys) == 1 else tuple(sorted(set(keys)))
        slot = (Role.NAMED if key else Role.NOT_GIVEN, key)
        sums[slot] = sums.get(slot, 0) + won
        members.setdefault(slot, []).append(part.id)
    if view.unattributed is not None:
        key = tuple(sorted(set(key_of(view.total))))
        if view.unattributed < 0:
            remainder = (Role.EXCESS, ())
        else:
            remainder = (Role.NAMED, key) if key else (Role.UNATTRIBUTED, ())
        sums[remainder] = sums.get(remainder, 0) + view.unattributed
        members.setdefault(remainder, [])
    groups = [
        Group(key, won, tuple(members[(role, key)]), (role, key) == remainder, role)
        for (role, key), won in sums.items()
    ]
    return tuple(sorted(groups, key=lambda group: (_ROLE_ORDER[group.role], -group.won, group.key)))


def by_sector(view: TotalView) -> tuple[Group, ...]:
    return breakdown(view, lambda figure: figure.sectors)


def by_country(catalog: Catalog, view: TotalView) -> tuple[Group, ...]:
    return breakdown(view, catalog.countries_of)
