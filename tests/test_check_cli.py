"""``aitask-lint check`` as CI runs it: exit codes, formats, options, configuration."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cli_runner import run_cli

from conftest import FIXTURES, ROOT, TASK_TEMPLATE

CLEAN = FIXTURES / "examples" / "task-template"
BROKEN = FIXTURES / "examples" / "broken-template"


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``aitask-lint ARGS``: in this process (``run_cli``, the console script's own entry),
    or as a process of its own when the test gives it a directory or an environment."""
    if cwd is None and env is None:
        outcome = run_cli(*args)
        return subprocess.CompletedProcess(
            ["aitask-lint", *args], outcome.code, outcome.stdout, outcome.stderr
        )
    return subprocess.run(
        [sys.executable, "-m", "aitask_lint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )


def findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str | None, int]]:
    document = json.loads(result.stdout)
    return [(f["rule"], f["address"], f["location"]["line"]) for f in document["findings"]]


def test_clean_example_exits_0_without_findings() -> None:
    result = run("check", str(CLEAN))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("no findings")


def test_broken_example_exits_1_with_the_expected_findings() -> None:
    result = run("check", str(BROKEN), "--format", "json")
    assert result.returncode == 1
    assert set(findings(result)) == {
        ("AIT303", "module.claude-code", 19),
        # AIT106 (line 28) and AIT109 (line 30) fold into AIT301: one root cause
        ("AIT503", "coder_ai_task.task", 28),
        ("AIT301", "coder_ai_task.task", 30),
        ("AIT401", "coder_app.preview", 35),
    }
    document = json.loads(result.stdout)
    assert document["summary"] == {"files": 1, "errors": 2, "warnings": 1, "infos": 1}
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(document)) == []


def test_unreadable_and_unparseable_inputs_exit_2(tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "missing")).returncode == 2
    broken = tmp_path / "main.tf"
    broken.write_text('resource "coder_agent" "main" {\n  os = \n}\n')
    result = run("check", str(tmp_path), "--format", "json")
    assert result.returncode == 2
    assert findings(result) == [("AIT001", None, 2)]
    assert run("check", str(CLEAN), "--no-such-option").returncode == 2


def test_text_output_format_and_colour() -> None:
    result = run("check", str(BROKEN))
    first = result.stdout.splitlines()[0]
    assert first.endswith('; pin it, e.g. version = "~> 4.0"')
    assert "main.tf:19:1: warning AIT303 [*] module" in first
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert result.stdout.rstrip().endswith("1 file checked: 2 errors, 1 warning, 1 info")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # AIT109 reads the reference AIT106 already reports unresolved: folded into it
        (["--select", "AIT1"], {"AIT106"}),
        (["--select", "AIT109"], {"AIT109"}),
        (["--select", "AIT401,multiple-ai-tasks"], {"AIT401"}),
        (["--ignore", "AIT3", "--ignore", "AIT5"], {"AIT106", "AIT401"}),
    ],
)
def test_select_and_ignore(options: list[str], expected: set[str]) -> None:
    result = run("check", str(BROKEN), "--format", "json", *options)
    assert {rule for rule, _a, _l in findings(result)} == expected


def test_severity_override_and_fail_on() -> None:
    only_warnings = ["--select", "AIT109,AIT303"]
    assert run("check", str(BROKEN), *only_warnings).returncode == 0
    assert run("check", str(BROKEN), *only_warnings, "--fail-on", "warning").returncode == 1
    raised = run("check", str(BROKEN), *only_warnings, "--severity", "AIT109=error")
    assert raised.returncode == 1
    assert run("check", str(BROKEN), "--severity", "AIT109=fatal").returncode == 2
    assert run("check", str(BROKEN), "--select", "AIT999").returncode == 2


def test_wildcard_option_silences_subdomain_info() -> None:
    template = FIXTURES / "templates" / "module-creates-task"
    plain = run("check", str(template), "--format", "json", "--select", "AIT205")
    assert [r for r, _a, _l in findings(plain)] == ["AIT205"]
    wildcard = run(
        "check", str(template), "--format", "json", "--select", "AIT205", "--wildcard-access-url"
    )
    assert findings(wildcard) == []


def test_coder_version_raises_the_deprecation() -> None:
    def severity(version: str) -> str:
        result = run(
            "check",
            str(FIXTURES / "templates" / "crlf"),
            "--format",
            "json",
            "--select",
            "AIT503",
            "--coder-version",
            version,
        )
        return str(json.loads(result.stdout)["findings"][0]["severity"])

    assert [severity(v) for v in ("2.30.0", "2.34.1", "2.37.0")] == ["info", "warning", "error"]


def test_machine_formats(tmp_path: Path) -> None:
    sarif = run("check", str(BROKEN), "--format", "sarif", "--output", str(tmp_path / "r.sarif"))
    assert sarif.returncode == 1
    assert sarif.stdout == ""
    document = json.loads((tmp_path / "r.sarif").read_text())
    assert len(document["runs"][0]["results"]) == 4
    junit = run("check", str(BROKEN), "--format", "junit")
    from xml.etree import ElementTree

    assert len(ElementTree.fromstring(junit.stdout).findall(".//failure")) == 3  # not the info
    github = run("check", str(BROKEN), "--format", "github")
    assert len(github.stdout.splitlines()) == 4
    assert all(
        line.startswith(("::error ", "::warning ", "::notice "))
        for line in github.stdout.splitlines()
    )


def test_recursive_lints_every_root_and_skips_hidden_directories(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "templates", tmp_path / "templates")
    hidden = tmp_path / "templates" / ".cache"
    hidden.mkdir()
    (hidden / "broken.tf").write_text("this is not HCL {{{")
    result = run(
        "check", "-r", str(tmp_path / "templates"), "--format", "json", "--select", "AIT106"
    )
    document = json.loads(result.stdout)
    paths = {Path(f["location"]["path"]).parts[-2] for f in document["findings"]}
    assert paths == {"broken-missing-output", "broken-not-an-app"}
    assert result.returncode == 1
    assert result.stderr == ""  # not a terminal: no progress output


def test_configuration_file_is_found_and_validated(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BROKEN, project / "templates" / "broken")
    (project / ".git").mkdir()  # the project root: configuration is looked for up to it
    (project / "pyproject.toml").write_text(
        '[tool.aitask-lint]\nselect = ["AIT4"]\nfail-on = "warning"\n\n'
        '[tool.aitask-lint.severity]\nAIT401 = "warning"\n'
    )
    result = run("check", str(project / "templates" / "broken"), "--format", "json")
    document = json.loads(result.stdout)
    assert [(f["rule"], f["severity"]) for f in document["findings"]] == [("AIT401", "warning")]
    assert result.returncode == 1  # fail-on = warning from the file
    # the command line wins
    cli = run(
        "check", str(project / "templates" / "broken"), "--format", "json", "--select", "AIT3"
    )
    assert {f["rule"] for f in json.loads(cli.stdout)["findings"]} == {"AIT301", "AIT303"}
    (project / ".aitask-lint.toml").write_text('selekt = ["AIT4"]\n')
    bad = run("check", str(project / "templates" / "broken"))
    assert bad.returncode == 2
    assert "unknown key 'selekt'" in bad.stderr
    (project / ".aitask-lint.toml").write_text('ignore = ["AIT777"]\n')
    assert "unknown rule 'AIT777'" in run("check", str(project / "templates")).stderr


def test_exclude_globs_from_configuration(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "templates", tmp_path / "t")
    (tmp_path / "t" / ".aitask-lint.toml").write_text('exclude = ["broken-*"]\n')
    result = run("check", "-r", str(tmp_path / "t"), "--format", "json", "--select", "AIT106")
    assert json.loads(result.stdout)["findings"] == []


def test_plan_input_uses_the_dot_graph_when_given() -> None:
    result = run(
        "check",
        str(TASK_TEMPLATE / "plan.json"),
        "--graph",
        str(TASK_TEMPLATE / "graph.dot"),
        "--format",
        "json",
    )
    assert result.returncode == 0
    assert all(f["location"]["pointer"] for f in json.loads(result.stdout)["findings"])
