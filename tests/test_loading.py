"""Bad inputs: every kind gives exit 2, names the file and the place, and never a traceback."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from builders import article_text, bundled_json, bundled_text, dumps, figure, write_dataset
from policyexports.cli import app
from policyexports.errors import DatasetError
from policyexports.loading import load

runner = CliRunner()


def mutate(change: Callable[[dict[str, Any]], None]) -> str:
    data = bundled_json()
    change(data)
    return dumps(data)


def _set(path: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        figure(data, path)[key] = value

    return change


def _set_value(figure_id: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        figure(data, figure_id)["value"][key] = value

    return change


def _set_claim(claim_id: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        next(claim for claim in data["claims"] if claim["id"] == claim_id)[key] = value

    return change


def _same_labels(claim_id: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        readings = next(claim for claim in data["claims"] if claim["id"] == claim_id)["readings"]
        readings[0]["label"] = readings[1]["label"] + " "  # why: alike once spaces are trimmed

    return change


@dataclass(frozen=True)
class Bad:
    """A bad input: its text, the message expected, and a marker on the line it is reported at."""

    name: str
    text: str | bytes
    message: str
    path: str | None = None
    marker: str | None = None  # a string on the reported line; None when no line is known


def _duplicate_key() -> str:
    text = bundled_text()
    anchor = '"id": "lg-cns",\n      "kind": "revenue"'
    assert anchor in text
    return text.replace(
        anchor, '"id": "lg-cns",\n      "id": "lg-cns-again",\n      "kind": "revenue"'
    )


def _reversed_range(data: dict[str, Any]) -> None:
    value = figure(data, "wellington-yearly")["value"]
    value["value"], value["high"] = value["high"], value["value"]


def _unknown_claim_ref(data: dict[str, Any]) -> None:
    data["claims"][0]["parts"][0] = "no-such-figure"


def _unknown_claim_type(data: dict[str, Any]) -> None:
    data["claims"][0]["type"] = "vibes"


def _duplicate_id(data: dict[str, Any]) -> None:
    figure(data, "korea-smart-card")["id"] = "lg-cns"


def _listed_twice(data: dict[str, Any]) -> None:
    data["claims"][0]["parts"] = ["lg-cns", "lg-cns", "korea-smart-card"]


def _reversed_duration(data: dict[str, Any]) -> None:
    reading = next(c for c in data["claims"] if c["id"] == "headline-ten-years")["readings"][0]
    reading["start"], reading["end"] = reading["end"], reading["start"]


def _self_compared(data: dict[str, Any]) -> None:
    claim = next(c for c in data["claims"] if c["id"] == "countries-within-cities")
    claim["readings"][0]["right"] = ["export-countries"]


def _bound_total_with_parts(data: dict[str, Any]) -> None:
    figure(data, "lg-cns")["part_of"] = "over-1-trillion"


def _changed_sha(data: dict[str, Any]) -> None:
    data["source"]["sha256"] = "0" * 64


def _missing_article(data: dict[str, Any]) -> None:
    data["source"]["file"] = "elsewhere.txt"


def _figure_not_an_object(data: dict[str, Any]) -> None:
    data["figures"][23] = 12345678


def _drop_figures(data: dict[str, Any]) -> None:
    del data["figures"]


LG_CNS_FIGURE = '{\n      "id": "lg-cns",\n      "kind": "revenue"'
BAD_INPUTS = [
    Bad("empty", "", "the file is empty"),
    Bad("blank", "  \n\t\n", "the file is empty"),
    Bad("not-utf8", b'{"a": "\xff"}', "not valid UTF-8", marker='{"a"'),
    Bad("syntax", '{\n  "figures": [1,]\n}\n', "invalid JSON", marker='"figures"'),
    Bad("truncated", bundled_text()[:500], "invalid JSON", marker=None),
    Bad("nan", '{\n  "format_version": NaN\n}', "NaN is not allowed", marker="NaN"),
    Bad("infinity", '{\n  "x": -Infinity\n}', "-Infinity is not allowed", marker="Infinity"),
    Bad("huge-number", '{\n  "x": ' + "9" * 5000 + "\n}", "number too long", marker="999"),
    # why: an exponent past what decimal holds, and one it holds but cannot take abs() of
    Bad("huge-exponent", '{\n  "x": 1e99999999999999999999\n}', "out of range", marker="1e9"),
    Bad(
        "large-exponent",
        bundled_text().replace('"value": 644500000000', '"value": 1e999999999'),
        "value 1E+999999999 is out of range",
        "figures[23].value",
        '"value": {\n        "written": "KRW 644.5 billion"',
    ),
    Bad("deep", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    Bad("top-array", "[1, 2]", "expected a JSON object", marker="[1, 2]"),
    Bad("duplicate-key", _duplicate_key(), "duplicate key 'id'", "figures[23].id", "lg-cns-again"),
    Bad(
        "unknown-key",
        mutate(_set("lg-cns", "colour", "red")),
        "unknown key",
        "figures[23].colour",
        '"colour"',
    ),
    Bad(
        "wrong-type",
        mutate(_set_value("lg-cns", "value", "lots")),
        "is not a plain decimal number",
        "figures[23].value.value",
        '"lots"',
    ),
    Bad(
        "negative-amount",
        mutate(_set_value("lg-cns", "value", -644500000000)),
        "must not be negative",
        "figures[23].value",
        '"value": {\n        "written": "KRW 644.5 billion"',
    ),
    Bad(
        "under-nothing",
        mutate(_set("topis-visitors", "value", "under 0 visitors")),
        "'under 0' admits no value (none is below 0)",
        "figures[31].value",
        '"value": "under 0 visitors"',
    ),
    Bad(
        "figure-not-an-object",
        mutate(_figure_not_an_object),
        "Input should be a valid dictionary or instance of Figure (got 12345678)",
        "figures[23]",
        "12345678",
    ),
    Bad(
        "reversed-range",
        mutate(_reversed_range),
        "range is reversed",
        "figures[25].value",
        '"value": {\n        "written": "KRW 400 to 500 million"',
    ),
    Bad(
        "quote-not-in-article",
        mutate(_set("lg-cns", "quote", "LG CNS has so far earned KRW 644.5 billion.")),
        "quote not found verbatim",
        "figures[23].quote",
        "LG CNS has so far earned",
    ),
    Bad(
        "value-disagrees-with-quote",
        mutate(_set_value("lg-cns", "value", 644600000000)),
        "but the quote writes 'KRW 644.5 billion'",
        "figures[23]",
        LG_CNS_FIGURE,
    ),
    Bad(
        "written-not-in-quote",
        mutate(_set_value("lg-cns", "written", "KRW 645 billion")),
        "is not in the quote",
        "figures[23]",
        LG_CNS_FIGURE,
    ),
    Bad(
        "duplicate-id",
        mutate(_duplicate_id),
        "duplicate figure or claim id 'lg-cns'",
        "figures[24].id",
        '"id": "lg-cns",\n      "kind": "revenue",\n      "label": "Korea',
    ),
    Bad(
        "unknown-city",
        mutate(_set("lg-cns", "partners", [{"city": "atlantis"}])),
        "unknown city 'atlantis'",
        "figures[23].partners[0].city",
        '"atlantis"',
    ),
    Bad(
        "unknown-claim-ref",
        mutate(_unknown_claim_ref),
        "unknown figure 'no-such-figure'",
        "claims[0].parts[0]",
        '"no-such-figure"',
    ),
    Bad(
        "unknown-claim-type",
        mutate(_unknown_claim_type),
        "does not match any of the expected tags",
        "claims[0]",
        '{\n      "id": "named-parts-within-total"',
    ),
    Bad(
        "bad-kind",
        mutate(_set("lg-cns", "kind", "profit")),
        "Input should be 'revenue'",
        "figures[23].kind",
        '"profit"',
    ),
    Bad(
        "fractional-won",
        mutate(_set("lg-cns", "value", "KRW 644.5 won")),
        "must be whole won",
        "figures[23]",
        LG_CNS_FIGURE,
    ),
    Bad(
        "absurd-amount",
        mutate(_set_value("lg-cns", "value", 10**30)),
        "out of range",
        "figures[23].value",
        '"value": {\n        "written": "KRW 644.5 billion"',
    ),
    Bad(
        "unreadable-written-value",
        mutate(_set("lg-cns", "value", "a great deal")),
        "cannot read 'a great deal'",
        "figures[23]",
        LG_CNS_FIGURE,
    ),
    Bad(
        "figure-listed-twice",
        mutate(_listed_twice),
        "'lg-cns' is listed twice in one sum",
        "claims[0].parts[1]",
        '"lg-cns",\n        "korea-smart-card"\n',
    ),
    Bad(
        "reversed-duration",
        mutate(_reversed_duration),
        "is before the start",
        "claims[15].readings[0]",
        '{\n          "label": "from 2006',
    ),
    Bad(
        "compared-with-itself",
        mutate(_self_compared),
        "'export-countries' is compared with itself",
        "claims[13].readings[0].right",
        '"right": [\n            "export-countries"\n          ]\n        }\n      ]\n    },\n'
        '    {\n      "id": "cities-within-occasions"',
    ),
    Bad(
        "bound-total-with-parts",
        mutate(_bound_total_with_parts),
        "a total with parts must state a number",
        "figures[23].part_of",
        '"part_of": "over-1-trillion"',
    ),
    Bad("article-changed", mutate(_changed_sha), "has changed", "source.sha256", '"sha256"'),
    Bad("article-missing", mutate(_missing_article), "not found beside", "source.file"),
    Bad("missing-figures", mutate(_drop_figures), "required key is missing", "figures", "{"),
    Bad(
        "text-as-flag",
        mutate(_set("business-revenue", "total", "yes")),
        "Input should be a valid boolean (got 'yes')",
        "figures[13].total",
        '"total": "yes"',
    ),
    Bad(
        "number-as-flag",
        mutate(_set("business-revenue", "total", 1)),
        "Input should be a valid boolean (got 1)",
        "figures[13].total",
        '"total": 1',
    ),
    Bad(
        "text-as-inferred",
        mutate(_set_claim("named-parts-within-total", "inferred", "false")),
        "Input should be a valid boolean (got 'false')",
        "claims[0].inferred",
        '"inferred": "false"',
    ),
    Bad(
        "flag-as-version",
        mutate(lambda data: data.update(format_version=True)),
        "must be written as a whole number, such as 1",
        "format_version",
        '"format_version": true',
    ),
    Bad(
        "decimal-as-version",
        bundled_text().replace('"format_version": 1,', '"format_version": 1.0,', 1),
        "must be written as a whole number, such as 1",
        "format_version",
        '"format_version": 1.0',
    ),
    Bad(
        "flag-as-number",
        mutate(_set_value("lg-cns", "value", True)),
        "figures[23].value.value: must be a number, not true or false",
        "figures[23].value.value",
        '"value": true',
    ),
    Bad(
        "list-as-number",
        mutate(_set_value("lg-cns", "step", [1])),
        'figures[23].value.step: must be a number, such as 13500000000 or "2.8"',
        "figures[23].value.step",
        '"step": [',
    ),
    Bad(
        "underscored-number",
        mutate(_set_value("pmb-bridge-length", "value", "2_8")),
        "'2_8' is not a plain decimal number",
        "figures[17].value.value",
        '"2_8"',
    ),
    Bad(
        "number-with-exponent",
        mutate(_set_value("pmb-bridge-length", "step", "1E-1")),
        "'1E-1' is not a plain decimal number",
        "figures[17].value.step",
        '"1E-1"',
    ),
    Bad(
        "blank-name",
        mutate(lambda data: data["sectors"][0].update(name="  ")),
        "sectors[0].name: must not be blank",
        "sectors[0].name",
        '"name": "  "',
    ),
    Bad(
        "empty-name",
        mutate(lambda data: data["sectors"][0].update(name="")),
        "sectors[0].name: must not be blank",
        "sectors[0].name",
        '"name": ""',
    ),
    Bad(
        "name-of-a-byte-order-mark",
        mutate(lambda data: data["sectors"][0].update(name="\ufeff")),
        "sectors[0].name: must not be blank",
        "sectors[0].name",
        '"name": "\ufeff"',
    ),
    Bad(
        "name-of-another",
        mutate(lambda data: data["sectors"][1].update(name=data["sectors"][0]["name"])),
        "also names",
        "sectors[1].name",
        None,
    ),
    Bad(
        "alias-of-another",
        mutate(lambda data: data["sectors"][1].update(aliases=["x", data["sectors"][0]["id"]])),
        "also names",
        "sectors[1].aliases[1]",
        None,
    ),
    Bad(
        "name-drawn-as-nothing",
        mutate(lambda data: data["sectors"][0].update(name="\u00a0\u200b\u3164")),
        "sectors[0].name: must not be blank",
        "sectors[0].name",
        '"name": "\u00a0\u200b\u3164"',
    ),
    Bad(
        "lone-surrogate",
        bundled_text().replace('"name": "Transportation"', '"name": "Trans\\ud800port"', 1),
        "is not text: it holds a lone surrogate escape such as \\ud800",
        None,
        '"Trans\\ud800port"',
    ),
    Bad(
        "partner-in-an-unknown-country",
        mutate(_set("lg-cns", "partners", [{"country": "XX"}])),
        "unknown country 'XX'",
        "figures[23].partners[0].country",
        '"XX"',
    ),
    Bad(
        "city-in-another-country",
        mutate(_set("lg-cns", "partners", [{"city": "bogota", "country": "GR"}])),
        "Bogota is in CO, not GR",
        "figures[23].partners[0].country",
        '"country": "GR"\n        }',
    ),
    Bad(
        "unknown-sector",
        mutate(_set("lg-cns", "sectors", ["transportation", "telepathy"])),
        "unknown sector 'telepathy'",
        "figures[23].sectors[1]",
        '"telepathy"',
    ),
    Bad(
        "a-part-that-is-a-total",
        mutate(_set("lg-cns", "total", True)),
        "a total cannot itself be part of another total",
        "figures[23].total",
        '"total": true\n    },\n    {\n      "id": "korea-smart-card"',
    ),
    Bad(
        "partner-twice",
        mutate(_set("lg-cns", "partners", [{"city": "bogota"}, {"city": "bogota"}])),
        "duplicate partner 'bogota' (first listed at figures[23].partners[0])",
        "figures[23].partners[1]",
        '{\n          "city": "bogota"\n        }\n      ]',
    ),
    Bad(
        "sector-twice",
        mutate(_set("lg-cns", "sectors", ["transportation", "transportation"])),
        "duplicate sector 'transportation' (first listed at figures[23].sectors[0])",
        "figures[23].sectors[1]",
        '"transportation"\n      ],\n      "part_of": "business-revenue"',
    ),
    Bad(
        "reading-label-twice",
        mutate(_same_labels("headline-ten-years")),
        "duplicate reading label",
        "claims[15].readings[1].label",
        '"from 2004, when Seoul began policy exports, to June 2016, the latest date the article '
        'gives",\n'
        '          "start": "first-exports-year"',
    ),
    Bad(
        "bool-as-month",
        mutate(_set_value("topis-to", "month", True)),
        "valid integer",
        "figures[33].value.month",
        '"month": true',
    ),
]


def _expected_line(text: str, marker: str) -> int:
    offset = text.index(marker)
    return text.count("\n", 0, offset) + 1


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_an_article_that_is_there_but_not_a_file_is_not_called_missing(
    tmp_path: Path, kind: str
) -> None:
    data = bundled_json()
    data["source"]["file"] = "article.txt"
    path = tmp_path / "data.json"
    path.write_text(dumps(data), encoding="utf-8")
    article = tmp_path / "article.txt"
    if kind == "folder":
        article.mkdir()
    elif hasattr(os, "mkfifo"):
        os.mkfifo(article)
    else:
        pytest.skip("no FIFOs here")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    # why: the system's words for a folder ("Is a directory"), ours for a FIFO
    reason = "not a regular file" if kind == "fifo" else ""
    assert f"{article}: the article cannot be read: {reason}" in result.stderr
    assert "not found" not in result.stderr


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[bad.name for bad in BAD_INPUTS])
def test_bad_input_is_reported_with_its_place(tmp_path: Path, bad: Bad) -> None:
    (tmp_path / "seoul-policy-exports.txt").write_text(article_text(), encoding="utf-8")
    path = tmp_path / f"{bad.name}.json"
    if isinstance(bad.text, bytes):
        path.write_bytes(bad.text)
    else:
        path.write_text(bad.text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if bad.message in line]
    assert lines, result.stderr
    line = lines[0]
    assert line.startswith(str(path))
    if bad.path is not None:
        assert f": {bad.path}: " in line
    if bad.marker is not None:
        text = bad.text.decode("utf-8", "replace") if isinstance(bad.text, bytes) else bad.text
        expected = _expected_line(text, bad.marker)
        assert re.match(re.escape(str(path)) + rf":{expected}:\d+: ", line), line
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("target", "message"),
    [("missing.json", "no such file"), (".", "is a directory")],
)
def test_unreadable_paths(tmp_path: Path, target: str, message: str) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / target)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def several(data: dict[str, Any]) -> None:
        figure(data, "lg-cns")["earner"] = "lg"
        figure(data, "korea-smart-card")["sectors"] = ["telepathy"]
        next(c for c in data["claims"] if c["id"] == "transport-share")["stated"] = "nothing"

    path = write_dataset(tmp_path, bundled_json())
    path.write_text(mutate(several), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "unknown organization 'lg'" in result.stderr
    assert "unknown sector 'telepathy'" in result.stderr
    assert "unknown figure 'nothing'" in result.stderr
    assert result.stderr.strip().endswith("3 problems found")


def test_valid_dataset_from_file_stdin_and_environment(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, bundled_json())
    by_file = runner.invoke(app, ["validate", str(path)])
    assert by_file.exit_code == 0, by_file.output
    assert by_file.stdout.startswith(f"{path}: valid: 35 figures, 18 claims")
    by_env = runner.invoke(app, ["validate"], env={"POLICYEXPORTS_DATA": str(path)})
    assert by_env.stdout.startswith(f"{path}: valid:")
    by_option = runner.invoke(app, ["validate", "--data", str(path)])
    assert by_option.stdout.startswith(f"{path}: valid:")
    by_stdin = runner.invoke(app, ["validate", "-"], input=bundled_text())
    assert by_stdin.exit_code == 0, by_stdin.output
    assert by_stdin.stdout.startswith("<stdin>: valid:")


def test_bundled_dataset_is_the_default() -> None:
    result = runner.invoke(app, ["validate"], env={"POLICYEXPORTS_DATA": ""})
    assert result.exit_code == 0
    assert result.stdout.startswith("exports.json (bundled): valid: 35 figures, 18 claims")


@pytest.mark.parametrize(
    "args", [["validate", ""], ["validate", "--data", ""], ["summary", "--data", ""]]
)
def test_an_empty_file_name_is_an_error_not_the_bundled_dataset(args: list[str]) -> None:
    # why: `validate "$FILE"` with FILE unset must not pass on the bundled dataset
    result = runner.invoke(app, args, env={"POLICYEXPORTS_DATA": ""})
    assert result.exit_code == 2
    assert result.stdout == ""
    expected = "policyexports: the dataset's file name is empty (expected a file, or '-')\n"
    assert result.stderr == expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_the_article_is_passed_over_not_waited_on(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, bundled_json())
    article = path.parent / "seoul-policy-exports.txt"
    article.unlink()
    os.mkfifo(article)
    result = subprocess.run(
        [sys.executable, "-m", "policyexports", "validate", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "POLICYEXPORTS_CACHE": "off"},
        timeout=60,
        check=False,
    )
    # why: nothing was to be read there; the bundled article of that name, by its checksum
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{path}: valid: 35 figures")


def test_values_written_by_hand_are_normalised(tmp_path: Path) -> None:
    data = bundled_json()
    for item in data["figures"]:
        item["value"] = item["value"]["written"]
    loaded = load(str(write_dataset(tmp_path, data)))
    original = load(None, environ={})
    assert loaded.dataset == original.dataset


@pytest.mark.parametrize("by_hand", [True, False])
def test_a_value_with_a_letter_that_only_folds_to_ascii_is_a_problem_not_a_crash(
    tmp_path: Path, by_hand: bool
) -> None:
    # why: "six" with a long s matched the grammar's "six" under Unicode case folding, and
    # validating it ended in decimal.InvalidOperation, as a traceback
    written = "\u017fix cities"
    article = f"Odd Corp works in {written}.\n"
    value = written if by_hand else {"written": written, "unit": "count", "value": 6, "step": 1}
    item = {"id": "odd", "kind": "count", "label": "Cities", "value": value, "quote": written}
    data = {"format_version": 1, "source": bundled_json()["source"], "figures": [item]}
    with pytest.raises(DatasetError) as raised:
        load(str(write_dataset(tmp_path, data, article)))
    [problem] = raised.value.problems
    assert problem.path == "figures[0]"
    assert f"cannot read {written!r} as a figure" in problem.message


def test_dataset_on_stdin_finds_the_bundled_article_by_checksum() -> None:
    loaded = load("-", stdin=io.BytesIO(bundled_text().encode()), environ={})
    assert loaded.name == "<stdin>"
    assert len(loaded.dataset.figures) == 35


def test_load_raises_one_error_with_all_problems(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"format_version": 2}', encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load(str(path))
    paths = sorted(problem.path for problem in caught.value.problems)
    assert paths == ["figures", "format_version", "source"]


def test_type_errors_and_reference_errors_are_reported_together(tmp_path: Path) -> None:
    def both(data: dict[str, Any]) -> None:
        figure(data, "lg-cns")["value"]["value"] = 1  # a type-level problem: item dropped
        figure(data, "korea-smart-card")["earner"] = "nobody"  # a reference problem
        data["claims"][0]["parts"].append("nothing-here")  # a claim's unknown figure

    path = write_dataset(tmp_path, bundled_json())
    path.write_text(mutate(both), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any("figures[23]: value.value is 1 but the quote writes" in line for line in lines)
    assert any("figures[24].earner: unknown organization 'nobody'" in line for line in lines)
    assert any("claims[0].parts[2]: unknown figure 'nothing-here'" in line for line in lines)
    # the claim's reference to the dropped lg-cns is not reported as unknown
    assert not any("unknown figure 'lg-cns'" in line for line in lines)
    assert lines[-1] == "3 problems found"


@given(st.binary(max_size=40), st.booleans())
def test_text_is_read_as_utf_8_after_an_optional_byte_order_mark(raw: bytes, marked: bool) -> None:
    from policyexports.loading import _utf8

    raw = (b"\xef\xbb\xbf" if marked else b"") + raw
    try:
        expected: str | None = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        expected = None
    try:
        found: str | None = _utf8(raw)
    except UnicodeDecodeError:
        found = None
    assert found == expected


def test_a_byte_order_mark_is_read_past_and_counted_in_the_column(tmp_path: Path) -> None:
    marked = tmp_path / "marked.json"
    marked.write_bytes(b"\xef\xbb\xbf" + bundled_text().encode())
    (tmp_path / "seoul-policy-exports.txt").write_text(article_text(), encoding="utf-8")
    assert load(str(marked)).dataset.figures
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'\xef\xbb\xbf{"a": "\xff"}')
    with pytest.raises(DatasetError) as raised:
        load(str(broken))
    problem = raised.value.problems[0]
    assert (problem.line, problem.column) == (1, 8)  # as an editor, which hides the mark, shows
    broken.write_bytes(b'\xef\xbb\xbf{\n"a": "\xff"}')
    with pytest.raises(DatasetError) as raised:
        load(str(broken))
    problem = raised.value.problems[0]
    assert (problem.line, problem.column) == (2, 7)


def test_bad_json_in_a_fresh_process_is_a_clear_error(tmp_path: Path) -> None:
    # why: in-process tests run with json imported by the tests; a user's run has not
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1,}', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "policyexports", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "POLICYEXPORTS_CACHE": "off"},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{bad}:1:9: invalid JSON: Expecting property name")


def test_problems_beside_a_repeated_key_are_placed_as_by_the_map_of_every_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # why: a repeated key maps only the keys; every other problem is then placed as asked for
    from policyexports import jsonpos

    (tmp_path / "seoul-policy-exports.txt").write_text(article_text(), encoding="utf-8")
    text = _duplicate_key().replace('"written": "KRW 48.25 billion"', '"written": "KRW 9 billion"')
    path = tmp_path / "dataset.json"
    path.write_text(text, encoding="utf-8")

    def problems() -> list[tuple[str | None, int | None, int | None, str]]:
        with pytest.raises(DatasetError) as failure:
            load(str(path))
        return [(p.path, p.line, p.column, p.message) for p in failure.value.problems]

    found = problems()
    from policyexports import problems as placing

    # why: every value mapped first, by reading every token, places each problem as it is
    whole = jsonpos.map_json
    monkeypatch.setattr(jsonpos, "repeated_keys", lambda text, data, objects: whole(text))
    monkeypatch.setattr(placing, "JsonMap", whole)
    assert found == problems()
    assert len(found) >= 3  # the repeated key, the wrong value, the references to "lg-cns"
    assert all(line is not None for _, line, _, _ in found)
