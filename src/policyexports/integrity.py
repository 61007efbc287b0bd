"""Checks across the dataset that types alone cannot express: ids, references, kinds, quotes."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from policyexports.basetypes import SPACES
from policyexports.claims import (
    Claim,
    Compare,
    Duration,
    NamedCount,
    PartsWithinTotal,
    Share,
    Total,
)
from policyexports.models import (
    KIND_UNIT,
    City,
    Country,
    Dataset,
    Figure,
    Kind,
    Organization,
    Sector,
)
from policyexports.names import fold
from policyexports.quantities import Bound, Unit
from policyexports.quotes import missing_quotes

try:  # why: hashlib loads OpenSSL on import, 3 ms of a first run; the builtin is the same
    if sys.version_info >= (3, 12):
        from _sha2 import sha256
    else:
        from _sha256 import sha256  # type: ignore[import-not-found]  # typeshed has no stub
except ImportError:  # pragma: no cover - an interpreter without CPython's builtin modules
    from hashlib import sha256

Path = tuple[str | int, ...]


class Issue(NamedTuple):
    """A problem at a JSON path of the dataset."""

    path: Path
    message: str


def _duplicates(
    items: Iterable[tuple[Path, str]], what: str, done: str = "defined"
) -> Iterator[Issue]:
    first: dict[str, Path] = {}
    for path, key in items:
        if key in first:
            yield Issue(path, f"duplicate {what} {key!r} (first {done} at {_show(first[key])})")
        else:
            first[key] = path


def _listed_once(
    path: Path, field: str, keys: Sequence[str], what: str, inner: Path = ()
) -> Iterator[Issue]:
    """A figure's partners or sectors, or a claim's readings' labels, each once."""
    if len(keys) > 1 and len(set(keys)) != len(keys):  # why: the usual case, at C speed
        yield from _duplicates(
            ((path + (field, position, *inner), key) for position, key in enumerate(keys)),
            what,
            "listed",
        )


def _as_read(label: str) -> str:
    """A label as a reader sees it: spaces (those text may not be made of alone) trimmed and
    each run of them one space, so "X" and "X " are one label."""
    import re  # why: only claims with readings are read this way

    return " ".join(part for part in re.split(f"[{SPACES}]+", label) if part)


def _show(path: Path) -> str:
    from policyexports.jsonpos import format_path  # why: a valid dataset shows no path

    return format_path(path)


def _aliases(dataset: Dataset) -> Iterator[Issue]:
    # why: a name that means two entities would make a filter silently pick one
    groups: list[list[tuple[Path, str, list[tuple[Path, str]]]]] = [
        [
            (("countries", i), c.code, _names("code", c.code, c))
            for i, c in enumerate(dataset.countries)
        ],
        [(("cities", i), c.id, _names("id", c.id, c)) for i, c in enumerate(dataset.cities)],
        [
            (("organizations", i), o.id, _names("id", o.id, o))
            for i, o in enumerate(dataset.organizations)
        ],
        [(("sectors", i), s.id, _names("id", s.id, s)) for i, s in enumerate(dataset.sectors)],
    ]
    for entries in groups:
        owner: dict[str, str] = {}
        for path, key, names in entries:
            for where, name in names:
                other = owner.setdefault(fold(name), key)
                if other != key:
                    # why: at the field that holds the name (its name, or the alias itself)
                    yield Issue(path + where, f"name {name!r} also names {other!r}")


def _names(
    field: str, key: str, entity: Country | City | Organization | Sector
) -> list[tuple[Path, str]]:
    """Every name of an entity, each with where it is: its id or code, name and aliases."""
    return [
        ((field,), key),
        (("name",), entity.name),
        *((("aliases", index), alias) for index, alias in enumerate(entity.aliases)),
    ]


def _figure_refs(dataset: Dataset, figures: dict[str, Figure]) -> Iterator[Issue]:
    countries = {country.code for country in dataset.countries}
    cities: dict[str, City] = {city.id: city for city in dataset.cities}
    organizations = {organization.id for organization in dataset.organizations}
    sectors = {sector.id for sector in dataset.sectors}
    for index, defined in enumerate(dataset.cities):
        if defined.country not in countries:
            yield Issue(("cities", index, "country"), f"unknown country {defined.country!r}")
    # why: a path is made only for a problem; most figures have none, and a large dataset has
    # hundreds of thousands
    for index, figure in enumerate(dataset.figures):
        earner, partners, named_sectors = figure.earner, figure.partners, figure.sectors
        if earner is not None and earner not in organizations:
            yield Issue(("figures", index, "earner"), f"unknown organization {earner!r}")
        for position, partner in enumerate(partners):
            city_id, code = partner.city, partner.country
            city = None if city_id is None else cities.get(city_id)
            if code is None and city is not None:
                continue
            where: Path = ("figures", index, "partners", position)
            if city_id is not None and city is None:
                yield Issue(where + ("city",), f"unknown city {city_id!r}")
            if code is not None and code not in countries:
                yield Issue(where + ("country",), f"unknown country {code!r}")
            if city is not None and code not in (None, city.country):
                yield Issue(where + ("country",), f"{city.name} is in {city.country}, not {code}")
        if not sectors.issuperset(named_sectors):
            for position, sector in enumerate(named_sectors):
                if sector not in sectors:
                    yield Issue(
                        ("figures", index, "sectors", position), f"unknown sector {sector!r}"
                    )
        # why: a place or sector named twice is shown twice, and a breakdown must not count it so
        if len(partners) > 1:
            places = [partner.city or partner.country or "" for partner in partners]
            yield from _listed_once(("figures", index), "partners", places, "partner")
        if len(named_sectors) > 1:
            yield from _listed_once(("figures", index), "sectors", named_sectors, "sector")
        if figure.part_of is not None:
            path: Path = ("figures", index)
            whole = figures.get(figure.part_of)
            if whole is None:
                yield Issue(path + ("part_of",), f"unknown figure {figure.part_of!r}")
            elif whole.kind is not figure.kind or not whole.total:
                yield Issue(
                    path + ("part_of",),
                    f'{figure.part_of!r} must be a total ("total": true) of kind '
                    f"{figure.kind.value}, not a {whole.kind.value}"
                    + ("" if whole.total else " that is not a total"),
                )
            elif whole.part_of is not None:
                yield Issue(path + ("part_of",), "totals nest one level only")
            elif whole.value.bound is not Bound.ROUNDED:
                # why: "over KRW 1 trillion" has no remainder to attribute; breakdowns need a number
                yield Issue(
                    path + ("part_of",),
                    f"{figure.part_of!r} is written as a bound "
                    f"({whole.value.written!r}); a total with parts must state a number",
                )
        if figure.total and figure.part_of is not None:
            yield Issue(
                ("figures", index, "total"), "a total cannot itself be part of another total"
            )


def _expect(
    figures: dict[str, Figure], path: Path, ref: str, kinds: set[Kind] | None, what: str
) -> Iterator[Issue]:
    figure = figures.get(ref)
    # why: an unknown id is reported once, by the walk over every claim's references
    if figure is not None and kinds is not None and figure.kind not in kinds:
        names = " or ".join(sorted(kind.value for kind in kinds))
        yield Issue(path, f"{ref!r} is a {figure.kind.value}; {what} must be a {names}")


def _same_unit(
    figures: dict[str, Figure], path: Path, refs: Iterable[str], unit: Unit | None = None
) -> Iterator[Issue]:
    units = {figures[ref].value.unit for ref in refs if ref in figures}
    if unit is not None:
        units.add(unit)
    if len(units) > 1:
        shown = ", ".join(sorted(u.value for u in units))
        yield Issue(path, f"figures of different units cannot be combined ({shown})")


def _reversed(figures: dict[str, Figure], start_id: str, end_id: str) -> bool:
    start, end = figures.get(start_id), figures.get(end_id)
    if start is None or end is None:
        return False
    earliest, *_ = start.value.ends()
    _, latest, *_ = end.value.ends()
    return earliest is not None and latest is not None and earliest >= latest


def _self_references(claim: Claim, path: Path) -> Iterator[Issue]:
    """A figure compared with itself (a total among its own parts, the same figure on both
    sides, a span from a date to itself) makes a claim hold trivially."""
    sides: list[tuple[str, Path, set[str], set[str]]] = []
    if isinstance(claim, PartsWithinTotal):
        sides.append(("total", ("parts",), {claim.total}, set(claim.parts)))
    elif isinstance(claim, Share):
        for index, share in enumerate(claim.readings):
            refs = set(share.numerator) | set(share.denominator)
            sides.append(("stated", ("readings", index), {claim.stated}, refs))
    elif isinstance(claim, Total):
        for index, total in enumerate(claim.readings):
            refs = set(total.counted)
            sides.append(("stated", ("readings", index, "counted"), {claim.stated}, refs))
    elif isinstance(claim, Compare):
        for index, compare in enumerate(claim.readings):
            refs = set(compare.right)
            sides.append(("left", ("readings", index, "right"), set(compare.left), refs))
    elif isinstance(claim, Duration):
        for index, span in enumerate(claim.readings):
            sides.append(("start", ("readings", index, "end"), {span.start}, {span.end}))
            sides.append(("stated", ("readings", index), {claim.stated}, {span.start, span.end}))
    for name, where, left, right in sides:
        for ref in sorted(left & right):
            yield Issue(path + where, f"figure {ref!r} is compared with itself (it is also {name})")


def _claims(dataset: Dataset, figures: dict[str, Figure]) -> Iterator[Issue]:
    money = {kind for kind, unit in KIND_UNIT.items() if unit is Unit.KRW}
    for index, claim in enumerate(dataset.claims):
        path: Path = ("claims", index)
        seen: dict[Path, set[str]] = {}
        for where, ref in claim.figure_refs():
            if ref not in figures:
                yield Issue(path + where, f"unknown figure {ref!r}")
            # why: a figure named twice in one sum would be counted twice (a sum's refs are
            # the items of a list, whose paths end with their positions)
            if isinstance(where[-1], int):
                group = seen.setdefault(where[:-1], set())
                if ref in group:
                    yield Issue(path + where, f"figure {ref!r} is listed twice in one sum")
                group.add(ref)
        yield from _self_references(claim, path)
        # why: "holds only if read as ..." names a reading by its label
        # (told apart as a reader sees them: "X" and "X " look alike in a table)
        readings = getattr(claim, "readings", ())
        if len(readings) > 1:  # why: one reading cannot repeat a label
            labels = [_as_read(reading.label) for reading in readings]
            yield from _listed_once(path, "readings", labels, "reading label", ("label",))
        if isinstance(claim, PartsWithinTotal):
            yield from _expect(figures, path + ("total",), claim.total, money, "the total")
            yield from _same_unit(figures, path + ("parts",), claim.parts, Unit.KRW)
        elif isinstance(claim, Share):
            yield from _expect(figures, path + ("stated",), claim.stated, {Kind.SHARE}, "stated")
            for position, reading in enumerate(claim.readings):
                refs = reading.numerator + reading.denominator
                yield from _same_unit(figures, path + ("readings", position), refs)
        elif isinstance(claim, Total):
            yield from _expect(figures, path + ("stated",), claim.stated, money, "stated")
            for position, total_reading in enumerate(claim.readings):
                yield from _same_unit(
                    figures,
                    path + ("readings", position, "counted"),
                    total_reading.counted,
                    Unit.KRW,
                )
        elif isinstance(claim, NamedCount):
            yield from _expect(figures, path + ("stated",), claim.stated, {Kind.COUNT}, "stated")
        elif isinstance(claim, Compare):
            for position, compare_reading in enumerate(claim.readings):
                refs = compare_reading.left + compare_reading.right
                yield from _same_unit(figures, path + ("readings", position), refs)
        elif isinstance(claim, Duration):
            yield from _expect(figures, path + ("stated",), claim.stated, {Kind.DURATION}, "stated")
            for position, duration_reading in enumerate(claim.readings):
                if _reversed(figures, duration_reading.start, duration_reading.end):
                    yield Issue(
                        path + ("readings", position),
                        f"the end {duration_reading.end!r} is before the start "
                        f"{duration_reading.start!r}",
                    )
                for end in ("start", "end"):
                    yield from _expect(
                        figures,
                        path + ("readings", position, end),
                        getattr(duration_reading, end),
                        {Kind.YEAR, Kind.DATE},
                        end,
                    )


def _quotes(dataset: Dataset) -> Iterator[tuple[Path, str]]:
    """Every quote with its path: the figures' first, in the order of the article as a
    dataset lists them, where they are found fastest (``quotes._in_order``); the claims',
    mostly the same sentences; then the few of countries, cities and organizations."""
    for index, figure in enumerate(dataset.figures):
        yield ("figures", index, "quote"), figure.quote
    for index, claim in enumerate(dataset.claims):
        yield ("claims", index, "quote"), claim.quote
    for field in ("countries", "cities", "organizations"):
        for index, entity in enumerate(getattr(dataset, field)):
            if entity.quote is not None:
                yield (field, index, "quote"), entity.quote


def check_integrity(dataset: Dataset, article: str | None, article_name: str) -> list[Issue]:
    """Every cross-reference problem of ``dataset``; quotes checked when ``article`` is given."""
    issues: list[Issue] = []
    issues += _duplicates(
        [(("figures", i, "id"), f.id) for i, f in enumerate(dataset.figures)]
        + [(("claims", i, "id"), c.id) for i, c in enumerate(dataset.claims)],
        "figure or claim id",
    )
    issues += _duplicates(
        [(("countries", i, "code"), c.code) for i, c in enumerate(dataset.countries)], "country"
    )
    issues += _duplicates(
        [(("cities", i, "id"), c.id) for i, c in enumerate(dataset.cities)], "city"
    )
    issues += _duplicates(
        [(("organizations", i, "id"), o.id) for i, o in enumerate(dataset.organizations)],
        "organization",
    )
    issues += _duplicates(
        [(("sectors", i, "id"), s.id) for i, s in enumerate(dataset.sectors)], "sector"
    )
    issues += _aliases(dataset)
    figures = {figure.id: figure for figure in dataset.figures}
    issues += _figure_refs(dataset, figures)
    issues += _claims(dataset, figures)
    if article is not None:
        digest = article_sha256(article)
        if digest != dataset.source.sha256:
            issues.append(
                Issue(
                    ("source", "sha256"),
                    f"the article {article_name} has changed: its sha256 is {digest}",
                )
            )
        quoted = list(_quotes(dataset))
        missing = missing_quotes(article, (quote for _, quote in quoted))
        issues += (
            Issue(path, f"quote not found verbatim in {article_name}: {quote!r}")
            for path, quote in quoted
            if quote in missing
        )
    return issues


def article_sha256(text: str) -> str:
    """The SHA-256 of an article's UTF-8 text, as a dataset's source records it."""
    return str(sha256(text.encode("utf-8")).hexdigest())
