"""Conformance with Coder's own golden files (``converted_state.*.golden``).

Each upstream fixture is converted twice per input kind: with the DOT graph
Terraform wrote, and with the graph we derive ourselves (from the plan's
configuration, or from the state's recorded dependencies). Both must equal
Coder's golden output after the golden test's normalisation.
"""

from __future__ import annotations

import pytest

from aitask_lint.convert.api import convert_state
from aitask_lint.convert.golden import golden_dict
from aitask_lint.errors import ConversionError

from conftest import CORPUS, corpus_params, load_json

KINDS = [("plan", "tfplan"), ("state", "tfstate")]


def _convert(name: str, kind: str, extension: str, *, use_dot: bool) -> object:
    directory = CORPUS / name
    graph = directory / f"{name}.{extension}.dot" if use_dot else None
    try:
        state = convert_state(directory / f"{name}.{extension}.json", graph)
    except ConversionError as error:
        return str(error)
    return golden_dict(state, deterministic_app_ids=True)


@pytest.mark.parametrize("name", corpus_params())
@pytest.mark.parametrize(("kind", "extension"), KINDS)
def test_matches_golden_with_dot_graph(name: str, kind: str, extension: str) -> None:
    golden = load_json(CORPUS / name / f"converted_state.{kind}.golden")
    assert _convert(name, kind, extension, use_dot=True) == golden


@pytest.mark.parametrize("name", corpus_params())
@pytest.mark.parametrize(("kind", "extension"), KINDS)
def test_matches_golden_with_derived_graph(name: str, kind: str, extension: str) -> None:
    golden = load_json(CORPUS / name / f"converted_state.{kind}.golden")
    assert _convert(name, kind, extension, use_dot=False) == golden


@pytest.mark.parametrize("name", corpus_params())
def test_expected_summary_agrees(name: str, expected: dict[str, object]) -> None:
    """EXPECTED.json's summary (tasks, flags, parameter order) agrees with our plan output."""
    summary = expected["fixtures"][name]["plan"]  # type: ignore[index]
    directory = CORPUS / name
    try:
        state = convert_state(directory / f"{name}.tfplan.json", directory / f"{name}.tfplan.dot")
    except ConversionError as error:
        assert summary["error"] == str(error)
        return
    assert summary["error"] is None
    assert [p.name for p in state.parameters] == summary["parameters"]
    assert [p.name for p in state.presets] == summary["presets"]
    assert [p.name for p in state.presets if p.default] == summary["default_presets"]
    assert [p.id for p in state.external_auth_providers] == summary["external_auth"]
    assert state.has_ai_tasks is summary["has_ai_task"]
    assert state.has_external_agents is summary["has_external_agents"]
    assert [(t.id, t.app_id) for t in state.ai_tasks] == [
        (t["id"], t["app_id"]) for t in summary["ai_tasks"]
    ]
