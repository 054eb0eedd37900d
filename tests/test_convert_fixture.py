"""ConvertState behaviour on the project's own task-template fixture.

Each assertion states a rule of Coder's ConvertState; the error tests mutate
the fixture in memory and expect Coder's exact message.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from aitask_lint.convert.api import convert_state
from aitask_lint.convert.golden import deterministic_app_id, golden_dict
from aitask_lint.convert.models import AppOpenIn, AppSharingLevel, ConvertedState
from aitask_lint.errors import ConversionError
from aitask_lint.graph.dot import load_dot

from conftest import TASK_TEMPLATE, load_json

PLAN = load_json(TASK_TEMPLATE / "plan.json")
STATE = load_json(TASK_TEMPLATE / "state.json")
DOT = load_dot(str(TASK_TEMPLATE / "graph.dot"))


def _convert(document: dict[str, Any], **kwargs: Any) -> ConvertedState:
    return convert_state(document, DOT, **kwargs)


def _resource(state: ConvertedState, kind: str, name: str) -> Any:
    return next(r for r in state.resources if (r.type, r.name) == (kind, name))


def test_state_attaches_agent_apps_envs_scripts_to_the_container() -> None:
    state = _convert(STATE)
    container = _resource(state, "docker_container", "workspace")
    (agent,) = container.agents
    assert agent.name == "main"
    assert agent.id == "6a2f5bb2-8d33-4b8e-9a4e-2b9c9f0d2a11"
    assert agent.auth.token == "0f1e2d3c-4b5a-4969-8877-665544332211"
    assert agent.directory == "/home/coder"
    assert agent.env == {"GIT_AUTHOR_NAME": "Coder"}
    claude, code = sorted(agent.apps, key=lambda a: a.slug)
    assert (claude.slug, claude.display_name, claude.url) == (
        "claude",
        "Claude Code",
        "http://localhost:3284/",
    )
    assert claude.healthcheck is not None
    assert (claude.healthcheck.url, claude.healthcheck.interval, claude.healthcheck.threshold) == (
        "http://localhost:3284/status",
        3,
        20,
    )
    assert claude.open_in is AppOpenIn.SLIM_WINDOW
    assert code.sharing_level is AppSharingLevel.AUTHENTICATED
    assert code.open_in is AppOpenIn.TAB
    assert code.subdomain is True and code.group == "Editors"
    assert [e.name for e in agent.extra_envs] == ["ANTHROPIC_MODEL"]
    # legacy startup_script becomes a script; behaviour "blocking" blocks login
    scripts = {s.display_name: s for s in agent.scripts}
    assert scripts["Startup Script"].start_blocks_login is True
    assert scripts["Startup Script"].log_path == "coder-startup-script.log"
    assert scripts["Install Claude"].timeout_seconds == 300
    # no display_apps block: Coder's defaults (everything but VS Code Insiders)
    assert agent.display_apps is not None
    assert agent.display_apps.vscode and not agent.display_apps.vscode_insiders


def test_metadata_targets_the_closest_dependency() -> None:
    container = _resource(_convert(STATE), "docker_container", "workspace")
    assert (container.daily_cost, container.icon) == (7, "/icon/docker.svg")
    assert [(m.key, m.value) for m in container.metadata] == [
        ("image", "codercom/enterprise-base:ubuntu")
    ]


def test_resources_exclude_agent_side_types_but_list_env_and_task() -> None:
    state = _convert(STATE)
    listed = sorted((r.type, r.name) for r in state.resources)
    assert listed == [
        ("coder_ai_task", "task"),
        ("coder_env", "model"),
        ("docker_container", "workspace"),
        ("docker_volume", "home"),
    ]


def test_ai_task_ids_in_plan_and_state() -> None:
    (planned,) = _convert(PLAN).ai_tasks
    assert (planned.id, planned.app_id) == ("", "")  # unknown before apply
    state = _convert(STATE)
    (task,) = state.ai_tasks
    assert task.app_id == "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    assert task.sidebar_app is not None and task.sidebar_app.id == task.app_id
    assert state.has_ai_tasks


def test_sidebar_app_fallback_when_app_id_is_empty() -> None:
    document = copy.deepcopy(STATE)
    task = _find(document, "coder_ai_task.task[0]")
    task["values"]["app_id"] = ""
    task["values"]["sidebar_app"] = [{"id": "11111111-2222-3333-4444-555555555555"}]
    (converted,) = _convert(document).ai_tasks
    assert converted.app_id == "11111111-2222-3333-4444-555555555555"


def test_plan_apps_attach_through_direct_graph_edges_and_get_ids() -> None:
    ids = iter(["id-1", "id-2"])
    warnings: list[str] = []
    state = _convert(PLAN, new_app_id=lambda: next(ids), warn=warnings.append)
    (agent,) = _resource(state, "docker_container", "workspace").agents
    assert sorted(a.id for a in agent.apps) == ["id-1", "id-2"]
    assert warnings.count("coder_app's id was unexpectedly empty") == 2


def test_parameters_presets_and_external_auth() -> None:
    state = _convert(PLAN)
    (parameter,) = state.parameters
    assert (parameter.name, parameter.required, parameter.mutable) == ("repo", False, True)
    assert parameter.validation_regex == "^https://"
    assert parameter.validation_min is None and parameter.validation_max is None
    (preset,) = state.presets
    assert preset.default and preset.prebuild is not None
    assert preset.prebuild.instances == 2
    assert preset.prebuild.expiration_policy is not None
    assert preset.prebuild.expiration_policy.ttl == 3600
    # coder_git_auth and coder_external_auth with one id: deduplicated, the latter wins
    assert [(p.id, p.optional) for p in state.external_auth_providers] == [("github", True)]


def test_data_only_prior_state_matches_production() -> None:
    production = convert_state(PLAN, DOT, prior_state="data-only")
    assert [p.name for p in production.parameters] == ["repo"]
    without_prior = convert_state(PLAN, DOT, prior_state="none")
    assert without_prior.parameters == []


def test_derived_graph_gives_the_same_result_as_the_dot_file() -> None:
    for document in (PLAN, STATE):
        with_dot = golden_dict(convert_state(document, DOT), deterministic_app_ids=True)
        derived = golden_dict(convert_state(document), deterministic_app_ids=True)
        assert derived == with_dot


def test_deterministic_app_id_is_a_hash_of_slug_and_display_name() -> None:
    state = golden_dict(_convert(STATE), deterministic_app_ids=True)
    app = state["Resources"][3]["agents"][0]["apps"][0]
    assert app["slug"] == "claude"
    model = _resource(_convert(STATE), "docker_container", "workspace").agents[0].apps[0]
    assert app["id"] == deterministic_app_id(model)
    assert app["id"] != "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def _find(document: dict[str, Any], address: str) -> dict[str, Any]:
    resources = document["values"]["root_module"]["resources"]
    found: dict[str, Any] = next(r for r in resources if r["address"] == address)
    return found


def _mutated(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(STATE)
    change(document)
    return document


def _rename(address: str, key: str, value: Any) -> Any:
    return lambda d: _find(d, address)["values"].__setitem__(key, value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _rename("coder_app.code-server", "slug", "claude"),
            'duplicate app slug, they must be unique per template: "claude"',
        ),
        (
            _rename("coder_app.code-server", "slug", "Code_Server"),
            'app slug "Code_Server" does not match regex "^[a-z0-9](-?[a-z0-9])*$"',
        ),
        (
            lambda d: _find(d, "coder_agent.main").__setitem__("name", "main_agent"),
            'agent name "main_agent" contains underscores which are no longer supported, '
            'please use hyphens instead (regex: "(?i)^[a-z0-9](-?[a-z0-9])*$")',
        ),
        (
            lambda d: d["values"]["root_module"]["resources"].append(
                dict(
                    _find(d, "data.coder_workspace_preset.coder"),
                    address="data.coder_workspace_preset.second",
                    name="second",
                )
            ),
            "a maximum of 1 coder_workspace_preset can be marked as default, but 2 are set",
        ),
        (
            lambda d: d["values"]["root_module"]["resources"].append(
                dict(
                    _find(d, "data.coder_parameter.repo"),
                    address="data.coder_parameter.again",
                    name="again",
                )
            ),
            'coder_parameter names must be unique but "repo" appears multiple times',
        ),
        (
            _rename("coder_app.claude", "slug", 7),
            "decode app attributes: 1 error(s) decoding:",
        ),
        (
            _rename("data.coder_parameter.repo", "form_type", "wheel"),
            "decode form_type for coder_parameter.repo: unsupported form type: wheel",
        ),
        (
            _rename("data.coder_external_auth.github", "id", None),
            "external auth id is not a string",
        ),
    ],
)
def test_coder_errors_are_reproduced_verbatim(change: Any, message: str) -> None:
    with pytest.raises(ConversionError) as raised:
        _convert(_mutated(change))
    assert str(raised.value).startswith(message)


def test_empty_agent_name_through_the_module_level_api() -> None:
    # The JSON schema refuses empty names in documents; the module-level API
    # (what a provisioner passes its own modules to) still gives Coder's error.
    from aitask_lint.convert.convert import convert_state as convert_modules

    document = _mutated(lambda d: _find(d, "coder_agent.main").__setitem__("name", ""))
    with pytest.raises(ConversionError, match=r"^agent name cannot be empty$"):
        convert_modules([document["values"]["root_module"]], DOT)


def test_agent_missing_from_graph() -> None:
    document = _mutated(
        lambda d: _find(d, "coder_agent.main").__setitem__("address", "coder_agent.renamed")
    )
    with pytest.raises(ConversionError) as raised:
        _convert(document)
    assert str(raised.value) == 'couldn\'t find node on graph: "coder_agent.renamed"'


def test_duplicate_metadata() -> None:
    def add(d: dict[str, Any]) -> None:
        d["values"]["root_module"]["resources"].append(
            dict(
                _find(d, "coder_metadata.container[0]"),
                address="coder_metadata.extra",
                name="extra",
            )
        )

    graph_text = (
        (TASK_TEMPLATE / "graph.dot")
        .read_text()
        .replace(
            "\t}\n}",
            '\t\t"[root] coder_metadata.extra (expand)" [label = "coder_metadata.extra"]\n'
            '\t\t"[root] coder_metadata.extra (expand)" -> '
            '"[root] docker_container.workspace (expand)"\n'
            "\t}\n}",
        )
    )
    from aitask_lint.graph.dot import parse_dot

    with pytest.raises(ConversionError) as raised:
        convert_state(_mutated(add), parse_dot(graph_text))
    assert str(raised.value) == "duplicate metadata resource: docker_container.workspace"


def test_agent_without_compute_is_dropped_with_its_apps() -> None:
    def drop(d: dict[str, Any]) -> None:
        d["values"]["root_module"]["resources"] = [
            r
            for r in d["values"]["root_module"]["resources"]
            if not r["address"].startswith("docker_container")
        ]

    graph_text = "\n".join(
        line
        for line in (TASK_TEMPLATE / "graph.dot").read_text().splitlines()
        if "docker_container" not in line
    )
    from aitask_lint.graph.dot import parse_dot

    state = convert_state(_mutated(drop), parse_dot(graph_text))
    assert all(not r.agents for r in state.resources)


def test_instance_identity_auth_takes_the_instance_id() -> None:
    def to_aws(d: dict[str, Any]) -> None:
        agent = _find(d, "coder_agent.main")
        agent["values"]["auth"] = "aws-instance-identity"
        container = _find(d, "docker_container.workspace[0]")
        container["type"] = "aws_instance"
        container["values"]["instance_type"] = "t3.large"

    state = convert_state(_mutated(to_aws), DOT)
    instance = next(r for r in state.resources if r.type == "aws_instance")
    assert instance.instance_type == "t3.large"
    assert instance.agents[0].auth.instance_id == "container-1"


def test_output_is_json_serialisable_and_stable() -> None:
    first = json.dumps(golden_dict(_convert(STATE)))
    second = json.dumps(golden_dict(_convert(STATE)))
    assert first == second


def test_normalise_sorts_a_copy_and_leaves_the_state_as_it_was() -> None:
    """``normalise`` copies only what it sorts or rewrites: the state given is not changed.

    Every list it sorts is reversed first, and a second instance shares the
    first's agent list (as Coder's instances of one label do).
    """
    from aitask_lint.convert.golden import normalise

    state = _convert(STATE)
    for resource in state.resources:
        resource.agents.reverse()
        for agent in resource.agents:
            for items in (agent.apps, agent.extra_envs, agent.scripts, agent.devcontainers):
                items.reverse()
            for devcontainer in agent.devcontainers:
                devcontainer.apps.reverse()
    state.resources.reverse()
    state.external_auth_providers.reverse()
    state.resources.append(next(r for r in state.resources if r.agents).model_copy())
    before = state.model_dump_json()

    result = normalise(state, deterministic_app_ids=True)

    assert state.model_dump_json() == before
    assert result.model_dump_json() != before
    keys = [(r.name, r.type) for r in result.resources]
    assert keys == sorted(keys)
    apps = [app for r in result.resources for agent in r.agents for app in agent.apps]
    assert len(apps) > 1
    assert all(app.id == deterministic_app_id(app) for app in apps)
    for resource in result.resources:
        for agent in resource.agents:
            slugs = [app.slug for app in agent.apps]
            assert slugs == sorted(slugs)
            names = [script.display_name for script in agent.scripts]
            assert names == sorted(names)
