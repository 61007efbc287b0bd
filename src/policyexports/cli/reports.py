"""The ``summary`` and ``list`` commands: options in, a report rendered in the chosen format out."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from policyexports.cli.common import (
    DataOption,
    ForceOption,
    FormatOption,
    OutputOption,
    UnitOption,
    app,
    emit,
    held,
    kept,
    load_dataset,
    say,
    terminal_width,
    use_color,
    user_errors,
)
from policyexports.quantities import DisplayUnit
from policyexports.render.plain import OutputFormat

if TYPE_CHECKING:
    from policyexports.queries import FilterRequest
    from policyexports.render.reports import Report


class SortChoice(StrEnum):
    """The values of ``queries.SortKey``, repeated so that ``--help`` need not load the models.

    A test keeps the two equal.
    """

    KIND = "kind"
    AMOUNT = "amount"
    ID = "id"
    ARTICLE = "article"


def _filter(option: str, help_text: str) -> object:
    return typer.Option(option, metavar="NAME", help=help_text + " Repeatable.", show_default=False)


CountryFilter = Annotated[
    list[str] | None,
    _filter("--country", "Only figures with a partner in this country (name or ISO code)."),
]
CityFilter = Annotated[list[str] | None, _filter("--city", "Only figures with this partner city.")]
SectorFilter = Annotated[list[str] | None, _filter("--sector", "Only figures in this sector.")]
CompanyFilter = Annotated[
    list[str] | None, _filter("--company", "Only figures earned or signed by this organization.")
]
KindFilter = Annotated[
    list[str] | None,
    _filter("--kind", "Only figures of this kind (revenue, contract_value, count, ...)."),
]


def _request(
    country: list[str] | None,
    city: list[str] | None,
    sector: list[str] | None,
    company: list[str] | None,
    kind: list[str] | None,
) -> "FilterRequest":
    from policyexports.queries import FilterRequest

    return FilterRequest(
        countries=tuple(country or ()),
        cities=tuple(city or ()),
        sectors=tuple(sector or ()),
        companies=tuple(company or ()),
        kinds=tuple(kind or ()),
    )


def _show(
    report: "Report", fmt: OutputFormat, unit: DisplayUnit, output: str | None, force: bool
) -> None:
    from policyexports.render.reports import View, render_pieces

    view = View(unit=unit, color=output is None and use_color(), width=terminal_width())
    emit(render_pieces(report, fmt, view), output, force)


@app.command()
def summary(
    *,
    country: CountryFilter = None,
    city: CityFilter = None,
    sector: SectorFilter = None,
    company: CompanyFilter = None,
    kind: KindFilter = None,
    data: DataOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    unit: UnitOption = DisplayUnit.BILLION,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """What the article says the money is, and how it adds up.

    The stated total of revenue with each named earner's amount and share, what the article
    leaves unattributed, the total by sector and by partner country, and the other figures
    listed apart by kind. Filters repeat: values of one option are OR-ed, options AND-ed.

    Example: policyexports summary --country Colombia --format markdown
    """
    from policyexports.render.words import summary_warnings
    from policyexports.reports import build_summary

    with user_errors():
        loaded = load_dataset(data)
        request = _request(country, city, sector, company, kind)
        with kept():
            report = held(build_summary(loaded.dataset, request, name=loaded.name))
        _show(report, fmt, unit, output, force)
        # why: data to standard output, what is wrong with the data to standard error
        for warning in summary_warnings(report, unit):
            say(f"policyexports: {warning}")


@app.command("list")
def list_figures(
    *,
    country: CountryFilter = None,
    city: CityFilter = None,
    sector: SectorFilter = None,
    company: CompanyFilter = None,
    kind: KindFilter = None,
    sort: Annotated[
        SortChoice,
        typer.Option(
            "--sort",
            case_sensitive=False,
            help="Order of the rows: kind (then the article's order), amount (money largest "
            "first, then other kinds), id, or article.",
        ),
    ] = SortChoice.KIND,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=1, metavar="N", help="Show at most N rows.", show_default=False
        ),
    ] = None,
    data: DataOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    unit: UnitOption = DisplayUnit.BILLION,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Every figure of the article as a row: who, where, sector, amount and quote.

    A figure shared by several partners (LG CNS: Bogota and Athens) is one row, marked as
    shared, under a filter on any of its countries. Filters repeat: values of one option are
    OR-ed, options AND-ed.

    Example: policyexports list --country CO --sort amount --format csv
    """
    from policyexports.queries import SortKey
    from policyexports.reports import build_list

    with user_errors():
        loaded = load_dataset(data)
        request = _request(country, city, sector, company, kind)
        with kept():
            report = held(
                build_list(
                    loaded.dataset, request, sort=SortKey(sort.value), limit=limit, name=loaded.name
                )
            )
        _show(report, fmt, unit, output, force)
