"""Version constraints and the known-module catalog."""

from __future__ import annotations

import pytest

from aitask_lint.catalog.catalog import admitted, catalog_key, catalog_module, selected
from aitask_lint.catalog.versions import ConstraintError, parse_constraint


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
    from aitask_lint.catalog.versions import parse_version

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
    assert app.attributes["slug"].value == "ccw"
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
