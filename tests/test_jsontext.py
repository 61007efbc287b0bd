"""``jsontext.loads`` reads JSON as ``json.loads`` does, and fails as it does."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyexports import jsontext

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)
spaces = st.text(alphabet=" \t\n\r", max_size=3)


def _outcome(load: Any, text: str) -> tuple[str, str]:
    """What loading ``text`` gives: the value's repr, or the error's type and message."""
    seen: list[int] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen.append(len(items))
        return dict(items)

    try:
        value = load(text, parse_float=Decimal, object_pairs_hook=pairs)
    except (ValueError, RecursionError) as error:
        return type(error).__name__, str(error)
    return repr(value), repr(seen)


@settings(max_examples=300, deadline=None)
@given(values, st.sampled_from([None, 0, 2]), spaces, spaces)
def test_valid_text_reads_as_json_reads_it(
    value: object, indent: int | None, before: str, after: str
) -> None:
    text = before + json.dumps(value, indent=indent) + after
    expected = _outcome(json.loads, text)
    # why: valid text must be read by the scanner alone, never handed on to json
    with patch.object(jsontext, "_by_json", side_effect=AssertionError("handed to json")):
        assert _outcome(jsontext.loads, text) == expected
        assert repr(jsontext.loads(text)) == repr(json.loads(text))  # json's defaults


@settings(max_examples=300, deadline=None)
@given(values, st.data())
def test_broken_text_fails_as_json_fails(value: object, data: st.DataObject) -> None:
    text = json.dumps(value)
    cut = data.draw(st.integers(0, len(text)))
    extra = data.draw(st.sampled_from(["", "x", " 1", "}", "\ufeff", "\x00", '"\n"']))
    broken = text[:cut] + extra + text[cut + data.draw(st.integers(0, 2)) :]
    assert _outcome(jsontext.loads, broken) == _outcome(json.loads, broken)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\ufeff{}", "{} {}", '{"a": NaN}', "[1,]", '{"a": 1, "a": 2}', "1" * 5000],
)
def test_examples_read_or_fail_as_json(text: str) -> None:
    assert _outcome(jsontext.loads, text) == _outcome(json.loads, text)


def test_hooks_and_constants_are_passed_on() -> None:
    def refuse(name: str) -> Any:
        raise ValueError(f"no {name}")

    with pytest.raises(ValueError, match="no NaN"):
        jsontext.loads("[NaN]", parse_constant=refuse)
    assert jsontext.loads('{"a": {"b": 1}}', object_hook=sorted) == ["a"]


def test_without_the_c_scanner_json_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "_json", None)  # why: import _json raises ImportError
    assert jsontext.loads(' {"a": [1.5]} ', parse_float=Decimal) == {"a": [Decimal("1.5")]}


def test_reading_valid_text_imports_no_json_module() -> None:
    probe = (
        "import sys; from policyexports.jsontext import loads; "
        "loads('{\"a\": [1, 2.5, null]}\\n'); print(sorted(m for m in sys.modules "
        "if m == 'json' or m.startswith('json.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"a": 1,}', "Expecting property name enclosed in double quotes: line 1 column 9"),
        ('{"a": "\x01"}', "Invalid control character at: line 1 column 8"),
        ("[1, 2", "Expecting ',' delimiter: line 1 column 6"),
        ("{} {}", "Extra data: line 1 column 4"),
        ("", "Expecting value: line 1 column 1"),
    ],
)
def test_errors_in_a_process_that_has_not_imported_json(text: str, error: str) -> None:
    # why: the tests' own process has json imported; a user's run has not, and on Python 3.11
    # the C scanner cannot make its JSONDecodeError then
    probe = (
        "import sys; from policyexports.jsontext import loads\n"
        "assert 'json' not in sys.modules\n"
        "try:\n    loads(sys.argv[1])\n"
        "except ValueError as e:\n    print(type(e).__name__, e)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, text], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"JSONDecodeError {error} (char {_char(error)})"


def _char(error: str) -> int:
    column = int(error.rsplit(" ", 1)[1])
    return column - 1
