"""Rows that are easy to get wrong, in every format: parts above their total, parts without a
sector or partner, shares next to 0% or 100%, control characters, mixed units, several totals,
partners picked by different place filters, and an empty dataset."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from policyexports.basetypes import validate
from policyexports.loading import load
from policyexports.models import Dataset
from policyexports.quantities import DisplayUnit
from policyexports.queries import FilterRequest
from policyexports.render.plain import OutputFormat
from policyexports.render.reports import View, render
from policyexports.render.words import summary_warnings
from policyexports.reports import build_list, build_summary

BUNDLED = load(environ={}).dataset
BILLION = 10**9
SOURCE = {"title": "T", "publisher": "P", "file": "a.txt", "sha256": "0" * 64}
WORDS = (OutputFormat.TABLE, OutputFormat.MARKDOWN)


def _money(figure_id: str, won: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": figure_id,
        "kind": "revenue",
        "label": figure_id,
        "value": f"KRW {won}",
        "quote": f"earned KRW {won}",
        **extra,
    }


def _dataset(*figures: dict[str, Any], **names: str) -> Dataset:
    return validate(
        Dataset,
        {
            "source": SOURCE,
            "countries": [{"code": "AA", "name": "Aland"}],
            "sectors": [{"id": "water", "name": "Water"}],
            "organizations": [
                {"id": "odd", "name": names.get("odd", "Odd"), "type": "company"},
                {"id": "even", "name": "Even", "type": "company"},
            ],
            "figures": list(figures),
        },
    )


def _parts(total_won: int) -> Dataset:
    """A total with a part in a sector and a country, and a part with neither."""
    return _dataset(
        _money("all", total_won, total=True),
        _money(
            "odd-part",
            5 * BILLION,
            earner="odd",
            part_of="all",
            sectors=["water"],
            partners=[{"country": "AA"}],
        ),
        _money("even-part", 7_100_000_000, earner="even", part_of="all"),
    )


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# ---- parts above their total --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_parts_above_their_total_are_a_labelled_row_in_every_format(fmt: OutputFormat) -> None:
    text = render(build_summary(_parts(10 * BILLION)), fmt, View())
    assert "Parts exceed the stated total by 2.1" in text or fmt is OutputFormat.JSON
    assert "Not attributed" not in text


@pytest.mark.parametrize("fmt", WORDS)
def test_the_work_behind_a_negative_rest_uses_one_minus_sign(fmt: OutputFormat) -> None:
    text = render(build_summary(_parts(10 * BILLION)), fmt, View(width=160))
    assert "stated total − every named part = 10 − 5 − 7.1 = −2.1" in text
    assert "= -2.1" not in text


def test_parts_above_their_total_in_json_keep_the_negative_won_and_say_so() -> None:
    document = json.loads(render(build_summary(_parts(10 * BILLION)), OutputFormat.JSON, View()))
    (total,) = document["totals"]
    assert total["parts_exceed_total"] is True
    assert total["excess_won"] == 2_100_000_000
    assert total["unattributed"]["won"] == -2_100_000_000
    assert total["unattributed"]["parts_exceed_total"] is True
    for key in ("by_sector", "by_country"):
        assert [row["role"] for row in total[key]] == ["named", "not_given", "excess"]
        assert sum(row["won"] for row in total[key]) == total["rows"]["won"] == 10 * BILLION


def test_parts_above_their_total_in_csv() -> None:
    rows = _csv(render(build_summary(_parts(10 * BILLION)), OutputFormat.CSV, View()))
    rest = next(row for row in rows if row["section"] == "unattributed")
    assert (rest["role"], rest["won"], rest["share_percent"]) == ("excess", "-2100000000", "-21.00")
    assert rest["name"] == "Parts exceed the stated total by 2.1"


def test_the_warning_points_at_the_negative_row_only_when_it_is_shown() -> None:
    dataset = _parts(10 * BILLION)
    (whole,) = summary_warnings(build_summary(dataset), DisplayUnit.BILLION)
    assert whole.endswith(
        "(by KRW 2.1 billion); the summary shows the difference as a negative row"
    )
    # a filter that leaves out the total leaves out its rest, but the data is still wrong
    filtered = build_summary(dataset, FilterRequest(countries=("AA",)))
    (warning,) = summary_warnings(filtered, DisplayUnit.MILLION)
    assert warning.endswith("more than the KRW 10,000 million stated (by KRW 2,100 million)")


def test_parts_within_their_total_have_no_excess() -> None:
    (total,) = build_summary(_parts(20 * BILLION)).totals
    assert total.excess_won == 0
    assert total.unattributed is not None
    assert not total.unattributed.excess


# ---- a part without sector or partner is not the unattributed rest ---------------------------


@pytest.mark.parametrize("fmt", [*WORDS, OutputFormat.CSV])
def test_no_sector_and_no_partner_given_are_rows_of_their_own(fmt: OutputFormat) -> None:
    text = render(build_summary(_parts(20 * BILLION)), fmt, View())
    for label in ("No sector given", "No partner given", "Not attributed"):
        assert label in text
    if fmt is OutputFormat.CSV:
        rows = _csv(text)
        for section in ("sector", "country"):
            named = {row["role"]: row for row in rows if row["section"] == section}
            assert (named["not_given"]["won"], named["not_given"]["figures"]) == (
                "7100000000",
                "even-part",
            )
            assert (named["unattributed"]["won"], named["unattributed"]["figures"]) == (
                "7900000000",
                "",
            )


def test_no_sector_given_in_json() -> None:
    document = json.loads(render(build_summary(_parts(20 * BILLION)), OutputFormat.JSON, View()))
    (total,) = document["totals"]
    assert [(row["role"], row["won"], row["figures"]) for row in total["by_sector"]] == [
        ("named", 5 * BILLION, ["odd-part"]),
        ("not_given", 7_100_000_000, ["even-part"]),
        ("unattributed", 7_900_000_000, []),
    ]
    assert total["unattributed"]["parts_exceed_total"] is False


# ---- shares never rounded onto 0% or 100% -----------------------------------------------------


@pytest.mark.parametrize("fmt", [*WORDS, OutputFormat.CSV])
def test_shares_next_to_zero_or_a_hundred_show_more_digits(fmt: OutputFormat) -> None:
    whole = 10**15
    dataset = _dataset(
        _money("all", whole, total=True),
        _money("tiny", 1, earner="odd", part_of="all"),
        _money("huge", whole - 2, earner="even", part_of="all"),
    )
    text = render(build_summary(dataset), fmt, View())
    assert "0.0000000000001" in text
    assert "99.9999999999998" in text
    assert "0.00%" not in text.replace("100.00%", "")
    assert ",0.00," not in text


def test_exact_shares_keep_two_decimals() -> None:
    dataset = _dataset(
        _money("all", 10, total=True),
        _money("whole", 10, earner="odd", part_of="all"),
    )
    text = render(build_summary(dataset), OutputFormat.MARKDOWN, View())
    assert "| Odd | whole | 0.00000001 | 100.00% |" in text
    assert "| Not attributed |  | 0 | 0.00% |" in text


# ---- control characters never reach a terminal raw --------------------------------------------

ESCAPES = "X\x1b[2J\x1b]8;;http://x\x07link\x9b31m\u202eY"


@pytest.mark.parametrize("build", [build_summary, build_list])
@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_control_characters_are_escaped_except_in_csv(build: Any, fmt: OutputFormat) -> None:
    text = render(build(_escapes()), fmt, View(width=200))
    if fmt is OutputFormat.CSV:
        # why: CSV is a file format and keeps the data exact; a spreadsheet shows no escapes
        assert ESCAPES in text
        return
    for char in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert char not in text
    if fmt is OutputFormat.JSON:
        # written as \u escapes, so the strings read back exactly
        assert ESCAPES in _strings(json.loads(text))
        assert "\\u001b" in text
        assert "\\u009b" in text
        return
    shown = r"X\x1b[2J\x1b]8;;http://x\x07link\x9b31m\u202eY"
    if fmt is OutputFormat.MARKDOWN:
        # why: Markdown escapes the backslash and the brackets so that the page shows \x1b and
        # "[2J" as the table does, never a link
        shown = r"X\\x1b\[2J\\x1b\]8;;http://x\\x07link\\x9b31m\\u202eY"
    assert shown in text


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return {text for item in value for text in _strings(item)}
    return set()


def _escapes() -> Dataset:
    return _dataset(
        _money("all", 20 * BILLION, total=True),
        _money("odd-part", 5 * BILLION, earner="odd", part_of="all"),
        odd=ESCAPES,
    )


# ---- units in a column that mixes money with counts and shares --------------------------------


def test_markdown_names_the_unit_of_each_amount_in_mixed_columns() -> None:
    text = render(build_summary(BUNDLED), OutputFormat.MARKDOWN, View())
    others = text[text.index("### Other figures") :]
    assert "| Kind | What | Amount | Figure |" in others
    assert "Amount (KRW" not in others
    assert "| KRW 13.5 billion | brunei-contract |" in others
    assert "| KRW 2.12 billion | seoul-metro |" in others
    assert "| over KRW 1,000 billion | over-1-trillion |" in others
    assert "| 15 cities | opening-cities |" in others
    assert "| 70% | transport-percent |" in others
    # the breakdowns hold money only: their header keeps the unit
    assert "| Earner | Figure | Amount (KRW billion) |" in text
    listed = render(build_list(BUNDLED), OutputFormat.MARKDOWN, View())
    assert "| Id | Kind | Who | Partners | Sector | Amount | Quote |" in listed
    assert "| KRW 0.4 to 0.5 billion |" in listed


# ---- several totals: every row of a total's section names it -----------------------------------


def test_csv_ties_every_row_to_its_total() -> None:
    dataset = _dataset(
        _money("first", 10, total=True),
        _money("first-a", 4, part_of="first", sectors=["water"]),
        _money("second", 30, total=True, sectors=["water"]),
        _money("second-a", 5, part_of="second", partners=[{"country": "AA"}]),
        _money("loose", 1),
    )
    rows = _csv(render(build_summary(dataset), OutputFormat.CSV, View()))
    assert {row["total"] for row in rows if row["section"] == "other"} == {""}
    for total, stated in (("first", 10), ("second", 30)):
        mine = [row for row in rows if row["total"] == total]
        assert {row["section"] for row in mine} == {
            *("total", "part", "unattributed", "rows", "sector", "country"),
        }
        assert sum(int(row["won"]) for row in mine if row["section"] == "country") == stated
        assert sum(int(row["won"]) for row in mine if row["section"] == "sector") == stated


# ---- partners picked by different place filters ----------------------------------------------


@pytest.mark.parametrize(
    ("request_", "partners", "shared"),
    [
        (
            FilterRequest(cities=("Athens",), countries=("CO",)),
            "Bogota (Colombia), Athens (Greece) (joint, not split)",
            [],
        ),
        (
            FilterRequest(cities=("Bogota",), countries=("CO",)),
            "Bogota (Colombia); shared with Athens (Greece) (not split)",
            ["Athens (Greece)"],
        ),
        (
            FilterRequest(countries=("GR", "CO")),
            "Bogota (Colombia), Athens (Greece) (joint, not split)",
            [],
        ),
    ],
)
def test_partners_matching_any_place_filter_are_listed_first(
    request_: FilterRequest, partners: str, shared: list[str]
) -> None:
    report = build_list(BUNDLED, request_)
    assert [row.id for row in report.rows] == ["lg-cns"]
    assert partners in render(report, OutputFormat.MARKDOWN, View())
    assert partners in render(report, OutputFormat.TABLE, View(width=200))
    (figure,) = json.loads(render(report, OutputFormat.JSON, View()))["figures"]
    assert figure["shared_with"] == shared


# ---- joint rows and figures listed apart -------------------------------------------------------


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_joint_row_names_its_places_in_alphabetical_order(fmt: OutputFormat) -> None:
    # why: the ids sort Mongolia (MN) before Malaysia (MY); readers look for names
    text = render(build_summary(BUNDLED), fmt, View(width=200))
    names = ["Malaysia", "Mongolia", "New Zealand", "Thailand"]
    if fmt is OutputFormat.JSON:
        (korea,) = (
            row
            for total in json.loads(text)["totals"]
            for row in total["by_country"]
            if row["figures"] == ["korea-smart-card"]
        )
        assert [country["name"] for country in korea["countries"]] == names
    else:
        assert " + ".join(names) in text
        assert "Mongolia + Malaysia" not in text
    if fmt is OutputFormat.CSV:
        assert ",MY+MN+NZ+TH," in text  # the ids follow the names


@pytest.mark.parametrize("fmt", WORDS)
def test_figures_listed_apart_mention_totals_above_only_when_some_are_shown(
    fmt: OutputFormat,
) -> None:
    shown = render(build_summary(BUNDLED), fmt, View(width=160))
    assert "never added to the totals above" in shown
    alone = render(build_summary(BUNDLED, FilterRequest(countries=("Vietnam",))), fmt, View())
    assert "No stated total or part of one matches the filters." in alone
    assert "never added to any total" in alone
    assert "totals above" not in alone


# ---- an empty dataset --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", WORDS)
@pytest.mark.parametrize("build", [build_summary, build_list])
def test_an_empty_dataset_says_so_unless_filtered(fmt: OutputFormat, build: Any) -> None:
    empty = _dataset()
    text = render(build(empty), fmt, View())
    assert "The dataset has no figures." in text
    assert "No figure matches" not in text
    filtered = render(build(empty, FilterRequest(kinds=("revenue",))), fmt, View())
    assert "No figure matches the filters." in filtered
    assert "The dataset has no figures." not in filtered
