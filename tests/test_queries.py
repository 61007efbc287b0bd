"""Filters and breakdowns: semantics on the bundled dataset, and exact sums on random datasets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyexports.basetypes import validate
from policyexports.errors import UnknownValueError
from policyexports.loading import load
from policyexports.models import Dataset, Figure
from policyexports.names import fold
from policyexports.queries import (
    Catalog,
    FilterRequest,
    Filters,
    Group,
    Role,
    SortKey,
    TotalView,
    by_country,
    by_sector,
    matches,
    partner_selected,
    resolve_filters,
    select,
    sort_figures,
    stated_totals,
    total_view,
)

BUNDLED = load(environ={}).dataset
CATALOG = Catalog(BUNDLED)
TRANSPORT = {
    "first-exports-year",
    "brunei-contract",
    "pmb-project-cost",
    "transport-reform-year",
    "transport-percent",
    "bus-reform-year",
    "lg-cns",
    "korea-smart-card",
    "wellington-yearly",
    "topis-visitors",
}


def _ids(request: FilterRequest) -> set[str]:
    return {figure.id for figure in select(CATALOG, resolve_filters(CATALOG, request))}


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (FilterRequest(countries=("CO",)), {"lg-cns"}),
        (FilterRequest(countries=("co",)), {"lg-cns"}),
        (FilterRequest(countries=("Greece",)), {"lg-cns"}),
        (FilterRequest(countries=("hellenic republic",)), {"lg-cns"}),
        (FilterRequest(countries=("Perú",)), set()),  # named, but no figure is about it
        (FilterRequest(countries=("BD",)), {"seoul-metro"}),  # a country partner, no city
        (FilterRequest(countries=("Viet Nam",)), {"seoul-metro"}),  # through its city
        (
            FilterRequest(countries=("Brunei",)),
            {"brunei-contract", "pmb-bridge-length", "pmb-road-length", "pmb-project-cost"},
        ),
        (FilterRequest(countries=("CO", "TH")), {"lg-cns", "korea-smart-card"}),  # OR
        (FilterRequest(countries=("CO", "Colombia", "GR")), {"lg-cns"}),  # once, not thrice
        (FilterRequest(cities=("Ho Chi Minh City",)), {"seoul-metro"}),
        (FilterRequest(cities=("SAIGON",)), {"seoul-metro"}),
        (FilterRequest(cities=("Bogotá",)), {"lg-cns"}),
        (FilterRequest(cities=("bogota",)), {"lg-cns"}),
        (FilterRequest(cities=("Wellington",)), {"korea-smart-card", "wellington-yearly"}),
        (FilterRequest(sectors=("transport",)), TRANSPORT),
        (FilterRequest(sectors=("Waterworks",)), {"brunei-contract", "pmb-project-cost"}),
        (FilterRequest(companies=("LG CNS",)), {"lg-cns"}),
        (FilterRequest(companies=("t-money",)), {"korea-smart-card", "wellington-yearly"}),
        (FilterRequest(kinds=("contract value",)), {"brunei-contract", "seoul-metro"}),
        (FilterRequest(kinds=("PROJECT_COST",)), {"pmb-project-cost"}),
        # options are AND-ed
        (FilterRequest(cities=("Wellington",), kinds=("recurring_yearly",)), {"wellington-yearly"}),
        (FilterRequest(countries=("CO",), companies=("kscc",)), set()),
        (
            FilterRequest(sectors=("waterworks",), kinds=("contract_value", "project_cost")),
            {"brunei-contract", "pmb-project-cost"},
        ),
    ],
)
def test_filter_semantics(request_: FilterRequest, expected: set[str]) -> None:
    assert _ids(request_) == expected


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            FilterRequest(countries=("Colmbia",)),
            "unknown country 'Colmbia' (did you mean 'Colombia'",
        ),
        (FilterRequest(cities=("Bogot",)), "unknown city 'Bogot' (did you mean"),
        (FilterRequest(sectors=("watrworks",)), "unknown sector 'watrworks' (did you mean"),
        (FilterRequest(companies=("LG CN",)), "unknown company 'LG CN' (did you mean 'LG CNS'"),
        (FilterRequest(kinds=("revenu",)), "unknown kind 'revenu' (did you mean 'revenue earned'"),
        # one bad value among good ones is still an error, never a quietly narrower answer
        (FilterRequest(countries=("CO", "Atlantis")), "unknown country 'Atlantis'"),
    ],
)
def test_unknown_values_say_what_is_known(request_: FilterRequest, message: str) -> None:
    with pytest.raises(UnknownValueError, match=r"known: ") as raised:
        resolve_filters(CATALOG, request_)
    assert message in str(raised.value)


def test_bundled_revenue_breakdown_adds_up_with_joint_rows() -> None:
    ((total, parts),) = stated_totals(BUNDLED)
    assert total.id == "business-revenue"
    # why: Seoul Metro's KRW 2.12 billion is a contract value, not a part of the revenue total
    assert [part.id for part in parts] == ["lg-cns", "korea-smart-card"]
    view = total_view(CATALOG, total, parts, Filters())
    assert view.unattributed == 992_770_000_000 - 644_500_000_000 - 48_250_000_000
    assert view.unattributed == 300_020_000_000
    assert view.rows_won == 992_770_000_000
    countries = by_country(CATALOG, view)
    assert [(group.key, group.won, group.role) for group in countries] == [
        (("CO", "GR"), 644_500_000_000, Role.NAMED),
        (("MN", "MY", "NZ", "TH"), 48_250_000_000, Role.NAMED),
        ((), 300_020_000_000, Role.UNATTRIBUTED),
    ]
    assert countries[0].joint
    assert countries[-1].unattributed
    assert sum(group.won for group in countries) == total.value.won
    sectors = by_sector(view)
    assert [(group.key, group.won, group.role) for group in sectors] == [
        (("transportation",), 692_750_000_000, Role.NAMED),
        ((), 300_020_000_000, Role.UNATTRIBUTED),
    ]


def test_a_shared_figure_is_one_row_under_a_filter_on_either_country() -> None:
    ((total, parts),) = stated_totals(BUNDLED)
    for country in ("CO", "GR"):
        view = total_view(
            CATALOG, total, parts, resolve_filters(CATALOG, FilterRequest((country,)))
        )
        assert [part.id for part in view.parts] == ["lg-cns"]
        assert view.unattributed is None  # the total names no country: not Greece's money
        assert [(g.key, g.won) for g in by_country(CATALOG, view)] == [
            (("CO", "GR"), 644_500_000_000)
        ]


def test_sorting() -> None:
    figures = select(CATALOG, Filters())
    by_amount = sort_figures(figures, SortKey.AMOUNT)
    money = [f for f in by_amount if f.value.unit.value == "KRW"]
    assert by_amount[: len(money)] == tuple(money)  # money first, never mixed with counts
    assert [f.value.won for f in money] == sorted((f.value.won for f in money), reverse=True)
    assert [f.id for f in sort_figures(figures, SortKey.ID)] == sorted(f.id for f in figures)
    assert sort_figures(figures, SortKey.ARTICLE) == figures
    kinds = [f.kind for f in sort_figures(figures, SortKey.KIND)]
    assert kinds[0].value == "revenue"
    assert kinds[-1].value == "distance"


# ---- property tests on random datasets --------------------------------------------------------

CODES = ("AA", "BB", "CC", "DD")
SOURCE = {"title": "T", "publisher": "P", "file": "a.txt", "sha256": "0" * 64}


def _money(figure_id: str, won: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": figure_id,
        "kind": "revenue",
        "label": figure_id,
        "value": f"KRW {won}",
        "quote": f"earned KRW {won}",
        **extra,
    }


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    countries = [
        {"code": code, "name": f"Land {code}", "aliases": [f"Alias {code}"]}
        for code in CODES[: draw(st.integers(1, 4))]
    ]
    cities = [
        {
            "id": f"city-{index}",
            "name": f"Town {index}",
            "country": draw(st.sampled_from(countries))["code"],
        }
        for index in range(draw(st.integers(0, 4)))
    ]
    organizations = [{"id": f"org-{i}", "name": f"Org {i}", "type": "company"} for i in range(3)]
    sectors = [{"id": f"sector-{i}", "name": f"Sector {i}"} for i in range(3)]
    partners = [{"city": city["id"]} for city in cities] + [
        {"country": country["code"]} for country in countries
    ]

    def attributes() -> dict[str, Any]:
        chosen: dict[str, Any] = {
            "partners": draw(st.lists(st.sampled_from(partners), max_size=3, unique_by=str)),
            "sectors": draw(st.lists(st.sampled_from([s["id"] for s in sectors]), max_size=2)),
        }
        earner = draw(st.none() | st.sampled_from([o["id"] for o in organizations]))
        return {**chosen, "earner": earner} if earner else chosen

    figures: list[dict[str, Any]] = []
    for number in range(draw(st.integers(1, 2))):
        total_id = f"total-{number}"
        won = draw(st.integers(0, 10**15))
        figures.append(_money(total_id, won, total=True, **attributes()))
        for index in range(draw(st.integers(0, 5))):
            part_won = draw(st.integers(0, 10**14))
            figures.append(
                _money(f"part-{number}-{index}", part_won, part_of=total_id, **attributes())
            )
    figures.append(_money("loose", draw(st.integers(0, 10**12)), **attributes()))
    return validate(
        Dataset,
        {
            "source": SOURCE,
            "countries": countries,
            "cities": cities,
            "organizations": organizations,
            "sectors": sectors,
            "figures": figures,
        },
    )


@st.composite
def requests(draw: st.DrawFn, dataset: Dataset) -> FilterRequest:
    def typed(names: list[str]) -> tuple[str, ...]:
        picked = draw(st.lists(st.sampled_from(names), max_size=2)) if names else []
        # why: users type any case; matching must not care
        return tuple(name.upper() if draw(st.booleans()) else name for name in picked)

    return FilterRequest(
        countries=typed([n for c in dataset.countries for n in (c.code, c.name, *c.aliases)]),
        cities=typed([c.name for c in dataset.cities]),
        sectors=typed([s.name for s in dataset.sectors]),
        companies=typed([o.name for o in dataset.organizations]),
        kinds=typed(["revenue", "count"]) if draw(st.booleans()) else (),
    )


def _naive_match(catalog: Catalog, figure: Figure, filters: Filters) -> bool:
    """The filter semantics spelled out again, independently, to compare with ``matches``."""
    countries = {catalog.partner_country(p) for p in figure.partners}
    cities = {p.city for p in figure.partners}
    checks: list[tuple[tuple[object, ...], Callable[[object], bool]]] = [
        (filters.kinds, lambda value: figure.kind == value),
        (filters.companies, lambda value: figure.earner == value),
        (filters.sectors, lambda value: value in figure.sectors),
        (filters.countries, lambda value: value in countries),
        (filters.cities, lambda value: value in cities),
    ]
    return all(not values or any(test(value) for value in values) for values, test in checks)


def _keys_of(catalog: Catalog) -> tuple[Callable[[Figure], tuple[str, ...]], ...]:
    return (lambda figure: figure.sectors), catalog.countries_of


def _check_roles(
    view: TotalView, groups: tuple[Group, ...], key_of: Callable[[Figure], tuple[str, ...]]
) -> None:
    """Each row's role fits its content: parts without a key are never the unattributed rest."""
    assert len({(group.role, group.key) for group in groups}) == len(groups)
    assert [group.unattributed for group in groups].count(True) == (view.unattributed is not None)
    for group in groups:
        assert (group.role is Role.NAMED) == bool(group.key)
        if group.role in (Role.UNATTRIBUTED, Role.EXCESS):
            assert group.unattributed
            assert group.figures == ()
            assert group.won == view.unattributed
        assert (group.role is Role.EXCESS) == (group.unattributed and group.won < 0)
    unkeyed = [part.id for part in view.parts if not key_of(part)]
    not_given = [group for group in groups if group.role is Role.NOT_GIVEN]
    assert [list(group.figures) for group in not_given] == ([unkeyed] if unkeyed else [])
    assert not any(group.unattributed for group in not_given)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_breakdown_adds_up_to_its_total(data: st.DataObject) -> None:
    dataset = data.draw(datasets())
    catalog = Catalog(dataset)
    filters = resolve_filters(catalog, data.draw(requests(dataset)))
    for figure in dataset.figures:
        assert matches(catalog, figure, filters) == _naive_match(catalog, figure, filters)
    for total, parts in stated_totals(dataset):
        view = total_view(catalog, total, parts, filters)
        # why: the summary gives the parts' amounts it has read (reports._total_summary)
        assert total_view(catalog, total, parts, filters, [p.value.won for p in parts]) == view
        matching = [part for part in parts if _naive_match(catalog, part, filters)]
        assert list(view.parts) == matching
        assert list(view.parts_won) == [part.value.won for part in matching]
        remainder = total.value.won - sum(part.value.won for part in parts)
        expected_remainder = remainder if _naive_match(catalog, total, filters) else None
        assert view.unattributed == expected_remainder
        assert view.rows_won == sum(p.value.won for p in matching) + (expected_remainder or 0)
        if not filters.active:
            assert view.rows_won == total.value.won  # the rows add up to the stated total
        by_sector_key, by_country_key = _keys_of(catalog)
        for groups, key_of in (
            (by_sector(view), by_sector_key),
            (by_country(catalog, view), by_country_key),
        ):
            assert sum(group.won for group in groups) == view.rows_won
            listed = [figure_id for group in groups for figure_id in group.figures]
            assert sorted(listed) == sorted(part.id for part in matching)  # each exactly once
            _check_roles(view, groups, key_of)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_filtered_parts_add_up_to_the_named_whole(dataset: Dataset) -> None:
    """Filtering by each earner in turn splits the named parts without loss or double count."""
    catalog = Catalog(dataset)
    for total, parts in stated_totals(dataset):
        if total.earner is not None:
            continue  # why: the remainder belongs to the total's earner; checked above
        per_earner = 0
        for organization in dataset.organizations:
            filters = resolve_filters(catalog, FilterRequest(companies=(organization.name,)))
            per_earner += total_view(catalog, total, parts, filters).rows_won
        assert per_earner == sum(part.value.won for part in parts if part.earner is not None)


def _small(total: dict[str, Any], *parts: dict[str, Any]) -> Dataset:
    return validate(
        Dataset,
        {
            "source": SOURCE,
            "countries": [{"code": "AA", "name": "Land AA"}],
            "sectors": [{"id": "water", "name": "Water"}],
            "figures": [total, *parts],
        },
    )


def _groups(dataset: Dataset) -> tuple[tuple[Group, ...], tuple[Group, ...]]:
    catalog = Catalog(dataset)
    ((total, parts),) = stated_totals(dataset)
    view = total_view(catalog, total, parts, Filters())
    return by_sector(view), by_country(catalog, view)


def test_a_part_without_sector_or_partner_is_not_the_unattributed_rest() -> None:
    dataset = _small(
        _money("all", 10, total=True),
        _money("placed", 5, part_of="all", sectors=["water"], partners=[{"country": "AA"}]),
        _money("bare", 3, part_of="all"),
    )
    for groups in _groups(dataset):
        assert [(g.role, g.key, g.won, g.figures) for g in groups] == [
            (Role.NAMED, groups[0].key, 5, ("placed",)),
            (Role.NOT_GIVEN, (), 3, ("bare",)),
            (Role.UNATTRIBUTED, (), 2, ()),
        ]


def test_parts_above_their_total_make_a_row_of_their_own() -> None:
    # why: even when the total has a sector, a negative rest never quietly shrinks that row
    dataset = _small(
        _money("all", 10, total=True, sectors=["water"]),
        _money("a", 8, part_of="all", sectors=["water"]),
        _money("b", 5, part_of="all"),
    )
    sectors, countries = _groups(dataset)
    assert [(g.role, g.key, g.won) for g in sectors] == [
        (Role.NAMED, ("water",), 8),
        (Role.NOT_GIVEN, (), 5),
        (Role.EXCESS, (), -3),
    ]
    assert [(g.role, g.won) for g in countries] == [(Role.NOT_GIVEN, 13), (Role.EXCESS, -3)]


def test_a_positive_rest_joins_the_row_of_the_totals_own_sector() -> None:
    dataset = _small(
        _money("all", 10, total=True, sectors=["water"]),
        _money("a", 8, part_of="all", sectors=["water"]),
    )
    sectors, _ = _groups(dataset)
    assert [(g.role, g.key, g.won, g.unattributed) for g in sectors] == [
        (Role.NAMED, ("water",), 10, True)
    ]


@pytest.mark.parametrize(
    ("request_", "selected"),
    [
        (FilterRequest(), {"bogota", "athens"}),
        (FilterRequest(countries=("GR",)), {"athens"}),
        (FilterRequest(cities=("Bogota",), countries=("CO",)), {"bogota"}),
        # each partner picked by one option: both are matching partners, neither "shared with"
        (FilterRequest(cities=("Athens",), countries=("CO",)), {"bogota", "athens"}),
    ],
)
def test_partners_picked_by_any_place_filter(request_: FilterRequest, selected: set[str]) -> None:
    filters = resolve_filters(CATALOG, request_)
    lg_cns = CATALOG.figures["lg-cns"]
    assert matches(CATALOG, lg_cns, filters)
    picked = {p.city for p in lg_cns.partners if partner_selected(CATALOG, p, filters)}
    assert picked == selected


def test_sorting_by_amount_puts_what_admits_more_first_then_ids() -> None:
    written = {
        "exact": "KRW 10 billion",
        "over-b": "over KRW 10 billion",
        "over-a": "more than KRW 10 billion",
        "least": "at least KRW 10 billion",
        "range": "KRW 10 to 12 billion",
        "under": "under KRW 10 billion",
        "bigger": "KRW 10.5 billion",
        "also-exact": "KRW 10 billion",
    }
    dataset = validate(
        Dataset,
        {
            "source": SOURCE,
            "figures": [
                {"id": ref, "kind": "revenue", "label": ref, "value": value, "quote": value}
                for ref, value in written.items()
            ],
        },
    )
    assert [f.id for f in sort_figures(dataset.figures, SortKey.AMOUNT)] == [
        "bigger",
        "over-a",
        "over-b",
        "least",
        "range",
        "also-exact",
        "exact",
        "under",
    ]


def _fold_every_text_alike(name: str) -> str:
    """What ``fold`` did before it took ASCII text by a shorter way."""
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", plain.casefold()).split())


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=0x7F)) | st.text())
def test_fold_of_ascii_text_is_that_of_any_text(name: str) -> None:
    assert fold(name) == _fold_every_text_alike(name)


def test_fold_examples() -> None:
    assert fold("Bogotá  D.C.") == "bogota d c"
    assert fold("e-Government_Hub") == "e government hub"
    assert fold("ＫＲＷ") == "krw"
