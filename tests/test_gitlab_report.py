"""``--format gitlab``: the GitLab Code Quality report (issue 11 item 6).

Validated against the fields GitLab documents for a Code Quality report
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
a JSON array of objects with ``description``, ``check_name``, ``fingerprint``
(unique), ``severity`` (one of five values) and ``location.path`` with
``location.lines.begin``. GitLab matches the path against the repository,
so it must be repository-relative.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from aitask_lint.lint.findings import Report, UnusedSuppression
from aitask_lint.reports import FORMATS
from aitask_lint.reports.gitlab import render_gitlab
from cli_runner import run_cli
from monorepo import make_monorepo
from test_reports_formats import EMPTY, HOSTILE_REPORT, SAMPLE

from conftest import FIXTURES

#: what GitLab documents as required for each issue of a Code Quality report
GITLAB_CODE_QUALITY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^/"}},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def validate(issues: Any) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft202012Validator(GITLAB_CODE_QUALITY_SCHEMA).iter_errors(issues)
    ]
    assert errors == []
    prints = [issue["fingerprint"] for issue in issues]
    assert len(prints) == len(set(prints))  # GitLab drops repeated fingerprints


def test_format_is_registered() -> None:
    assert "gitlab" in FORMATS


@pytest.mark.parametrize("subject", [SAMPLE, EMPTY], ids=["sample", "empty"])
def test_rendered_reports_carry_the_documented_fields(subject: Report) -> None:
    issues = json.loads(render_gitlab(subject))
    validate(issues)
    assert len(issues) == len(subject.findings)
    for finding, issue in zip(subject.findings, issues, strict=True):
        assert issue["check_name"] == finding.rule
        assert issue["location"] == {
            "path": finding.location.path,
            "lines": {"begin": finding.location.line},
        }
        assert finding.message in issue["description"]
        expected = {"error": "major", "warning": "minor", "info": "info"}[finding.severity]
        assert issue["severity"] == expected


def test_hostile_strings_stay_valid_utf8_json() -> None:
    text = render_gitlab(HOSTILE_REPORT)
    text.encode("utf-8")  # no lone surrogate
    issues = json.loads(text)
    assert "\ufffd" in issues[0]["description"]


def test_unused_suppressions_are_issues_too() -> None:
    unused = UnusedSuppression(
        path="main.tf", line=3, column=1, rule="AIT401", message="unused suppression"
    )
    subject = Report(
        tool=SAMPLE.tool, findings=[], summary=SAMPLE.summary, unused_suppressions=[unused]
    )
    issues = json.loads(render_gitlab(subject))
    validate(issues)
    assert [i["check_name"] for i in issues] == ["unused-suppression"]


def test_cli_gitlab_report_is_repository_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_monorepo(tmp_path)
    monkeypatch.chdir(repo / "templates" / "b")
    result = run_cli("check", "-r", "..", "--format", "gitlab")
    assert result.code == 1, result.stderr
    issues = json.loads(result.stdout)
    validate(issues)
    assert {i["location"]["path"] for i in issues} == {
        "templates/a/main.tf",
        "templates/b/main.tf",
    }
    assert {i["check_name"] for i in issues} >= {"AIT301", "AIT401"}


def test_cli_gitlab_report_of_a_clean_template_is_an_empty_array() -> None:
    result = run_cli("check", str(FIXTURES / "examples" / "task-template"), "--format", "gitlab")
    assert (result.code, json.loads(result.stdout)) == (0, [])
