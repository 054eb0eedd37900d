"""One finding per root cause (issue 11 item 5).

A missing module output broke three rules at once: AIT301 at the reference,
AIT106 on the task and AIT109 on the same reference. The most specific one
is reported, naming the others; each still fires alone when the more
specific rule does not run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aitask_lint.lint.findings import Finding, FindingLocation
from aitask_lint.lint.folding import PRECEDENCE, fold_root_causes
from cli_runner import run_cli

from conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "examples" / "broken-template"
MISSING_OUTPUT = FIXTURES / "templates" / "broken-missing-output"


def _findings(*args: str) -> list[dict[str, Any]]:
    result = run_cli("check", *args, "--format", "json")
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


@pytest.mark.parametrize("template", [BROKEN, MISSING_OUTPUT], ids=["counted", "plain"])
def test_a_missing_module_output_yields_exactly_one_error_at_the_reference(
    template: Path,
) -> None:
    findings = _findings(str(template))
    about_task = [f for f in findings if f["rule"] in PRECEDENCE]
    assert len(about_task) == 1
    (only,) = about_task
    assert only["rule"] == "AIT301"
    assert only["severity"] == "error"
    assert "task_app_id" in only["message"]
    assert "AIT106 ai-task-app-unresolved" in only["message"]
    source = (template / "main.tf").read_text().splitlines()
    line = source[only["location"]["line"] - 1]
    column = only["location"]["column"]
    assert line[column - 1 :].startswith("module.")  # at the reference, not the block


def test_the_counted_reference_also_accounts_for_the_count_mismatch() -> None:
    (only,) = [f for f in _findings(str(BROKEN)) if f["rule"] in PRECEDENCE]
    assert "AIT109 ai-task-count-mismatch" in only["message"]


def test_without_the_specific_rule_the_next_one_reports_the_cause() -> None:
    rules = [f["rule"] for f in _findings(str(BROKEN), "--ignore", "AIT301")]
    assert "AIT106" in rules
    assert "AIT109" not in rules  # a reference AIT106 already reports unresolved
    alone = [f["rule"] for f in _findings(str(BROKEN), "--select", "AIT109")]
    assert alone == ["AIT109"]


def _finding(rule: str, line: int, column: int, address: str, end: int | None = None) -> Finding:
    return Finding(
        rule=rule,
        name=rule.lower(),
        severity="warning" if rule == "AIT109" else "error",
        message=f"{rule} message",
        address=address,
        location=FindingLocation(
            path="main.tf", line=line, column=column, end_line=end, end_column=2 if end else None
        ),
    )


def test_findings_about_other_objects_or_places_are_not_folded() -> None:
    task = _finding("AIT106", 10, 1, "coder_ai_task.a", end=12)
    elsewhere = _finding("AIT301", 20, 3, "coder_ai_task.a")  # outside the block
    other = _finding("AIT109", 11, 3, "coder_ai_task.b")  # another task
    assert fold_root_causes([task, other, elsewhere]) == [task, other, elsewhere]


def test_folding_keeps_the_most_severe_level() -> None:
    reference = _finding("AIT301", 11, 12, "coder_ai_task.a")
    reference.severity = "warning"  # e.g. --severity AIT301=warning
    task = _finding("AIT106", 10, 1, "coder_ai_task.a", end=12)
    (kept,) = fold_root_causes([task, reference])
    assert (kept.rule, kept.severity) == ("AIT301", "error")


def test_precedence_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    assert "One finding per root cause" in text
    assert all(rule in text for rule in PRECEDENCE)
