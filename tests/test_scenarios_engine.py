"""The scenario engine: parameter values per scenario and the evaluator under each.

These are the values every scenario rule judges: a wrong one here is a wrong
finding (or a missed one) in every rule that reads a parameter.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.analysis.evaluate import FAILED, Evaluator
from aitask_lint.analysis.scenarios import ScenarioOptions, scenarios_of
from aitask_lint.hcl.parser import parse_hcl
from aitask_lint.model.config import ConfigTree, Expr, Module
from aitask_lint.model.from_hcl import load_configuration
from aitask_lint.values import UNKNOWN

ENGINE = Path(__file__).parent.parent / "fixtures" / "scenarios" / "engine"


def _value(text: str, tree: ConfigTree | None = None) -> object:
    syntax = parse_hcl(f"x = {text}\n", "t.tf").body.attributes["x"].expression
    module = Module()
    evaluator = Evaluator(tree or ConfigTree(root=module, origin="hcl"))
    return evaluator.outcome(Expr(syntax=syntax, source=text), module)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"true" == true', False),  # no conversion in equality (AIT607's point)
        ('"true" ? 1 : 0', 1),  # a condition converts the string
        ('!"false"', True),
        ('"5" + 1', 6),
        ("3 >= 4 || 2 < 3 && true", True),
        ('tonumber("5") * 2', 10),
        ('tobool("yes")', FAILED),
        ('try(tobool("yes"), "fallback")', "fallback"),
        ('can(tonumber("x"))', False),
        ('length(jsondecode("[\\"a\\",\\"b\\"]"))', 2),
        ('contains(["a", "b"], "b")', True),
        ('format("%s-%d", "app", 3)', "app-3"),
        ('join(",", [lower("A"), upper("b")])', "a,B"),
        ('coalesce("", "x")', "x"),
        ("[for s in [1, 2, 3] : s * 2 if s > 1]", [4, 6]),
        ('{ a = 1 }["a"]', 1),
        ("[1][3]", FAILED),
        ("unknownfn(1)", UNKNOWN),
    ],
)
def test_operators_and_functions_evaluate_as_terraform(text: str, expected: object) -> None:
    result = _value(text)
    if expected is FAILED or expected is UNKNOWN:
        assert result is expected
    else:
        assert result == expected
        assert type(result) is type(expected)  # True is not 1, "5" is not 5


def test_parameter_values_settle_per_scenario() -> None:
    tree = load_configuration(str(ENGINE))
    scenarios = {s.name: s for s in scenarios_of(tree)}
    assert list(scenarios) == ["import", "preset:AI", "prebuild:AI", "task"]
    # import: defaults, as strings; "model" is counted out while chat is "false"
    assert scenarios["import"].parameters == {"chat": "false"}
    # the preset turns chat on, and the conditional parameter appears with its default
    assert scenarios["preset:AI"].parameters == {"chat": "true", "model": "opus"}
    assert scenarios["prebuild:AI"].is_prebuild and scenarios["prebuild:AI"].prebuild_count == 1
    # a task gets the first preset (no default one) and a prompt
    assert scenarios["task"].preset == "AI" and scenarios["task"].task_enabled


def test_the_evaluator_reads_parameters_under_its_scenario() -> None:
    tree = load_configuration(str(ENGINE))
    slug = tree.root.locals["slug"].value
    values = {s.name: Evaluator(tree, s).value(slug, tree.root) for s in scenarios_of(tree)}
    # try() falls back when the conditional parameter has no instance
    assert values == {
        "import": "x-no",
        "preset:AI": "x-opus",
        "prebuild:AI": "x-opus",
        "task": "x-opus",
    }
    # without a scenario a parameter is not known: never a guess
    assert Evaluator(tree).value(slug, tree.root) is UNKNOWN


def test_options_restrict_scenarios_and_set_values() -> None:
    tree = load_configuration(str(ENGINE))
    only = scenarios_of(tree, ScenarioOptions(presets=("AI",)))
    assert [s.name for s in only] == ["import", "preset:AI", "prebuild:AI"]
    user = scenarios_of(tree, ScenarioOptions(parameters={"chat": "true"}, kinds=("import",)))
    assert [s.name for s in user] == ["import"]
    assert user[0].parameters == {"chat": "true", "model": "opus"}
