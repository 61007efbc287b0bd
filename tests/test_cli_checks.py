"""The `check` and `explain` commands: verdicts, exit codes, every format, errors and files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builders import article_text, bundled_json, figure, write_dataset
from policyexports.cli import app
from policyexports.render.plain import OutputFormat

# why: the bundled dataset, whatever the environment of the person running the tests
ENV = {"POLICYEXPORTS_DATA": "", "NO_COLOR": "1", "COLUMNS": "250"}
runner = CliRunner()


def invoke(args: list[str], **env: str) -> Any:
    return runner.invoke(app, args, env={**ENV, **env})


# ---- a parameter table over the bundled dataset --------------------------------------------------

CASES: list[tuple[list[str], int, str]] = [
    (["check"], 0, "17 claims: holds 4, holds within rounding 3, fails 0, cannot be verified 5"),
    (["check", "--strict"], 1, "cannot be verified 5"),
    (["check", "--only", "transport-share", "-f", "csv"], 0, "transport-share,share,"),
    (["check", "--only", "named-parts-within-total", "-u", "eok"], 0, "6,948.7 eok"),
    (
        ["check", "--only", "earned-over-1-trillion", "-u", "won", "-f", "markdown"],
        0,
        "7,230,000,001 won",
    ),
    (["check", "--only", "export-countries-named"], 0, "12 countries named, 24 countries claimed"),
    (["check", "--only", "nope"], 2, "policyexports: unknown claim 'nope'"),
    (["check", "--only", "transprt-share"], 2, "(did you mean 'transport-share'?)"),
    (["check", "--only", "lg-cns"], 2, "'lg-cns' is a figure, not a claim; claims that use it"),
    (["check", "--format", "yaml"], 2, "Invalid value"),
    (["check", "--data", "missing.json"], 2, "missing.json: no such file"),
    (["explain", "lg-cns"], 0, "«LG CNS, in particular, has so far earned KRW 644.5 billion"),
    (["explain", "lg-cns"], 0, "[644.45, 644.55) billion"),
    (["explain", "transport-share", "-f", "markdown"], 0, "**Seoul’s public transportation"),
    (["explain", "headline-ten-years"], 0, "over by more than 1 year 5 months"),
    (["explain", "lg-cn"], 2, "no figure or claim 'lg-cn' (did you mean 'lg-cns'?)"),
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
    assert len(set(ids)) == len(ids) == 17
    verdicts = [claim["verdict"] for claim in report["claims"]]
    assert report["counts"] == {v: verdicts.count(v) for v in report["counts"]}
    assert sum(report["counts"].values()) == 17
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
    assert first["needed"]["at_least"] == 7_230_000_001
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
    data = bundled_json()
    lg_cns = figure(data, "lg-cns")
    lg_cns["value"] = "KRW 994.5 billion"
    lg_cns["quote"] = lg_cns["quote"].replace("644.5", "994.5")
    article = article_text().replace("KRW 644.5 billion", "KRW 994.5 billion")
    path = write_dataset(tmp_path, data, article=article)
    result = invoke(["check", "--data", str(path), "--format", "csv"])
    assert result.exit_code == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith("named-parts"))
    # 994.5 + 48.25 + 2.12 = 1,044.87 billion against 992.77 billion
    assert "over by 52.1 billion (52.095000001 billion beyond its rounding)" in row
    assert "fails 2" in result.stderr  # the counts, kept out of the CSV
    table = invoke(["check", "--data", str(path), "--only", "transport-share"])
    assert table.exit_code == 1
    assert "fails" in table.stdout


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
    "claim,type,claim_verdict,reading,reading_label,verdict,numbers,miss,condition,quote\r\n"
    "firms-within-total,parts_within_total,fails,1,,fails,"
    "parts 60 + 45 = 105 billion ≤ total 100 billion: over by 5 billion "
    "(4.500000001 billion beyond its rounding),"
    "over by 5 billion (4.500000001 billion beyond its rounding),,"
    "[bold]Firms earned KRW 100 billion in all.\r\n"
)
TINY_MARKDOWN = """\
| Claim | Verdict | Numbers compared | Quote |
|---|---|---|---|
| firms-within-total | fails | parts 60 + 45 = 105 billion ≤ total 100 billion: over by 5 billion \
(4.500000001 billion beyond its rounding) | [bold]Firms earned KRW 100 billion in all. |

1 claim: holds 0, holds within rounding 0, fails 1, cannot be verified 0, holds only if 0
"""


@pytest.fixture
def tiny(tmp_path: Path) -> str:
    return str(write_dataset(tmp_path, TINY, article=TINY_ARTICLE))


def test_tiny_csv_exactly(tiny: str) -> None:
    result = invoke(["check", "--data", tiny, "--format", "csv"])
    # why: bytes, as the runner's text turns CRLF into LF
    assert (result.exit_code, result.stdout_bytes.decode()) == (1, TINY_CSV)
    assert result.stderr == (
        "1 claim: holds 0, holds within rounding 0, fails 1, cannot be verified 0, "
        "holds only if 0\n"
    )


def test_tiny_markdown_exactly(tiny: str) -> None:
    result = invoke(["check", "--data", tiny, "--format", "markdown"])
    assert (result.exit_code, result.stdout) == (1, TINY_MARKDOWN)


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
        "amount": 4_500_000_001,
        "direction": "above",
        "more_than": False,
        "at_face_value": 5_000_000_000,
        "text": "over by 5 billion (4.500000001 billion beyond its rounding)",
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


# ---- JSON runs never import rich -----------------------------------------------------------------

RICH_PROBE = """
import sys
from policyexports.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
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
    result = subprocess.run(
        [sys.executable, "-c", RICH_PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        env={"POLICYEXPORTS_DATA": "", "PATH": "", "NO_COLOR": "1"},
    )
    assert result.stderr.strip().endswith(f"rich imported: {imported}"), result.stderr


def test_a_narrow_terminal_keeps_the_numbers_and_leaves_the_quote_to_explain() -> None:
    result = invoke(["check"], COLUMNS="60")
    assert result.exit_code == 0
    assert "Quote" not in result.stdout.splitlines()[1]
    assert "17 claims: holds 4" in result.stdout
