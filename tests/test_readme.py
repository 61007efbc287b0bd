"""Every `$ policyexports ...` example in the README prints what the README shows.

The examples are what a terminal 100 columns wide shows, standard output and standard error
as they come; a line of ``...`` alone leaves out lines there. After an intended change to the
output, rewrite the examples that leave nothing out with:
UPDATE_README=1 pytest tests/test_readme.py
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from builders import bundled_text
from policyexports.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
ENV = {"POLICYEXPORTS_DATA": "", "NO_COLOR": "", "COLUMNS": "100"}
ERRORS_ONLY = ["2>&1", ">/dev/null"]  # why: the shell's way to show standard error alone


class Example(NamedTuple):
    command: str
    shown: str  # the lines beneath it, up to the next command or the end of its block
    start: int  # offsets in the README of what it shows
    end: int


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    fenced = False
    offset = 0
    command: str | None = None
    start = 0
    for line in text.splitlines(keepends=True):
        ends = line.startswith("```") or (fenced and line.startswith("$ "))
        if command is not None and ends:
            found.append(Example(command, text[start:offset], start, offset))
            command = None
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and line.startswith("$ policyexports "):
            command, start = line[2:].rstrip("\n"), offset + len(line)
        offset += len(line)
    return found


def _broken(folder: Path) -> None:
    """The README's ``broken.json``: the bundled dataset with three mistakes in it."""
    data = json.loads(bundled_text())
    figures = data["figures"]
    assert figures[23]["id"] == "lg-cns"
    figures[23]["value"]["value"] = 644_600_000_000
    figures[24] = {"id": figures[24]["id"], "colour": "red", **figures[24]}
    figures[25]["partners"][0]["city"] = "atlantis"
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (folder / "broken.json").write_text(text, encoding="utf-8")


def run(command: str, folder: Path) -> str:
    """What the command shows in a terminal of 100 columns, run in ``folder``."""
    args = shlex.split(command)
    errors_only = args[-2:] == ERRORS_ONLY
    if errors_only:
        args = args[:-2]
    assert args[0] == "policyexports", command
    # why: no other shell syntax is run here
    assert not any(char in arg for arg in args for char in "<>|&"), command
    if "broken.json" in args:
        _broken(folder)
    result = CliRunner().invoke(app, args[1:], env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), command
    # why: an example of bad input ends by counting its problems, and exits 2; others exit 0
    failed = result.stderr.rstrip("\n").endswith(("problem found", "problems found"))
    assert result.exit_code == (2 if failed else 0), command
    return result.stderr if errors_only else result.output


def agrees(shown: str, output: str) -> bool:
    """Whether ``output`` is what the README ``shows``, but where it leaves lines out."""
    lines = output.rstrip("\n").split("\n")
    parts: list[list[str]] = [[]]
    for line in shown.rstrip("\n").split("\n"):
        if line.strip() == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return parts[0] == lines
    first, *middle, last = parts
    if len(first) + len(last) > len(lines):  # why: the two ends may not share a line
        return False
    if lines[: len(first)] != first or lines[len(lines) - len(last) :] != last:
        return False
    at, end = len(first), len(lines) - len(last)
    for part in middle:  # why: each kept run of lines, in order, after the one before
        while at + len(part) <= end and lines[at : at + len(part)] != part:
            at += 1
        if at + len(part) > end:
            return False
        at += len(part)
    return True


EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_its_examples() -> None:
    commands = [example.command for example in EXAMPLES]
    assert "policyexports summary" in commands
    assert "policyexports validate broken.json" in commands
    assert len(commands) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.command for example in EXAMPLES])
def test_readme_example(example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shown = run(example.command, tmp_path)
    if os.environ.get("UPDATE_README") == "1" and not agrees(example.shown, shown):
        text = README.read_text(encoding="utf-8")
        now = examples(text)
        (current,) = [item for item in now if item.command == example.command]
        assert "\n...\n" not in "\n" + current.shown.replace(" ", ""), "leaves lines out"
        README.write_text(text[: current.start] + shown + text[current.end :], encoding="utf-8")
    assert agrees(example.shown, shown), shown


def test_an_example_may_leave_lines_out_but_not_change_them() -> None:
    output = "a\nb\nc\nd\n\n"
    assert agrees("a\nb\nc\nd\n", output)
    assert agrees("a\n...\nd\n", output)
    assert agrees("a\n ...\nc\n...\nd\n", output)
    assert agrees("...\nd\n", output)
    assert not agrees("a\nc\nd\n", output)
    assert not agrees("a\n...\nc\nb\n...\nd\n", output)
    assert not agrees("a\n...\nx\n", output)
    assert not agrees("b\n...\nd\n", output)
    assert not agrees("a\nb\n...\nb\nc\n", "a\nb\nc\n")  # why: ends overlapping
