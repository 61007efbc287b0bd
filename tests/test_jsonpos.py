"""Placing a value of a JSON text: the positions of a few paths, found without mapping every
value, are those of the map of every value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyexports.jsonpos import JsonMap, map_json
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


def test_a_key_given_twice_is_placed_at_its_first_value() -> None:
    text = '{"a": {"b": 1}, "a": {"b": 2, "c": 3}}'
    positions = JsonMap(text)
    positions.include([("a", "b"), ("a", "c")])
    whole = map_json(text)
    assert positions.locate(("a", "b")) == whole.locate(("a", "b")) == (1, 13)
    assert positions.locate(("a", "c")) == whole.locate(("a", "c"))


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
