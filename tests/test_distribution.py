"""The package users install: ``python -m build`` output, installed in a fresh venv.

The README's main command is run from the installed wheel alone (no
PYTHONPATH, no checkout next to it), which proves the catalog data, the
JSON Schemas and the rule documentation ship inside the wheel. The docs
must install from what exists: the package is not on PyPI and no release
tag exists, so ``pip install aitask-lint`` and ``rev: v0.1.0`` are wrong.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from fresh_env import Built, fresh_venv

from conftest import FIXTURES, ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GRAMMAR_TABLES = ROOT / "src" / "aitask_lint" / "hcl" / "grammar_tables"
#: run by the installed package: whether it finds its compiled grammar tables
_USES_SHIPPED_TABLES = (
    "from aitask_lint.hcl.grammar import packaged_tables\n"
    "from aitask_lint.hcl.source import grammar_digest\n"
    "print('grammar tables:', 'shipped' if packaged_tables(grammar_digest()) else 'none')\n"
)


def readme_main_command() -> str:
    """The one-line command in the README's "Try it" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Try it", 1)[1]
    match = re.search(r"```sh\n(.+?)\n```", section, re.DOTALL)
    assert match is not None
    return match.group(1).strip()


def test_docs_install_only_from_what_exists() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        # a package name after `pip install` would come from PyPI, where it is not published
        for line in text.splitlines():
            assert not re.search(r"pip install\s+(-U\s+)?aitask-lint\b", line), (path.name, line)
        assert "rev: v0.1.0" not in text, path.name
        for rev in re.findall(r"^\s*rev:\s*(\S+)", text, re.MULTILINE):
            # a commit you pick (`git rev-parse HEAD`), shown as a placeholder: no tag exists
            assert rev.startswith("<") or re.fullmatch(r"[0-9a-f]{40}", rev), (path.name, rev)


def test_readme_main_command_installs_from_the_checkout() -> None:
    command = readme_main_command()
    install, *rest = (part.strip() for part in command.split("&&"))
    assert install == "python -m pip install ."
    assert rest == [
        "aitask-lint check fixtures/examples/task-template",
        "aitask-lint tasks fixtures/examples/task-template",
    ]


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("build") is None, reason="`build` is not installed (test extra)"
)
def test_wheel_in_a_fresh_venv_runs_the_readme_command(
    tmp_path: Path, built_package: Built
) -> None:
    """The wheel (built once per run, with tests/test_action.py) in an environment of its own.

    Its dependencies, the closure of the wheel's ``Requires-Dist`` linked from
    this environment, are shared with the action's test (``tests/fresh_env.py``):
    one left out of ``pyproject.toml`` is missing here too. aitask-lint itself
    is installed here, from the wheel, by pip.
    """
    wheel, sdist = built_package.wheel, built_package.sdist
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in (
        "aitask_lint/model/catalog/modules.json",
        "aitask_lint/model/catalog/provider_schema.json",
        "aitask_lint/schemas/tasks.schema.json",
        "aitask_lint/schemas/report.schema.json",
        "aitask_lint/schemas/terraform-plan.schema.json",
        "aitask_lint/lint/docs.py",
        "aitask_lint/py.typed",
    ):
        assert data in names, data
    # the compiled grammar: without it every process of an installed copy builds the
    # grammar (1.2 s or more of CPU) and nothing else would notice
    tables = sorted(GRAMMAR_TABLES.glob("hcl2-grammar-*.json.gz"))
    assert tables
    for table in tables:
        assert f"aitask_lint/hcl/grammar_tables/{table.name}" in names, table.name
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "schemas/tasks.schema.json"} <= members

    venv = tmp_path / "venv"
    bin_dir = fresh_venv(venv, built_package)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", os.defpath)])
    # this environment's pip installs into the new one, which has none of its own
    target = ["--python", str(bin_dir / "python")]
    installed = subprocess.run(
        [sys.executable, "-m", "pip", *target, "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]

    # the README's command, minus its install step, where only the examples exist
    workdir = tmp_path / "user"
    shutil.copytree(FIXTURES / "examples", workdir / "fixtures" / "examples")
    shutil.copy2(FIXTURES / "convert" / "task-template" / "plan.json", workdir / "plan.json")
    command = readme_main_command().split("&&", 1)[1]
    script = (
        f"set -e; {command}; aitask-lint explain AIT101; aitask-lint rules --format json;"
        " aitask-lint tasks --format json plan.json;"
        f" python -c {shlex.quote(_USES_SHIPPED_TABLES)};"
        ' python -c "import aitask_lint.resources as r; print(r.schema_dir())"'
    )
    ran = subprocess.run(
        ["bash", "-c", script],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "3 files checked, no findings" in ran.stdout
    assert "app: module.claude-code.module.agentapi.coder_app.agentapi_web" in ran.stdout
    assert "# AIT101 missing-ai-task" in ran.stdout
    assert "grammar tables: shipped" in ran.stdout  # same python-hcl2 and lark as here
    schema_dir = Path(ran.stdout.strip().splitlines()[-1])
    assert schema_dir.is_relative_to(venv), schema_dir  # the packaged copy, not the checkout's
