"""Random and mutated JSON never escapes the loader as anything but a dataset or a clean error."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import bundled_json, dumps
from policyexports.errors import DatasetError
from policyexports.loading import Loaded, load

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.text(max_size=20)
    | st.sampled_from(["KRW 1 billion", "70 percent", "lg-cns", "CO", "revenue", "share"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _load_bytes(raw: bytes) -> Loaded | DatasetError:
    try:
        return load("-", stdin=io.BytesIO(raw), environ={})
    except DatasetError as error:
        failure = error
    assert failure.problems
    assert all(problem.source == "<stdin>" and problem.message for problem in failure.problems)
    return failure


def every_path(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += every_path(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += every_path(item, (*prefix, index))
    return found


BUNDLED = bundled_json()
PATHS = every_path(BUNDLED)[1:]


def _replace(document: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        return {**document, head: _replace(document[head], rest, new)}
    copy = list(document)
    copy[head] = _replace(copy[head], rest, new)
    return copy


def _delete(document: Any, path: tuple[Any, ...]) -> Any:
    head, rest = path[0], path[1:]
    if rest:
        return _replace(document, (head,), _delete(document[head], rest))
    if isinstance(document, dict):
        return {key: item for key, item in document.items() if key != head}
    return [item for index, item in enumerate(document) if index != head]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_gives_a_clean_error(value: Any) -> None:
    assert isinstance(_load_bytes(json.dumps(value).encode()), DatasetError)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_give_a_clean_error(raw: bytes) -> None:
    assert isinstance(_load_bytes(raw), DatasetError)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values, st.booleans())
def test_mutated_dataset_loads_or_fails_cleanly(
    path: tuple[Any, ...], new: Any, delete: bool
) -> None:
    mutated = _delete(BUNDLED, path) if delete else _replace(BUNDLED, path, new)
    result = _load_bytes(dumps(mutated).encode())
    if isinstance(result, DatasetError):
        for problem in result.problems:
            assert problem.line is None or problem.line >= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=40_000), st.integers(min_value=1, max_value=5))
def test_truncated_or_cut_text_fails_cleanly(cut: int, length: int) -> None:
    text = dumps(BUNDLED)
    broken = text[:cut] + text[cut + length :]
    result = _load_bytes(broken.encode())
    assert isinstance(result, (Loaded, DatasetError))
