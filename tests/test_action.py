"""The composite GitHub Action (``action.yml``), run the way the runner runs it.

The runner executes each ``run:`` step with ``bash --noprofile --norc -eo
pipefail``, the step's ``env:`` (with ``${{ inputs.* }}`` substituted) and
``GITHUB_ACTION_PATH`` / ``GITHUB_OUTPUT`` set; ``uses:`` steps are other
actions (actions/setup-python: here, a fresh virtual environment plays it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fresh_env import Built, fresh_venv

from conftest import FIXTURES, ROOT

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read action.yml (test extra)")

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def load_action() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return document


def sample_repository(root: Path) -> Path:
    """A repository with a template (findings) and a clean one."""
    repo = root / "repo"
    shutil.copytree(FIXTURES / "examples" / "broken-template", repo / "templates" / "broken")
    shutil.copytree(FIXTURES / "examples" / "task-template", repo / "templates" / "good")
    (repo / ".git").mkdir()
    return repo


def run_steps(
    action: dict[str, Any],
    inputs: dict[str, str],
    workspace: Path,
    action_path: Path,
    python: Path,
    *,
    skip: tuple[str, ...] = (),
) -> tuple[int, dict[str, str]]:
    """Run every ``run:`` step in order; the last status and the step outputs.

    ``python`` is the bin directory setup-python would put first on PATH;
    outside this test's own environment, PYTHONPATH is dropped so nothing but
    what the steps installed is used.
    """
    own = python == Path(sys.executable).parent
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update(inputs)
    output_file = workspace.parent / "github-output"
    output_file.write_text("")
    status = 0
    for step in action["runs"]["steps"]:
        if "run" not in step or step.get("name") in skip:
            continue
        env = {
            key: value
            for key, value in os.environ.items()
            if own or key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
        }
        for key, value in (step.get("env") or {}).items():
            env[key] = EXPRESSION.sub(lambda m: values[m.group(1)], str(value))
        env["PATH"] = os.pathsep.join([str(python), env.get("PATH", os.defpath)])
        env["GITHUB_ACTION_PATH"] = str(action_path)
        env["GITHUB_OUTPUT"] = str(output_file)
        env["GITHUB_WORKSPACE"] = str(workspace)
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        status = result.returncode
        assert "Traceback" not in result.stderr, result.stderr
        # only the check step may exit 1 (findings); an install that fails is a failure
        if status not in ((0, 1) if step.get("id") == "check" else (0,)):
            pytest.fail(f"step {step.get('name')!r} exited {status}: {result.stderr}")
    outputs = dict(
        line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
    )
    return status, outputs


def test_action_is_a_composite_that_installs_from_its_checkout() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    assert set(action["inputs"]) >= {"paths", "format", "output", "args"}
    assert action["inputs"]["format"]["default"] == "sarif"
    assert action["outputs"]["sarif-file"]["value"] == "${{ steps.check.outputs.sarif-file }}"
    for step in steps:
        # inputs reach scripts through env:, never spliced into the script text
        assert "${{" not in step.get("run", ""), step["name"]
        assert step.get("shell", "bash") == "bash"


def test_check_step_writes_sarif_and_sets_the_output(tmp_path: Path) -> None:
    """The check step with this checkout's aitask-lint (the install step is the slow test)."""
    repo = sample_repository(tmp_path)
    status, outputs = run_steps(
        load_action(),
        {"paths": "templates", "args": "--recursive", "output": "reports/aitask-lint.sarif"},
        repo,
        ROOT,
        Path(sys.executable).parent,
        skip=("Install aitask-lint",),
    )
    assert status == 1  # the broken template has errors
    assert outputs == {"sarif-file": "reports/aitask-lint.sarif", "exit-code": "1"}
    sarif = json.loads((repo / "reports" / "aitask-lint.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    errors = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        if result["level"] == "error"
    }
    assert errors == {"templates/broken/main.tf"}, errors


def test_check_step_passes_a_clean_template(tmp_path: Path) -> None:
    repo = sample_repository(tmp_path)
    status, outputs = run_steps(
        load_action(),
        {"paths": "templates/good"},
        repo,
        ROOT,
        Path(sys.executable).parent,
        skip=("Install aitask-lint",),
    )
    assert (status, outputs["exit-code"]) == (0, "0")
    assert json.loads((repo / "aitask-lint.sarif").read_text())["runs"][0]["results"] == []


@pytest.mark.slow
def test_action_end_to_end_in_a_fresh_environment(tmp_path: Path, built_package: Built) -> None:
    """Every shell step, the install from the action's checkout included, in a fresh venv.

    The fresh environment plays setup-python's: a Python with pip. It already
    sees the wheel's runtime dependencies, gathered once per run
    (``tests/fresh_env.py``, shared with ``tests/test_distribution.py``), so
    the install step builds aitask-lint from the checkout (in pip's isolated
    build environment, as on a runner) and installs it alone.
    """
    checkout = tmp_path / "action"
    for name in ("src", "schemas"):
        shutil.copytree(ROOT / name, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE", "action.yml"):
        shutil.copy2(ROOT / name, checkout / name)
    venv = tmp_path / "python"
    bin_dir = fresh_venv(venv, built_package, with_pip=True)
    repo = sample_repository(tmp_path)
    status, outputs = run_steps(
        load_action(), {"paths": "templates/broken"}, repo, checkout, bin_dir
    )
    assert status == 1
    assert outputs["sarif-file"] == "aitask-lint.sarif"
    installed = bin_dir / "aitask-lint"
    assert installed.exists()
    # what the step installed is the action's checkout, into this environment
    (record,) = venv.glob("lib/python*/site-packages/aitask_lint-*.dist-info/direct_url.json")
    assert json.loads(record.read_text())["url"] == checkout.as_uri()
    sarif = json.loads((repo / "aitask-lint.sarif").read_text())
    assert sarif["runs"][0]["results"]
