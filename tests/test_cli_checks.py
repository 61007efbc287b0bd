"""The `check` and `explain` commands: verdicts, exit codes, every format, errors and files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builders import article_text, bundled_json, figure, write_dataset, write_lg_cns_changed
from policyexports.cli import app
from policyexports.render.plain import OutputFormat

# why: the bundled dataset, whatever the environment of the person running the tests
ENV = {"POLICYEXPORTS_DATA": "", "NO_COLOR": "1", "COLUMNS": "250"}
runner = CliRunner()


def invoke(args: list[str], **env: str) -> Any:
    return runner.invoke(app, args, env={**ENV, **env})


# ---- a parameter table over the bundled dataset --------------------------------------------------

CASES: list[tuple[list[str], int, str]] = [
    (
        ["check"],
        0,
        "18 claims (11 stated by the article, 7 inferred): holds 5, holds within rounding 2, "
        "fails 0, cannot be verified 5, holds only if 6",
    ),
    (["check"], 0, "(inferred): a consistency check the dataset adds"),
    (["check", "--strict"], 1, "cannot be verified 5"),
    (["check", "--only", "transport-share", "-f", "csv"], 0, "transport-share,share,false,"),
    (["check", "--only", "Transport-Share", "-f", "csv"], 0, "transport-share,share,false,"),
    (["check", "--only", "countries-within-cities", "-f", "csv"], 0, "cities,compare,true,holds"),
    (["check", "-f", "markdown"], 0, "| countries-within-cities (inferred) | holds |"),
    (["check", "--only", "named-parts-within-total", "-u", "eok"], 0, "6,927.5 eok"),
    (["check", "--only", "named-parts-with-seoul-metro", "-u", "eok"], 0, "6,948.7 eok"),
    (
        ["check", "--only", "earned-over-1-trillion", "-u", "won", "-f", "markdown"],
        0,
        "7,225,000,002 won",
    ),
    (["check", "--only", "export-countries-named"], 0, "12 countries named, 24 countries claimed"),
    (["check", "--only", "nope"], 2, "policyexports: unknown claim 'nope'"),
    (["check", "--only", "transprt-share"], 2, "(did you mean 'transport-share'?)"),
    (["check", "--only", "lg-cns"], 2, "'lg-cns' is a figure, not a claim; claims that use it"),
    (["check", "--format", "yaml"], 2, "Invalid value"),
    (["check", "--data", "missing.json"], 2, "missing.json: no such file"),
    (["explain", "lg-cns"], 0, "«LG CNS, in particular, has so far earned KRW 644.5 billion"),
    (["explain", "lg-cns"], 0, "[644.45, 644.55) billion"),
    (["explain", "LG-CNS"], 0, "[644.45, 644.55) billion"),
    (["explain", "lg-cns"], 0, "5. also Seoul Metro, of    │ fails"),
    (["explain", "lg-cns", "-f", "markdown"], 0, "| ↳ 3. LG CNS + Korea Smart Card, of the total"),
    (["explain", "lg-cns", "-f", "csv"], 0, 'reading,"4. also Seoul Metro'),
    (["explain", "brunei-contract-within-project"], 0, "Inferred: a consistency check"),
    (["explain", "brunei-contract-within-project", "-f", "csv"], 0, "inferred,brunei"),
    (["explain", "headline-ten-years", "-f", "markdown"], 0, "→ holds within rounding"),
    (["explain", "transport-share", "-f", "markdown"], 0, "Transportation is 70 percent of"),
    (
        ["explain", "transport-share", "-f", "markdown"],
        0,
        "trillion the article says Seoul earned → fails",
    ),
    (
        ["check", "--only", "transport-share", "-f", "markdown"],
        0,
        "holds only if read as 1, 2, 3 or 4",
    ),
    (["explain", "transport-share", "-f", "markdown"], 0, "**Seoul’s public transportation"),
    (["explain", "headline-ten-years"], 0, "over by more than 1 year 5 months"),
    (["explain", "lg-cn"], 2, "no figure or claim 'lg-cn' (did you mean 'lg-cns'?)"),
    (["explain", "LG_CNS"], 2, "no figure or claim 'LG_CNS' (did you mean 'lg-cns'?)"),
    (["explain", "metro"], 2, "(did you mean 'seoul-metro'?)"),
    (["explain"], 2, "Missing argument 'ID'"),
]


@pytest.mark.parametrize(("args", "code", "expected"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_cli(args: list[str], code: int, expected: str) -> None:
    result = invoke(args)
    assert result.exit_code == code, result.output
    assert expected in (result.stderr if code == 2 else result.stdout)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("output_format", list(OutputFormat))
@pytest.mark.parametrize(
    "command", [["check"], ["explain", "transport-share"], ["explain", "topis-to"]]
)
def test_every_format(command: list[str], output_format: OutputFormat) -> None:
    result = invoke([*command, "--format", output_format.value])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


# ---- the bundled dataset's JSON report -----------------------------------------------------------


def test_json_report_names_every_claim_once_and_the_exit_code_follows() -> None:
    result = invoke(["check", "--format", "json"])
    report = json.loads(result.stdout)
    ids = [claim["id"] for claim in report["claims"]]
    assert ids == [claim["id"] for claim in bundled_json()["claims"]]
    assert len(set(ids)) == len(ids) == 18
    verdicts = [claim["verdict"] for claim in report["claims"]]
    assert report["counts"] == {v: verdicts.count(v) for v in report["counts"]}
    assert sum(report["counts"].values()) == 18
    assert report["origins"] == {"stated": 11, "inferred": 7}
    assert [claim["id"] for claim in report["claims"] if claim["inferred"]] == [
        "named-parts-within-total",
        "named-parts-with-seoul-metro",
        "opening-vs-since-2006-cities",
        "opening-vs-since-2006-countries",
        "countries-within-cities",
        "cities-within-occasions",
        "brunei-contract-within-project",
    ]
    assert result.exit_code == (1 if "fails" in verdicts else 0) == 0
    strict = invoke(["check", "--format", "json", "--strict"])
    assert json.loads(strict.stdout)["failing"] == [
        claim["id"] for claim in report["claims"] if claim["verdict"] == "cannot_be_verified"
    ]
    assert strict.exit_code == 1


def test_json_money_is_integers_of_won() -> None:
    report = json.loads(invoke(["check", "-f", "json", "--only", "earned-over-1-trillion"]).stdout)
    (claim,) = report["claims"]
    first = claim["readings"][0]
    assert first["result"]["low"] == 992_770_000_000
    # why: 992.77 billion may be as much as 992,774,999,999 won
    assert first["needed"]["at_least"] == 7_225_000_002
    assert first["needed"]["at_face_value"] == 7_230_000_001
    assert first["stated"]["interval"] == {
        "low": 1_000_000_000_000,
        "high": None,
        "low_closed": False,
        "high_closed": False,
    }


def test_explain_json_locates_the_quote_in_its_sentence() -> None:
    document = json.loads(invoke(["explain", "export-cities-named", "-f", "json"]).stdout)
    sentence = document["sentence"]
    quote = document["check"]["quote"]
    assert sentence["text"].startswith("According to Seoul, since 2006")
    assert sentence["text"][sentence["quote_start"] : sentence["quote_end"]] == quote


# ---- a dataset with one figure changed so that a claim breaks ------------------------------------


def test_a_changed_figure_breaks_a_claim_exit_1_and_says_by_how_much(tmp_path: Path) -> None:
    path = write_lg_cns_changed(tmp_path)
    result = invoke(["check", "--data", str(path), "--format", "csv"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.startswith("named-parts-with-seoul-metro,"))
    # 994.5 + 48.25 + 2.12 = 1,044.87 billion against 992.77 billion; at the least their
    # rounding allows, 994.45 + 48.245 + 2.115 = 1,044.81 billion, against 992,774,999,999 won
    assert "over by 52.1 billion (52.035000001 billion beyond every rounding)" in row
    row = next(line for line in lines if line.startswith("named-parts-within-total,"))
    assert "over by 49.98 billion (49.920000001 billion beyond every rounding)" in row
    assert "fails 2," in result.stderr  # the counts, kept out of the CSV
    # every reading fails but the last: of "over KRW 1 trillion" it is 0% to 104.487%
    table = invoke(["check", "--data", str(path), "--only", "transport-share", "-f", "csv"])
    assert table.exit_code == 0
    last = table.stdout.splitlines()[-1]
    assert "(0%, 104.487%) vs 70 percent [69.5%, 70.5%): cannot be verified ('over KRW 1 " in last
    assert "trillion' is only a bound: some values it admits satisfy the claim" in last
    strict = invoke(["check", "--data", str(path), "--only", "transport-share", "--strict"])
    assert strict.exit_code == 1


def test_a_value_just_under_a_limit_is_never_shown_as_the_limit(tmp_path: Path) -> None:
    data = bundled_json()
    lg_cns = figure(data, "lg-cns")
    lg_cns["value"] = "KRW 944.5 billion"
    lg_cns["quote"] = lg_cns["quote"].replace("644.5", "944.5")
    article = article_text().replace("KRW 644.5 billion", "KRW 944.5 billion")
    path = write_dataset(tmp_path, data, article=article)
    result = invoke(["check", "--data", str(path), "--only", "transport-share", "-f", "csv"])
    first = result.stdout.splitlines()[1]
    # (944.5 + 48.25) / 992.77 is 99.998%: not 100.00%, and 29.998 points over, not 30.00;
    # at least (944.45 + 48.245) / 992.775 = 99.99194...%, which is 29.49194... points over
    # 70.5%: "more than" that is cut to 29.491, never rounded up to 29.492
    assert "= 99.998% vs 70 percent" in first
    assert "over by 29.998 percentage points (more than 29.491 percentage points beyond" in first
    assert "100.00" not in result.stdout
    # 944.5 + 48.25 + 2.12 = 994.87 billion: over 992.77 billion
    parts = invoke(["explain", "named-parts-with-seoul-metro", "--data", str(path)])
    assert "unattributed" not in parts.stdout  # the parts do not fit: no remainder to show


# ---- a small hand-made dataset: exact output -----------------------------------------------------

TINY_ARTICLE = (
    "[bold]Firms earned KRW 100 billion in all. Firm A earned KRW 60 billion. "
    "Firm B earned KRW 45 billion.\n"
)
TINY: dict[str, Any] = {
    "source": {"title": "T", "publisher": "P", "file": "x", "sha256": "0" * 64},
    "figures": [
        {
            "id": "total",
            "kind": "revenue",
            "label": "All firms",
            "value": "KRW 100 billion",
            "total": True,
            "quote": "Firms earned KRW 100 billion in all.",
        },
        {
            "id": "a",
            "kind": "revenue",
            "label": "Firm A",
            "value": "KRW 60 billion",
            "quote": "Firm A earned KRW 60 billion.",
        },
        {
            "id": "b",
            "kind": "revenue",
            "label": "Firm B",
            "value": "KRW 45 billion",
            "quote": "Firm B earned KRW 45 billion.",
        },
    ],
    "claims": [
        {
            "id": "firms-within-total",
            "statement": "A and B fit inside the total",
            "quote": "[bold]Firms earned KRW 100 billion in all.",
            "type": "parts_within_total",
            "total": "total",
            "parts": ["a", "b"],
        }
    ],
}
TINY_CSV = (
    "claim,type,inferred,claim_verdict,reading,reading_label,verdict,numbers,miss,condition,"
    "quote\r\n"
    "firms-within-total,parts_within_total,false,fails,1,,fails,"
    "parts 60 + 45 = 105 billion ≤ total 100 billion: over by 5 billion "
    "(3.500000001 billion beyond every rounding),"
    "over by 5 billion (3.500000001 billion beyond every rounding),,"
    "[bold]Firms earned KRW 100 billion in all.\r\n"
)
TINY_MARKDOWN = """\
| Claim | Verdict | Numbers compared | Quote |
|---|---|---|---|
| firms-within-total | fails | parts 60 + 45 = 105 billion ≤ total 100 billion: over by 5 billion \
(3.500000001 billion beyond every rounding) | \\[bold\\]Firms earned KRW 100 billion in all. |

1 claim (1 stated by the article, 0 inferred): holds 0, holds within rounding 0, fails 1, \
cannot be verified 0, holds only if 0
"""


@pytest.fixture
def tiny(tmp_path: Path) -> str:
    return str(write_dataset(tmp_path, TINY, article=TINY_ARTICLE))


def test_tiny_csv_exactly(tiny: str) -> None:
    result = invoke(["check", "--data", tiny, "--format", "csv"])
    # why: bytes, as the runner's text turns CRLF into LF
    assert (result.exit_code, result.stdout_bytes.decode()) == (1, TINY_CSV)
    assert result.stderr == (
        "1 claim (1 stated by the article, 0 inferred): holds 0, holds within rounding 0, "
        "fails 1, cannot be verified 0, holds only if 0\n"
    )


def test_tiny_markdown_exactly(tiny: str) -> None:
    result = invoke(["check", "--data", tiny, "--format", "markdown"])
    assert (result.exit_code, result.stdout) == (1, TINY_MARKDOWN)


TINY_CARDS = """\
firms-within-total: fails
  parts 60 + 45 = 105 billion ≤ total 100 billion: over by 5
  billion (3.500000001 billion beyond every rounding)

1 claim (1 stated by the article, 0 inferred): holds 0, holds
within rounding 0, fails 1, cannot be verified 0, holds only
if 0
"""


def test_tiny_as_cards_in_a_narrow_terminal_exactly(tiny: str) -> None:
    result = invoke(["check", "--data", tiny], COLUMNS="62")
    assert (result.exit_code, result.stdout) == (1, TINY_CARDS)


@pytest.mark.parametrize("columns", ["40", "60", "79"])
def test_a_narrow_terminal_cuts_no_id_or_number_into_slivers(columns: str) -> None:
    result = invoke(["check"], COLUMNS=columns)
    assert result.exit_code == 0
    words = result.stdout.split()
    # why: every claim id and every number the table shows, whole, somewhere
    assert "named-parts-with-seoul-metro" in words
    assert "brunei-contract-within-project" in words
    assert "992.77" in words
    assert "(30.22%)" in words
    assert max(map(len, result.stdout.splitlines())) <= int(columns)


def test_tiny_json_exactly(tiny: str) -> None:
    report = json.loads(invoke(["check", "--data", tiny, "--format", "json"]).stdout)
    (reading,) = report["claims"][0]["readings"]
    assert report["counts"] == {
        "holds": 0,
        "holds_within_rounding": 0,
        "fails": 1,
        "cannot_be_verified": 0,
        "holds_only_if": 0,
    }
    assert report["failing"] == ["firms-within-total"]
    assert reading["result"] == {
        "low": 105_000_000_000,
        "high": 105_000_000_000,
        "low_closed": True,
        "high_closed": True,
    }
    assert reading["tolerance"] == {
        "low": None,
        "high": 100_500_000_000,
        "low_closed": False,
        "high_closed": False,
    }
    assert reading["miss"] == {
        "amount": 3_500_000_001,
        "direction": "above",
        "more_than": False,
        "at_face_value": 5_000_000_000,
        "text": "over by 5 billion (3.500000001 billion beyond every rounding)",
    }
    assert [part["share_percent"] for part in reading["parts"]] == [60, 45]


def test_table_prints_data_literally(tiny: str) -> None:
    result = invoke(["check", "--data", tiny])
    assert result.exit_code == 1
    assert "[bold]Firms earned" in result.stdout
    assert "\x1b[" not in result.stdout  # why: NO_COLOR and not a terminal


def test_output_file_whole_and_not_overwritten_without_force(tiny: str, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    first = invoke(["check", "--data", tiny, "-f", "json", "-o", str(target)])
    assert (first.exit_code, first.stdout) == (1, "")
    assert json.loads(target.read_text())["failing"] == ["firms-within-total"]
    again = invoke(["check", "--data", tiny, "-f", "json", "-o", str(target)])
    assert again.exit_code == 2
    assert "already exists (use --force to overwrite)" in again.stderr
    forced = invoke(["check", "--data", tiny, "-f", "csv", "-o", str(target), "--force"])
    assert forced.exit_code == 1
    with target.open(encoding="utf-8", newline="") as written:
        assert written.read() == TINY_CSV


# ---- a miss measured against a figure given only as a bound --------------------------------------

BOUNDS_ARTICLE = (
    "It has 15 cities. It has over 20 cities. In all, KRW 10 billion was earned. "
    "X earned over KRW 1 trillion.\n"
)


def _figure(ref: str, kind: str, value: str, quote: str) -> dict[str, Any]:
    return {"id": ref, "kind": kind, "label": ref, "value": value, "quote": quote}


BOUNDS: dict[str, Any] = {
    "source": {"title": "T", "publisher": "P", "file": "x", "sha256": "0" * 64},
    "figures": [
        _figure("c15", "count", "15 cities", "It has 15 cities."),
        _figure("c20", "count", "over 20 cities", "It has over 20 cities."),
        {
            **_figure("all", "revenue", "KRW 10 billion", "In all, KRW 10 billion was earned."),
            "total": True,
        },
        _figure("x", "revenue", "over KRW 1 trillion", "X earned over KRW 1 trillion."),
    ],
    "claims": [
        {
            "id": "c1",
            "statement": "s",
            "quote": "It has 15 cities.",
            "type": "compare",
            "readings": [{"label": "r", "left": ["c15"], "op": ">=", "right": ["c20"]}],
        },
        {
            "id": "t5",
            "statement": "s",
            "quote": "In all, KRW 10 billion was earned.",
            "type": "total",
            "stated": "all",
            "readings": [{"label": "r", "counted": ["x"]}],
        },
    ],
}


@pytest.fixture
def bounds(tmp_path: Path) -> str:
    return str(write_dataset(tmp_path, BOUNDS, article=BOUNDS_ARTICLE))


def test_a_miss_against_a_bound_is_more_than_the_distance_to_it(bounds: str) -> None:
    result = invoke(["check", "--data", bounds, "--format", "json"])
    assert result.exit_code == 1
    misses = {
        claim["id"]: claim["readings"][0]["miss"] for claim in json.loads(result.stdout)["claims"]
    }
    # why: "over 20 cities" is some number above 20, so 15 is short by more than 5 (not 6)
    assert misses["c1"] == {
        "amount": 5,
        "direction": "below",
        "more_than": True,
        "at_face_value": 5,
        "text": "short by more than 5",
    }
    # why: the sum is some amount over 1 trillion; only the stated total's rounding is exact
    assert misses["t5"]["more_than"] is True
    assert misses["t5"]["at_face_value"] == 990_000_000_000
    assert misses["t5"]["text"] == (
        "over by more than 990 billion (more than 989.500000001 billion beyond every rounding)"
    )


def test_short_claim_ids_keep_the_header_whole(bounds: str) -> None:
    result = invoke(["check", "--data", bounds], COLUMNS="160")
    header = result.stdout.splitlines()[1]
    assert "┃ Claim" in header
    assert "Clai " not in result.stdout


def test_a_dataset_without_claims_says_so(tmp_path: Path) -> None:
    path = str(write_dataset(tmp_path, {**TINY, "claims": []}, article=TINY_ARTICLE))
    for output_format in ("table", "markdown"):
        result = invoke(["check", "--data", path, "--format", output_format])
        assert (result.exit_code, result.stdout) == (0, "The dataset has no claims.\n")
    document = json.loads(invoke(["check", "--data", path, "--format", "json"]).stdout)
    assert (document["claims"], document["failing"]) == ([], [])
    assert set(document["counts"].values()) == {0}
    csv_run = invoke(["check", "--data", path, "--format", "csv"])
    assert csv_run.exit_code == 0
    assert csv_run.stdout.splitlines() == [
        "claim,type,inferred,claim_verdict,reading,reading_label,verdict,numbers,miss,"
        "condition,quote"
    ]
    assert csv_run.stderr == "The dataset has no claims.\n"


# ---- JSON runs never import rich; runs from the cache never import pydantic's models ----------

RICH_PROBE = """
import sys
import policyexports.loading as loading
parsed, parse = [], loading._parse
loading._parse = lambda *args: parsed.append(args) or parse(*args)
from policyexports.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print("validated:", bool(parsed), file=sys.stderr)
print("pydantic's models:", "pydantic.fields" in sys.modules, file=sys.stderr)
print("hashlib:", "hashlib" in sys.modules, "pickle:", "pickle" in sys.modules, file=sys.stderr)
print("jsonpos:", "policyexports.jsonpos" in sys.modules, file=sys.stderr)
print("json:", "json" in sys.modules, file=sys.stderr)
print("explain:", "policyexports.explain" in sys.modules, file=sys.stderr)
from policyexports.basetypes import _STAND_INS
print("dataclass fields made:", len(_STAND_INS), file=sys.stderr)
print("rich imported:", "rich" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "imported"),
    [
        (["check", "--format", "json"], False),
        (["explain", "transport-share", "--format", "json"], False),
        (["check", "--format", "csv"], False),
        (["check", "--only", "transport-share"], True),
    ],
)
def test_rich_is_imported_only_for_tables(args: list[str], imported: bool) -> None:
    for validated in (True, False):  # the second run takes the dataset from the cache
        result = subprocess.run(
            [sys.executable, "-c", RICH_PROBE, *args],
            capture_output=True,
            text=True,
            check=False,
            env={
                "POLICYEXPORTS_DATA": "",
                "PATH": "",
                "NO_COLOR": "1",
                "POLICYEXPORTS_CACHE_DIR": os.environ["POLICYEXPORTS_CACHE_DIR"],
            },
        )
        assert result.stderr.strip().endswith(f"rich imported: {imported}"), result.stderr
        assert f"validated: {validated}" in result.stderr
        # why: importing them costs more than Typer; validation builds its validator from
        # the prebuilt core schema without them
        assert "pydantic's models: False" in result.stderr
        assert "jsonpos: False" in result.stderr  # why: it only places problems in the text
        # why: what only `explain` shows is not imported by `check`, table or not
        assert f"explain: {args[0] == 'explain'}" in result.stderr
        if not imported:  # why: rich imports json itself
            # why: jsontext reads the dataset and the core schema with json's C scanner
            assert "json: False" in result.stderr
        assert "dataclass fields made: 0" in result.stderr  # why: made only when asked for
        if not imported:  # why: rich imports pickle itself (and random, hashlib)
            # why: hashlib loads OpenSSL; the builtin BLAKE2b and SHA-256 are enough. Only
            # keeping a dataset in the cache writes pickles.
            assert f"hashlib: False pickle: {validated}" in result.stderr


def test_a_narrow_terminal_keeps_the_numbers_and_leaves_the_quote_to_explain() -> None:
    result = invoke(["check"], COLUMNS="60")
    assert result.exit_code == 0
    assert "Quote" not in result.stdout.splitlines()[1]
    assert "18 claims (11 stated by the article, 7 inferred): holds 5," in " ".join(
        result.stdout.split()
    )


@pytest.mark.parametrize(
    "args", [["check"], ["explain", "lg-cns"], ["explain", "headline-ten-years"]]
)
@pytest.mark.parametrize("columns", ["60", "100"])
def test_no_line_of_a_table_ends_in_spaces(args: list[str], columns: str) -> None:
    # why: rich pads lines to the table and keeps a wrapped line's space; pasted notes should not
    result = invoke(args, COLUMNS=columns)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) > 10
    assert [line for line in lines if line != line.rstrip()] == []


# ---- control characters from the data never reach the terminal raw ------------------------------

CONTROLS = "\x1b\x9b\x07\r\x7f"


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    data = json.loads(json.dumps(TINY))
    quote = "Firm \x1b[31mA\x9b2J earned KRW 60 billion."
    data["figures"][1] |= {"quote": quote, "label": "Firm \x07A\x1b]0;title\x07"}
    data["claims"][0] |= {"statement": "A \x1b[2J and B\r fit\x7f", "quote": quote}
    article = TINY_ARTICLE.replace("Firm A earned", "Firm \x1b[31mA\x9b2J earned")
    return str(write_dataset(tmp_path, data, article=article))


def test_explain_in_markdown_shows_the_data_as_typed(tmp_path: Path) -> None:
    data = json.loads(json.dumps(TINY))
    data["claims"][0] |= {"statement": "**Bold** <img src=x> [l](http://e)"}
    path = write_dataset(tmp_path, data, article=TINY_ARTICLE)
    result = invoke(["explain", "firms-within-total", "--data", str(path), "-f", "markdown"])
    statement = result.stdout.splitlines()[2]
    assert statement == r"\*\*Bold\*\* \<img src=x\> \[l\](http://e)"


@pytest.mark.parametrize("output_format", list(OutputFormat))
@pytest.mark.parametrize(
    "command", [["check"], ["explain", "firms-within-total"], ["explain", "a"]]
)
def test_control_characters_are_escaped_in_every_format(
    hostile: str, command: list[str], output_format: OutputFormat
) -> None:
    result = invoke([*command, "--data", hostile, "--format", output_format.value])
    text = result.stdout_bytes.decode().replace("\r\n", "\n")  # why: CSV's own line ends
    assert not set(text) & set(CONTROLS), repr(text)
    if output_format is OutputFormat.JSON:
        # why: JSON escapes them its own way, so the data comes back exactly
        assert quote_of(json.loads(text)) == "Firm \x1b[31mA\x9b2J earned KRW 60 billion."
    elif output_format is OutputFormat.MARKDOWN:
        # why: visible, with Markdown's own escapes (of the backslash and the bracket) so that
        # the page shows exactly that
        assert "\\\\x1b\\[31mA\\\\x9b2J" in text
    else:
        assert "\\x1b[31mA\\x9b2J" in text  # why: visible instead


@pytest.mark.parametrize(
    "command", [["check"], ["explain", "transport-share"], ["explain", "lg-cns"]]
)
def test_control_characters_are_escaped_in_cards_too(tmp_path: Path, command: list[str]) -> None:
    data = bundled_json()
    claim = next(claim for claim in data["claims"] if claim["id"] == "transport-share")
    for reading in claim["readings"]:
        reading["label"] = "\x1b[31m" + reading["label"] + "\x9b2J"
    path = write_dataset(tmp_path, data)
    result = invoke([*command, "--data", str(path)], COLUMNS="60")
    assert result.exit_code == 0, result.output
    assert not set(result.stdout) & set(CONTROLS), repr(result.stdout)
    # why: the labels are shown, escaped (cards and steps may wrap them)
    assert "\\x1b[31m" in result.stdout
    assert "\\x9b2J" in result.stdout


@pytest.mark.parametrize("columns", ["40", "60", "79"])
@pytest.mark.parametrize("claim", ["transport-share", "named-parts-within-total"])
def test_explain_in_a_narrow_terminal_keeps_figures_whole(claim: str, columns: str) -> None:
    result = invoke(["explain", claim], COLUMNS=columns)
    assert result.exit_code == 0
    words = result.stdout.split()
    assert "korea-smart-card" in words
    assert "48.25" in words
    assert max(map(len, result.stdout.splitlines())) <= int(columns)


def quote_of(document: dict[str, Any]) -> str:
    if "claims" in document:
        quote = document["claims"][0]["quote"]
    elif "check" in document:
        quote = document["check"]["quote"]
    else:
        quote = document["figure"]["quote"]
    assert isinstance(quote, str)
    return quote


@pytest.mark.parametrize(
    "args", [["explain", "\x1b[31mX\x9b"], ["check", "--only", "\x1b[31mX\x9b"]]
)
def test_control_characters_in_errors_are_escaped(args: list[str]) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert not set(result.stderr) & set(CONTROLS)
    assert "\\x1b[31mX\\x9b" in result.stderr


@pytest.mark.parametrize("strict", [False, True])
def test_json_written_in_pieces_is_the_whole_report(tmp_path: Path, strict: bool) -> None:
    from policyexports.checks import check_dataset
    from policyexports.loading import load
    from policyexports.quantities import DisplayUnit
    from policyexports.render.checks import render_report
    from policyexports.render.plain import OutputFormat

    loaded = load()
    whole = render_report(
        check_dataset(loaded.dataset),
        OutputFormat.JSON,
        dataset=loaded.name,
        display=DisplayUnit.BILLION,
        strict=strict,
        color=False,
        width=80,
    )
    flags = ["--strict"] if strict else []
    printed = invoke(["check", "--format", "json", *flags])
    assert printed.stdout == whole
    target = tmp_path / "check.json"
    invoke(["check", "--format", "json", *flags, "--output", str(target)])
    assert target.read_text(encoding="utf-8") == whole
