"""Inline suppressions (block and file scope, unused ones reported) and baselines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from aitask_lint.session import CheckRequest, run_check

from conftest import FIXTURES

BROKEN = FIXTURES / "examples" / "broken-template"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "broken"
    shutil.copytree(BROKEN, target)
    return target


def _rules(result: object) -> list[tuple[str, int]]:
    report = result.report  # type: ignore[attr-defined]
    return [(f.rule, f.location.line) for f in report.findings]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_suppression_silences_exactly_its_rule_on_exactly_its_block(tmp_path: Path) -> None:
    template = _copy(tmp_path)
    main = template / "main.tf"
    _edit(
        main,
        'resource "coder_ai_task" "task" {',
        "# aitask-lint: ignore[AIT109] the module has count = 1 here\n"
        'resource "coder_ai_task" "task" {',
    )
    result = run_check(CheckRequest([str(template)], select=["AIT109", "AIT106", "AIT401"]))
    rules = [rule for rule, _line in _rules(result)]
    assert "AIT109" not in rules  # silenced on the task block
    assert "AIT106" in rules  # other rules on the same block still report
    assert "AIT401" in rules  # other blocks unaffected
    assert result.report.unused_suppressions == []


def test_trailing_and_slash_comments_and_names(tmp_path: Path) -> None:
    template = _copy(tmp_path)
    main = template / "main.tf"
    _edit(
        main,
        'resource "coder_app" "preview" {',
        'resource "coder_app" "preview" { // aitask-lint: ignore[invalid-app-slug]',
    )
    result = run_check(CheckRequest([str(template)], select=["AIT401"]))
    assert _rules(result) == []


def test_file_suppression(tmp_path: Path) -> None:
    template = _copy(tmp_path)
    main = template / "main.tf"
    main.write_text("# aitask-lint: ignore-file[AIT5]\n" + main.read_text())
    result = run_check(CheckRequest([str(template)]))
    assert not [rule for rule, _l in _rules(result) if rule.startswith("AIT5")]


def test_unused_suppressions_are_reported(tmp_path: Path) -> None:
    template = _copy(tmp_path)
    main = template / "main.tf"
    _edit(
        main,
        'resource "docker_container" "workspace" {',
        "# aitask-lint: ignore[AIT203, AIT999] nothing here\n"
        'resource "docker_container" "workspace" {',
    )
    comment_line = (
        main.read_text().splitlines().index("# aitask-lint: ignore[AIT203, AIT999] nothing here")
        + 1
    )
    result = run_check(CheckRequest([str(template)], output_format="json"))
    unused = [(u.rule, u.line) for u in result.report.unused_suppressions]
    assert unused == [("AIT203", comment_line), ("AIT999", comment_line)]
    messages = [u.message for u in result.report.unused_suppressions]
    assert messages[1].endswith("unknown rule 'AIT999'")
    assert json.loads(result.output)["unused_suppressions"][0]["rule"] == "AIT203"
    text = run_check(CheckRequest([str(template)])).output
    assert "warning unused suppression ignore[AIT203]: no AIT203 finding to silence" in text


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    template = _copy(tmp_path)
    baseline = tmp_path / "baseline.json"
    first = run_check(CheckRequest([str(template)], write_baseline=str(baseline)))
    assert first.exit_code == 1
    recorded = json.loads(baseline.read_text())
    assert recorded["version"] == 1
    assert len(recorded["entries"]) == 4  # AIT106 and AIT109 fold into AIT301
    again = run_check(CheckRequest([str(template)], baseline=str(baseline)))
    assert (again.exit_code, again.report.findings) == (0, [])
    # a new problem appears: only it is reported
    _edit(
        template / "main.tf",
        'slug     = "Preview_App"',
        'slug     = "Preview_App"\n  share    = "everyone"',
    )
    new = run_check(CheckRequest([str(template)], baseline=str(baseline)))
    assert [f.rule for f in new.report.findings] == ["AIT406"]
    assert new.exit_code == 1
