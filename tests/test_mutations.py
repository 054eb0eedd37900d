"""Coder's mutation tests: load an upstream fixture, change it, expect Coder's error.

Each test mirrors one entry of ``EXPECTED.json``'s ``mutation_tests`` (the
upstream ``TestAppSlugValidation``, ``TestAppSlugDuplicate``,
``TestAgentNameInvalid``, ``TestAgentNameDuplicate``,
``TestParameterValidation`` and ``TestInvalidTerraformAddress``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aitask_lint.convert.convert import convert_state
from aitask_lint.errors import ConversionError
from aitask_lint.graph.dot import load_dot, parse_dot

from conftest import CORPUS, CORPUS_MISSING, load_json

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)


def _mutation(expected: dict[str, Any], test: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(m for m in expected["mutation_tests"] if m["test"] == test)
    return entry


def _plan_root(fixture: str) -> dict[str, Any]:
    plan = load_json(CORPUS / fixture / f"{fixture}.tfplan.json")
    root: dict[str, Any] = copy.deepcopy(plan["planned_values"]["root_module"])
    return root


def _convert_error(modules: list[dict[str, Any]], fixture: str) -> str | None:
    graph = load_dot(str(CORPUS / fixture / f"{fixture}.tfplan.dot"))
    try:
        convert_state(modules, graph)
    except ConversionError as error:
        return str(error)
    return None


def _of_type(module: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in module["resources"] if r["type"] == kind]


def test_app_slug_validation(expected: dict[str, Any]) -> None:
    entry = _mutation(expected, "TestAppSlugValidation")
    for case in entry["cases"]:
        root = _plan_root(entry["fixture"])
        _of_type(root, "coder_app")[0]["values"]["slug"] = case["slug"]
        error = _convert_error([root], entry["fixture"])
        if case["error_contains"] is None:
            assert error is None, case
        else:
            assert error == (
                f'app slug "{case["slug"]}" does not match regex "^[a-z0-9](-?[a-z0-9])*$"'
            )
            assert case["error_contains"] in error


def test_app_slug_duplicate(expected: dict[str, Any]) -> None:
    entry = _mutation(expected, "TestAppSlugDuplicate")
    root = _plan_root(entry["fixture"])
    for app in _of_type(root, "coder_app"):
        app["values"]["slug"] = "dev"
    assert _convert_error([root], entry["fixture"]) == entry["full_error"]


def test_agent_name_invalid(expected: dict[str, Any]) -> None:
    entry = _mutation(expected, "TestAgentNameInvalid")
    for case in entry["cases"]:
        root = _plan_root(entry["fixture"])
        _of_type(root, "coder_agent")[0]["name"] = case["name"]
        error = _convert_error([root], entry["fixture"])
        if case["error_contains"] is None:
            assert error is None, case
        else:
            assert error is not None
            assert case["error_contains"] in error
            assert f'agent name "{case["name"]}"' in error
            assert '"(?i)^[a-z0-9](-?[a-z0-9])*$"' in error


def test_agent_name_duplicate(expected: dict[str, Any]) -> None:
    entry = _mutation(expected, "TestAgentNameDuplicate")
    root = _plan_root(entry["fixture"])
    agents = {r["name"]: r for r in _of_type(root, "coder_agent")}
    agents["dev1"]["name"] = "dev"
    agents["dev2"]["name"] = "Dev"
    # dev2's address sorts after dev1's, so "Dev" is the second one processed.
    assert _convert_error([root], entry["fixture"]) == "duplicate agent name: Dev"


def test_parameter_validation(expected: dict[str, Any]) -> None:
    entry = _mutation(expected, "TestParameterValidation")
    plan = load_json(CORPUS / entry["fixture"] / f"{entry['fixture']}.tfplan.json")
    renamers = {
        "all 'identical'": lambda i: "identical",
        "alternating identical-0 / identical-1": lambda i: f"identical-{i % 2}",
        "cycling identical-0 / -1 / -2": lambda i: f"identical-{i % 3}",
    }
    for case in entry["cases"]:
        root = copy.deepcopy(plan["prior_state"]["values"]["root_module"])
        for i, parameter in enumerate(_of_type(root, "coder_parameter")):
            parameter["values"]["name"] = renamers[case["names"]](i)
        assert _convert_error([root], entry["fixture"]) == case["error_contains"]


def test_invalid_terraform_address() -> None:
    module = {
        "resources": [
            {
                "address": "invalid",
                "mode": "managed",
                "type": "null_resource",
                "name": "invalid",
                "values": {},
            }
        ]
    }
    state = convert_state([module], parse_dot("digraph {}"))
    assert [(r.name, r.module_path) for r in state.resources] == [
        ("invalid", "invalid terraform address")
    ]
