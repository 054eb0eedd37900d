"""ConvertState on the modules-devcontainer fixture: module paths, devcontainers,
external agents, display apps, resource monitoring and module indexing order."""

from __future__ import annotations

from typing import Any

import pytest

from aitask_lint.convert.api import convert_state
from aitask_lint.convert.golden import golden_dict
from aitask_lint.convert.models import ConvertedState

from conftest import FIXTURES

FIXTURE = FIXTURES / "convert" / "modules-devcontainer"
DOT = FIXTURE / "graph.dot"
KINDS = ["plan.json", "state.json"]


def _convert(name: str, *, use_dot: bool = True) -> ConvertedState:
    return convert_state(FIXTURE / name, DOT if use_dot else None)


def _agents(state: ConvertedState) -> dict[str, tuple[Any, Any]]:
    return {
        agent.name: (resource, agent) for resource in state.resources for agent in resource.agents
    }


@pytest.mark.parametrize("name", KINDS)
def test_agent_reaches_compute_in_a_child_module_through_a_variable(name: str) -> None:
    resource, _agent = _agents(_convert(name))["main"]
    assert (resource.type, resource.name, resource.module_path) == (
        "null_resource",
        "vm",
        "module.compute",
    )


@pytest.mark.parametrize("name", KINDS)
def test_devcontainer_children_bind_to_the_subagent(name: str) -> None:
    _resource, agent = _agents(_convert(name))["main"]
    assert [a.slug for a in agent.apps] == ["main-app"]
    (devcontainer,) = agent.devcontainers
    assert (devcontainer.name, devcontainer.workspace_folder, devcontainer.config_path) == (
        "dev",
        "/workspaces/app",
        ".devcontainer/devcontainer.json",
    )
    assert [a.slug for a in devcontainer.apps] == ["dc-app"]
    assert [e.name for e in devcontainer.envs] == ["IN_DEVCONTAINER"]
    assert [s.display_name for s in devcontainer.scripts] == ["Devcontainer Setup"]
    assert agent.extra_envs == []


def test_devcontainer_ids_in_state() -> None:
    _resource, agent = _agents(_convert("state.json"))["main"]
    assert agent.devcontainers[0].subagent_id == "11111111-0000-4000-8000-000000000003"


@pytest.mark.parametrize("name", KINDS)
def test_external_agent_is_an_attachment_target(name: str) -> None:
    state = _convert(name)
    resource, _agent = _agents(state)["remote"]
    assert (resource.type, resource.name) == ("coder_external_agent", "ext")
    assert state.has_external_agents


@pytest.mark.parametrize("name", KINDS)
def test_display_apps_and_resource_monitoring(name: str) -> None:
    _resource, agent = _agents(_convert(name))["main"]
    apps = agent.display_apps
    assert apps is not None
    assert (apps.vscode, apps.vscode_insiders, apps.web_terminal) == (False, True, False)
    assert (apps.ssh_helper, apps.port_forwarding_helper) == (True, False)
    monitoring = agent.resources_monitoring
    assert monitoring is not None and monitoring.memory is not None
    assert monitoring.memory.threshold == 90  # the last memory block wins
    assert [(v.path, v.enabled, v.threshold) for v in monitoring.volumes] == [
        ("/home", True, 70),
        ("/tmp", False, 50),
    ]
    _resource, remote = _agents(_convert(name))["remote"]
    assert remote.display_apps is not None and remote.display_apps.web_terminal  # defaults


@pytest.mark.parametrize("name", KINDS)
def test_parameters_are_indexed_child_modules_first(name: str) -> None:
    assert [p.name for p in _convert(name).parameters] == ["nested", "compute", "root"]


@pytest.mark.parametrize("name", KINDS)
def test_derived_graph_agrees_with_terraform_shaped_dot(name: str) -> None:
    with_dot = golden_dict(_convert(name), deterministic_app_ids=True)
    assert golden_dict(_convert(name, use_dot=False), deterministic_app_ids=True) == with_dot


def test_resources_list_env_devcontainer_and_external_agent() -> None:
    state = _convert("state.json")
    assert sorted((r.type, r.name) for r in state.resources) == [
        ("coder_devcontainer", "dev"),
        ("coder_env", "dc-env"),
        ("coder_external_agent", "ext"),
        ("null_resource", "vm"),
    ]
