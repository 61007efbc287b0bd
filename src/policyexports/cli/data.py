"""Commands about the dataset itself: ``validate`` and ``schema``."""

from typing import Annotated

import typer

from policyexports.cli.common import (
    DataOption,
    ForceOption,
    OutputOption,
    app,
    emit,
    fail,
    load_dataset,
    user_errors,
)
from policyexports.render.plain import visible


@app.command()
def validate(
    file: Annotated[
        str | None,
        typer.Argument(
            metavar="[FILE]", help="Dataset to check ('-' for standard input).", show_default=False
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Check a dataset: types, references, kinds, and every quote against its article.

    Prints every problem as FILE:LINE:COL: path: message and exits 2 if there is any.

    Example: policyexports validate my-article.json
    """
    if file is not None and data is not None and file != data:
        fail("give the dataset once: as FILE or as --data, not both")
    with user_errors():
        # why: validate always does the work; an empty FILE is an error, not the bundled dataset
        loaded = load_dataset(file if file is not None else data, reuse=False)
    dataset = loaded.dataset
    # why: a file's name may hold anything, even bytes that are not UTF-8; none reaches the
    # terminal raw
    emit(
        visible(
            f"{loaded.name}: valid: {len(dataset.figures)} figures, {len(dataset.claims)} "
            f"claims, {len(dataset.countries)} countries, {len(dataset.cities)} cities, "
            f"{len(dataset.organizations)} organizations, {len(dataset.sectors)} sectors; "
            f"every quote found in {dataset.source.file}"
        ),
        None,
        force=False,
    )


@app.command()
def schema(output: OutputOption = None, force: ForceOption = False) -> None:
    """Print the dataset format as JSON Schema (draft 2020-12).

    Example: policyexports schema > exports.schema.json
    """
    from policyexports.render.plain import to_json
    from policyexports.schema import dataset_schema

    with user_errors():
        emit(to_json(dataset_schema()), output, force)
