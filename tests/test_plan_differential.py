"""Terraform's own plan as the oracle for the static evaluator (issue 14, item 6).

``../shared/corpus/coder-provisioner/<name>/source/`` holds the Terraform
sources of Coder's 32 provisioner fixtures, beside the plan Terraform made
from them. Each source is evaluated statically, as Coder's import plans it
(the ``import`` scenario, with the ``data.coder_workspace`` values the plan
shows), and compared with the plan: the ``coder_*`` resources and their
instances, agents, apps (slug, URL, subdomain, share, healthcheck), AI tasks
and their app references, parameters (name, type, form_type, default,
options, validation, mutable, ephemeral) and presets (name, default,
parameters, prebuild instances).

A value the evaluator cannot know is UNKNOWN and counts as a difference:
the test measures what a static reading gets right, it does not excuse it.
A fixture that still differs is listed in :data:`EXPECTED_DIFFERENCES` with
the reason, and fails the test if it starts agreeing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from aitask_lint.analysis.evaluate import Evaluator
from aitask_lint.analysis.parameter_check import FORM_TYPES
from aitask_lint.analysis.parameter_scope import ParameterScope
from aitask_lint.analysis.scenario import Scenario
from aitask_lint.analysis.scenarios import settle
from aitask_lint.model.config import ConfigTree, Module, Resource
from aitask_lint.model.from_hcl import load_configuration
from aitask_lint.model.refs import parse_reference, target_of
from aitask_lint.values import UNKNOWN

from conftest import CORPUS, corpus_params, load_json

#: fixture -> why the static reading cannot agree with the plan
EXPECTED_DIFFERENCES: dict[str, str] = {
    "kubernetes-metadata": (
        "the plan was made from an older source: its configuration sets "
        "`relative_path = true` on coder_app.code-server (coder provider 0.6.5) where the "
        "source now sets `subdomain = false`, so the plan's subdomain is null "
        "(test_kubernetes_metadata_plan_predates_its_source)"
    ),
}

Facts = dict[str, dict[str, Any]]


# --- the plan ------------------------------------------------------------------


def _instances(module: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(module.get("resources") or [])
    for child in module.get("child_modules") or []:
        found += _instances(child)
    return found


def _config_resources(module: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Configuration resources by address, for the expressions of unknown values."""
    found = {prefix + r["address"]: r for r in module.get("resources") or []}
    for name, call in (module.get("module_calls") or {}).items():
        found.update(_config_resources(call.get("module") or {}, f"{prefix}module.{name}."))
    return found


def plan_facts(plan: dict[str, Any]) -> Facts:
    planned = _instances(plan["planned_values"]["root_module"])
    prior = _instances(((plan.get("prior_state") or {}).get("values") or {}).get("root_module", {}))
    config = _config_resources((plan.get("configuration") or {}).get("root_module") or {})
    facts: Facts = {"resources": {}, "agents": {}, "apps": {}, "tasks": {}}
    facts |= {"parameters": {}, "presets": {}}
    for instance in planned:
        kind, address, values = instance["type"], instance["address"], instance.get("values", {})
        if instance["mode"] != "managed" or not kind.startswith("coder_"):
            continue
        facts["resources"][address] = kind
        if kind == "coder_agent":
            facts["agents"][address] = _agent(values)
        elif kind == "coder_app":
            facts["apps"][address] = _app(values)
        elif kind == "coder_ai_task":
            app_id = values.get("app_id") or ((values.get("sidebar_app") or [{}])[0]).get("id")
            if not app_id:  # unknown until apply: the configuration names what it refers to
                module_address = instance.get("module_address")
                local = f"{kind}.{instance['name']}"
                key = f"{module_address}.{local}" if module_address else local
                expressions = config.get(key, {}).get("expressions") or {}
                app_id = _targets(expressions.get("app_id", {}).get("references", []))
            facts["tasks"][address] = {"app": app_id}
    seen: set[str] = set()
    for instance in planned + prior:
        address, values = instance["address"], instance.get("values", {})
        if instance["mode"] != "data" or address in seen:
            continue
        seen.add(address)
        if instance["type"] == "coder_parameter":
            facts["parameters"][address] = _plan_parameter(values)
        elif instance["type"] == "coder_workspace_preset":
            prebuilds = values.get("prebuilds") or [{}]
            facts["presets"][address] = {
                "name": values.get("name"),
                "default": bool(values.get("default")),
                "parameters": values.get("parameters") or {},
                "instances": prebuilds[0].get("instances") or 0,
            }
    return facts


def _targets(references: list[str]) -> list[str]:
    """The resources references name (``coder_app.chat.id`` and ``coder_app.chat``: one)."""
    return sorted({target_of(parse_reference(text)).address for text in references})


def _agent(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values.get(k) for k in ("os", "arch", "auth")}


def _app(values: dict[str, Any]) -> dict[str, Any]:
    checks = values.get("healthcheck") or []
    return {
        "slug": values.get("slug"),
        "url": values.get("url"),
        "subdomain": values.get("subdomain"),
        "share": values.get("share"),
        "healthcheck": [{k: c.get(k) for k in ("url", "interval", "threshold")} for c in checks],
    }


def _plan_parameter(values: dict[str, Any]) -> dict[str, Any]:
    validations = [
        {
            "min": None if v.get("min_disabled") else v.get("min"),
            "max": None if v.get("max_disabled") else v.get("max"),
            "monotonic": v.get("monotonic") or "",
            "regex": v.get("regex") or "",
            "error": v.get("error") or "",
        }
        for v in values.get("validation") or []
    ]
    return {
        "name": values.get("name"),
        "type": values.get("type"),
        "form_type": values.get("form_type"),
        "default": values.get("default"),
        "options": [(o.get("name"), o.get("value")) for o in values.get("option") or []],
        "validation": validations,
        "mutable": values.get("mutable"),
        "ephemeral": values.get("ephemeral"),
    }


def plan_workspace(plan: dict[str, Any]) -> dict[str, Any]:
    """The ``data.coder_workspace`` values the plan was made with (none: the scenario's)."""
    for instance in _instances(
        ((plan.get("prior_state") or {}).get("values") or {}).get("root_module", {})
    ):
        if instance["type"] == "coder_workspace":
            values = instance.get("values") or {}
            keys = ("start_count", "transition", "is_prebuild", "prebuild_count")
            return {k: values[k] for k in keys if k in values}
    return {}


# --- the static reading ------------------------------------------------------------


def _keys(evaluator: Evaluator, resource: Resource, module: Module) -> list[Any]:
    """Instance keys: None (no count), 0..n-1, for_each keys (sorted, as Terraform); UNKNOWN."""
    if resource.for_each is not None:
        collection = evaluator.value(resource.for_each, module)
        if isinstance(collection, dict):
            return sorted(collection)
        if isinstance(collection, list) and all(isinstance(i, str) for i in collection):
            return sorted(set(collection))
        return [UNKNOWN]
    if resource.count is None:
        return [None]
    count = evaluator.instances(resource, module)
    return [UNKNOWN] if count is None else list(range(count))


def _suffix(key: Any) -> str:
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f'["{key}"]'


def _each(evaluator: Evaluator, resource: Resource, module: Module, key: Any) -> Any:
    if resource.for_each is None or not isinstance(key, str):
        return {}
    collection = evaluator.value(resource.for_each, module)
    value = collection[key] if isinstance(collection, dict) else key
    return {"key": key, "value": value}


def static_facts(tree: ConfigTree, workspace: dict[str, Any]) -> Facts:
    """What the configuration says under the import scenario with ``workspace``'s values."""
    scenario = settle(tree, {}, Scenario("import", "import", **workspace))
    evaluator = Evaluator(tree, scenario)
    facts: Facts = {"resources": {}, "agents": {}, "apps": {}, "tasks": {}}
    for module in tree.modules():
        for resource in module.resources.values():
            if resource.mode != "managed" or not resource.type.startswith("coder_"):
                continue
            for key in _keys(evaluator, resource, module):
                address = resource.address + ("[?]" if key is UNKNOWN else _suffix(key))
                each = _each(evaluator, resource, module, key)

                def value(name: str, owner: Any = resource, default: Any = None) -> Any:
                    expr = owner.attributes.get(name)
                    if expr is None:
                        return default
                    return evaluator.instance_value(expr, module, each)  # noqa: B023

                facts["resources"][address] = resource.type
                if resource.type == "coder_agent":
                    facts["agents"][address] = {
                        "os": value("os"),
                        "arch": value("arch"),
                        "auth": value("auth", default="token"),
                    }
                elif resource.type == "coder_app":
                    facts["apps"][address] = {
                        "slug": value("slug", default=resource.name),
                        "url": value("url"),
                        "subdomain": value("subdomain"),
                        "share": value("share", default="owner"),
                        "healthcheck": [
                            {k: value(k, block) for k in ("url", "interval", "threshold")}
                            for block in resource.blocks_of("healthcheck")
                        ],
                    }
                elif resource.type == "coder_ai_task":
                    facts["tasks"][address] = {"app": _task_app(value, resource)}
    scope = ParameterScope(tree, [scenario])
    facts["parameters"] = {
        s.parameter.address: _static_parameter(s.parameter)
        for s in scope.parameters(scenario)
        if s.present is not False
    }
    facts["presets"] = {
        p.address: {
            "name": p.name,
            "default": p.default,
            "parameters": p.value_map(),
            "instances": p.instances,
        }
        for p in scope.presets
    }
    return facts


def _task_app(value: Any, resource: Resource) -> Any:
    app_id = value("app_id")
    if isinstance(app_id, str) and app_id:
        return app_id
    sidebar = resource.blocks_of("sidebar_app")
    if sidebar:
        return value("id", sidebar[0])
    expr = resource.attributes.get("app_id")
    return _targets([ref.text for ref in expr.refs]) if expr is not None else None


def _static_parameter(parameter: Any) -> dict[str, Any]:
    kind = parameter.type
    form = parameter.form_type
    if not form and isinstance(kind, str) and kind in FORM_TYPES:
        form = FORM_TYPES[kind][bool(parameter.options)][0]
    return {
        "name": parameter.name,
        "type": kind,
        "form_type": form,
        "default": parameter.default,
        "options": [(o.name, o.value) for o in parameter.options],
        "validation": [
            {
                "min": v.min,
                "max": v.max,
                "monotonic": v.monotonic,
                "regex": v.regex,
                "error": v.error,
            }
            for v in parameter.validations
        ],
        "mutable": parameter.mutable,
        "ephemeral": parameter.ephemeral,
    }


# --- the comparison ------------------------------------------------------------------


def differences(name: str) -> list[str]:
    """Every fact where the static reading of ``name``'s source differs from its plan."""
    directory = CORPUS / name
    plan = load_json(directory / f"{name}.tfplan.json")
    tree = load_configuration(str(directory / "source"), project_root=str(directory))
    assert not getattr(tree, "errors", None), tree.errors  # type: ignore[attr-defined]
    expected, got = plan_facts(plan), static_facts(tree, plan_workspace(plan))
    found = []
    for section in expected:
        want, have = expected[section], got[section]
        for address in sorted(set(want) | set(have)):
            if address not in have:
                found.append(f"{section}: {address} is in the plan, not in the static reading")
            elif address not in want:
                found.append(f"{section}: {address} is in the static reading, not in the plan")
            elif want[address] != have[address]:
                found.append(f"{section}: {address}: plan {want[address]!r} != {have[address]!r}")
    return found


def _params() -> list[Any]:
    params = []
    for name in corpus_params():
        if isinstance(name, str) and name in EXPECTED_DIFFERENCES:
            reason = EXPECTED_DIFFERENCES[name]
            params.append(pytest.param(name, marks=pytest.mark.xfail(reason=reason, strict=True)))
        else:
            params.append(name)
    return params


@pytest.mark.parametrize("name", _params())
def test_static_reading_agrees_with_terraforms_plan(name: str) -> None:
    assert differences(name) == []


def test_kubernetes_metadata_plan_predates_its_source() -> None:
    """The one expected difference is the corpus's, not the evaluator's."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus absent")
    directory = CORPUS / "kubernetes-metadata"
    plan = load_json(directory / "kubernetes-metadata.tfplan.json")
    config = _config_resources(plan["configuration"]["root_module"])["coder_app.code-server"]
    assert config["expressions"]["relative_path"] == {"constant_value": True}
    assert "subdomain" not in config["expressions"]
    source = (directory / "source" / "kubernetes-metadata.tf").read_text("utf-8")
    assert "subdomain = false" in source and "relative_path" not in source
    assert differences("kubernetes-metadata") == [
        "apps: coder_app.code-server: plan "
        + repr(plan_facts(plan)["apps"]["coder_app.code-server"])
        + " != "
        + repr({**plan_facts(plan)["apps"]["coder_app.code-server"], "subdomain": False})
    ]


def test_a_wrong_workspace_value_is_a_difference() -> None:
    """The comparison can fail: a stopped workspace (start_count 0) plans no metadata."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus absent")
    directory = CORPUS / "kubernetes-metadata"
    tree = load_configuration(str(directory / "source"), project_root=str(directory))
    started = static_facts(tree, {"start_count": 1})["resources"]
    stopped = static_facts(tree, {"start_count": 0})["resources"]
    assert "coder_metadata.kubernetes_pod_main[0]" in started
    assert "coder_metadata.kubernetes_pod_main[0]" not in stopped


def test_every_fixture_is_compared() -> None:
    names = corpus_params()
    if not isinstance(names[0], str):
        pytest.skip("shared corpus absent")
    assert len(names) == 32
    assert set(EXPECTED_DIFFERENCES) <= set(names)
    assert all((CORPUS / n / "source").is_dir() for n in names)


if __name__ == "__main__":  # the agreement count, for the closing note
    rows = {n: differences(n) for n in corpus_params() if isinstance(n, str)}
    for n, d in rows.items():
        print(n, "agrees" if not d else json.dumps(d, indent=1))
    print(f"{sum(not d for d in rows.values())}/{len(rows)} agree")


def test_a_task_app_id_unknown_in_the_plan_is_compared_by_reference() -> None:
    """Before apply a task's app_id is unknown: the configuration's references stand in."""
    plan = {
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "coder_ai_task.task[0]",
                        "mode": "managed",
                        "type": "coder_ai_task",
                        "name": "task",
                        "values": {"sidebar_app": []},
                    }
                ]
            }
        },
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "coder_ai_task.task",
                        "type": "coder_ai_task",
                        "name": "task",
                        "expressions": {
                            "app_id": {"references": ["coder_app.chat.id", "coder_app.chat"]}
                        },
                    }
                ]
            }
        },
    }
    assert plan_facts(plan)["tasks"] == {"coder_ai_task.task[0]": {"app": ["coder_app.chat"]}}
