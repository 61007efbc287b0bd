"""Placing a value of a JSON text: the positions of a few paths, found without mapping every
value, are those of the map of every value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyexports import jsonpos
from policyexports.jsonpos import JsonMap, map_json, repeated_keys
from test_fuzz import every_path

_KEYS = st.sampled_from(["a", "b", "figures", "é", 'q"uote', "\\", "x y", ""])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=25,
)
_LAYOUTS = st.sampled_from(
    [{}, {"indent": 2}, {"indent": "\t"}, {"separators": (" , ", " : ")}, {"ensure_ascii": False}]
)


@given(_VALUES, _LAYOUTS, st.sampled_from(["\n", "\r\n", "\n\t "]), st.data())
def test_the_paths_asked_for_are_placed_as_in_the_map_of_every_value(
    document: Any, layout: dict[str, Any], line_break: str, data: st.DataObject
) -> None:
    # why: strings hold no raw line break, so every one is layout, and any JSON space will do
    text = (" \n" + json.dumps(document, **layout) + "\n").replace("\n", line_break)
    every = every_path(document)
    asked = data.draw(st.lists(st.sampled_from(every), max_size=4))
    # why: a path the text does not have is placed at its nearest ancestor that it has
    missing = [(*path, "absent") for path in asked] + [(*path, 99) for path in asked]
    positions = JsonMap(text)
    positions.include([*asked, *missing])
    assert not positions.complete
    whole = map_json(text)
    for path in [*asked, *missing]:
        assert positions.locate(path) == whole.locate(path)


def test_a_key_given_twice_is_placed_at_the_value_kept() -> None:
    # why: the parser keeps the last value, and what is wrong with it is what is reported
    text = '{"a": {"b": 1, "d": 4}, "a": {"b": 2, "c": 3}, "e": 5}'
    positions = JsonMap(text)
    positions.include([("a", "b"), ("a", "c")])
    positions.include([("e",)])  # why: a later walk keeps what an earlier one placed
    whole = map_json(text)
    assert positions.locate(("a", "b")) == whole.locate(("a", "b")) == (1, 36)
    assert positions.locate(("a", "c")) == whole.locate(("a", "c")) == (1, 44)
    # the first value's "d" is not in the value kept: placed at that value
    positions.include([("a", "d")])
    assert positions.locate(("a", "d")) == whole.locate(("a", "d")) == (1, 30)


@pytest.mark.parametrize("text", ['{"a": [1, 2}', "{[1]: 2}", '{"a": {"b" 1}}'])
def test_text_that_is_not_json_is_mapped_whole_instead(text: str) -> None:
    positions = JsonMap(text)  # why: what json.loads refuses is never placed; still
    positions.include([("a", 1)])
    assert positions.complete


@given(st.text(alphabet="ab\n\r\t é", max_size=40), st.data())
def test_a_line_and_column_count_from_one_after_each_line_feed(
    text: str, data: st.DataObject
) -> None:
    positions = JsonMap(text)
    offsets = data.draw(st.lists(st.integers(0, len(text)), max_size=5))
    for offset in offsets:  # why: asked in any order, the first ask makes the index
        line_start = text.rfind("\n", 0, offset) + 1
        assert positions.line_column(offset) == (
            text.count("\n", 0, offset) + 1,
            offset - line_start + 1,
        )


class _Pairs(list[tuple[str, Any]]):
    """An object as its text gives it: keys in order, a key maybe more than once."""


def _written(node: Any, indent: str, level: int = 0) -> str:
    inner, outer = "\n" + indent * (level + 1), "\n" + indent * level
    if isinstance(node, _Pairs):
        items = [f"{json.dumps(key)}: {_written(value, indent, level + 1)}" for key, value in node]
    elif isinstance(node, list):
        items = [_written(value, indent, level + 1) for value in node]
    else:
        return json.dumps(node)
    opening, closing = "{}" if isinstance(node, _Pairs) else "[]"
    return (
        opening + ",".join(inner + item for item in items) + outer + closing
        if items
        else (opening + closing)
    )


_TEXTS = st.recursive(
    st.none() | st.integers() | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=3)
        | st.lists(st.tuples(st.sampled_from(["a", "b", "é", 'q"']), children), max_size=4).map(
            _Pairs
        )
    ),
    max_leaves=20,
)


def _parsed(text: str) -> tuple[Any, list[dict[str, Any]]]:
    """The data of ``text``, and its objects that give a key twice (as the loader finds them)."""
    repeated: list[dict[str, Any]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        if len(result := dict(items)) != len(items):
            repeated.append(result)
        return result

    return json.loads(text, object_pairs_hook=pairs), repeated


@given(_TEXTS, st.sampled_from(["", "  ", "\t"]))
def test_repeated_keys_are_found_as_by_reading_every_token(document: Any, indent: str) -> None:
    text = _written(document, indent)
    data, repeated = _parsed(text)
    found = repeated_keys(text, data, repeated)
    assert found.duplicates == map_json(text, every=False).duplicates
    assert bool(found.duplicates) == bool(repeated)


def test_repeated_keys_are_found_without_reading_every_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = '{"a": [1, {"b": 1, "c": {"b": 2}, "b": 3}], "a": [{"d": 4, "d": 5}]}'
    data, repeated = _parsed(text)
    expected = map_json(text, every=False).duplicates
    monkeypatch.setattr(jsonpos, "map_json", None)  # why: a call would fail the test
    # the object holding "b" twice is no longer in the data: the whole text is read for it
    with pytest.raises(TypeError):
        repeated_keys(text, data, repeated)
    found = repeated_keys(text, data, [item for item in repeated if "b" not in item])
    assert found.duplicates == [item for item in expected if item[0][-1] != "b"]
    assert found.duplicates == [(("a",), 44), (("a", 0, "d"), 59)]


def test_the_map_of_repeated_keys_alone_places_no_value() -> None:
    text = '{"a": [{"b": 1, "b": 2}], "c": 3, "c": 4}'
    keys, whole = map_json(text, every=False), map_json(text)
    assert (keys.offsets, keys.complete) == ({}, False)
    assert keys.duplicates == whole.duplicates == [(("a", 0, "b"), 16), (("c",), 34)]


@given(_TEXTS, st.sampled_from(["", "  ", "\t"]), st.data())
def test_each_value_is_placed_where_the_parser_read_the_value_it_kept(
    document: Any, indent: str, data: st.DataObject
) -> None:
    text = _written(document, indent)
    parsed, _ = _parsed(text)
    every = every_path(parsed)
    asked = data.draw(st.lists(st.sampled_from(every), max_size=4))
    positions, whole = JsonMap(text), map_json(text)
    for path in asked:
        positions.include([path])  # why: one walk a path, each after those before
    decoder = json.JSONDecoder()
    for path in every:
        kept = parsed
        for step in path:
            kept = kept[step]
        assert decoder.raw_decode(text, whole.offsets[path])[0] == kept
    for path in asked:
        assert positions.offsets[path] == whole.offsets[path]
