"""``aitask-lint tasks`` on plan and state JSON."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from aitask_lint.analysis.tasks_api import extract_ai_tasks
from cli_runner import Outcome, run_cli

from conftest import CORPUS, CORPUS_MISSING, FIXTURES, ROOT, TASK_TEMPLATE

SCHEMA = Draft202012Validator(json.loads((ROOT / "schemas" / "tasks.schema.json").read_text()))


@pytest.mark.parametrize("name", ["plan.json", "state.json"])
def test_task_template_chain(name: str) -> None:
    document = extract_ai_tasks(TASK_TEMPLATE / name)
    (task,) = document.ai_tasks
    assert document.has_ai_task
    assert task.address == "coder_ai_task.task[0]"
    assert task.app is not None
    assert (task.app.address, task.app.slug, task.app.url) == (
        "coder_app.claude",
        "claude",
        "http://localhost:3284/",
    )
    assert (task.app.agent, task.app.compute) == ("coder_agent.main", "docker_container.workspace")
    assert task.problems == []
    assert task.location is not None
    assert task.location.pointer is not None
    assert SCHEMA.is_valid(json.loads(document.model_dump_json()))


def test_state_ids_fill_the_coder_fields() -> None:
    (task,) = extract_ai_tasks(TASK_TEMPLATE / "state.json").ai_tasks
    assert task.id == "c5f3e4d6-7081-4c9d-8ebf-2a3b4c5d6e7f"
    assert task.app_id == task.sidebar_app.id == "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def test_plan_without_tasks() -> None:
    document = extract_ai_tasks(FIXTURES / "convert" / "modules-devcontainer" / "plan.json")
    assert (document.has_ai_task, document.ai_tasks) == (False, [])


@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)
def test_corpus_task_fixtures_agree_with_coder() -> None:
    expected = json.loads((CORPUS / "EXPECTED.json").read_text())["fixtures"]
    for name in ("ai-tasks-app", "ai-tasks-sidebar", "ai-tasks-multiple", "ai-tasks-disabled"):
        for kind, extension in (("plan", "tfplan"), ("state", "tfstate")):
            document = extract_ai_tasks(CORPUS / name / f"{name}.{extension}.json")
            summary = expected[name][kind]
            assert document.has_ai_task is summary["has_ai_task"], (name, kind)
            assert [(t.id, t.app_id) for t in document.ai_tasks] == [
                (t["id"], t["app_id"]) for t in summary["ai_tasks"]
            ]
            # none of these fixtures has a coder_app: the chain is broken at the app
            for task in document.ai_tasks:
                assert task.app is None
                assert task.problems[0].step == "app"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)
def test_unknown_app_id_in_state_quotes_coders_warning() -> None:
    (task,) = extract_ai_tasks(CORPUS / "ai-tasks-app" / "ai-tasks-app.tfstate.json").ai_tasks
    assert task.problems[0].message.startswith(
        'Unknown ai_task_app_id "5ece4674-dd35-4f16-88c8-82e40e72e2fd"'
    )


def test_cli_text_and_json() -> None:
    def run(*args: str) -> Outcome:
        return run_cli("tasks", *args)

    text = run(str(TASK_TEMPLATE / "plan.json"))
    assert text.code == 0, text.stderr
    assert "coder_app.claude (slug claude, url http://localhost:3284/)" in text.stdout
    assert text.stdout.rstrip().endswith("has_ai_task = true")
    as_json = run(str(TASK_TEMPLATE / "state.json"), "--format", "json")
    assert json.loads(as_json.stdout)["ai_tasks"][0]["app"]["compute"] == (
        "docker_container.workspace"
    )
    missing = run("no/such/dir")
    assert (missing.code, missing.stderr.strip()) == (
        2,
        "no/such/dir: no such file or directory",
    )
