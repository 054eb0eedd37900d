"""``aitask-lint tasks`` on every fixture template, asserted field by field."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from aitask_lint.analysis.tasks_api import extract_ai_tasks
from cli_runner import run_cli

from conftest import FIXTURES, ROOT

TEMPLATES = FIXTURES / "templates"
SCHEMA = Draft202012Validator(json.loads((ROOT / "schemas" / "tasks.schema.json").read_text()))

# template -> [(task address, task line, app address, slug, url, agent, compute)]
CHAINS = {
    "modern-local-modules": [
        (
            "coder_ai_task.task",
            33,
            "module.claude-code.module.agentapi.coder_app.agentapi_web",
            "ccw",
            "http://localhost:3284/",
            "coder_agent.main",
            "docker_container.workspace",
        )
    ],
    "modern-manifest": [
        (
            "coder_ai_task.task",
            26,
            "module.claude-code.module.agentapi.coder_app.agentapi_web",
            "ccw",
            "http://localhost:3284/",
            "coder_agent.dev",
            "kubernetes_pod.dev",
        )
    ],
    "multi-file": [
        (
            "coder_ai_task.chat",
            9,
            "module.chat.coder_app.chat",
            "chat",
            "http://localhost:3284/",
            "coder_agent.dev",
            "docker_container.workspace",
        )
    ],
    "registry-catalog": [
        (
            "coder_ai_task.task",
            27,  # the call passes workdir, which claude-code 4.x requires (AIT307)
            "module.claude-code.module.agentapi.coder_app.agentapi_web",
            "ccw",
            "http://localhost:3284/",
            "coder_agent.main",
            "aws_instance.dev",
        )
    ],
    "legacy-sidebar-app": [
        (
            "coder_ai_task.task",
            39,
            "coder_app.chat",
            "chat",
            "http://localhost:3284/",
            "coder_agent.main",
            "docker_container.workspace",
        )
    ],
    "module-creates-task": [
        (
            "module.goose.coder_ai_task.goose",
            18,
            "module.goose.coder_app.goose_web",
            "goose",
            "http://localhost:3284/",
            "coder_agent.main",
            "docker_container.workspace",
        )
    ],
    "for-each-apps": [
        (
            "coder_ai_task.task",
            22,
            "coder_app.tools",
            "chat",
            "http://localhost:3284/",
            "coder_agent.main",
            "null_resource.vm",
        )
    ],
    "json-syntax": [
        (
            "coder_ai_task.task",
            23,
            "coder_app.chat",
            "chat",
            "http://localhost:3284/",
            "coder_agent.main",
            "null_resource.vm",
        )
    ],
    "heredoc-dynamic": [
        (
            "coder_ai_task.task",
            51,
            "coder_app.chat",
            "chat",
            "http://localhost:3284/",
            "coder_agent.main",
            "null_resource.vm",
        )
    ],
    "crlf": [
        (
            "coder_ai_task.task",
            12,
            "coder_app.chat",
            "chat",
            "http://localhost:3284/",
            "coder_agent.main",
            "null_resource.vm",
        )
    ],
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_chain_field_by_field(name: str) -> None:
    document = extract_ai_tasks(TEMPLATES / name)
    assert document.has_ai_task
    got = []
    for task in document.ai_tasks:
        assert task.app is not None, task.problems
        assert task.location is not None
        assert (task.id, task.app_id, task.sidebar_app.id) == ("", "", "")
        got.append(
            (
                task.address,
                task.location.line,
                task.app.address,
                task.app.slug,
                task.app.url,
                task.app.agent,
                task.app.compute,
            )
        )
        assert task.problems == []
    assert got == CHAINS[name]
    assert SCHEMA.is_valid(json.loads(document.model_dump_json()))


def test_conditional_and_try_lead_to_every_branch() -> None:
    (task,) = extract_ai_tasks(TEMPLATES / "try-conditional").ai_tasks
    assert task.app_ref == "local.task_app"
    assert [(a.address, a.slug, a.url) for a in task.apps] == [
        ("module.chat.coder_app.chat", "chat", "http://localhost:3284/"),
        ("coder_app.fallback", "fallback", "http://localhost:8080/"),
    ]
    assert task.problems == []  # the "" fallback of try() is deliberate


@pytest.mark.parametrize(
    ("name", "address", "step", "fragment"),
    [
        (
            "broken-missing-output",
            "coder_ai_task.task",
            "app",
            'module "claude" (./modules/claude) has no output "task_app_id"',
        ),
        (
            "broken-not-an-app",
            "coder_ai_task.wrong",
            "app",
            "app_id leads to `coder_agent.main.id`, not to a coder_app's id",
        ),
        (
            "broken-not-an-app",
            "coder_ai_task.typo",
            "app",
            "refers to `coder_app.chta`, which is not declared in the root module",
        ),
        (
            "broken-no-compute",
            "coder_ai_task.task",
            "compute",
            "no managed non-coder resource depends on `coder_agent.main`",
        ),
    ],
)
def test_broken_chains_say_which_step_and_why(
    name: str, address: str, step: str, fragment: str
) -> None:
    task = next(t for t in extract_ai_tasks(TEMPLATES / name).ai_tasks if t.address == address)
    assert any(p.step == step and fragment in p.message for p in task.problems), task.problems


def test_single_file_input() -> None:
    (task,) = extract_ai_tasks(TEMPLATES / "crlf" / "main.tf").ai_tasks
    assert task.app is not None
    assert task.app.compute == "null_resource.vm"


def test_cli_on_a_directory() -> None:
    result = run_cli("tasks", str(TEMPLATES / "modern-manifest"), "--format", "json")
    assert result.code == 0
    app = json.loads(result.stdout)["ai_tasks"][0]["app"]
    assert app["compute"] == "kubernetes_pod.dev"


def test_syntax_error_in_a_template_is_one_line_exit_2(tmp_path: object) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path))
    (directory / "main.tf").write_text('resource "coder_ai_task" "t" {\n  app_id = \n}\n')
    result = run_cli("tasks", str(directory))
    assert result.code == 2
    assert result.stderr.strip().endswith(
        "main.tf:2:12: HCL syntax error: Invalid expression: expected the start of an expression"
    )
