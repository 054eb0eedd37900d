"""Positions of JSON Pointers: the index used for many findings agrees with a fresh walk."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aitask_lint.jsonpos import (
    PositionIndex,
    line_column,
    locate,
    make_pointer,
    unescape_pointer,
)
from aitask_lint.tfjson.loader import _decode_top_level

from conftest import json_paths

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab\n~/"', max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet="ab~/", max_size=3), inner, max_size=4)
    ),
    max_leaves=20,
)


def _pointers(document: Any) -> list[str]:
    return [make_pointer(path) for path in json_paths(document)]


def _walk(text: str, pointer: str) -> tuple[int, int]:
    """The reference: decode every sibling before the target, as a reader would by hand."""
    decoder = json.JSONDecoder()

    def space(index: int) -> int:
        while index < len(text) and text[index] in " \t\n\r":
            index += 1
        return index

    index = space(0)
    for token in unescape_pointer(pointer):
        if index >= len(text) or text[index] not in "[{":
            break
        closer, position, found = ("}" if text[index] == "{" else "]"), 0, None
        cursor = space(index + 1)
        while cursor < len(text) and text[cursor] != closer:
            key: Any = position
            if closer == "}":
                key, cursor = decoder.raw_decode(text, cursor)
                cursor = space(space(cursor) + 1)
            if str(key) == token and (closer == "}" or token.isdigit()):
                found = cursor
                break
            cursor = space(decoder.raw_decode(text, cursor)[1])
            cursor = space(cursor + 1) if text.startswith(",", cursor) else cursor
            position += 1
        if found is None:
            break
        index = found
    return line_column(text, index)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_JSON, st.sampled_from([None, 0, 2]), st.randoms(use_true_random=False))
def test_index_agrees_with_locate_in_any_order(document: Any, indent: int | None, rng: Any) -> None:
    text = json.dumps(document, indent=indent)
    pointers = [*_pointers(document), "/missing", "/0/missing/1"]
    rng.shuffle(pointers)
    index = PositionIndex(text)
    for pointer in pointers:
        assert locate(text, pointer) == _walk(text, pointer), pointer
    for pointer in pointers + pointers:  # the second round is answered from what was scanned
        assert index.locate(pointer) == _walk(text, pointer), pointer
    if isinstance(document, dict):  # as the loader sees it: top-level offsets recorded
        decoded, members = _decode_top_level(text, json.JSONDecoder(object_pairs_hook=dict))
        assert decoded == document
        seeded = PositionIndex(text, members)
        for pointer in pointers:
            assert seeded.locate(pointer) == _walk(text, pointer), pointer


def test_many_findings_in_one_array() -> None:
    text = json.dumps({"resources": [{"address": f"r.{i}"} for i in range(20000)]})
    index = PositionIndex(text)
    for position in range(0, 20000, 7):
        line, column = index.locate(f"/resources/{position}")
        assert line == 1
        assert text[column - 1 :].startswith(f'{{"address": "r.{position}"')
