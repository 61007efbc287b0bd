"""Commands that test the article's claims against its figures: ``check`` and ``explain``."""

from typing import Annotated

import typer

from policyexports.cli.common import (
    EXIT_CLAIM_FAILED,
    DataOption,
    ForceOption,
    FormatOption,
    OutputOption,
    UnitOption,
    app,
    emit,
    held,
    kept,
    load_dataset,
    say,
    terminal_width,
    use_color,
    user_errors,
)
from policyexports.quantities import DisplayUnit
from policyexports.render.plain import OutputFormat


@app.command()
def check(
    *,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            metavar="CLAIM",
            help="Check only this claim id, in any case (repeatable).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Also exit 1 when a claim cannot be verified."),
    ] = False,
    output_format: FormatOption = OutputFormat.TABLE,
    unit: UnitOption = DisplayUnit.BILLION,
    data: DataOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Test every claim of the article against its figures: a verdict and the numbers.

    Verdicts: holds, holds within rounding, fails, cannot be verified, holds only if.
    Claims marked (inferred) are consistency checks the dataset adds, not assertions
    of the article. Exit code 0 when no claim fails, 1 when one fails (inferred or
    not; with --strict, also when one cannot be verified), 2 on bad input.

    Example: policyexports check --only transport-share --format json
    """
    from policyexports.checks import check_dataset
    from policyexports.render.checks import NO_CLAIMS, counts_line, render_report_pieces

    with user_errors():
        loaded = load_dataset(data)
        with kept():
            report = held(check_dataset(loaded.dataset, tuple(only or ())))
        text = render_report_pieces(
            report,
            output_format,
            dataset=loaded.name,
            display=unit,
            strict=strict,
            color=output is None and use_color(),
            width=terminal_width(),
        )
        emit(text, output, force)
    if output_format is OutputFormat.CSV:
        # why: keep the CSV itself rows only (just its header when there are no claims)
        say(counts_line(report) if report.checks else NO_CLAIMS)
    if report.failing(strict=strict):
        raise typer.Exit(EXIT_CLAIM_FAILED)


@app.command()
def explain(
    ref: Annotated[
        str,
        typer.Argument(metavar="ID", help="A figure or claim id, in any case.", show_default=False),
    ],
    *,
    output_format: FormatOption = OutputFormat.TABLE,
    unit: UnitOption = DisplayUnit.BILLION,
    data: DataOption = None,
) -> None:
    """Show a figure or claim: its sentence in the article, its figures, its arithmetic.

    Example: policyexports explain transport-share
    """
    from policyexports.explain import explain as explain_ref
    from policyexports.render.explain import render_explanation

    with user_errors():
        loaded = load_dataset(data)
        explanation = explain_ref(loaded.dataset, loaded.article, ref, unit)
        text = render_explanation(
            explanation,
            output_format,
            display=unit,
            color=use_color(),
            width=terminal_width(),
        )
        emit(text, None, False)
