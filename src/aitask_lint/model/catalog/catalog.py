"""Describe registry modules that are not on disk, from the known-module catalog.

``modules.json`` (package data) records, per registry module and version
range, whether the module exports ``task_app_id``, whether it creates its own
``coder_ai_task`` (AgentAPI 1.x and every wrapper built on it), and what its
task app looks like. :func:`catalog_module` turns the entry selected by a
``version`` constraint into a synthetic :class:`Module` of the configuration
model (wrapper -> ``module.agentapi`` -> ``coder_app.agentapi_web``), so the
analyses follow a registry module exactly like one on disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from aitask_lint.model.catalog.versions import (
    INFINITY,
    ConstraintError,
    Interval,
    format_version,
    parse_constraint,
    parse_version,
)
from aitask_lint.model.config import (
    Block,
    Expr,
    Location,
    Module,
    ModuleCall,
    Output,
    Resource,
    Variable,
)
from aitask_lint.model.refs import Ref, Step

REGISTRY_HOSTS = ("registry.coder.com/", "registry.terraform.io/")


@dataclass(frozen=True)
class CatalogVersion:
    """One version range of a catalog module and what it contains."""

    module: str
    low: tuple[int, int, int]
    high: tuple[int, int, int]
    facts: dict[str, Any]

    @property
    def exports_task_app_id(self) -> bool:
        return bool(self.facts.get("task_app_id"))

    @property
    def creates_ai_task(self) -> bool:
        return bool(self.facts.get("creates_ai_task"))

    def label(self) -> str:
        high = "" if self.high == INFINITY else f" < {format_version(self.high)}"
        return f"{self.module} >= {format_version(self.low)}{high}"


@cache
def _data() -> dict[str, Any]:
    # beside this module (package data); importlib.resources would cost more to import than this
    text = (Path(__file__).parent / "modules.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def catalog_key(source: str) -> str | None:
    """The catalog key (``coder/claude-code``) of a registry source address, if known.

    Accepts ``registry.coder.com/coder/claude-code/coder`` and the older
    ``registry.coder.com/modules/claude-code/coder`` path.
    """
    address = source.strip()
    for host in REGISTRY_HOSTS:
        if address.startswith(host):
            address = address[len(host) :]
            break
    else:
        if address.count("/") != 2 or address.startswith((".", "/")) or ":" in address:
            return None
    parts = address.split("/")
    if len(parts) != 3:
        return None
    namespace, name, _system = parts
    modules = _data()["modules"]
    if f"{namespace}/{name}" in modules:
        return f"{namespace}/{name}"
    if namespace == "modules":
        matches = [key for key in modules if key.split("/", 1)[1] == name]
        if len(matches) == 1:
            return str(matches[0])
    return None


def versions_of(key: str) -> list[CatalogVersion]:
    entry = _data()["modules"][key]
    found = []
    for facts in entry["versions"]:
        high = parse_version(facts["to"]) if facts.get("to") else INFINITY
        merged = {k: v for k, v in entry.items() if k != "versions"} | facts
        found.append(CatalogVersion(key, parse_version(facts["from"]), high, merged))
    return found


def admitted(key: str, constraint: str) -> list[CatalogVersion]:
    """The catalog ranges a ``version`` constraint admits (all of them when empty)."""
    interval = parse_constraint(constraint)
    return [
        v for v in versions_of(key) if not interval.intersect(Interval(v.low, v.high)).is_empty()
    ]


def selected(key: str, constraint: str) -> CatalogVersion | None:
    """The range ``terraform init`` would install from: the newest one admitted."""
    try:
        ranges = admitted(key, constraint)
    except ConstraintError:
        return None
    return ranges[-1] if ranges else None


def _span(location: Location) -> Any:
    from aitask_lint.hcl.span import Span

    return Span(
        location.path,
        location.line,
        location.column,
        location.end_line or location.line,
        location.end_column or location.column,
    )


def _ref(*parts: str) -> Ref:
    return Ref(parts[0], tuple(Step("attr", name=part) for part in parts[1:]))


def _literal(value: Any, location: Location) -> Expr:
    return Expr(value=value, source=json.dumps(value), location=location)


def _reference(location: Location, *parts: str) -> Expr:
    """A bare reference, with a syntax tree so that values flow through it.

    The evaluator computes values from syntax trees; a reference without one
    would leave, say, the slug a caller passes to AgentAPI unknown.
    """
    from aitask_lint.hcl import expressions as hx

    ref = _ref(*parts)
    syntax = hx.Traversal(
        ref.text, _span(location), parts[0], [hx.GetAttr(part) for part in parts[1:]]
    )
    return Expr(refs=(ref,), source=ref.text, location=location, syntax=syntax)


def _flag_count(location: Location, variable: str) -> Expr:
    """``count = var.<variable> ? 1 : 0``: an optional app the caller switches on."""
    from aitask_lint.hcl import expressions as hx

    condition = _reference(location, "var", variable)
    span = _span(location)
    syntax = hx.Conditional(
        f"var.{variable} ? 1 : 0",
        span,
        condition.syntax,
        hx.Literal("1", span, 1),
        hx.Literal("0", span, 0),
    )
    return Expr(refs=condition.refs, source=syntax.source, location=location, syntax=syntax)


def _agentapi_body(
    module: Module,
    entry: CatalogVersion,
    subdomain: bool,
    location: Location,
    cli_app_slug: str | None = None,
) -> None:
    """Add AgentAPI's task app (and its 1.x task, and its optional CLI app) to ``module``.

    The app's slug is ``var.web_app_slug``, as in the real module: the caller
    (a template, or a wrapper with its fixed slug) decides it, and a slug
    nobody passes stays unknown instead of defaulting to the resource name.
    """
    app_facts = _data()["agentapi_app"]
    healthcheck = app_facts["healthcheck"]
    module.variables["agent_id"] = Variable("agent_id", None, location)
    module.variables["web_app_slug"] = Variable("web_app_slug", None, location)
    app = Resource(
        mode="managed",
        type="coder_app",
        name=app_facts["resource"],
        module=module.path,
        attributes={
            "agent_id": _reference(location, "var", "agent_id"),
            "slug": _reference(location, "var", "web_app_slug"),
            "url": _literal(app_facts["url"], location),
            "subdomain": _literal(subdomain, location),
        },
        blocks=[
            Block(
                "healthcheck",
                attributes={
                    "url": _literal(healthcheck["url"], location),
                    "interval": _literal(healthcheck["interval"], location),
                    "threshold": _literal(healthcheck["threshold"], location),
                },
                location=location,
            )
        ],
        provider="registry.terraform.io/coder/coder",
        location=location,
    )
    module.resources[app.local_address] = app
    if cli_app_slug is not None:
        module.variables["cli_app"] = Variable("cli_app", _literal(False, location), location)
        cli = Resource(
            mode="managed",
            type="coder_app",
            name="agentapi_cli",
            module=module.path,
            attributes={
                "agent_id": _reference(location, "var", "agent_id"),
                "slug": _literal(cli_app_slug, location),
                "command": _literal("agentapi attach", location),
            },
            count=_flag_count(location, "cli_app"),
            provider="registry.terraform.io/coder/coder",
            location=location,
        )
        module.resources[cli.local_address] = cli
    app_id = _reference(location, "coder_app", app_facts["resource"], "id")
    if entry.exports_task_app_id:
        module.outputs["task_app_id"] = Output("task_app_id", app_id, location)
    if entry.creates_ai_task:
        task = Resource(
            mode="managed",
            type="coder_ai_task",
            name="agentapi",
            module=module.path,
            blocks=[Block("sidebar_app", attributes={"id": app_id}, location=location)],
            provider="registry.terraform.io/coder/coder",
            location=location,
        )
        module.resources[task.local_address] = task


def catalog_module(
    key: str,
    constraint: str,
    path: tuple[str, ...],
    source: str,
    call_location: Location | None = None,
) -> tuple[Module, CatalogVersion] | None:
    """A synthetic module for registry module ``key`` at the version ``constraint`` selects.

    Every object in it is located at ``location``, the ``module`` block that
    calls it: that is the line a user can act on (pin, configure or suppress),
    since the module's own files are not on disk.
    """
    entry = selected(key, constraint)
    if entry is None:
        return None
    location = call_location or Location(f"<catalog:{entry.label()}>")
    module = Module(path=path, origin="catalog", source=source, version=constraint)
    shape = entry.facts.get("shape", "plain")
    slug = entry.facts.get("web_app_slug")
    subdomain = bool(entry.facts.get("subdomain", True))
    if shape == "agentapi":
        _agentapi_body(module, entry, subdomain, location)
    elif shape == "self-contained":
        _agentapi_body(module, entry, subdomain, location)
        if slug is not None:  # the module fixes its own slug
            app = module.resources["coder_app." + _data()["agentapi_app"]["resource"]]
            app.attributes["slug"] = _literal(slug, location)
    elif shape == "wrapper":
        module.variables["agent_id"] = Variable("agent_id", None, location)
        inner_entry = selected("coder/agentapi", f"= {entry.facts['agentapi']}")
        assert inner_entry is not None
        inner = Module(
            path=(*path, "agentapi"),
            origin="catalog",
            source="registry.coder.com/coder/agentapi/coder",
            version=entry.facts["agentapi"],
        )
        cli_slug = entry.facts.get("cli_app_slug")
        _agentapi_body(inner, inner_entry, subdomain, location, cli_slug)
        arguments = {"agent_id": _reference(location, "var", "agent_id")}
        if slug is not None:
            arguments["web_app_slug"] = _literal(slug, location)
        if cli_slug is not None:
            module.variables["cli_app"] = Variable("cli_app", _literal(False, location), location)
            arguments["cli_app"] = _reference(location, "var", "cli_app")
        module.calls["agentapi"] = ModuleCall(
            name="agentapi",
            source=inner.source,
            version=inner.version,
            arguments=arguments,
            location=location,
            module=inner,
            status="catalog",
        )
        if entry.exports_task_app_id:
            module.outputs["task_app_id"] = Output(
                "task_app_id", _reference(location, "module", "agentapi", "task_app_id"), location
            )
    else:
        module.variables["agent_id"] = Variable("agent_id", None, location)
    return module, entry
