"""Version constraints and the known-module catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.model.catalog.catalog import admitted, catalog_key, catalog_module, selected
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


def test_loose_constraint_admits_a_version_without_task_app_id() -> None:
    ranges = admitted("coder/claude-code", ">= 4.0")
    assert [r.exports_task_app_id for r in ranges] == [True, False]
    # terraform init installs the newest admitted version: 5.x, without the output
    entry = selected("coder/claude-code", ">= 4.0")
    assert entry is not None
    assert not entry.exports_task_app_id
    pinned = selected("coder/claude-code", "~> 4.2")
    assert pinned is not None
    assert pinned.exports_task_app_id


def test_wrapper_module_chain_to_the_agentapi_app() -> None:
    found = catalog_module(
        "coder/claude-code", "4.3.0", ("claude-code",), "registry.coder.com/coder/claude-code/coder"
    )
    assert found is not None
    module, _entry = found
    assert list(module.outputs) == ["task_app_id"]
    inner = module.calls["agentapi"].module
    assert inner is not None
    app = inner.resources["coder_app.agentapi_web"]
    assert app.address == "module.claude-code.module.agentapi.coder_app.agentapi_web"
    # AgentAPI's slug is its caller's choice; the wrapper passes its fixed one
    assert app.attributes["slug"].source == "var.web_app_slug"
    assert module.calls["agentapi"].arguments["web_app_slug"].value == "ccw"
    assert app.attributes["url"].value == "http://localhost:3284/"
    (healthcheck,) = app.blocks_of("healthcheck")
    assert healthcheck.attributes["url"].value == "http://localhost:3284/status"


def test_agentapi_1x_creates_its_own_task() -> None:
    found = catalog_module(
        "coder/agentapi", "1.2.0", ("agentapi",), "registry.coder.com/coder/agentapi/coder"
    )
    assert found is not None
    module, entry = found
    assert entry.creates_ai_task
    assert "coder_ai_task.agentapi" in module.resources
    assert "task_app_id" not in module.outputs


def _catalog_cases() -> list[tuple[str, str]]:
    from aitask_lint.model.catalog.catalog import versions_of
    from aitask_lint.model.catalog.versions import format_version

    return [
        (key, format_version(version.low))
        for key in sorted(_catalog_keys())
        for version in versions_of(key)
    ]


def _catalog_keys() -> list[str]:
    from aitask_lint.model.catalog.catalog import _data

    return list(_data()["modules"])


@pytest.mark.parametrize(("key", "version"), _catalog_cases())
def test_every_catalog_version_lints_at_the_call_without_false_slug_errors(
    key: str, version: str, tmp_path: Path
) -> None:
    """A registry module that is not on disk is judged like one on disk.

    Its apps' slugs come from the module (or stay unknown), never from the
    resource name, so no version gives a false AIT401/AIT402; and every
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
