"""AIT306, AIT307 and AIT308 against Terraform itself, on local modules.

Each case is a root module calling a local module, with no provider
requirement, so ``terraform init -backend=false`` and ``terraform validate``
run offline. Terraform's errors (summary and detail) must be exactly the ones
our findings quote, and a case Terraform accepts must give none of ours.
Skipped (visibly) where ``terraform`` is not on PATH; the product never
needs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_runner import run_cli

TERRAFORM = shutil.which("terraform")
pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(TERRAFORM is None, reason="terraform CLI not on PATH"),
]

CHILD = (
    'variable "a" {}\n\nvariable "b" {\n  default = 1\n}\n\nvariable "c" {\n  default = null\n}\n'
)

#: name -> (the root's main.tf, the child module's main.tf or None for no directory)
CASES: dict[str, tuple[str, str | None]] = {
    "unsupported": ('module "m" {\n  source = "./m"\n  a = 1\n  d = 2\n}\n', CHILD),
    "missing": ('module "m" {\n  source = "./m"\n  b = 2\n}\n', CHILD),
    "both": ('module "m" {\n  source = "./m"\n  e = 1\n  f = 2\n}\n', CHILD),
    "null-counts": ('module "m" {\n  source = "./m"\n  a = null\n}\n', CHILD),
    "all-passed": ('module "m" {\n  source = "./m"\n  a = 1\n  b = 2\n  c = 3\n}\n', CHILD),
    "missing-directory": ('\n\nmodule "gone" {\n  source = "./gone"\n}\n', None),
    "empty-directory": ('module "m" {\n  source = "./m"\n  a = 1\n}\n', ""),
}


def _terraform(arguments: list[str], workdir: Path) -> tuple[int, str]:
    assert TERRAFORM is not None
    config = workdir.parent / "empty.tfrc"
    config.touch()
    result = subprocess.run(
        [TERRAFORM, *arguments, "-no-color"],
        capture_output=True,
        cwd=workdir,
        env={**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"},
        timeout=300,
        check=False,
        text=True,
    )
    return result.returncode, result.stdout + result.stderr


def _terraform_errors(root: Path) -> set[tuple[str, str]]:
    """(summary, detail's first sentence) of each error init, then validate, reports."""
    code, output = _terraform(["init", "-backend=false", "-input=false"], root)
    if code == 0:
        code, output = _terraform(["validate"], root)
    errors = set()
    for block in re.split(r"^Error: ", output, flags=re.MULTILINE)[1:]:
        summary, _, rest = block.partition("\n")
        paragraphs = [p for p in rest.split("\n\n") if p.strip()]
        # the source excerpt ("  on main.tf line 3, ...") comes first, the detail after it
        detail = next(p for p in paragraphs if not p.lstrip("\n").startswith("  "))
        sentence = re.sub(r" Did you mean .*\?$", "", " ".join(detail.split()))
        errors.add((summary.strip(), sentence))
    assert (code == 0) == (not errors), output
    return errors


def _our_errors(root: Path) -> set[tuple[str, str]]:
    result = run_cli("check", str(root), "--select", "AIT306,AIT307,AIT308", "--format", "json")
    found = set()
    for finding in json.loads(result.stdout)["findings"]:
        quoted = finding["message"].split("Terraform fails with: ", 1)[1]
        summary, detail = quoted.split(": ", 1)
        found.add((summary, detail))
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_terraform_reports_what_we_report(case: str, tmp_path: Path) -> None:
    root_text, child_text = CASES[case]
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(root_text, encoding="utf-8")
    if child_text is not None:
        (root / "m").mkdir()
        if child_text:
            (root / "m" / "main.tf").write_text(child_text, encoding="utf-8")
    theirs = _terraform_errors(root)
    ours = _our_errors(root)
    if case == "missing-directory":
        # Terraform prints the directory it failed to evaluate as an empty string here,
        # and adds a second error about the symlink lstat; the summary and the rest agree
        assert {summary for summary, _ in theirs} == {"Unreadable module directory"}
        ((summary, detail),) = ours
        assert summary == "Unreadable module directory"
        pattern = re.escape(detail).replace(re.escape(" ./gone"), ".*")
        assert any(re.fullmatch(pattern, text) for _, text in theirs), (theirs, ours)
        return
    assert ours == theirs


@pytest.mark.parametrize("case", ["unsupported", "both"])
def test_an_unsupported_argument_is_pointed_at_where_terraform_points(
    case: str, tmp_path: Path
) -> None:
    """At the argument's name (HCL's ``NameRange``), as ``terraform validate -json`` says."""
    root_text, child_text = CASES[case]
    root = tmp_path / "root"
    (root / "m").mkdir(parents=True)
    (root / "main.tf").write_text(root_text, encoding="utf-8")
    (root / "m" / "main.tf").write_text(child_text or "", encoding="utf-8")
    code, output = _terraform(["init", "-backend=false", "-input=false"], root)
    assert code == 0, output
    _code, output = _terraform(["validate", "-json"], root)
    theirs = sorted(
        (d["range"]["start"]["line"], d["range"]["start"]["column"])
        for d in json.loads(output)["diagnostics"]
        if d["summary"] == "Unsupported argument"
    )
    result = run_cli("check", str(root), "--select", "AIT306", "--format", "json")
    found = json.loads(result.stdout)["findings"]
    ours = sorted((f["location"]["line"], f["location"]["column"]) for f in found)
    assert theirs and ours == theirs
