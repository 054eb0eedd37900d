"""The configuration model loaded from a plan's ``configuration`` section."""

from __future__ import annotations

import re

import pytest

from aitask_lint.model.from_plan import load_plan_configuration
from aitask_lint.model.refs import ReferenceSyntaxError, Step, parse_reference, target_of
from aitask_lint.values import UNKNOWN

from conftest import CORPUS, FIXTURES, TASK_TEMPLATE, corpus_params, load_json


def _planned_addresses(module: dict[str, object]) -> set[str]:
    found = {re.sub(r"\[[^\]]*\]", "", r["address"]) for r in module.get("resources", [])}  # type: ignore[index,union-attr]
    for child in module.get("child_modules", []):  # type: ignore[union-attr]
        found |= _planned_addresses(child)  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize("name", corpus_params())
def test_every_corpus_plan_loads_and_declares_every_planned_address(name: str) -> None:
    plan = load_json(CORPUS / name / f"{name}.tfplan.json")
    tree = load_plan_configuration(plan["configuration"], name)
    declared = {resource.address for resource in tree.all_resources()}
    planned = _planned_addresses(plan["planned_values"].get("root_module", {}))
    coder = {address for address in planned if "coder_" in address}
    assert coder <= declared
    assert planned <= declared


def test_expressions_keep_references_constants_blocks_and_meta_arguments() -> None:
    tree = load_plan_configuration(load_json(TASK_TEMPLATE / "plan.json")["configuration"])
    app = tree.root.resources["coder_app.claude"]
    assert app.attributes["slug"].value == "claude"
    assert [r.text for r in app.attributes["agent_id"].refs] == ["coder_agent.main.id"]
    (healthcheck,) = app.blocks_of("healthcheck")
    assert healthcheck.attributes["interval"].value == 3
    task = tree.root.resources["coder_ai_task.task"]
    assert task.count is not None
    assert [r.text for r in task.count.refs] == ["data.coder_workspace.me.start_count"]
    assert task.attributes["app_id"].value is UNKNOWN
    assert tree.root.required_providers["coder"].version == ">= 2.13.0"
    assert task.location is not None
    assert task.location.pointer == "/configuration/root_module/resources/1"


def test_module_calls_variables_and_nesting() -> None:
    plan = load_json(FIXTURES / "convert" / "modules-devcontainer" / "plan.json")
    tree = load_plan_configuration(plan["configuration"])
    call = tree.root.calls["compute"]
    assert (call.source, call.status) == ("./compute", "loaded")
    assert call.module is not None
    assert list(call.module.variables) == ["agent_token"]
    assert [r.text for r in call.arguments["agent_token"].refs] == ["coder_agent.main.token"]
    nested = tree.module_at(("compute", "nested"))
    assert nested is not None
    assert nested.resources["data.coder_parameter.nested_param"].address == (
        "module.compute.module.nested.data.coder_parameter.nested_param"
    )


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("coder_app.web.id", [Step("attr", "web"), Step("attr", "id")]),
        (
            'coder_app.apps["a.b"].id',
            [Step("attr", "apps"), Step("index", key="a.b"), Step("attr", "id")],
        ),
        (
            "module.claude-code[0].task_app_id",
            [Step("attr", "claude-code"), Step("index", key=0), Step("attr", "task_app_id")],
        ),
        ("aws_instance.x[*].id", [Step("attr", "x"), Step("splat"), Step("attr", "id")]),
    ],
)
def test_reference_strings_parse_into_steps(text: str, steps: list[Step]) -> None:
    ref = parse_reference(text)
    assert ref.steps == tuple(steps)
    assert ref.text == text


@pytest.mark.parametrize("text", ["", ".x", "a..b", "a[", "a[1", "a[x]", "a b"])
def test_bad_reference_strings(text: str) -> None:
    with pytest.raises(ReferenceSyntaxError):
        parse_reference(text)


def test_targets() -> None:
    output = target_of(parse_reference("module.claude-code[0].task_app_id"))
    assert (output.kind, output.name, output.output) == (
        "module_output",
        "claude-code",
        "task_app_id",
    )
    assert output.index == Step("index", key=0)
    resource = target_of(parse_reference("coder_app.web[0].id"))
    assert (resource.kind, resource.address) == ("resource", "coder_app.web")
    assert resource.rest == (Step("attr", "id"),)
    assert target_of(parse_reference("data.coder_task.me.prompt")).address == "data.coder_task.me"
    assert target_of(parse_reference("var.agent_id")).kind == "var"
    assert target_of(parse_reference("count.index")).kind == "count"
