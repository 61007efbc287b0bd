"""Domain errors: what went wrong and where, for the CLI to report and map to exit codes."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One problem in an input, located as precisely as the parser knows."""

    source: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.path + ': ' if self.path else ''}{self.message}"


TYPED_LIMIT = 60  # why: a message names what was typed; a page of it would hide the message


def quoted_input(text: str) -> str:
    """What a user typed, quoted for a message, and cut short if it is long."""
    if len(text) <= TYPED_LIMIT:
        return repr(text)
    return repr(text[: TYPED_LIMIT - 3]) + f"... ({len(text):,} characters)"


class PolicyExportsError(Exception):
    """Base of the errors the CLI turns into a message and exit code 2."""


class DatasetError(PolicyExportsError):
    """A dataset that cannot be read or is not valid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = tuple(problems)


class UnknownValueError(PolicyExportsError):
    """A filter or id that names nothing in the dataset."""


class OutputError(PolicyExportsError):
    """A report that cannot be written where it was asked to go."""
