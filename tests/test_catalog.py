"""Version constraints and the known-module catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.model.catalog.catalog import catalog_key, catalog_module, selected, versions_of
from aitask_lint.model.catalog.versions import ConstraintError, parse_constraint


@pytest.mark.parametrize(
    ("constraint", "inside", "outside"),
    [
        (">= 4.0", ["4.0.0", "5.1.0"], ["3.9.9"]),
        ("~> 4.2", ["4.2.0", "4.9.9"], ["4.1.9", "5.0.0"]),
        ("~> 4.2.1", ["4.2.1", "4.2.9"], ["4.3.0"]),
        ("4.3.1", ["4.3.1"], ["4.3.0", "4.3.2"]),
        (">= 2.0, < 3.0, != 2.5.0", ["2.0.0", "2.9.0"], ["2.5.0", "3.0.0"]),
    ],
)
def test_constraints(constraint: str, inside: list[str], outside: list[str]) -> None:
    from aitask_lint.model.catalog.versions import parse_version

    interval = parse_constraint(constraint)
    assert all(interval.contains(parse_version(v)) for v in inside)
    assert not any(interval.contains(parse_version(v)) for v in outside)


def test_invalid_constraint() -> None:
    with pytest.raises(ConstraintError):
        parse_constraint(">= four")


def test_registry_sources() -> None:
    assert catalog_key("registry.coder.com/coder/claude-code/coder") == "coder/claude-code"
    assert catalog_key("registry.coder.com/modules/claude-code/coder") == "coder/claude-code"
    assert catalog_key("registry.coder.com/coder-labs/codex/coder") == "coder-labs/codex"
    assert catalog_key("./modules/claude") is None
    assert catalog_key("hashicorp/consul/aws") is None


def test_loose_constraint_selects_the_newest_release() -> None:
    # terraform init installs the newest admitted release: 5.4.0, without task_app_id
    entry = selected("coder/claude-code", ">= 4.0")
    assert entry is not None
    assert entry.text == "5.4.0"
    assert not entry.exports_task_app_id
    pinned = selected("coder/claude-code", "~> 4.2")
    assert pinned is not None
    assert (pinned.text, pinned.exports_task_app_id) == ("4.9.2", True)
    # no cursor-cli release after 0.3.0 exists, so none is admitted
    assert selected("coder-labs/cursor-cli", ">= 0.3.1") is None
    # the coder/modules 1.0.x era is not in the catalog: such a pin selects nothing
    assert selected("coder/claude-code", "1.0.31") is None


def test_wrapper_module_chain_to_the_agentapi_app() -> None:
    found = catalog_module(
        "coder/claude-code", "4.3.0", ("claude-code",), "registry.coder.com/coder/claude-code/coder"
    )
    assert found is not None
    module, _entry = found
    assert "task_app_id" in module.outputs
    call = module.calls["agentapi"]
    assert call.version == "2.0.0"
    inner = call.module
    assert inner is not None
    app = inner.resources["coder_app.agentapi_web"]
    assert app.address == "module.claude-code.module.agentapi.coder_app.agentapi_web"
    # written as the release's Terraform: the caller's arguments reach the app
    assert app.attributes["slug"].source == "var.web_app_slug"
    assert app.attributes["subdomain"].source == "var.agentapi_subdomain"
    assert call.arguments["agentapi_subdomain"].source == "var.subdomain"
    assert app.attributes["url"].source == '"http://localhost:${var.agentapi_port}/"'


def test_agentapi_1x_creates_its_own_task() -> None:
    found = catalog_module(
        "coder/agentapi", "1.2.0", ("agentapi",), "registry.coder.com/coder/agentapi/coder"
    )
    assert found is not None
    module, entry = found
    assert entry.creates_ai_task
    assert "coder_ai_task.agentapi" in module.resources
    assert "task_app_id" not in module.outputs


def _lint_cases() -> list[tuple[str, str]]:
    """The newest release of every run, and of every module without runs."""
    from aitask_lint.model.catalog.releases import _data

    cases = []
    for key in sorted(_data()["modules"]):
        seen: set[int] = set()
        for entry in reversed(versions_of(key)):
            run = entry.facts.get("run", -1)
            if run not in seen:
                seen.add(run)
                cases.append((key, entry.text))
    return cases


@pytest.mark.parametrize(("key", "version"), _lint_cases())
def test_every_catalog_run_lints_at_the_call_without_false_slug_errors(
    key: str, version: str, tmp_path: Path
) -> None:
    """A registry module that is not on disk is judged like one on disk.

    Its apps' slugs come from the module (or stay unknown), never from the
    resource name, so no release gives a false AIT401/AIT402; and every
    finding about it points at the `module` block the user wrote.
    """
    from aitask_lint.lint.runner import lint

    namespace, name = key.split("/")
    extra = '  web_app_slug = "chat"\n' if name == "agentapi" else ""
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    coder = {\n      source  = "coder/coder"\n'
        '      version = ">= 2.13.0"\n    }\n  }\n}\n\n'
        'resource "coder_agent" "main" {\n  arch = "amd64"\n  os   = "linux"\n}\n\n'
        f'module "ai" {{\n  source   = "registry.coder.com/{namespace}/{name}/coder"\n'
        f'  version  = "{version}"\n  agent_id = coder_agent.main.id\n{extra}}}\n\n'
        'resource "null_resource" "workspace" {\n'
        "  triggers = { token = coder_agent.main.token }\n}\n",
        encoding="utf-8",
    )
    report, unusable = lint([str(tmp_path)])
    assert not unusable
    rules = {finding.rule for finding in report.findings}
    assert not rules & {"AIT001", "AIT401", "AIT402", "AIT404"}, report.findings
    for finding in report.findings:
        assert finding.location is not None
        assert Path(finding.location.path).name == "main.tf", finding
