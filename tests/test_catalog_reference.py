"""The known-module catalog agrees with the registry reference, release by release.

``../shared/reference/registry-module-inputs.json`` records, per run of
releases of every AI-agent module, how its task app is built;
``registry-module-variables.json`` every release's variables, outputs and
provider constraint. These tests build each release's synthetic module the
way a template's call does (``catalog_module``), then *evaluate* it with the
arguments a template would pass, so they check behaviour (the subdomain a
template gets when it passes ``subdomain = false``, the URL with
``agentapi_port = 3285``), not that the data was copied. A correction of the
reference is a data change: regenerate with ``tools/gen_catalog.py``.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from aitask_lint.analysis.resolve import Evaluator, Resolver
from aitask_lint.model.catalog.catalog import catalog_module, release, versions_of
from aitask_lint.model.catalog.versions import parse_constraint
from aitask_lint.model.config import ConfigTree, Expr, Module, ModuleCall, Resource
from aitask_lint.values import UNKNOWN

from conftest import SHARED

REFERENCE = SHARED / "reference"
INPUTS = REFERENCE / "registry-module-inputs.json"
VARIABLES = REFERENCE / "registry-module-variables.json"


@cache
def _load(path: str) -> Any:
    return json.loads((REFERENCE / path).read_text("utf-8"))


def _params(path: Any, make: Any) -> list[Any]:
    if not path.is_file():
        reason = f"registry reference not found at {path} (../shared is absent)"
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=reason))]
    return make()


def _release_runs() -> list[Any]:
    return [
        pytest.param(run, version, id=f"{run['namespace']}/{run['module']}@{version}")
        for run in _load(INPUTS.name)
        for version in run["released_versions"]
    ]


def _releases() -> list[Any]:
    return [
        pytest.param(key, version, id=f"{key}@{version}")
        for key, entry in _load(VARIABLES.name).items()
        for version in entry["releases"]
    ]


class Call:
    """A root module calling one catalog release with literal arguments, and its evaluator."""

    def __init__(self, key: str, version: str, **arguments: Any) -> None:
        source = f"registry.coder.com/{key}/coder"
        found = catalog_module(key, f"= {version}", ("m",), source)
        assert found is not None, f"{key} {version} is not in the catalog"
        self.module, self.entry = found
        root = Module()
        root.calls["m"] = ModuleCall(
            name="m",
            source=source,
            version=version,
            arguments={name: Expr(value=value) for name, value in arguments.items()},
            module=self.module,
            status="catalog",
        )
        self.tree = ConfigTree(root, origin="hcl")
        self.evaluator = Evaluator(self.tree)

    def resource(self, address: str) -> tuple[Resource, Module] | None:
        module = self.module
        parts = address.split(".")
        while parts[0] == "module":
            call = module.calls.get(parts[1])
            if call is None or call.module is None:
                return None
            module, parts = call.module, parts[2:]
        found = module.resources.get(".".join(parts))
        return (found, module) if found is not None else None

    def value(self, address: str, attribute: str, block: str | None = None) -> Any:
        found = self.resource(address)
        assert found is not None, address
        resource, module = found
        holder: Any = resource.blocks_of(block)[0] if block else resource
        return self.evaluator.value(holder.attributes.get(attribute), module)

    def count(self, address: str) -> Any:
        found = self.resource(address)
        assert found is not None, address
        resource, module = found
        return self.evaluator.value(resource.count, module) if resource.count else None


def _key(run: dict[str, Any]) -> str:
    return f"{run['namespace']}/{run['module']}"


def _direct_arguments(run: dict[str, Any]) -> dict[str, Any]:
    """What a template must pass to agentapi itself for its slugs to be known."""
    return (
        {"web_app_slug": "chat", "cli_app_slug": "chat-cli"} if run["shape"] == "agentapi" else {}
    )


@pytest.mark.parametrize(("run", "version"), _params(INPUTS, _release_runs))
def test_task_app_as_released(run: dict[str, Any], version: str) -> None:
    key = _key(run)
    base = _direct_arguments(run)
    call = Call(key, version, **base)
    app = run["task_app"]
    if app is None:
        apps = [r for m in call.module.walk() for r in m.resources_of("coder_app")]
        assert [a.address.removeprefix("module.m.") for a in apps] == [
            a["address"] for a in run.get("apps") or []
        ]
        for listed in run.get("apps") or []:
            assert call.value(listed["address"], "slug") == listed["slug"]["literal"]
        return
    address = app["address"]
    assert call.resource(address) is not None, f"{address} missing"
    resource, _module = call.resource(address)  # type: ignore[misc]
    assert (resource.count is not None) == (app["count"] is not None)
    # slug: the module's own literal, or the caller's web_app_slug
    slug = app["slug"]
    assert call.value(address, "slug") == slug.get("literal", base.get("web_app_slug"))
    # subdomain: a literal whatever is passed, or an input with its default that a caller flips
    subdomain = app["subdomain"]
    if "input" in subdomain:
        assert call.value(address, "subdomain") is subdomain["default"]
        flipped = Call(key, version, **base, **{subdomain["input"]: not subdomain["default"]})
        assert flipped.value(address, "subdomain") is (not subdomain["default"])
    else:
        assert call.value(address, "subdomain") is subdomain["literal"]
    # url and healthcheck on the port: the input's default, or the hard-coded one
    port = app["port"]
    number = port.get("default", port.get("literal"))
    assert call.value(address, "url") == f"http://localhost:{number}/"
    health = app["healthcheck"]
    assert call.value(address, "interval", "healthcheck") == health["interval"]
    assert call.value(address, "threshold", "healthcheck") == health["threshold"]
    if isinstance(health["url"], str):
        assert call.value(address, "url", "healthcheck") == f"http://localhost:{number}/status"
    else:  # claude-code 2.2.0: the chat base path joins the healthcheck when subdomain is off
        assert call.value(address, "url", "healthcheck") == f"http://localhost:{number}/status"
        off = Call(key, version, subdomain=False)
        assert off.value(address, "url", "healthcheck") is UNKNOWN  # owner and workspace names
    if "input" in port:
        moved = Call(key, version, **base, **{port["input"]: 3285})
        assert moved.value(address, "url") == "http://localhost:3285/"
        assert moved.value(address, "url", "healthcheck") == "http://localhost:3285/status"
    _check_cli_app(run, key, version, base)
    _check_web_app(run, call)


def _check_cli_app(run: dict[str, Any], key: str, version: str, base: dict[str, Any]) -> None:
    cli = run["task_app"]["cli_app"]
    if cli is None:
        return
    address = cli["address"]
    call = Call(key, version, **base)
    assert call.count(address) == 0  # off by default
    switch = cli["switch"]
    if "input" not in switch:  # the wrapper never passes cli_app: the app cannot exist
        assert switch["literal"] is False
        return
    on = Call(key, version, **base, **{switch["input"]: True})
    assert on.count(address) == 1
    assert on.value(address, "slug") == cli["slug"].get("literal", base.get("cli_app_slug"))


def _check_web_app(run: dict[str, Any], call: Call) -> None:
    web = run["task_app"]["web_app_switch"]
    declared = call.module.variables
    if web is None:
        assert "web_app" not in declared or run["shape"] != "agentapi"
        return
    assert declared[web["input"]].default is not None
    assert declared[web["input"]].default.value is web["default"]
    inner = call.module.calls.get("agentapi")
    if inner is not None:  # a wrapper: passed on only where the reference says so
        assert ("web_app" in inner.arguments) == ("passed_as" in web)


@pytest.mark.parametrize(("run", "version"), _params(INPUTS, _release_runs))
def test_task_and_task_app_id_as_released(run: dict[str, Any], version: str) -> None:
    call = Call(_key(run), version, **_direct_arguments(run))
    task = run["ai_task"]
    tasks = [r.address for m in call.module.walk() for r in m.resources_of("coder_ai_task")]
    if task["creates_ai_task"]:
        assert tasks == [f"module.m.{task['address']}"]
        found = call.resource(task["address"])
        assert found is not None
        (sidebar,) = found[0].blocks_of("sidebar_app")
        assert sidebar.attributes["id"].source == task["sidebar_app_id"]
    else:
        assert tasks == []
    output = call.module.outputs.get("task_app_id")
    expected = run["task_app_id_output"]
    assert (output is not None) == (expected is not None)
    if output is not None and run["task_app"] is not None:
        assert output.value.source == expected
        resolved = Resolver(call.tree).resolve(output.value, call.module)
        apps = {c.resource.address for c in resolved.candidates if c.resource is not None}
        assert apps == {f"module.m.{run['task_app']['address']}"}


@pytest.mark.parametrize(("run", "version"), _params(INPUTS, _release_runs))
def test_agentapi_pin_and_provider_constraints(run: dict[str, Any], version: str) -> None:
    call = Call(_key(run), version, **_direct_arguments(run))
    pinned = run.get("agentapi_module")
    inner = call.module.calls.get("agentapi")
    assert (inner.version if inner else None) == (pinned["version"] if pinned else None)
    own = call.module.required_providers.get("coder")
    assert (own.version if own else None) == run["provider_constraint"]
    constraints = [
        m.required_providers["coder"].version
        for m in call.module.walk()
        if "coder" in m.required_providers
    ]
    effective = parse_constraint(", ".join(constraints))
    assert effective == parse_constraint(run["effective_provider_constraint"])
    assert call.entry.effective_provider == run["effective_provider_constraint"]


@pytest.mark.parametrize(("key", "version"), _params(VARIABLES, _releases))
def test_variables_and_outputs_as_released(key: str, version: str) -> None:
    released = _load(VARIABLES.name)[key]["releases"][version]
    call = Call(key, version)
    declared = call.module.variables
    assert list(declared) == list(released["variables"])
    for name, facts in released["variables"].items():
        default = declared[name].default
        assert (default is None) == facts["required"], name
        if default is not None:
            assert call.evaluator.value(default, call.module) == facts["default"], name
    assert list(call.module.outputs) == released["outputs"]
    entry = release(key, version)
    assert entry is not None
    assert entry.provider == released["required_providers"].get("coder")


@pytest.mark.parametrize(("key", "version"), _params(VARIABLES, _releases)[:1])
def test_the_catalog_holds_every_release_and_nothing_else(key: str, version: str) -> None:
    variables = _load(VARIABLES.name)
    from aitask_lint.model.catalog.releases import _data

    assert list(_data()["modules"]) == list(variables)
    for name, entry in variables.items():
        assert [r.text for r in versions_of(name)] == list(entry["releases"])
