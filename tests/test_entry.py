"""How the installed script ends: with the command's exit code and its output whole, without
freeing what the command made (``_entry.script``, ``common.held``)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest
from typer.testing import CliRunner

from builders import bundled_json, figure, write_dataset, write_lg_cns_changed
from policyexports import _entry
from policyexports.cli import app, common
from policyexports.loading import Loaded
from policyexports.reports import ListReport, SummaryReport
from policyexports.verdicts import CheckReport

runner = CliRunner()


class _Ended(Exception):
    """What ``os._exit`` raises here instead of ending the test process."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Stream(io.StringIO):
    """Standard output or error that notes its flushes, or fails them with ``error``."""

    def __init__(self, flushes: list[str], name: str, error: OSError | None = None) -> None:
        super().__init__()
        self.flushes, self.name, self.error = flushes, name, error

    def flush(self) -> None:
        if self.error is not None:
            raise self.error
        self.flushes.append(self.name)


def _ending(monkeypatch: pytest.MonkeyPatch, ends: BaseException | None) -> list[str]:
    """``main`` replaced by one that raises ``ends`` (returns, for None), and ``os._exit`` by
    one that raises ``_Ended``; what is flushed, and then ``exit``, is noted in the list."""
    seen: list[str] = []

    def main(prog_name: str | None = None, *, to_the_end: bool = False) -> None:
        assert to_the_end  # why: the script holds what its command makes
        if ends is not None:
            raise ends

    def exit_now(status: int) -> NoReturn:
        seen.append("exit")
        raise _Ended(status)

    monkeypatch.setattr(_entry, "main", main)
    monkeypatch.setattr(os, "_exit", exit_now)
    monkeypatch.setattr(sys, "stdout", _Stream(seen, "stdout"))
    monkeypatch.setattr(sys, "stderr", _Stream(seen, "stderr"))
    return seen


@pytest.mark.parametrize(
    ("ends", "status"),
    [(None, 0), (SystemExit(), 0), (SystemExit(0), 0), (SystemExit(1), 1), (SystemExit(2), 2)],
)
def test_the_script_ends_with_the_command_s_exit_code_once_its_output_is_flushed(
    monkeypatch: pytest.MonkeyPatch, ends: SystemExit | None, status: int
) -> None:
    seen = _ending(monkeypatch, ends)
    with pytest.raises(_Ended) as ended:
        _entry.script()
    assert ended.value.status == status
    assert seen == ["stdout", "stderr", "exit"]


def test_an_exit_with_a_message_is_left_to_the_interpreter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # why: Python prints the message and ends with 1; nothing here raises it, but it is kept
    seen = _ending(monkeypatch, SystemExit("a message"))
    with pytest.raises(SystemExit) as ended:
        _entry.script()
    assert ended.value.code == "a message"
    assert seen == []


@pytest.mark.parametrize("error", [BrokenPipeError(), OSError(28, "No space left on device")])
def test_output_that_cannot_be_flushed_is_left_to_the_interpreter(
    monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    seen = _ending(monkeypatch, SystemExit(1))
    monkeypatch.setattr(sys, "stdout", _Stream(seen, "stdout", error))
    with pytest.raises(SystemExit) as ended:
        _entry.script()
    assert ended.value.code == 1
    assert seen == []


def _process(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "POLICYEXPORTS_DATA": "", "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "policyexports", *args], capture_output=True, env=env, check=False
    )


def test_a_long_report_through_a_pipe_is_whole_and_as_in_one_process(tmp_path: Path) -> None:
    data = bundled_json()
    # why: far more output than a pipe buffers, so most of it is still to be written at the end
    data["figures"] += [{**figure(data, "opening-cities"), "id": f"x-{i}"} for i in range(2000)]
    args = ["list", "--data", str(write_dataset(tmp_path, data)), "-f", "json"]
    ran = _process(args)
    expected = runner.invoke(app, args)
    assert (ran.returncode, ran.stderr) == (0, b"")
    assert len(ran.stdout) > 1_000_000
    assert ran.stdout == expected.stdout_bytes


def test_a_failing_claim_ends_the_process_with_1_and_its_report_whole(tmp_path: Path) -> None:
    args = ["check", "--data", str(write_lg_cns_changed(tmp_path)), "-f", "csv"]
    ran = _process(args)
    expected = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert (ran.returncode, expected.exit_code) == (1, 1)
    assert (ran.stdout, ran.stderr) == (expected.stdout_bytes, expected.stderr_bytes)


@pytest.mark.parametrize(
    ("args", "report"),
    [
        (["summary", "-f", "json"], SummaryReport),
        (["list", "-f", "json"], ListReport),
        (["check", "-f", "json"], CheckReport),
    ],
)
def test_a_command_holds_its_dataset_and_report_to_the_end_only_for_the_script(
    monkeypatch: pytest.MonkeyPatch, args: list[str], report: type[object]
) -> None:
    holding = common._Held()
    monkeypatch.setattr(common, "_HELD", holding)
    # why: a process that goes on after a command (these tests) frees what it made
    assert runner.invoke(app, args, env={"POLICYEXPORTS_DATA": ""}).exit_code == 0
    assert holding.values == []
    common.hold_to_the_end()
    assert runner.invoke(app, args, env={"POLICYEXPORTS_DATA": ""}).exit_code == 0
    assert [type(value) for value in holding.values] == [Loaded, report]


def test_the_test_process_cannot_be_ended_from_within() -> None:
    # why: conftest's guard; without it a test that ran the script in-process would end
    # pytest with exit code 0 and no report
    with pytest.raises(AssertionError, match=r"os\._exit\(0\)"):
        os._exit(0)
