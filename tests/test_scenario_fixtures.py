"""Realistic templates under every scenario (fixtures/scenarios, issue 14 item 7).

One template breaks only when a task is created, one only as a prebuild,
one nowhere, one with the parameter mistakes real templates make: each
finding must hold in exactly the scenarios expected, and the scenario list
itself is what Coder builds (defaults, each preset, each preset with
prebuilds as a prebuild, the preset a task gets).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aitask_lint.analysis.scenarios import scenarios_of
from aitask_lint.cli import cli
from aitask_lint.model.from_hcl import load_configuration

FIXTURES = Path(__file__).parent.parent / "fixtures" / "scenarios"
CASES = sorted(p.parent.name for p in FIXTURES.glob("*/expected.json"))


@pytest.mark.parametrize("case", CASES)
def test_findings_hold_in_the_expected_scenarios(case: str) -> None:
    expected = json.loads((FIXTURES / case / "expected.json").read_text("utf-8"))
    tree = load_configuration(str(FIXTURES / case))
    assert [s.name for s in scenarios_of(tree)] == expected["scenarios"]
    result = CliRunner().invoke(cli, ["check", str(FIXTURES / case), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["findings"]
    assert not [f for f in findings if f["rule"] == "AIT001"]
    got = sorted(
        (f["rule"], f["address"], f.get("scenarios"))
        for f in findings
        if f["rule"] in expected["rules"]
    )
    want = sorted((f["rule"], f["address"], f.get("scenarios")) for f in expected["findings"])
    assert got == want


def test_the_task_scenario_gets_the_default_preset() -> None:
    tree = load_configuration(str(FIXTURES / "parameter-mistakes"))
    task = next(s for s in scenarios_of(tree) if s.name == "task")
    assert task.preset == "Sonnet" and task.task_enabled
    # the required parameter has no value: "" as Terraform sees it
    assert task.parameters["model"] == "sonnet" and task.parameters["repo"] == ""
    assert "dotfiles" in task.preset_keys and "dotfiles" not in task.parameters
