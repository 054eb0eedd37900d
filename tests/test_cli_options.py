"""The options users expect from a linter (as ruff and tflint have them), and the
one-line errors for every place output can fail to go.

Each test names a behaviour a user or a CI script depends on: ``check`` with
no path lints the current directory, ``--exit-zero``, ``--quiet``,
``--statistics``, ``--output`` on every command that prints a document, the
format from ``AITASK_LINT_OUTPUT_FORMAT`` or the configuration, the exit
status of ``tasks``, shell completion of rule IDs; and that an output that
cannot be written (a missing directory, a directory, a full disk, a closed
standard output), a closed standard input, a path longer than PATH_MAX or an
absurd ``AITASK_LINT_MAX_*`` value is one line naming it and exit 2.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import PROBLEM_LINE, assert_no_crash, run_cli

from conftest import FIXTURES, ROOT, TASK_TEMPLATE

BROKEN = FIXTURES / "examples" / "broken-template"
SRC = ROOT / "src"
FINDINGS = 4  # AIT106 and AIT109 fold into AIT301 (lint/folding.py)
SUMMARY = "1 file checked: 2 errors, 1 warning, 1 info"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AITASK_LINT_OUTPUT_FORMAT", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


def _process(
    *args: str, shell_suffix: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI as its own process; ``shell_suffix`` adds redirections (``>&-``)."""
    command = " ".join([sys.executable, "-m", "aitask_lint", *map(_quote, args)])
    environment = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run(
        f"{command} {shell_suffix}",
        shell=True,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _one_line_error(stderr: str, path: str, contains: str = "") -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr and "Usage:" not in stderr
    assert lines[0].startswith(f"{path}: "), (lines[0], path)
    assert contains in lines[0], (contains, lines[0])


# ----------------------------------------------------------------- check options


def test_check_without_a_path_lints_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BROKEN, tmp_path / "t")
    monkeypatch.chdir(tmp_path / "t")
    implicit = run_cli("check")
    explicit = run_cli("check", ".")
    assert (implicit.code, implicit.stdout) == (explicit.code, explicit.stdout)
    assert implicit.code == 1 and implicit.stdout.endswith(SUMMARY + "\n")


def test_exit_zero_keeps_the_findings_but_not_the_failure(tmp_path: Path) -> None:
    result = run_cli("check", str(BROKEN), "--exit-zero")
    assert result.code == 0
    assert len(result.stdout.splitlines()) == FINDINGS + 1
    # unusable input is still exit 2: --exit-zero is about findings, not broken input
    (tmp_path / "main.tf").write_text("resource {\n")
    assert run_cli("check", str(tmp_path), "--exit-zero").code == 2


def test_quiet_prints_the_findings_only() -> None:
    result = run_cli("check", str(BROKEN), "--quiet")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == FINDINGS and SUMMARY not in result.stdout
    assert run_cli("check", str(BROKEN), "-q", "--select", "AIT2").stdout == ""  # no finding


def test_statistics_counts_findings_per_rule() -> None:
    result = run_cli("check", str(BROKEN), "--statistics")
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == SUMMARY
    rows = [line.split() for line in lines[:-1]]
    assert len(rows) == FINDINGS
    assert ["1", "AIT401", "error", "invalid-app-slug"] in rows
    quiet = run_cli("check", str(BROKEN), "--statistics", "--quiet").stdout.splitlines()
    assert quiet == lines[:-1]
    as_json = json.loads(run_cli("check", str(BROKEN), "--statistics", "--format", "json").stdout)
    assert {"rule": "AIT401", "name": "invalid-app-slug", "count": 1} in as_json
    refused = run_cli("check", str(BROKEN), "--statistics", "--format", "sarif")
    assert refused.code == 2 and "--statistics" in refused.stderr


def test_full_and_concise_are_chosen_explicitly_off_a_terminal() -> None:
    full = run_cli("check", str(BROKEN), "--output-format", "full").stdout
    assert '35 |   slug     = "Preview_App"' in full and "^^^^^^^^^^^^^" in full
    # no repository URL is declared: each finding names the command that prints its page
    assert full.count("= help: aitask-lint explain AIT") == FINDINGS and "\x1b" not in full
    concise = run_cli("check", str(BROKEN), "--output-format", "concise").stdout
    assert len(concise.splitlines()) == FINDINGS + 1
    assert run_cli("check", str(BROKEN), "--format", "text").stdout == concise


def test_output_format_from_the_environment_and_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AITASK_LINT_OUTPUT_FORMAT", "json")
    assert json.loads(run_cli("check", str(BROKEN)).stdout)["summary"]["errors"] == 2
    # the option wins over the environment
    assert run_cli("check", str(BROKEN), "--format", "concise").stdout.endswith(SUMMARY + "\n")
    monkeypatch.delenv("AITASK_LINT_OUTPUT_FORMAT")
    template = tmp_path / "t"
    shutil.copytree(BROKEN, template)
    (template / ".aitask-lint.toml").write_text('output-format = "github"\n')
    assert run_cli("check", str(template)).stdout.startswith("::warning file=")
    # and the environment wins over the configuration
    monkeypatch.setenv("AITASK_LINT_OUTPUT_FORMAT", "json")
    assert json.loads(run_cli("check", str(template)).stdout)["summary"]["warnings"] == 1
    monkeypatch.delenv("AITASK_LINT_OUTPUT_FORMAT")
    (template / ".aitask-lint.toml").write_text('output-format = "xml"\n')
    bad = run_cli("check", str(template))
    assert bad.code == 2
    _one_line_error(bad.stderr, f"{template}/.aitask-lint.toml", "unknown output format 'xml'")


@pytest.mark.parametrize(
    ("command", "check_output"),
    [
        (("rules",), lambda text: "AIT401" in text),
        (("rules", "--format", "json"), json.loads),
        (("tasks", str(TASK_TEMPLATE / "plan.json")), lambda text: "has_ai_task = true" in text),
        (
            ("tasks", str(TASK_TEMPLATE / "plan.json"), "--format", "json"),
            lambda text: json.loads(text)["has_ai_task"],
        ),
        (("graph", str(BROKEN)), lambda text: text.startswith("digraph")),
        (
            ("convert", str(TASK_TEMPLATE / "plan.json"), "--deterministic-app-ids"),
            json.loads,
        ),
        (("check", str(BROKEN)), lambda text: text.endswith(SUMMARY + "\n")),
    ],
)
def test_output_option_on_every_document_command(
    tmp_path: Path, command: tuple[str, ...], check_output: object
) -> None:
    target = tmp_path / "out.txt"
    written = run_cli(*command, "--output", str(target))
    assert_no_crash(written)
    assert written.stdout == ""
    printed = run_cli(*command)
    assert target.read_text() == printed.stdout
    assert written.code == printed.code
    assert check_output(target.read_text())  # type: ignore[operator]


def test_tasks_exit_status_says_whether_every_chain_resolves(tmp_path: Path) -> None:
    assert run_cli("tasks", str(TASK_TEMPLATE / "plan.json")).code == 0
    broken = run_cli("tasks", str(BROKEN))
    assert broken.code == 1 and "problem (app)" in broken.stdout
    assert run_cli("tasks", str(BROKEN), "--format", "json").code == 1
    (tmp_path / "main.tf").write_text('resource "coder_agent" "main" {}\n')
    assert run_cli("tasks", str(tmp_path)).code == 0  # no task: nothing is broken
    (tmp_path / "main.tf").write_text("resource {\n")
    assert run_cli("tasks", str(tmp_path)).code == 2


# ------------------------------------------------------- output that cannot go


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_output_into_a_missing_directory_is_one_line(tmp_path: Path, option: str) -> None:
    target = f"{tmp_path}/missing/report.txt"
    result = run_cli("check", str(BROKEN), option, target)
    assert result.code == 2
    _one_line_error(result.stderr, target, "does not exist")


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_output_to_a_directory_is_one_line(tmp_path: Path, option: str) -> None:
    result = run_cli("check", str(BROKEN), option, str(tmp_path))
    assert result.code == 2
    _one_line_error(result.stderr, str(tmp_path), "is a directory")


@pytest.mark.parametrize("command", [("tasks", str(BROKEN)), ("rules",), ("graph", str(BROKEN))])
def test_document_commands_refuse_a_bad_output_in_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    result = run_cli(*command, "-o", str(tmp_path))
    assert result.code == 2
    _one_line_error(result.stderr, str(tmp_path), "is a directory")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    ("args", "suffix", "path"),
    [
        (("check", str(BROKEN)), "> /dev/full", "<stdout>"),
        (("check", str(BROKEN), "-o", "/dev/full"), "", "/dev/full"),
        (("check", str(BROKEN), "--write-baseline", "/dev/full"), "> /dev/null", "/dev/full"),
        (("rules",), "> /dev/full", "<stdout>"),
        (("tasks", str(BROKEN)), "> /dev/full", "<stdout>"),
        (("convert", str(TASK_TEMPLATE / "plan.json"), "-o", "/dev/full"), "", "/dev/full"),
    ],
)
def test_a_full_disk_is_one_line(args: tuple[str, ...], suffix: str, path: str) -> None:
    """Standard output on a full disk needs a process; a file named by an option does not."""
    if suffix.startswith("> /dev/full"):
        result = _process(*args, shell_suffix=suffix)
        code, stderr = result.returncode, result.stderr
    else:
        outcome = run_cli(*args)
        code, stderr = outcome.code, outcome.stderr
    assert code == 2, stderr
    _one_line_error(stderr, path, "No space left on device")


def test_closed_standard_output_is_one_line() -> None:
    for args in (("check", str(BROKEN)), ("rules",), ("tasks", str(BROKEN))):
        result = _process(*args, shell_suffix=">&-")
        assert result.returncode == 2, result
        _one_line_error(result.stderr, "<stdout>", "standard output is closed")


def test_closed_standard_input_is_one_line() -> None:
    for command in ("check", "tasks", "convert", "graph"):
        result = _process(command, "-", shell_suffix="<&-")
        assert result.returncode == 2, result
        _one_line_error(result.stderr, "<stdin>", "standard input is closed")


def test_a_reader_that_goes_away_is_not_a_crash() -> None:
    result = _process("rules", shell_suffix="| head -c 10 > /dev/null")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# ------------------------------------------------------------------ bad paths


@pytest.mark.parametrize("shape", ["component", "total"])
def test_a_path_longer_than_path_max_is_one_line(shape: str) -> None:
    path = "a" * 300 if shape == "component" else "a/" * 3000 + "main.tf"
    for command in (("check", path), ("tasks", path), ("convert", path), ("graph", path)):
        result = run_cli(*command)
        assert result.code == 2
        assert_no_crash(result)
        (line,) = result.stderr.splitlines()
        assert line.endswith(": File name too long"), line[-80:]
        assert path in line or "a/a/a/a" in line
    output = run_cli("check", str(BROKEN), "-o", "x" * 300)
    assert output.code == 2 and output.stderr.count("\n") == 1
    assert "File name too long" in output.stderr


@pytest.mark.parametrize(
    ("option", "kind"),
    [
        ("--config", "directory"),
        ("--graph", "directory"),
        ("--baseline", "directory"),
        ("--project-root", "missing"),
        ("--project-root", "file"),
    ],
)
def test_bad_option_paths_are_one_line_not_usage_text(
    tmp_path: Path, option: str, kind: str
) -> None:
    path = {
        "directory": str(tmp_path),
        "missing": str(tmp_path / "nowhere"),
        "file": str(BROKEN / "main.tf"),
    }[kind]
    result = run_cli("check", str(BROKEN), option, path)
    assert result.code == 2
    _one_line_error(result.stderr, path)
    assert PROBLEM_LINE.match(result.stderr.strip())


def test_an_unreadable_path_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "main.tf"
    secret.write_text("")
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads any file: have the OS say what it says to users
        real_access = os.access
        monkeypatch.setattr(
            os, "access", lambda path, mode: path != str(secret) and real_access(path, mode)
        )
    for command in (("check",), ("tasks",), ("graph",), ("check", str(BROKEN), "--config")):
        result = run_cli(*command, str(secret))
        assert result.code == 2
        _one_line_error(result.stderr, str(secret), "permission denied")


@pytest.mark.parametrize(
    "value", ["9" * 5000, "99999999999999999999999999G", "2000G", "-1", "lots"]
)
@pytest.mark.parametrize("variable", ["AITASK_LINT_MAX_JSON_BYTES", "AITASK_LINT_MAX_SOURCE_BYTES"])
def test_absurd_size_variables_are_one_line(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read by every command before any work (``cli._check_environment``), so in-process."""
    monkeypatch.setenv(variable, value)
    for command in (("check", str(BROKEN)), ("tasks", str(BROKEN)), ("rules",)):
        result = run_cli(*command)
        assert result.code == 2, result
        _one_line_error(result.stderr, variable)
        assert len(result.stderr) < 300


def test_a_large_but_sane_size_variable_is_accepted() -> None:
    """As a process: the variable read at start-up, from the environment it was started with."""
    result = _process("check", str(BROKEN), env={"AITASK_LINT_MAX_SOURCE_BYTES": "1024G"})
    assert result.returncode == 1, result.stderr


# ---------------------------------------------------------------- completion


def _complete(*words: str) -> list[str]:
    """What bash completion offers for the last of ``words`` (click's protocol).

    In-process: click answers from the environment inside ``main``, as in the
    process the completion script starts (``test_completion_script_is_available``),
    writing bytes to standard output's buffer.
    """
    from aitask_lint.cli import run

    environment = {
        "_AITASK_LINT_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(["aitask-lint", *words]),
        "COMP_CWORD": str(len(words)),
    }
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        for name, value in environment.items():
            patch.setenv(name, value)
        code = run([])
    assert code == 0
    out.flush()
    written = out.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    return [line.split(",", 1)[1] for line in written.splitlines()]


def test_completion_script_is_available() -> None:
    environment = {**os.environ, "PYTHONPATH": str(SRC), "_AITASK_LINT_COMPLETE": "bash_source"}
    script = subprocess.run(
        [sys.executable, "-m", "aitask_lint"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    ).stdout
    assert "_AITASK_LINT_COMPLETE=bash_complete" in script
    assert "complete " in script


def test_completion_of_rule_ids() -> None:
    explained = _complete("explain", "AIT40")
    assert "AIT401" in explained and all(item.startswith("AIT40") for item in explained)
    assert "invalid-app-slug" in _complete("explain", "invalid")
    assert "AIT503" in _complete("check", "--select", "AIT5")
    after_comma = _complete("check", "--ignore", "AIT401,AIT50")
    assert "AIT401,AIT503" in after_comma
    assert all(item.startswith("AIT401,AIT50") for item in after_comma)
    assert "AIT203=" in _complete("check", "--severity", "AIT20")
    assert _complete("check", "--severity", "AIT203=w") == ["AIT203=warning"]
    assert "--exit-zero" in _complete("check", "--exit")


def test_colour_in_a_report_file_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    with monkeypatch.context() as patch:
        patch.setenv("FORCE_COLOR", "1")
        forced = run_cli("check", str(BROKEN), "-o", str(target))
    assert forced.code == 1 and "\x1b" not in target.read_text()
    always = run_cli("check", str(BROKEN), "-o", str(target), "--color", "always")
    assert always.code == 1
    assert "\x1b[31merror\x1b[0m AIT401" in target.read_text()
    assert "^^^" not in target.read_text()  # a file is not a terminal: concise
