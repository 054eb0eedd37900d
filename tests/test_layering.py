"""The loaders stand on their own: parsing a template pulls in no layer above them.

The import-linter contracts in ``pyproject.toml`` (run by ``.ci/run``) check
the static imports; this checks what a process really loads, lazy imports
included, for a caller that only wants the syntax tree (an editor plugin, a
formatter): ``import aitask_lint.hcl.parser`` and parsing both syntaxes must
not drag in the model, the analyses or the rules.
"""

from __future__ import annotations

import json
import os
import pkgutil
import re
import subprocess
import sys
import tomllib

import pytest

from conftest import FIXTURES, ROOT

#: the packages and modules above the loaders (``hcl``, ``tfjson``) and the base modules
ABOVE_LOADERS = (
    "aitask_lint.model",
    "aitask_lint.inputs",
    "aitask_lint.graph",
    "aitask_lint.analysis",
    "aitask_lint.convert",
    "aitask_lint.lint",
    "aitask_lint.reports",
    "aitask_lint.session",
    "aitask_lint.api",
    "aitask_lint.cli",
)

PROBE = """\
import json, sys
{code}
print(json.dumps(sorted(name for name in sys.modules if name.startswith("aitask_lint"))))
"""


def loaded_modules(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    modules: list[str] = json.loads(result.stdout)
    return modules


def above_loaders(modules: list[str]) -> list[str]:
    return [
        name
        for name in modules
        if any(name == top or name.startswith(top + ".") for top in ABOVE_LOADERS)
    ]


def test_importing_the_parser_loads_no_layer_above_the_loaders() -> None:
    modules = loaded_modules("import aitask_lint.hcl.parser")
    assert "aitask_lint.hcl.parser" in modules  # the probe did import it
    assert above_loaders(modules) == []


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "templates" / "heredoc-dynamic" / "main.tf",
        FIXTURES / "templates" / "json-syntax" / "main.tf.json",
    ],
    ids=["native", "json"],
)
def test_parsing_a_file_loads_no_layer_above_the_loaders(path: object) -> None:
    code = (
        "from aitask_lint.hcl.files import load_hcl_file\n"
        f"assert load_hcl_file({str(path)!r}).body.blocks\n"
    )
    modules = loaded_modules(code)
    assert "aitask_lint.hcl.visitor" in modules or "aitask_lint.hcl.jsonsyntax" in modules
    assert above_loaders(modules) == []


def test_import_linter_contracts_hold() -> None:
    """The contracts of ``pyproject.toml``, as ``.ci/run`` checks them (skipped without the
    ``dev`` extra, which installs import-linter)."""
    pytest.importorskip("importlinter", reason="import-linter is not installed (the dev extra)")
    path = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert ", 0 broken" in result.stdout


def test_every_module_of_the_package_has_a_layer() -> None:
    """A new top-level module or package must be placed in the layers contract, else
    import-linter would let it import anything (and be imported by anything)."""
    import aitask_lint

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = (
        contract["layers"]
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    )
    placed = {name for layer in layers for name in re.split(r"\s*[|:]\s*", layer.strip())}
    present = {
        f"aitask_lint.{module.name}" for module in pkgutil.iter_modules(aitask_lint.__path__)
    }
    assert present - placed == set()
    assert placed - present == set()  # no stale name: a layer that matches nothing
