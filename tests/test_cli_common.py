"""Behaviour every command shares: where reports are written, odd terminals, messages."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from builders import bundled_json, write_dataset
from policyexports.cli import app

runner = CliRunner()


def test_output_file_gets_the_mode_a_new_file_would_get(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    previous = os.umask(0o022)
    try:
        result = runner.invoke(app, ["summary", "-f", "csv", "-o", str(target)])
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8").startswith("section,")


def test_output_refuses_links_and_devices_even_with_force(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    for target in (link, Path(os.devnull), tmp_path):
        result = runner.invoke(app, ["summary", "-o", str(target), "--force"])
        assert result.exit_code == 2
        assert "regular files only" in result.stderr or "is a directory" in result.stderr
    assert real.read_text(encoding="utf-8") == "keep me"
    assert link.is_symlink()


def test_overwriting_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "private.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    result = runner.invoke(app, ["list", "-f", "csv", "-o", str(target), "--force"])
    assert result.exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_existing_file_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    refused = runner.invoke(app, ["list", "-f", "json", "-o", str(target)])
    assert refused.exit_code == 2
    assert "already exists (use --force to overwrite)" in refused.stderr
    assert target.read_text(encoding="utf-8") == "old"
    forced = runner.invoke(app, ["list", "-f", "json", "-o", str(target), "--force"])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("{")


def test_dash_as_output_means_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["list", "-f", "csv", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("id,kind,")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", [["summary"], ["check"], ["explain", "lg-cns"]])
def test_a_terminal_that_cannot_encode_gets_escapes_not_a_traceback(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policyexports", *command],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii", "POLICYEXPORTS_DATA": ""},
        check=False,
    )
    assert result.returncode == 0
    assert b"Traceback" not in result.stderr
    # why: reports are UTF-8 whatever the locale: box rules, bars and curly quotes intact
    assert any(ord(char) > 127 for char in result.stdout.decode("utf-8"))


def test_validate_takes_the_dataset_once() -> None:
    result = runner.invoke(app, ["validate", "a.json", "--data", "b.json"])
    assert result.exit_code == 2
    assert "give the dataset once" in result.stderr


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["list", "--city"], "policyexports: unknown city 'xxx"),
        (["check", "--only"], "policyexports: unknown claim 'xxx"),
        (["explain"], "policyexports: no figure or claim 'xxx"),
    ],
)
def test_a_long_value_typed_is_cut_short_in_its_message(args: list[str], start: str) -> None:
    result = runner.invoke(app, [*args, "x" * 100_000], env={"POLICYEXPORTS_DATA": ""})
    assert result.exit_code == 2
    assert result.stderr.startswith(start)
    assert f"'{'x' * 57}'... (100,000 characters);" in result.stderr
    assert len(result.stderr) < 1000


def test_an_unknown_name_in_a_dataset_without_any_says_so(tmp_path: Path) -> None:
    data = bundled_json()
    data.update(cities=[], organizations=[])
    for item in data["figures"]:
        item.pop("earner", None)
        item["partners"] = [place for place in item.get("partners", []) if "city" not in place]
    path = write_dataset(tmp_path, data)
    result = runner.invoke(app, ["list", "--data", str(path), "--city", "Bogota"])
    assert result.exit_code == 2, result.output
    assert result.stderr == ("policyexports: unknown city 'Bogota'; the dataset names no city\n")


def test_an_empty_output_name_is_an_error() -> None:
    result = runner.invoke(app, ["summary", "-o", ""], env={"POLICYEXPORTS_DATA": ""})
    assert result.exit_code == 2
    assert result.stderr == (
        "policyexports: the output file name is empty (expected a file, or '-')\n"
    )


def test_a_huge_terminal_width_is_capped() -> None:
    env = {"POLICYEXPORTS_DATA": "", "COLUMNS": "1000000"}
    result = runner.invoke(app, ["check"], env=env)
    assert result.exit_code == 0
    assert max(map(len, result.stdout.splitlines())) == 500


def test_messages_show_control_characters_escaped() -> None:
    result = runner.invoke(app, ["list", "--company", "X\x1b[2J"])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "X\\x1b[2J" in result.stderr


# ---- the script builds only the command it runs ---------------------------------------------

FULL_APP = "import sys; from policyexports.cli import app; app(prog_name='policyexports')"


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "--help"],
        ["check", "-h"],
        ["list", "--bogus"],
        ["list", "--format", "json", "--country", "Colombia"],
        ["explain"],
        ["validate", "--data", "no-such-file.json"],
        ["summry"],
    ],
)
def test_building_only_the_command_run_changes_nothing_a_user_sees(args: list[str]) -> None:
    env = {**os.environ, "POLICYEXPORTS_DATA": "", "COLUMNS": "100"}
    lean, full = (
        subprocess.run(
            [sys.executable, *how, *args], check=False, capture_output=True, text=True, env=env
        )
        for how in (["-m", "policyexports"], ["-c", FULL_APP])
    )
    assert lean.returncode == full.returncode
    assert (lean.stdout, lean.stderr) == (full.stdout, full.stderr)


@pytest.mark.parametrize(
    ("argv", "built"),
    [
        (["summary", "--format", "json"], ["summary"]),
        (["explain", "transport-share"], ["explain"]),
        (["--help"], None),
        (["--version"], None),
        (["summry"], None),
        ([], None),
    ],
)
def test_only_the_command_named_is_built(argv: list[str], built: list[str] | None) -> None:
    from policyexports.cli import _only_the_command_run

    everything = list(app.registered_commands)
    with _only_the_command_run(argv):
        names = [info.callback.__name__ for info in app.registered_commands if info.callback]
        assert names == (built or [info.callback.__name__ for info in everything if info.callback])
    assert app.registered_commands == everything


def test_shell_completion_gets_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from policyexports.cli import _only_the_command_run

    monkeypatch.setenv("_POLICYEXPORTS_COMPLETE", "bash_complete")
    with _only_the_command_run(["summary"]):
        assert len(app.registered_commands) > 1


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"_POLICYEXPORTS_COMPLETE": "complete_bash", "COMP_WORDS": "policyexports li"}, "COMP_"),
        (
            {
                "_POLICYEXPORTS_COMPLETE": "complete_bash",
                "COMP_WORDS": "policyexports li",
                "COMP_CWORD": "abc",
            },
            "malformed",
        ),
        ({"_POLICYEXPORTS_COMPLETE": "bogus"}, ""),
    ],
)
def test_completion_asked_for_by_hand_wrongly_is_exit_2_not_a_traceback(
    variables: dict[str, str], message: str
) -> None:
    ended = subprocess.run(
        [sys.executable, "-m", "policyexports"],
        env={**os.environ, **variables},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ended.returncode == 2
    assert "Traceback" not in ended.stderr
    assert message in ended.stderr


def test_completion_from_python_m_is_for_the_policyexports_command() -> None:
    script = subprocess.run(
        [sys.executable, "-m", "policyexports", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # why: as "python -m policyexports" it was registered for python itself
    assert script.rstrip().endswith("-F _policyexports_completion policyexports")
    assert "_PYTHON" not in script
    completed = subprocess.run(
        [sys.executable, "-m", "policyexports"],
        env={
            **os.environ,
            "_POLICYEXPORTS_COMPLETE": "complete_bash",
            "COMP_WORDS": "policyexports li",
            "COMP_CWORD": "1",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.split() == ["list"]


# ---- standard streams that are closed, full or gone (real processes) ---------------------------

FULL = Path("/dev/full")  # why: Linux's device that refuses every write as a full disk would
needs_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full here")


def _run(args: list[str], **streams: object) -> subprocess.CompletedProcess[bytes]:
    """The installed command in a process of its own, with the standard streams given."""
    env = {**os.environ, "POLICYEXPORTS_DATA": "", "POLICYEXPORTS_CACHE": "off"}
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **streams}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "policyexports", *args], env=env, check=False, **options
    )


@needs_full
@pytest.mark.parametrize(
    "args", [["summary"], ["list", "-f", "json"], ["check"], ["validate"], ["--version"]]
)
def test_a_full_disk_for_the_output_is_a_message_and_exit_2(args: list[str]) -> None:
    with FULL.open("wb") as full:
        result = _run(args, stdout=full)
    assert result.returncode == 2
    assert result.stderr == b"policyexports: cannot write to standard output: " + (
        b"No space left on device\n"
    )


@needs_full
def test_help_to_a_full_disk_is_a_message_and_exit_2() -> None:
    with FULL.open("wb") as full:
        result = _run(["--help"], stdout=full)
    assert result.returncode == 2
    assert result.stderr == (
        b"policyexports: cannot write to standard output: No space left on device\n"
    )


@needs_full
@pytest.mark.parametrize(("args", "code"), [(["list", "--country", "zz"], 2), (["check"], 0)])
def test_a_full_disk_for_messages_keeps_the_exit_code(args: list[str], code: int) -> None:
    with FULL.open("wb") as full:
        result = _run([*args, "-f", "csv"], stderr=full)
    assert result.returncode == code


def _closed(descriptor: int) -> None:
    os.close(descriptor)


posix_only = pytest.mark.skipif(os.name != "posix", reason="starts a process without a stream")


@posix_only
@pytest.mark.parametrize("args", [["summary"], ["validate"], ["--help"]])
def test_a_closed_output_is_a_message_and_exit_2(args: list[str]) -> None:
    result = _run(args, stdout=None, preexec_fn=lambda: _closed(1))
    assert result.returncode == 2
    assert result.stderr == (
        b"policyexports: cannot write to standard output: it was closed when the command started\n"
    )


@posix_only
def test_a_closed_output_is_no_error_for_a_report_written_to_a_file(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    result = _run(["check", "-o", str(report)], stdout=None, preexec_fn=lambda: _closed(1))
    assert (result.returncode, result.stderr) == (0, b"")
    assert report.read_text(encoding="utf-8").startswith("┏")


@posix_only
def test_a_usage_error_with_standard_error_closed_still_exits_2_and_prints_nothing() -> None:
    result = _run(["nosuch"], stderr=None, preexec_fn=lambda: _closed(2))
    assert (result.returncode, result.stdout) == (2, b"")


@pytest.mark.parametrize("args", [["nosuch"], ["list", "--format", "nope"], ["list", "-n", "x"]])
def test_a_usage_error_to_a_pipe_nobody_reads_still_exits_2(args: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = _run(args, stderr=writer)
    finally:
        os.close(writer)
    assert result.returncode == 2


@posix_only
@pytest.mark.parametrize("args", [["summary", "--data", "-"], ["validate", "-"]])
def test_a_closed_input_is_a_message_and_exit_2(args: list[str]) -> None:
    result = _run(args, stdin=None, preexec_fn=lambda: _closed(0))
    assert result.returncode == 2
    assert result.stderr == b"<stdin>: cannot read: standard input is closed\n1 problem found\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["summary"], 0),
        (["list", "-f", "json"], 0),
        (["check", "-f", "csv"], 0),
        (["check", "-f", "csv", "--strict"], 1),  # why: claims cannot be verified
        (["--version"], 0),
        (["--help"], 0),
        (["check", "--help"], 0),
    ],
)
def test_output_to_a_pipe_nobody_reads_ends_quietly_with_the_commands_code(
    args: list[str], code: int
) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # why: as `head` does once it has its lines, here before the first
    try:
        result = _run(args, stdout=writer)
    finally:
        os.close(writer)
    assert result.returncode == code
    # why: check's CSV counts its claims on standard error, as it does with a reader
    assert b"Traceback" not in result.stderr
    assert result.stderr.startswith(b"18 claims") == (args[:2] == ["check", "-f"])


def test_a_long_id_typed_with_a_slip_still_gets_its_hint() -> None:
    from policyexports.errors import UnknownValueError
    from policyexports.lookup import closest
    from policyexports.names import Names

    long_id = "a-claim-" + "x" * 61  # why: ids may be 80 characters, names longer
    assert closest(long_id[:-1] + "y", [long_id, "other"]) == f" (did you mean {long_id!r}?)"
    names = Names("city", [(long_id, [long_id])])
    with pytest.raises(UnknownValueError, match="did you mean"):
        names.resolve(long_id[:-1] + "y")


_INTERRUPTED_WHILE_IMPORTING = """
import importlib.abc, os, signal, sys

class Interrupt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "policyexports.cli":  # why: as Ctrl-C in the first tens of milliseconds
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
from policyexports._entry import main
main()
"""


def test_ctrl_c_while_the_command_starts_ends_it_without_a_traceback() -> None:
    import signal

    ended = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_WHILE_IMPORTING],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ended.returncode == -signal.SIGINT
    assert ended.stderr == ""


def test_ctrl_c_is_python_s_own_again_once_the_command_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import signal

    import policyexports.cli
    from policyexports import _entry

    seen: list[object] = []
    monkeypatch.setattr(
        policyexports.cli,
        "main",
        lambda prog_name=None: seen.append(signal.getsignal(signal.SIGINT)),
    )
    before = signal.getsignal(signal.SIGINT)
    _entry.main()
    assert seen == [before]
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.parametrize(
    ("module", "builder", "args"),
    [
        ("policyexports.reports", "build_summary", ["summary", "-f", "json"]),
        ("policyexports.reports", "build_list", ["list", "-f", "json"]),
        # why: no claim of the bundled dataset fails, so a crash cannot pass for exit 1
        ("policyexports.checks", "check_dataset", ["check", "-f", "json"]),
    ],
)
def test_the_collector_is_off_while_a_report_is_built(
    monkeypatch: pytest.MonkeyPatch, module: str, builder: str, args: list[str]
) -> None:
    # why: a report of 100,000 figures is a million objects kept to the end; five scans of
    # them as they grew were 0.28 s of the 2.0 s its summary took to build
    import gc
    import importlib

    owner = importlib.import_module(module)
    real = getattr(owner, builder)
    seen: list[bool] = []

    def build(*args: object, **options: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **options)

    monkeypatch.setattr(owner, builder, build)
    assert gc.isenabled()
    result = runner.invoke(app, args, env={"POLICYEXPORTS_DATA": ""})
    assert result.exit_code == 0, result.output
    assert (seen, gc.isenabled()) == ([False], True)


def test_what_kept_blocks_build_leaves_no_cycles_to_free() -> None:
    # why: kept() freezes what its block made; a cycle made there would never be freed
    import gc

    from policyexports.checks import check_dataset
    from policyexports.loading import load
    from policyexports.reports import build_list, build_summary

    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        loaded = load(None, environ={})
        dataset = loaded.dataset
        for build in (build_summary, build_list, check_dataset):
            made = build(dataset)
            assert made
            del made
            assert gc.collect() == 0, build.__name__
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("to_file", [False, True])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_while_a_report_is_written(
    tmp_path: Path, enabled: bool, to_file: bool
) -> None:
    # why: writing 100,000 figures' JSON makes millions of short-lived pieces; the scans of
    # them were 0.1 s of it
    import gc

    from policyexports.cli.common import emit

    seen: list[bool] = []

    def pieces() -> Iterator[str]:
        seen.append(gc.isenabled())
        yield "written\n"

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        emit(pieces(), str(tmp_path / "out.txt") if to_file else None, force=False)
        assert (seen, gc.isenabled()) == ([False], enabled)
    finally:
        (gc.enable if was else gc.disable)()


class _BrokenPipe(io.StringIO):
    """Standard output whose reader is gone: every write of bytes fails."""

    class buffer:  # why: named as the attribute of a text stream is
        @staticmethod
        def write(data: bytes) -> int:
            raise BrokenPipeError

        @staticmethod
        def flush() -> None:
            pass


@pytest.mark.parametrize("failure", ["a bug", "refused", "reader gone"])
@pytest.mark.parametrize("enabled", [True, False])
def test_after_writing_fails_the_collector_is_as_it_was(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failure: str, enabled: bool
) -> None:
    # why: paused() must turn the collector on again however writing ends
    import gc

    from policyexports.cli.common import emit
    from policyexports.errors import OutputError

    def pieces() -> Iterator[str]:
        yield "written\n"
        if failure == "a bug":
            raise RuntimeError("a bug while a report is written")

    output = tmp_path / "out.txt"
    output.write_text("there already\n", encoding="utf-8")
    if failure == "reader gone":
        monkeypatch.setattr(sys, "stdout", _BrokenPipe())
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        if failure == "reader gone":
            emit(pieces(), None, force=False)  # why: ends quietly, as cat does
        else:
            with pytest.raises(RuntimeError if failure == "a bug" else OutputError):
                emit(pieces(), str(output) if failure == "refused" else None, force=False)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_writing_a_report_leaves_no_cycles_to_free() -> None:
    # why: the collector is paused while a report is written (emit); a cycle made for each
    # figure or row would pile up until the report is written whole
    import gc

    from policyexports.checks import check_dataset
    from policyexports.loading import load
    from policyexports.quantities import DisplayUnit
    from policyexports.render.checks import render_report_pieces
    from policyexports.render.plain import OutputFormat
    from policyexports.render.reports import View, render_pieces
    from policyexports.reports import build_list, build_summary

    dataset = load(None, environ={}).dataset
    reports = (build_summary(dataset), build_list(dataset))
    checked = check_dataset(dataset)
    check_options: dict[str, Any] = {
        "dataset": "exports.json",
        "display": DisplayUnit.BILLION,
        "strict": False,
        "color": True,
        "width": 80,
    }
    was = gc.isenabled()
    gc.disable()
    try:
        for first in (True, False):  # why: the first time imports and caches what it needs
            for fmt in OutputFormat:
                for report in reports:
                    assert "".join(render_pieces(report, fmt, View(color=True, width=80)))
                    assert first or gc.collect() == 0, (type(report).__name__, fmt)
                assert "".join(render_report_pieces(checked, fmt, **check_options))
                assert first or gc.collect() == 0, ("check", fmt)
                gc.collect()
    finally:
        (gc.enable if was else gc.disable)()


def test_what_a_kept_block_made_is_set_aside_before_the_collector_runs_again() -> None:
    # why: the first object made once the collector was on again started a collection of all
    # that the block had made, 0.2 s each for reading and building at 100,000 figures
    import gc

    from policyexports.cli.common import kept

    frozen_then: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            frozen_then.append(gc.get_freeze_count())

    was = gc.isenabled()
    gc.enable()
    before = gc.get_freeze_count()
    gc.callbacks.append(record)
    try:
        with kept():
            made = [[index] for index in range(20 * gc.get_threshold()[0])]
        for _ in range(3 * gc.get_threshold()[0]):  # why: enough to start a collection
            made.append([])
        assert frozen_then, "no collection ran"
        assert min(frozen_then) > before
    finally:
        gc.callbacks.remove(record)
        (gc.enable if was else gc.disable)()
        gc.unfreeze()


def test_after_an_error_in_a_kept_block_the_collector_runs_and_nothing_is_set_aside() -> None:
    import gc

    from policyexports.cli.common import kept

    seen: list[bool] = []

    def build() -> None:
        with kept():
            seen.append(gc.isenabled())
            raise RuntimeError("a bug while a report is built")

    was = gc.isenabled()
    gc.enable()
    frozen = gc.get_freeze_count()
    try:
        with pytest.raises(RuntimeError):
            build()
        assert (seen, gc.isenabled(), gc.get_freeze_count()) == ([False], True, frozen)
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_while_a_dataset_is_read(
    monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    # why: reading makes millions of objects that all live as long as the command; scanning
    # them as they grew was 0.5 s of a first summary's 9.2 s at 100,000 figures
    import gc

    from policyexports import loading
    from policyexports.cli import common

    seen: list[bool] = []
    real = loading.load

    def load(*args: object, **options: object) -> loading.Loaded:
        seen.append(gc.isenabled())
        return real(*args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "load", load)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        common.load_dataset(None)
        assert (seen, gc.isenabled()) == ([False], enabled)
    finally:
        (gc.enable if was else gc.disable)()
        gc.unfreeze()
