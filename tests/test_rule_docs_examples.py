"""Every rule's documented examples are true: linted as written, the failing one
fires the rule and the fixed one does not.

The examples are taken from ``aitask-lint rules --format json`` (the complete
file text, preamble included, the extra files and the command-line options),
the way any tool would lint them, and that document is checked against the
rules' own :class:`~aitask_lint.lint.rule.Example` declarations, from which
``docs/rules/``, ``explain`` and the SARIF help are generated. A user who
pastes a fixed example gets no error or warning at all, not only none of the
rule's own.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aitask_lint.cli import cli
from aitask_lint.lint.docs import rule_markdown
from aitask_lint.lint.registry import all_rules, rule_by_key
from aitask_lint.lint.rule import Example, Preamble

RULE_IDS = [rule.id for rule in all_rules()]


@cache
def _catalog() -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {entry["id"]: entry for entry in json.loads(result.stdout)}


def _lint(example: dict[str, Any], directory: Path) -> list[dict[str, Any]]:
    """Write the example as documented (its file and the extra files) and run ``check``."""
    for relative, text in {example["file"]: example["text"], **example["files"]}.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    target = directory if example["language"] == "hcl" else directory / example["file"]
    result = CliRunner().invoke(
        cli, ["check", str(target), "--format", "json", "--no-cache", *example["args"]]
    )
    assert result.exit_code in (0, 1, 2), result.output
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def _summary(findings: list[dict[str, Any]]) -> list[str]:
    return [f"{f['rule']} {f['severity']}: {f['message']}" for f in findings]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_failing_example_fires_its_rule(rule_id: str, tmp_path: Path) -> None:
    findings = _lint(_catalog()[rule_id]["examples"]["failing"], tmp_path)
    assert any(f["rule"] == rule_id for f in findings), _summary(findings)
    if rule_id != "AIT001":
        assert not [f for f in findings if f["rule"] == "AIT001"], "the example must parse"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fixed_example_does_not_fire_its_rule(rule_id: str, tmp_path: Path) -> None:
    findings = _lint(_catalog()[rule_id]["examples"]["fixed"], tmp_path)
    assert not [f for f in findings if f["rule"] == rule_id], _summary(findings)
    # pasting the fix leaves nothing to fix: at most information (AIT503 on any task)
    assert not [f for f in findings if f["severity"] != "info"], _summary(findings)


def _as_json(example: Example) -> dict[str, Any]:
    preamble = example.preamble.text + "\n" if example.preamble else ""
    return {
        "language": example.language,
        "file": "plan.json" if example.language == "json" else "main.tf",
        "text": preamble + example.text,
        "args": list(example.args),
        "files": dict(example.files),
    }


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rules_json_carries_the_examples_as_linted(rule_id: str) -> None:
    rule = rule_by_key(rule_id)
    assert rule is not None
    examples = _catalog()[rule_id]["examples"]
    assert examples == {"failing": _as_json(rule.bad), "fixed": _as_json(rule.good)}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_docs_show_what_is_linted(rule_id: str) -> None:
    """The page shows each example, its preamble (folded), its files and its options."""
    rule = rule_by_key(rule_id)
    assert rule is not None
    page = rule_markdown(rule)
    for example in (rule.bad, rule.good):
        assert example.text.rstrip("\n") in page
        if example.preamble is not None:
            assert f"# ... preamble: {example.preamble.summary}\n" in page
            assert example.preamble.text.rstrip("\n") in page
            assert "<details><summary>Preamble: " in page
        for text in example.files.values():
            assert text.rstrip("\n") in page
        if example.args:
            assert f"Linted with `{example.command}`." in page


def test_an_example_is_its_preamble_then_its_text() -> None:
    preamble = Preamble("an agent", 'resource "coder_agent" "main" {}\n')
    example = Example(
        'resource "coder_app" "a" {}\n',
        preamble=preamble,
        args=("--wildcard-access-url",),
        files={"modules/x/main.tf": ""},
    )
    assert example.file_text == (
        'resource "coder_agent" "main" {}\n\nresource "coder_app" "a" {}\n'
    )
    assert example.shown_text == '# ... preamble: an agent\n\nresource "coder_app" "a" {}\n'
    assert example.command == "aitask-lint check . --wildcard-access-url"
    assert Example("{}", language="json").file_name == "plan.json"
    assert Example("{}", language="json").command == "aitask-lint check plan.json"
    # examples stay hashable (rules are frozen dataclasses) even with files
    assert hash(example) == hash(example)
