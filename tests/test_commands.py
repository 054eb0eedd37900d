"""``rules``, ``explain``, ``graph`` and the generated documentation."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from aitask_lint.lint.docs import generated_pages
from aitask_lint.lint.registry import all_rules
from cli_runner import run_cli

from conftest import FIXTURES, ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``aitask-lint ARGS`` in this process (``run_cli``: the console script's own entry)."""
    outcome = run_cli(*args)
    return subprocess.CompletedProcess(
        ["aitask-lint", *args], outcome.code, outcome.stdout, outcome.stderr
    )


def test_rules_json_lists_the_catalog() -> None:
    document = json.loads(run("rules", "--format", "json").stdout)
    assert [r["id"] for r in document] == [r.id for r in all_rules()]
    assert len(document) == len(all_rules())
    assert {key: value for key, value in document[0].items() if key != "examples"} == {
        "id": "AIT001",
        "name": "parse-error",
        "severity": "error",
        "modes": ["S", "P"],
        "summary": "A file cannot be read or parsed.",
        "link": "https://github.com/aitask-lint/aitask-lint/blob/main/docs/rules/AIT001.md",
        "fix": None,
    }
    fixed = next(r for r in document if r["id"] == "AIT104")["fix"]
    assert fixed["applicability"] == "sometimes"
    assert "sidebar_app" in fixed["what"]


def test_explain_by_id_and_name() -> None:
    by_id = run("explain", "AIT102").stdout
    assert by_id.startswith("# AIT102 multiple-ai-tasks\n")
    assert "only one 'coder_ai_task' resource can be provisioned per template" in by_id
    assert run("explain", "multiple-ai-tasks").stdout == by_id
    missing = run("explain", "AIT999")
    assert (missing.returncode, missing.stderr.strip()) == (
        2,
        "aitask-lint: unknown rule 'AIT999' (see `aitask-lint rules`)",
    )


def test_every_rule_documents_itself() -> None:
    for rule in all_rules():
        assert rule.summary.endswith(".")
        assert len(rule.why) > 80, rule.id
        assert rule.bad.text.strip() and rule.good.text.strip()
        assert rule.bad.text != rule.good.text


@pytest.mark.parametrize("name", sorted(generated_pages()))
def test_generated_rule_docs_are_current(name: str) -> None:
    committed = (ROOT / "docs" / "rules" / name).read_text(encoding="utf-8")
    assert committed == generated_pages()[name], (
        f"docs/rules/{name} is stale: run `python -m aitask_lint.lint.docs`"
    )


def test_graph_highlights_the_task_chain() -> None:
    template = FIXTURES / "templates" / "modern-local-modules"
    document = json.loads(run("graph", str(template), "--format", "json").stdout)
    chain = {node["id"] for node in document["nodes"] if node["chain"]}
    assert chain == {
        "coder_ai_task.task",
        "module.claude-code.output.task_app_id",
        "module.claude-code.module.agentapi.output.task_app_id",
        "module.claude-code.module.agentapi.coder_app.agentapi_web",
        "module.claude-code.module.agentapi.var.agent_id",
        "module.claude-code.var.agent_id",
        "coder_agent.main",
        "docker_container.workspace",
    }
    assert {
        "from": "coder_ai_task.task",
        "to": "module.claude-code.output.task_app_id",
        "chain": True,
    } in document["edges"]
    dot = run("graph", str(template)).stdout
    assert dot.startswith("digraph {")
    assert '"coder_ai_task.task" -> "module.claude-code.output.task_app_id" [color = "red"' in dot
    mermaid = run("graph", str(template), "--format", "mermaid").stdout
    assert mermaid.startswith("flowchart RL\n")
    assert "classDef chain" in mermaid


def test_svg_needs_graphviz() -> None:
    result = run("graph", str(FIXTURES / "templates" / "crlf"), "--format", "svg")
    if shutil.which("dot") is None:
        assert result.returncode == 2
        assert "needs Graphviz's `dot` in an absolute PATH directory" in result.stderr
    else:
        assert result.stdout.lstrip().startswith(("<?xml", "<svg"))
