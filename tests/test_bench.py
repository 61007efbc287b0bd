"""The benchmark's synthetic datasets pass every check the bundled one does."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from policyexports.cli import app

GENERATE = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def test_a_generated_dataset_is_valid_and_quotes_inside_paragraphs(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATE), "500", str(tmp_path)], check=True)
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "dataset.json")])
    assert result.exit_code == 0, result.output
    assert "valid: 500 figures, 50 claims" in result.output
    data = json.loads((tmp_path / "dataset.json").read_text(encoding="utf-8"))
    quoted = {item["quote"] for key in ("figures", "claims") for item in data[key]}
    lines = set((tmp_path / "article.txt").read_text(encoding="utf-8").splitlines())
    # why: as in an article, no quote is a line of its own: they are searched for
    assert not quoted & lines
    shuffled = CliRunner().invoke(app, ["validate", str(tmp_path / "dataset-shuffled.json")])
    assert shuffled.exit_code == 0, shuffled.output
    assert "valid: 500 figures, 50 claims" in shuffled.output
    again = json.loads((tmp_path / "dataset-shuffled.json").read_text(encoding="utf-8"))
    for key in ("figures", "claims"):
        assert sorted(again[key], key=json.dumps) == sorted(data[key], key=json.dumps)
        assert again[key] != data[key]  # why: the same items, in another order


def _bench_run() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", GENERATE.with_name("run.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_missed_target_never_prints_as_the_target() -> None:
    shown = _bench_run()._shown
    assert [shown(1.1004, 1.1), shown(1.0996, 1.1), shown(1.1, 1.1)] == ["1.1004", "1.0996", "1.10"]
    assert [shown(4.19, 3.0), shown(383.6, 500.0), shown(12345.678, 500.0)] == [
        "4.19",
        "383.60",
        "12,345.68",
    ]


def test_each_copy_with_a_problem_has_that_one_problem(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATE), "100", str(tmp_path)], check=True)
    found = {}
    for name, (argv, _) in _bench_run()._with_problems(tmp_path).items():
        result = CliRunner().invoke(app, ["validate", "-d", argv[argv.index("-d") + 1]])
        assert result.exit_code == 2, result.output
        *problems, count = result.output.splitlines()
        assert count == "1 problem found"
        found[name] = problems[0].split(": ", 1)[1]
    figures = json.loads((tmp_path / "dataset.json").read_text(encoding="utf-8"))["figures"]
    where = found["validate, a key given twice"].split(".", 1)[0]  # e.g. "figures[54]"
    assert figures[int(where[8:-1])]["id"].startswith("figure-")
    assert found["validate, a key given twice"] == (
        f"{where}.label: duplicate key 'label' in one object (each key once)"
    )
    assert found["validate, one quote missing"].startswith(
        f"{where}.quote: quote not found verbatim in article.txt: 'Not in the article: "
    )
    assert found["validate, one wrong value"].startswith(f"{where}: value.written 'KRW 1")


def test_the_two_largest_sizes_are_always_judged_and_a_smaller_one_once_measurable() -> None:
    # why: validate of 10,000 figures came to take 0.24 s beyond start-up, under the limit,
    # and a growth row judged on one size is reported missed
    run = _bench_run()
    counted, measurable = run._counted, run.MEASURABLE
    sizes = [1000, 10000, 100000]
    assert counted(100000, sizes, 0.0)
    assert counted(10000, sizes, measurable / 2)
    assert not counted(1000, sizes, measurable / 2)
    assert counted(1000, sizes, measurable)
    assert counted(1000, [100000, 1000], 0.0)  # why: in any order given
