"""Every rule fires on its own fixtures and stays silent on its near-misses.

``fixtures/rules/<ID>/`` holds one directory per case (a template, or a
plan/state JSON file) and ``expected.json``, which says for each case the
command-line options it needs and the findings of rule ``<ID>`` it must give,
by address, line and severity. Findings of other rules are not this test's
business (each rule has its own cases), except that no case may have a parse
error unless it is AIT001's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aitask_lint.cli import cli
from aitask_lint.lint.registry import all_rules

from conftest import FIXTURES

RULES_DIR = FIXTURES / "rules"
RULE_IDS = [rule.id for rule in all_rules()]


def _expected(rule_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RULES_DIR / rule_id / "expected.json").read_text("utf-8"))
    return data


def _cases() -> list[Any]:
    params = []
    for rule_id in RULE_IDS:
        for case, spec in _expected(rule_id).items():
            params.append(pytest.param(rule_id, case, spec, id=f"{rule_id}-{case}"))
    return params


def _check(target: Path, options: list[str]) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["check", str(target), "--format", "json", *options])
    assert result.exit_code in (0, 1, 2), result.output
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_a_firing_case_and_a_near_miss(rule_id: str) -> None:
    directory = RULES_DIR / rule_id
    expected = _expected(rule_id)
    cases = sorted(p.name for p in directory.iterdir() if p.is_dir())
    assert cases == sorted(expected), "every case directory has an entry, and the reverse"
    assert any(spec["findings"] for spec in expected.values()), "a case that fires"
    assert any(not spec["findings"] for spec in expected.values()), "a near-miss"


@pytest.mark.parametrize(("rule_id", "case", "spec"), _cases())
def test_rule_case(rule_id: str, case: str, spec: dict[str, Any]) -> None:
    target = RULES_DIR / rule_id / case / spec.get("input", "")
    findings = _check(target, spec.get("options", []))
    # a finding that holds only in some scenarios names them (absent: it holds in all)
    got = sorted(
        (f["address"], f["location"]["line"], f["severity"], f.get("scenarios"))
        for f in findings
        if f["rule"] == rule_id
    )
    want = sorted(
        (f["address"], f["line"], f["severity"], f.get("scenarios")) for f in spec["findings"]
    )
    assert got == want
    if rule_id != "AIT001":
        assert not [f for f in findings if f["rule"] == "AIT001"], "the fixture must parse"


def _plan_with(tmp_path: Path, change: Any) -> Path:
    """The AIT401 near-miss plan (slug from a variable), its planned values changed."""
    plan = json.loads((RULES_DIR / "AIT401" / "near-miss-plan" / "plan.json").read_text("utf-8"))
    change(plan["planned_values"]["root_module"]["resources"])
    target = tmp_path / "plan.json"
    target.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    return target


def _second_app(resources: list[dict[str, Any]], **values: Any) -> None:
    app = next(r for r in resources if r["type"] == "coder_app")
    twin = json.loads(json.dumps(app))
    twin["address"], twin["name"] = "coder_app.twin", "twin"
    twin["values"].update(values, id="0b6c1f4e-0000-4000-8000-000000000001")
    resources.append(twin)


@pytest.mark.parametrize(
    ("rule_id", "change"),
    [
        # the configuration only says `slug = var.slug`: the values decide
        ("AIT402", _second_app),
        ("AIT406", lambda resources: _second_app(resources, slug="twin", share="team")),
    ],
)
def test_value_rules_judge_planned_values(rule_id: str, change: Any, tmp_path: Path) -> None:
    findings = _check(_plan_with(tmp_path, change), [])
    assert [(f["rule"], f["address"]) for f in findings if f["rule"] == rule_id] == [
        (rule_id, "coder_app.twin")
    ]
