"""The fast schema check agrees with jsonschema on every document it is given."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from aitask_lint.resources import load_schema
from aitask_lint.tfjson.fastschema import UnsupportedSchemaError, compile_schema

from conftest import CORPUS, FIXTURES, json_paths

NAMES = ("terraform-plan.schema.json", "terraform-state.schema.json")
REGISTRY: Registry[Any] = Registry().with_resources(
    (name, Resource.from_contents(load_schema(name))) for name in NAMES
)
SLOW = {name: Draft202012Validator(load_schema(name), registry=REGISTRY) for name in NAMES}
FAST = {name: compile_schema(name, load_schema) for name in NAMES}


def _documents() -> list[Any]:
    paths = sorted(FIXTURES.glob("convert/*/*.json"))
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*/*.tf*.json"))
    return [json.loads(path.read_text("utf-8")) for path in paths]


DOCUMENTS = _documents()


def _agree(document: Any) -> None:
    for name in NAMES:
        assert FAST[name](document) == SLOW[name].is_valid(document), name


def test_every_fixture_and_corpus_document() -> None:
    assert DOCUMENTS
    for document in DOCUMENTS:
        _agree(document)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(st.data())
def test_mutated_documents(data: st.DataObject) -> None:
    """Replace any one value of a real document by arbitrary JSON: both checks agree."""
    document = copy.deepcopy(data.draw(st.sampled_from(DOCUMENTS[:40])))
    paths = json_paths(document)
    path = data.draw(st.sampled_from(paths[:2000]))
    replacement = data.draw(_JSON | st.sampled_from(["managed", "data", "1.2", "", "x"]))
    if not path:
        document = replacement
    else:
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = replacement
    _agree(document)


@pytest.mark.parametrize(
    "schema",
    [{"type": "object", "maxProperties": 3}, {"oneOf": [True]}, {"$ref": "other.json#/x"}],
)
def test_keywords_it_does_not_know_are_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(UnsupportedSchemaError):
        compile_schema("s.json", lambda _name: schema)
