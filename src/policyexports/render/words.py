"""Text shared by every report format: amounts, shares, names, partners, filters and quotes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from policyexports.models import KIND_LABEL, Quantity
from policyexports.quantities import (
    EXACT_PLACES,
    UNIT_SUFFIX,
    Bound,
    DisplayUnit,
    Unit,
    decimal_places,
    exact_decimal,
    format_won,
    round_clear_of,
    rounded,
    shifted_text,
)
from policyexports.queries import Role
from policyexports.render.plain import visible as escaped
from policyexports.render.reports import EXCESS, UNATTRIBUTED, Report
from policyexports.reports import (
    ActiveFilter,
    FigureRow,
    ListReport,
    Named,
    ShareRow,
    SummaryReport,
    TotalSummary,
)

_BOUND_WORD = {Bound.OVER: "over ", Bound.AT_LEAST: "at least ", Bound.UNDER: "under "}
_SUFFIX = {Unit.PERCENT: "%", Unit.KM: " km", Unit.YEARS: " years"}
_MONTHS = "January February March April May June July August September October November December"


def _plain_number(value: Decimal, separators: bool) -> str:
    return f"{value:,f}" if separators else f"{value:f}"


def amount_number(value: Quantity, unit: DisplayUnit, *, separators: bool = True) -> str:
    """The number(s) alone: "644.5", "0.4 to 0.5" (money in ``unit``), "70", "June 2016"."""
    if value.unit is Unit.KRW:
        text = format_won(value.won, unit, separators=separators)
        if value.high is not None:
            text += " to " + format_won(int(value.high), unit, separators=separators)
        return text
    if value.unit is Unit.YEAR:
        year = str(int(value.value))
        return year if value.month is None else f"{_MONTHS.split()[value.month - 1]} {year}"
    text = _plain_number(value.value, separators)
    if value.high is not None:
        text += " to " + _plain_number(value.high, separators)
    return text


def amount_text(
    row: FigureRow, unit: DisplayUnit, *, separators: bool = True, money_unit: bool = False
) -> str:
    """The amount as a reader says it: "over 1,000", "15 cities", "70%", "2.8 km".

    With ``money_unit``, money names its unit too ("KRW 13.5 billion"), for a column that mixes
    money with counts and shares.
    """
    number = amount_number(row.value, unit, separators=separators)
    if money_unit and row.value.unit is Unit.KRW:
        number = f"KRW {number}{UNIT_SUFFIX[unit]}"
    text = _BOUND_WORD.get(row.value.bound, "") + number
    if row.value.unit is Unit.COUNT:
        return text + (f" {row.counts}" if row.counts else "")
    return text + _SUFFIX.get(row.value.unit, "")


def percent_decimal(share: Fraction) -> Decimal:
    """A share as a percentage to two decimals (more when two would read as 0% or 100%)."""
    return round_clear_of(share * 100, 2, (0, 100))


def share_text(share: Fraction | None) -> str:
    return "n/a" if share is None else f"{percent_decimal(share):f}%"


class PlainDecimal(Decimal):
    """A Decimal whose text never uses an exponent: 0.000000001, not 1E-9 (CSV cells)."""

    def __str__(self) -> str:
        return format(self, "f")


def plain(value: Decimal | None) -> PlainDecimal | None:
    return None if value is None else PlainDecimal(value)


def share_decimal(share: Fraction | None) -> PlainDecimal | None:
    """Exact when the decimal expansion ends, else to 12 places (more when 12 would read 0 or 1)."""
    if share is None:
        return None
    exact = exact_decimal(share)
    if exact in (0, 1) and share != exact:
        exact = round_clear_of(share, EXACT_PLACES, (0, 1))
    return PlainDecimal(exact)


_ONE = 10**EXACT_PLACES
_LONG = 10**40  # why: no real share is this long, and str() of an int has a limit


def share_decimal_text(share: Fraction) -> str:
    """``str(share_decimal(share))``, with no Decimal in the usual cases (a large summary
    shows hundreds of thousands of shares)."""
    numerator, denominator = share.numerator, share.denominator
    places = decimal_places(denominator)
    if places is not None:  # why: the expansion ends; share_decimal shows it whole
        digits = numerator * 10**places // denominator
        if abs(digits) < _LONG:
            return shifted_text(digits, places, separators=False)
        return str(share_decimal(share))
    whole = rounded(numerator, denominator, EXACT_PLACES)
    if whole in (0, _ONE) or abs(whole) >= _LONG:  # why: read as 0 or 1, more places show
        return str(share_decimal(share))
    sign, whole = ("-" if whole < 0 else ""), abs(whole)
    return f"{sign}{whole // _ONE}.{whole % _ONE:0{EXACT_PLACES}d}"


def visible(text: str) -> str:
    """Text from the data as a table cell shows it: control characters escaped, line breaks
    and tabs as spaces."""
    return escaped(text, line_breaks=" ")


def names_text(names: tuple[Named, ...]) -> str:
    return " + ".join(named.name for named in names)


def row_name(row: ShareRow, unit: DisplayUnit, not_given: str) -> str:
    """A breakdown row's name: its place(s) or sector(s), or what its role makes it."""
    if row.role is Role.NOT_GIVEN:
        return not_given
    if row.role is Role.UNATTRIBUTED:
        return UNATTRIBUTED
    if row.role is Role.EXCESS:
        return f"{EXCESS} by {format_won(-row.won, unit)}"
    return names_text(row.names)


def partners_text(row: FigureRow) -> str:
    """Partners with the marks that keep a shared figure from being read as one country's."""
    if row.shared_with:
        # why: the partners a place filter picks first, then those it does not
        chosen = [place.label for place in row.partners if place.label not in row.shared_with]
        shared = f"shared with {', '.join(row.shared_with)} (not split)"
        return f"{', '.join(dict.fromkeys(chosen))}; {shared}" if chosen else shared
    text = ", ".join(place.label for place in row.partners)
    return f"{text} (joint, not split)" if row.joint else text


def unattributed_work(total: TotalSummary, unit: DisplayUnit) -> str:
    """The arithmetic behind the unattributed row, to show the work."""
    assert total.unattributed is not None
    named = "".join(f" − {format_won(won, unit)}" for won in total.named_parts_won)
    rest = total.unattributed.won
    # why: the line subtracts with a minus sign (U+2212); a negative result takes the same
    result = f"−{format_won(-rest, unit)}" if rest < 0 else format_won(rest, unit)
    work = (
        f"stated total − every named part = "
        f"{format_won(total.total.value.won, unit)}{named} = {result}"
    )
    if total.unattributed.excess:
        return f"{EXCESS} by {format_won(-total.unattributed.won, unit)}: {work}"
    return f"{UNATTRIBUTED} = {work}"


def _krw(won: int, unit: DisplayUnit) -> str:
    return "KRW " + format_won(won, unit, suffix=True)


def summary_warnings(report: SummaryReport, unit: DisplayUnit) -> list[str]:
    """Warnings about the data behind a summary, for standard error (never in the report)."""
    return [
        f"warning: the named parts of the stated total '{visible(total.total.id)}' add up to "
        f"{_krw(sum(total.named_parts_won), unit)}, more than the "
        f"{_krw(total.total.value.won, unit)} stated (by {_krw(total.excess_won, unit)})"
        + ("; the summary shows the difference as a negative row" if total.unattributed else "")
        for total in report.totals
        if total.excess_won
    ]


def filters_text(filters: tuple[ActiveFilter, ...]) -> str:
    if not filters:
        return "none"
    return "; ".join(
        f"{active.option} = {' or '.join(v.name for v in active.values)}" for active in filters
    )


def short_quote(quote: str, anchor: str, limit: int) -> str:
    """At most ``limit`` characters of ``quote``, whole words around ``anchor`` (the figure)."""
    if len(quote) <= limit:
        return quote
    middle = max(quote.find(anchor), 0) + len(anchor) // 2
    start = max(0, middle - limit // 2)
    # why: leave room for an ellipsis at each end that is cut
    if start == 0:
        end = limit - 1
    elif start + limit - 1 >= len(quote):
        start, end = len(quote) - limit + 1, len(quote)
    else:
        end = start + limit - 2
    if start > 0 and quote[start - 1] != " ":
        start = quote.find(" ", start) + 1 or start
    if end < len(quote) and quote[end] != " ":
        end = quote.rfind(" ", start, end) if quote.rfind(" ", start, end) > start else end
    text = quote[start:end].strip()
    return ("…" if start > 0 else "") + text + ("…" if end < len(quote) else "")


def nothing_text(report: Report) -> str:
    """What an empty report says: a filter that matches nothing, or a dataset with no figures."""
    return "No figure matches the filters." if report.filters else "The dataset has no figures."


def who_text(row: FigureRow) -> str:
    return row.earner.name if row.earner is not None else ""


def no_total_text(report: SummaryReport) -> str:
    if report.has_totals:
        return "No stated total or part of one matches the filters."
    return "The dataset states no total with named parts."


def others_title(report: SummaryReport) -> str:
    """The heading of the figures listed apart: "the totals above" only when totals are shown."""
    kept = "never added to the totals above" if report.totals else "never added to any total"
    return f"Other figures, each of its own kind, {kept}"


def not_shown_text(report: SummaryReport) -> str:
    counted = ", ".join(f"{KIND_LABEL[kind]}: {count}" for kind, count in report.not_shown)
    return f"Not shown here, see `policyexports list`: figures of other kinds ({counted})."


def count_text(report: ListReport) -> str:
    """ "3 of 35 figures" when ``--limit`` cut the list, else "35 figures"."""
    shown = len(report.rows)
    counted = f"{shown} of {report.matched}" if shown < report.matched else str(shown)
    return f"{counted} figure{'' if report.matched == 1 else 's'}"
