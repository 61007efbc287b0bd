"""The installed package: version, help on every command, README coverage, and the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

import policyexports
from policyexports.cli import app
from policyexports.loading import load as load_bundled

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_version_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert policyexports.__version__ == project["version"]
    result = CliRunner().invoke(app, ["--version"])
    assert result.stdout == f"policyexports {project['version']}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: policyexports " in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"policyexports {command}" in (ROOT / "README.md").read_text()


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policyexports", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout == f"policyexports {policyexports.__version__}\n"


@pytest.mark.skipif(
    os.environ.get("POLICYEXPORTS_SKIP_WHEEL") == "1", reason="wheel test switched off"
)
def test_wheel_carries_the_dataset_and_article(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("policyexports-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    needed_files = (
        "data/exports.json",
        "data/seoul-policy-exports.txt",
        "data/core-schema.json",
        "data/json-schema.json",
    )
    for needed in (*needed_files, "py.typed"):
        assert f"policyexports/{needed}" in names
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # why: run from a folder with no dataset, importing the installed copy, not the source tree
    env = {**os.environ, "PYTHONPATH": str(site), "POLICYEXPORTS_DATA": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import policyexports; print(policyexports.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith(str(site))
    validated = subprocess.run(
        [sys.executable, "-m", "policyexports", "validate"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith("exports.json (bundled): valid: 35 figures")


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("Set up and run the tests:")
    command = readme[start:].split("```sh\n", 1)[1].split("\n", 1)[0]
    assert command.endswith("python -m pytest")
    assert command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_the_cli_modules_give_typer_annotations_it_need_not_evaluate() -> None:
    folder = Path(policyexports.__file__).parent / "cli"
    for module in sorted(folder.glob("*.py")):
        lines = module.read_text().splitlines()
        assert "from __future__ import annotations" not in lines, module.name


def test_the_bundled_files_load_from_a_zipped_package(tmp_path: Path) -> None:
    # why: from a zip there is no file beside the module; importlib.resources reads it there
    archive = tmp_path / "policyexports.zip"
    package = Path(policyexports.__file__).parent
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, Path("policyexports") / path.relative_to(package))
    code = (
        "import policyexports.loading as loading\n"
        "assert '.zip' in loading.__file__, loading.__file__\n"
        "loaded = loading.load(None)\n"
        "print(len(loaded.dataset.figures), len(loaded.article) > 1000)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(archive), "POLICYEXPORTS_CACHE": "off"}
    env.pop("POLICYEXPORTS_DATA", None)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    expected = len(load_bundled().dataset.figures)
    assert done.stdout.split() == [str(expected), "True"]
