"""The command line as users run it: exit codes, one-line errors.

Real processes where the process is part of what is checked (standard input
through a pipe, usage errors and ``--version`` through the console script,
hash seeds); the other cases run the console script's ``run`` in this process
(``run_cli``), which has the same error handling and costs no start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_cli

from conftest import CORPUS, CORPUS_MISSING, TASK_TEMPLATE, load_json


def run(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aitask_lint", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
        timeout=60,
    )


def test_convert_state_prints_the_golden_shape() -> None:
    result = run(
        "convert", str(TASK_TEMPLATE / "state.json"), "--graph", str(TASK_TEMPLATE / "graph.dot")
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == [
        "Resources",
        "Parameters",
        "Presets",
        "ExternalAuthProviders",
        "AITasks",
        "HasAITasks",
        "HasExternalAgents",
    ]
    assert document["HasAITasks"] is True
    assert result.stdout.startswith('{\n  "Resources": [')


@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)
def test_convert_reproduces_a_golden_file_from_standard_input() -> None:
    directory = CORPUS / "multiple-agents-multiple-apps"
    result = run(
        "convert",
        "-",
        "--deterministic-app-ids",
        "--graph",
        str(directory / "multiple-agents-multiple-apps.tfstate.dot"),
        stdin=(directory / "multiple-agents-multiple-apps.tfstate.json").read_bytes(),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == load_json(directory / "converted_state.state.golden")


@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)
def test_conversion_error_prints_coders_text_and_exits_2() -> None:
    directory = CORPUS / "presets-multiple-defaults"
    result = run_cli("convert", str(directory / "presets-multiple-defaults.tfplan.json"))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.strip().endswith(
        "a maximum of 1 coder_workspace_preset can be marked as default, but 2 are set"
    )


@pytest.mark.parametrize("cut", [1, 10, 200, 1000, 5000])
def test_truncated_json_is_one_line_with_position(
    tmp_path: Path, cut: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "plan.json"
    broken.write_bytes((TASK_TEMPLATE / "plan.json").read_bytes()[:cut])
    monkeypatch.chdir(tmp_path)
    result = run_cli("convert", "plan.json")
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("plan.json:")
    _path, line, column, _message = lines[0].split(":", 3)
    assert int(line) >= 1 and int(column) >= 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"name": "not terraform"}', "plan.json:1:1: not a Terraform JSON document"),
        ("", "plan.json:1:1: empty file"),
        ('{"format_version": "9.0", "values": {}}', "plan.json:1:20: unsupported format_version"),
    ],
)
def test_non_terraform_json(
    tmp_path: Path, content: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plan.json").write_text(content)
    monkeypatch.chdir(tmp_path)
    result = run_cli("convert", "plan.json")
    assert result.code == 2
    assert result.stderr.startswith(expected)
    assert len(result.stderr.splitlines()) == 1


def test_bad_graph_file_and_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "g.dot").write_text("this is not dot")
    result = run("convert", str(TASK_TEMPLATE / "plan.json"), "--graph", "g.dot", cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "g.dot:1:1: invalid DOT: expected 'digraph'",
    )
    assert run("convert").returncode == 2
    assert run("convert", "x.json", "--no-such-option").returncode == 2
    assert run("--version").stdout.startswith("aitask-lint, version ")


def test_output_is_identical_across_hash_seeds() -> None:
    """Two processes with fixed seeds, and this one (whatever its seed) for the answer."""
    command = ["convert", str(TASK_TEMPLATE / "plan.json"), "--deterministic-app-ids"]
    expected = run_cli(*command)
    assert expected.code == 0, expected.stderr
    for seed in ("0", "12345"):
        assert run(*command, env={"PYTHONHASHSEED": seed}).stdout == expected.stdout, seed
