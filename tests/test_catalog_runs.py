"""Templates calling every release run of the registry AI-agent modules, judged as released.

``fixtures/catalog-runs/`` holds one template per run of
``../shared/reference/registry-module-inputs.json`` (written by
``tools/gen_catalog_fixtures.py``), with the AIT205, AIT305, AIT306,
AIT307 and AIT501 findings the run's facts imply. The second half is issue
13's acceptance matrix: what a template passes as ``subdomain`` reaches the
task app where the release has that input, and nowhere else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aitask_lint.model.catalog.catalog import versions_of
from cli_runner import run_cli

from conftest import FIXTURES, SHARED

RUNS = FIXTURES / "catalog-runs"
INPUTS = SHARED / "reference" / "registry-module-inputs.json"


def _findings(directory: Path, rules: list[str]) -> list[tuple[str, str | None, int, str]]:
    result = run_cli("check", str(directory), "--format", "json", "--select", ",".join(rules))
    assert result.code in (0, 1), result.stderr
    return sorted(
        (f["rule"], f["address"], f["location"]["line"], f["severity"])
        for f in json.loads(result.stdout)["findings"]
    )


@pytest.mark.parametrize("case", sorted(p.name for p in RUNS.iterdir()))
def test_each_run_gives_the_findings_its_release_implies(case: str) -> None:
    expected = json.loads((RUNS / case / "expected.json").read_text("utf-8"))
    want = sorted((f["rule"], f["address"], f["line"], f["severity"]) for f in expected["findings"])
    assert _findings(RUNS / case, expected["rules"]) == want


def test_every_run_of_the_reference_has_a_template() -> None:
    if not INPUTS.is_file():
        pytest.skip(f"registry reference not found at {INPUTS} (../shared is absent)")
    runs = json.loads(INPUTS.read_text("utf-8"))
    names = {
        f"{r['namespace']}-{r['module']}-{min(r['released_versions'], key=_key)}" for r in runs
    }
    assert names == {p.name for p in RUNS.iterdir()}


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


# --- what a template passes as subdomain --------------------------------------------

#: (module, newest release of a run) whose task app takes the caller's `subdomain`
PASSED_ON = [
    ("coder/claude-code", "2.2.0"),
    ("coder/claude-code", "3.4.4"),
    ("coder/claude-code", "4.7.5"),
    ("coder/claude-code", "4.9.2"),
    ("coder/goose", "2.1.1"),
    ("coder/goose", "2.2.1"),
    ("coder/goose", "3.0.1"),
    ("coder-labs/copilot", "0.4.1"),
    ("coder-labs/opencode", "0.1.2"),
    ("coder-labs/codex", "3.1.1"),
    ("coder-labs/codex", "4.3.1"),
    ("coder/aider", "2.0.1"),
]
#: releases whose task app keeps subdomain = true: they have no such input
KEPT = [
    ("coder-labs/gemini", "3.0.2"),
    ("coder-labs/auggie", "0.3.0"),
    ("coder-labs/cursor-cli", "0.3.0"),
    ("coder-labs/sourcegraph-amp", "3.0.0"),
    ("coder/amazon-q", "2.1.1"),
    ("coder/amazon-q", "3.0.1"),
    ("harleylrn/kiro-cli", "1.0.1"),
    ("coder-labs/codex", "2.1.1"),
    ("coder/goose", "2.0.1"),
    ("coder/claude-code", "2.1.0"),
]


def _template(key: str, version: str, extra: str, tmp_path: Path) -> Path:
    from aitask_lint.model.catalog.catalog import release

    entry = release(key, version)
    assert entry is not None
    required = "".join(
        f'  {v.name} = "{v.name}"\n' for v in entry.variables if v.required and v.name != "agent_id"
    )
    task = (
        'resource "coder_ai_task" "task" {\n  count  = data.coder_workspace.me.start_count\n'
        "  app_id = module.ai[count.index].task_app_id\n}\n"
        if entry.exports_task_app_id
        else ""
    )
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    coder = {\n      source  = "coder/coder"\n'
        '      version = ">= 2.13"\n    }\n  }\n}\n'
        'data "coder_workspace" "me" {}\n'
        'resource "coder_agent" "main" {\n  arch = "amd64"\n  os   = "linux"\n}\n'
        f'module "ai" {{\n  count    = data.coder_workspace.me.start_count\n'
        f'  source   = "registry.coder.com/{key}/coder"\n  version  = "{version}"\n'
        f"  agent_id = coder_agent.main.id\n{required}{extra}}}\n{task}"
        'resource "null_resource" "workspace" {\n  count = data.coder_workspace.me.start_count\n'
        "  triggers = { token = coder_agent.main.token }\n}\n",
        encoding="utf-8",
    )
    return tmp_path


def _rules(directory: Path) -> set[str]:
    return {rule for rule, *_ in _findings(directory, ["AIT205", "AIT306"])}


@pytest.mark.parametrize(("key", "version"), PASSED_ON)
@pytest.mark.parametrize("value", [True, False])
def test_the_subdomain_a_template_passes_reaches_the_task_app(
    key: str, version: str, value: bool, tmp_path: Path
) -> None:
    extra = f"  subdomain = {'true' if value else 'false'}\n"
    assert _rules(_template(key, version, extra, tmp_path)) == ({"AIT205"} if value else set())


@pytest.mark.parametrize(("key", "version"), KEPT)
@pytest.mark.parametrize("extra", ["", "  subdomain = false\n"])
def test_releases_without_the_input_keep_the_subdomain_whatever_is_passed(
    key: str, version: str, extra: str, tmp_path: Path
) -> None:
    # passing it is Terraform's "Unsupported argument", never a silent default
    expected = {"AIT205", "AIT306"} if extra else {"AIT205"}
    assert _rules(_template(key, version, extra, tmp_path)) == expected


def test_the_lists_cover_every_wrapper_module() -> None:
    covered = {key for key, _ in PASSED_ON + KEPT}
    wrappers = {
        "coder/claude-code",
        "coder/goose",
        "coder/aider",
        "coder/amazon-q",
        "coder-labs/codex",
        "coder-labs/gemini",
        "coder-labs/copilot",
        "coder-labs/opencode",
        "coder-labs/auggie",
        "coder-labs/cursor-cli",
        "coder-labs/sourcegraph-amp",
        "harleylrn/kiro-cli",
    }
    assert wrappers <= covered
    for key, version in PASSED_ON + KEPT:
        assert version in {r.text for r in versions_of(key)}, (key, version)
