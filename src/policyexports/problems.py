"""What is wrong with a dataset, worded for the person who wrote it and placed in the file:
pydantic's validation errors and the integrity checks' issues as ``Problem``s.

Imported only when a dataset has problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from policyexports.basetypes import NOT_BLANK
from policyexports.errors import Problem
from policyexports.jsonpos import JsonMap, format_path

if TYPE_CHECKING:
    from pydantic_core import ValidationError

    from policyexports.integrity import Issue
    from policyexports.jsonpos import Path

_CLAIM_TAGS = {"parts_within_total", "share", "total", "named_count", "compare", "duration"}
SHOWN = 60  # why: characters of a wrong value a message quotes


def validation_problems(
    name: str, text: str, error: ValidationError
) -> tuple[list[Problem], JsonMap]:
    """Each of pydantic's errors as a problem of file ``name`` (its JSON ``text``), and the
    positions of its JSON values."""
    positions = JsonMap(text)
    problems = []
    errors = error.errors(include_url=False)
    paths = [_clean_loc(item["loc"]) for item in errors]
    positions.include(paths)
    for item, path in zip(errors, paths, strict=True):
        # why: a list whose only item failed is also "too short"; the item's error says why
        if item["type"] == "too_short" and any(
            len(other) > len(path) and other[: len(path)] == path for other in paths
        ):
            continue
        problems.append(_placed(name, _describe(item), path, positions))
    return problems, positions


def located(name: str, issues: list[Issue], positions: JsonMap) -> list[Problem]:
    """The integrity checks' issues as problems of file ``name``."""
    positions.include(issue.path for issue in issues)
    return [_placed(name, issue.message, issue.path, positions) for issue in issues]


def _placed(name: str, message: str, path: Path, positions: JsonMap) -> Problem:
    found = positions.locate(path)
    return Problem(
        name,
        message,
        path=format_path(path),
        line=found[0] if found else None,
        column=found[1] if found else None,
    )


def _clean_loc(loc: tuple[str | int, ...]) -> Path:
    parts = list(loc)
    # why: pydantic puts a discriminated union's tag in the location; JSON has no such key
    if len(parts) > 2 and parts[0] == "claims" and parts[2] in _CLAIM_TAGS:
        del parts[2]
    return tuple(parts)


def _describe(error: Mapping[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    kind = error["type"]
    if kind == "dataclass_type":  # why: worded as it was when the models were pydantic's own
        model = error.get("ctx", {}).get("class_name", "the model")
        message = f"Input should be a valid dictionary or instance of {model}"
    if kind == "missing":
        return "required key is missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown key (not part of the dataset format)"
    limits = error.get("ctx", {})
    if (kind, limits.get("pattern")) == ("string_pattern_mismatch", NOT_BLANK) or (
        kind,
        limits.get("min_length"),
    ) == ("string_too_short", 1):
        return "must not be blank"
    if kind == "string_unicode":  # why: JSON may escape half a character ("\ud800")
        return "is not text: it holds a lone surrogate escape such as \\ud800"
    if kind in ("value_error", "assertion_error", "union_tag_invalid") or "input" not in error:
        return message
    given = error["input"]
    # why: a number from the file reads as it was written there, not as Decimal('1.5')
    shown = str(given) if isinstance(given, Decimal) else repr(given)
    if len(shown) > SHOWN:
        shown = shown[: SHOWN - 3] + "..."
    return f"{message} (got {shown})"
