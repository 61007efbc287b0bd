"""Summary and list results, and their rendering in every format, from datasets built in memory."""

from __future__ import annotations

import csv
import io
import json
import re
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyexports.basetypes import replaced, validate
from policyexports.loading import load
from policyexports.models import Dataset, Kind
from policyexports.quantities import DisplayUnit
from policyexports.queries import FilterRequest, SortKey
from policyexports.render import plain, terminal
from policyexports.render.plain import OutputFormat
from policyexports.render.reports import View, render, render_pieces
from policyexports.render.reports_table import _heading, _list, _summary
from policyexports.render.terminal import text_console
from policyexports.render.words import short_quote
from policyexports.reports import build_list, build_summary
from test_queries import datasets, requests

BUNDLED = load(environ={}).dataset
BILLION = 10**9


def test_summary_of_the_bundled_dataset() -> None:
    report = build_summary(BUNDLED)
    (total,) = report.totals
    assert total.total.id == "business-revenue"
    assert [(p.figure.id, p.figure.won, p.share) for p in total.parts] == [
        ("lg-cns", 644_500_000_000, Fraction(644_500, 992_770)),
        ("korea-smart-card", 48_250_000_000, Fraction(48_250, 992_770)),
    ]
    assert total.unattributed is not None
    assert total.unattributed.won == 300_020_000_000
    assert total.rows.won == 992_770_000_000
    assert total.rows.share == 1
    assert [row.won for row in total.by_country] == [
        644_500_000_000,
        48_250_000_000,
        300_020_000_000,
    ]
    assert [kind.kind for kind in report.others] == [
        Kind.REVENUE,  # the stated totals that have no named parts, listed apart
        Kind.CONTRACT_VALUE,
        Kind.PROJECT_COST,
        Kind.EXPORT_VALUE,
        Kind.RECURRING_YEARLY,
        Kind.COUNT,
        Kind.SHARE,
    ]
    assert all(row.stated_total for row in report.others[0].rows)
    shown = {row.id for section in report.others for row in section.rows}
    assert not shown & {"business-revenue", "lg-cns", "korea-smart-card"}
    # why: a contract value, never a part of the revenue total
    assert [row.id for row in report.others[1].rows] == ["brunei-contract", "seoul-metro"]
    assert dict(report.not_shown) == {
        Kind.YEAR: 5,
        Kind.DATE: 1,
        Kind.DURATION: 6,
        Kind.DISTANCE: 2,
    }


def test_filtered_summary_reports_only_the_matching_figures() -> None:
    report = build_summary(BUNDLED, FilterRequest(countries=("Greece",)))
    assert [(f.option, [v.name for v in f.values]) for f in report.filters] == [
        ("country", ["Greece"])
    ]
    (total,) = report.totals
    assert [part.figure.id for part in total.parts] == ["lg-cns"]
    assert total.unattributed is None
    assert total.rows.won == 644_500_000_000
    assert [[n.id for n in row.names] for row in total.by_country] == [["CO", "GR"]]
    assert report.others == ()


def test_a_kind_filter_keeps_the_total_and_its_unattributed_rest() -> None:
    (total,) = build_summary(BUNDLED, FilterRequest(kinds=("revenue",))).totals
    assert total.unattributed is not None
    assert total.rows.won == total.total.value.won


def test_list_marks_a_shared_figure_under_a_country_filter() -> None:
    report = build_list(BUNDLED, FilterRequest(countries=("GR",)))
    (row,) = report.rows
    assert row.id == "lg-cns"
    assert row.joint
    assert row.shared_with == ("Bogota (Colombia)",)


def test_limit_and_sort() -> None:
    report = build_list(BUNDLED, sort=SortKey.AMOUNT, limit=3)
    # why: "over KRW 1 trillion" admits only more than the headline's exact 1 trillion; two
    # figures that admit the same values are in order of id
    assert [row.id for row in report.rows] == [
        "earnings-likely-over-1-trillion",
        "over-1-trillion",
        "headline-total",
    ]
    assert report.matched == 35


@pytest.mark.parametrize("fmt", list(OutputFormat))
@pytest.mark.parametrize("build", [build_summary, build_list])
def test_every_format_renders_both_reports(fmt: OutputFormat, build: Any) -> None:
    text = render(build(BUNDLED), fmt, View())
    assert text.endswith("\n")
    assert "\x1b" not in text


@pytest.mark.parametrize("unit", list(DisplayUnit))
def test_units_are_exact(unit: DisplayUnit) -> None:
    document = json.loads(render(build_list(BUNDLED), OutputFormat.JSON, View(unit=unit)))
    for figure in document["figures"]:
        amount = figure["amount"]
        if amount["won"] is not None and amount["bound"] == "rounded":
            scaled = Fraction(amount["display"]) * document["won_per_unit"]
            assert scaled == amount["won"]


def test_shares_in_json_are_exact_strings() -> None:
    document = json.loads(render(build_summary(BUNDLED), OutputFormat.JSON, View()))
    (total,) = document["totals"]
    lg_cns = total["parts"][0]
    assert lg_cns["won"] == 644_500_000_000
    assert Fraction(lg_cns["share_exact"]) == Fraction(644_500, 992_770)
    assert lg_cns["share"] == "0.649193670236"
    assert sum(row["won"] for row in total["by_country"]) == total["stated_won"]


# ---- data printed literally, CSV neutralised --------------------------------------------------

HOSTILE_NAMES = [
    "[bold red]X[/]",
    "Esc\x1b[31mape",
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\tTab",
    "\rReturn",
    "Pipe | and *stars*",
]


def hostile_dataset() -> Dataset:
    return validate(
        Dataset,
        {
            "source": {"title": "T", "publisher": "P", "file": "a.txt", "sha256": "0" * 64},
            "countries": [{"code": "AA", "name": "=Land"}],
            "organizations": [
                {"id": f"org-{i}", "name": name, "type": "company"}
                for i, name in enumerate(HOSTILE_NAMES)
            ],
            "figures": [
                {
                    "id": "total",
                    "kind": "revenue",
                    "label": "-total",
                    "value": "KRW 900",
                    "total": True,
                    "quote": "KRW 900",
                },
                *(
                    {
                        "id": f"part-{i}",
                        "kind": "revenue",
                        "label": "@part",
                        "value": f"KRW {i + 1}",
                        "earner": f"org-{i}",
                        "partners": [{"country": "AA"}],
                        "part_of": "total",
                        "quote": f"+quote KRW {i + 1}",
                    }
                    for i in range(len(HOSTILE_NAMES))
                ),
            ],
        },
    )


@pytest.mark.parametrize("build", [build_summary, build_list])
def test_csv_neutralises_formulas_and_keeps_numbers(build: Any) -> None:
    text = render(build(hostile_dataset()), OutputFormat.CSV, View(unit=DisplayUnit.WON))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert body
    for row in body:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert int(row[header.index("won")]) >= 0  # numbers stay numbers
    cells = {cell for row in body for cell in row}
    assert '\'=HYPERLINK("http://x")' in cells or build is build_summary


# rows of two cells, as reports' rows hold them: nothing, numbers or text
_TWO_COLUMNS = st.lists(
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=8)), min_size=2, max_size=2),
    max_size=12,
)


@given(rows=_TWO_COLUMNS, batch=st.integers(min_value=1, max_value=5))
def test_csv_in_pieces_is_the_csv_whole(rows: list[list[Any]], batch: int) -> None:
    # why: a large report's CSV is written a batch of rows at a time; joined, it must be the
    # document csv writes of every row at once, and each piece must end at a row's end
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain, "CSV_BATCH", batch)
        pieces = list(plain.csv_pieces(("a", "b"), iter(rows)))
    whole = io.StringIO()
    csv.writer(whole, lineterminator="\r\n").writerows(
        [
            ("a", "b"),
            *([plain.neutralise(c) if isinstance(c, str) else c for c in row] for row in rows),
        ]
    )
    assert "".join(pieces) == whole.getvalue()
    assert len(pieces) == len(rows) // batch + 1
    assert all(piece.endswith("\r\n") for piece in pieces[:-1])


@given(rows=_TWO_COLUMNS, batch=st.integers(min_value=1, max_value=5))
def test_markdown_in_pieces_is_the_table_whole(rows: list[list[Any]], batch: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain, "CSV_BATCH", 10**9)
        whole = plain.to_markdown(("a", "b"), rows, [False, True])
        patch.setattr(plain, "CSV_BATCH", batch)
        pieces = list(plain.markdown_pieces(("a", "b"), iter(rows), [False, True]))
    assert "".join(pieces) == whole
    lines = whole.split("\n")  # why: not splitlines, which also breaks at \x1c to \x1e
    assert lines[:2] == ["| a | b |", "|---|---:|"]
    assert len(lines) == len(rows) + 3  # and the empty text after the last line break
    assert len(pieces) == -(-len(rows) // batch) if rows else len(pieces) == 1
    assert all(piece.endswith("\n") for piece in pieces)


@pytest.mark.parametrize("request_", [FilterRequest(), FilterRequest(countries=("CO",))])
def test_a_list_in_markdown_is_written_a_batch_of_rows_at_a_time(request_: FilterRequest) -> None:
    report = build_list(BUNDLED, request_)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain, "CSV_BATCH", 10**9)
        whole = render(report, OutputFormat.MARKDOWN, View())
        patch.setattr(plain, "CSV_BATCH", 2)
        pieces = list(render_pieces(report, OutputFormat.MARKDOWN, View()))
    assert "".join(pieces) == whole
    # the heading, then the rows two at a time (the header lines with the first two)
    assert len(pieces) == 1 + -(-report.matched // 2)


_DRAWN = [
    FilterRequest(),
    FilterRequest(kinds=("count",)),  # no stated total: a note, then the other figures
    FilterRequest(countries=("Brunei",), kinds=("revenue",)),  # nothing matches
]


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("width", [60, 100])
@pytest.mark.parametrize("request_", _DRAWN)
@pytest.mark.parametrize("build", [build_summary, build_list])
def test_a_table_drawn_in_pieces_is_the_table_drawn_at_once(
    build: Any, request_: FilterRequest, color: bool, width: int
) -> None:
    # why: a large summary is drawn and written a part at a time; the text must be what one
    # console printing every part into one buffer makes
    report, view = build(BUNDLED, request_), View(color=color, width=width)
    pieces = list(render_pieces(report, OutputFormat.TABLE, view))
    assert all(piece.endswith("\n") for piece in pieces)
    at_once = io.StringIO()
    console = text_console(at_once, color=color, width=width)
    body = _list(report, view) if build is build_list else _summary(report, view)
    for renderable in (_heading(report, view), *body):
        console.print(renderable)
    drawn = at_once.getvalue()
    if not color:
        drawn = "\n".join(line.rstrip() for line in drawn.split("\n"))
    assert "".join(pieces) == drawn
    if build is build_summary and not request_.kinds:
        assert len(pieces) > 4  # the heading, then each total's title, tables and notes


_WHOLE = 10**9  # why: more rows than any test draws, so the list is one table


@pytest.mark.parametrize("part", [1, 2, 7, 34])
@pytest.mark.parametrize("sort", [SortKey.KIND, SortKey.AMOUNT])
@pytest.mark.parametrize(("color", "width"), [(False, 90), (True, 100), (False, 137), (True, 200)])
def test_a_list_drawn_in_parts_is_the_one_table_of_every_row(
    monkeypatch: pytest.MonkeyPatch, part: int, sort: SortKey, color: bool, width: int
) -> None:
    report, view = build_list(BUNDLED, sort=sort), View(color=color, width=width)
    monkeypatch.setattr(terminal, "TABLE_PART", _WHOLE)
    whole = render(report, OutputFormat.TABLE, view)
    monkeypatch.setattr(terminal, "TABLE_PART", part)
    pieces = list(render_pieces(report, OutputFormat.TABLE, view))
    assert "".join(pieces) == whole
    assert len(pieces) == 2 + -(-35 // part)  # the heading, the count, then each part


@pytest.mark.parametrize("part", [1, 2])
@pytest.mark.parametrize("width", [90, 137])
def test_a_header_wider_than_its_column_widens_every_part(
    monkeypatch: pytest.MonkeyPatch, part: int, width: int
) -> None:
    # why: dates and durations name no one, so "Who / partners / sector" is the widest cell
    report = build_list(BUNDLED, FilterRequest(kinds=("date", "duration")))
    view = View(width=width)
    monkeypatch.setattr(terminal, "TABLE_PART", _WHOLE)
    whole = render(report, OutputFormat.TABLE, view)
    assert "Who / partners / sector" in whole
    monkeypatch.setattr(terminal, "TABLE_PART", part)
    assert render(report, OutputFormat.TABLE, view) == whole


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(min_value=1, max_value=4), st.booleans(), st.sampled_from([90, 120]))
def test_any_list_drawn_in_parts_is_one_table(
    data: st.DataObject, part: int, color: bool, width: int
) -> None:
    dataset = data.draw(datasets())
    report = build_list(dataset, data.draw(requests(dataset)))
    view = View(color=color, width=width)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(terminal, "TABLE_PART", _WHOLE)
        whole = render(report, OutputFormat.TABLE, view)
        patch.setattr(terminal, "TABLE_PART", part)
        assert render(report, OutputFormat.TABLE, view) == whole


def test_list_csv_reads_back_exactly() -> None:
    text = render(build_list(BUNDLED, sort=SortKey.ID), OutputFormat.CSV, View())
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 35
    lg_cns = next(row for row in rows if row["id"] == "lg-cns")
    assert lg_cns["won"] == "644500000000"
    assert lg_cns["amount"] == "644.5"
    assert lg_cns["countries"] == "CO;GR"
    assert lg_cns["joint"] == "true"
    assert lg_cns["quote"].startswith("LG CNS, in particular")
    yearly = next(row for row in rows if row["id"] == "wellington-yearly")
    assert (yearly["won"], yearly["won_high"]) == ("400000000", "500000000")


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("build", [build_summary, build_list])
@pytest.mark.parametrize("width", [60, 100, 160])
def test_tables_print_data_literally(color: bool, build: Any, width: int) -> None:
    text = render(build(hostile_dataset()), OutputFormat.TABLE, View(color=color, width=width))
    assert "[bold red]X[/]" in text
    assert "Esc\\x1b[31mape" in text  # the escape character shown, never sent
    assert ("\x1b" in text) is color


def test_markdown_escapes_pipes_and_emphasis() -> None:
    text = render(build_list(hostile_dataset()), OutputFormat.MARKDOWN, View())
    # why: data is literal: a pipe does not end the cell, and stars are not emphasis
    assert "Pipe \\| and \\*stars\\*" in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) == 1


@pytest.mark.parametrize("build", [build_summary, build_list])
def test_tables_fit_in_60_columns(build: Any) -> None:
    text = render(build(BUNDLED), OutputFormat.TABLE, View(width=60))
    assert max(len(line) for line in text.splitlines()) <= 60


@given(st.text(min_size=1, max_size=300), st.integers(10, 200))
def test_short_quotes_stay_short(quote: str, limit: int) -> None:
    anchor = quote[len(quote) // 3 : len(quote) // 2]
    shortened = short_quote(quote, anchor, limit)
    assert len(shortened) <= limit
    assert shortened.strip("…") in quote or shortened.strip("…").strip() in quote


@pytest.mark.parametrize("build", [build_summary, build_list])
def test_tiny_amounts_and_shares_never_use_exponents(build: Any) -> None:
    view = View(unit=DisplayUnit.JO)
    for fmt in (OutputFormat.CSV, OutputFormat.JSON):
        text = render(build(hostile_dataset()), fmt, view)
        assert "E-" not in text
        assert "0.000000000001" in text  # KRW 1 in jo (10^12), exactly


def test_parts_above_their_total_leave_a_negative_rest_and_still_add_up() -> None:
    dataset = hostile_dataset()
    figures = list(dataset.figures)
    # why: unchecked copies; validation would refuse a value that disagrees with its text
    value = replaced(figures[0].value, value=figures[0].value.value - 900 + 10)
    figures[0] = replaced(figures[0], value=value)
    shrunk = replaced(dataset, figures=tuple(figures))
    (total,) = build_summary(shrunk).totals
    assert total.unattributed is not None
    assert total.unattributed.won == 10 - sum(range(1, len(HOSTILE_NAMES) + 1))
    assert sum(row.won for row in total.by_country) == total.rows.won == 10
    for fmt in OutputFormat:
        assert render(build_summary(shrunk), fmt, View()).endswith("\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_datasets_render_in_every_format_and_add_up(data: st.DataObject) -> None:
    dataset = data.draw(datasets())
    request = data.draw(requests(dataset))
    summary = build_summary(dataset, request)
    document = json.loads(render(summary, OutputFormat.JSON, View()))
    for total in document["totals"]:
        for key in ("by_sector", "by_country"):
            assert sum(row["won"] for row in total[key]) == total["rows"]["won"]
        parts = sum(part["won"] for part in total["parts"])
        rest = total["unattributed"]["won"] if total["unattributed"] else 0
        assert parts + rest == total["rows"]["won"]
    for fmt in OutputFormat:
        for report in (summary, build_list(dataset, request)):
            assert render(report, fmt, View(width=60)).endswith("\n")


def test_a_kind_asked_for_by_name_is_shown_in_the_summary() -> None:
    report = build_summary(BUNDLED, FilterRequest(kinds=("year", "share")))
    assert [section.kind for section in report.others] == [Kind.SHARE, Kind.YEAR]
    assert report.not_shown == ()
    assert report.totals == ()
