"""Registry modules that are not on disk, written as the Terraform their release holds.

A synthetic :class:`Module` declares the release's ``variable`` blocks with
their defaults and builds its apps from expressions over them, the way the
release's ``main.tf`` does: ``subdomain = var.agentapi_subdomain``, the
wrapper's call ``agentapi_subdomain = var.subdomain``, ``url =
"http://localhost:${var.agentapi_port}/"``, ``count = var.cli_app ? 1 : 0``.
The evaluator binds a module call's arguments to ``var.*`` in the child, so
what a template passes (or the default, when it passes nothing) decides the
value, exactly as ``terraform plan`` would; nothing is a catalog-side
constant that a caller's argument cannot change.

Every object is located at the ``module`` block that calls the module: that
is the line a user can act on (pin, configure or suppress), since the
module's files are not on disk.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aitask_lint.hcl import expressions as hx
from aitask_lint.model.catalog.releases import CatalogVersion, release
from aitask_lint.model.catalog.versions import format_version
from aitask_lint.model.config import (
    Block,
    Expr,
    Local,
    Location,
    Module,
    ModuleCall,
    Output,
    ProviderRequirement,
    Resource,
    Variable,
)
from aitask_lint.model.refs import traversal_ref

CODER = "registry.terraform.io/coder/coder"
AGENTAPI_SOURCE = "registry.coder.com/coder/agentapi/coder"
_STEP = re.compile(r"\.?([A-Za-z_][\w-]*)|\[(\d+)\]")


class _Writer:
    """Builds expressions (with syntax trees, so values flow) located at one place."""

    def __init__(self, location: Location) -> None:
        from aitask_lint.hcl.span import Span

        self.location = location
        self.span = Span(
            location.path,
            location.line,
            location.column,
            location.end_line or location.line,
            location.end_column or location.column,
        )

    def lit(self, value: Any) -> hx.Expression:
        if isinstance(value, str):
            return hx.Template(json.dumps(value), self.span, [value])
        if isinstance(value, list):
            items = [self.lit(item) for item in value]
            return hx.Tuple(json.dumps(value), self.span, items)
        if isinstance(value, dict):
            pairs = [(self.lit(str(k)), self.lit(v)) for k, v in value.items()]
            return hx.Object(json.dumps(value), self.span, pairs)
        source = "null" if value is None else json.dumps(value)
        return hx.Literal(source, self.span, value)

    def ref(self, text: str) -> hx.Traversal:
        """``var.x``, ``coder_app.a[0].id``: attribute and literal index steps only."""
        root, _, rest = text.partition(".")
        steps: list[hx.Step] = []
        for match in _STEP.finditer("." + rest if rest else ""):
            if match[1] is not None:
                steps.append(hx.GetAttr(match[1]))
            else:
                steps.append(hx.Index(hx.Literal(match[2], self.span, int(match[2]))))
        return hx.Traversal(text, self.span, root, steps)

    def template(self, *parts: str | hx.Expression) -> hx.Template:
        source = "".join(p if isinstance(p, str) else "${" + p.source + "}" for p in parts)
        return hx.Template(json.dumps(source), self.span, list(parts))

    def cond(
        self, condition: hx.Expression, yes: hx.Expression, no: hx.Expression
    ) -> hx.Expression:
        source = f"{condition.source} ? {yes.source} : {no.source}"
        return hx.Conditional(source, self.span, condition, yes, no)

    def call(self, name: str, *args: hx.Expression) -> hx.Expression:
        source = f"{name}({', '.join(a.source for a in args)})"
        return hx.FunctionCall(source, self.span, name, list(args))

    def binary(self, op: str, left: hx.Expression, right: hx.Expression) -> hx.Expression:
        return hx.BinaryOp(f"{left.source} {op} {right.source}", self.span, op, left, right)

    def expr(self, node: hx.Expression) -> Expr:
        refs = tuple(traversal_ref(t) for t in hx.references(node))
        value = hx.literal_value(node)
        return Expr(refs=refs, value=value, source=node.source, location=self.location, syntax=node)

    def literal(self, value: Any) -> Expr:
        return self.expr(self.lit(value))

    def reference(self, text: str) -> Expr:
        return self.expr(self.ref(text))

    def flag_count(self, flag: str) -> Expr:
        """``count = <flag> ? 1 : 0``."""
        return self.expr(self.cond(self.ref(flag), self.lit(1), self.lit(0)))


def _resource(
    module: Module,
    w: _Writer,
    address: str,
    attributes: dict[str, Expr],
    *,
    blocks: list[Block] | None = None,
    count: Expr | None = None,
    mode: str = "managed",
) -> Resource:
    kind, name = address.split(".")[-2:]
    resource = Resource(
        mode="data" if mode == "data" else "managed",
        type=kind,
        name=name,
        module=module.path,
        attributes=attributes,
        blocks=blocks or [],
        count=count,
        provider=CODER,
        location=w.location,
    )
    module.resources[resource.local_address] = resource
    return resource


def _local(module: Module, w: _Writer, name: str, node: hx.Expression) -> None:
    module.locals[name] = Local(name, w.expr(node), w.location)


def _healthcheck(w: _Writer, url: hx.Expression, app: dict[str, Any]) -> Block:
    return Block(
        "healthcheck",
        attributes={
            "url": w.expr(url),
            "interval": w.literal(app["interval"]),
            "threshold": w.literal(app["threshold"]),
        },
        location=w.location,
    )


def _cli_app(module: Module, w: _Writer, cli: dict[str, Any] | None, command: str) -> None:
    """The optional command app, ``count = var.<switch> ? 1 : 0`` (its slug: input or literal)."""
    if cli is None:
        return
    slug = cli["slug"]
    _resource(
        module,
        w,
        cli["address"],
        {
            "agent_id": w.reference("var.agent_id"),
            "slug": w.reference(f"var.{slug['input']}")
            if "input" in slug
            else w.literal(slug["literal"]),
            "command": w.literal(command),
        },
        count=w.flag_count(f"var.{cli['switch']['input']}"),
    )


def _subdomain(w: _Writer, app: dict[str, Any]) -> Expr:
    facts = app["subdomain"]
    if "input" in facts:
        return w.reference(f"var.{facts['input']}")
    return w.literal(facts["literal"])


def _agentapi(module: Module, w: _Writer, run: dict[str, Any]) -> None:
    """coder/agentapi: the web app on ``var.agentapi_port``, its CLI app, its 1.x task."""
    app = run["task_app"]
    port = w.ref(f"var.{app['port']['input']}")
    count = None
    if app["counted"]:  # 2.4.0: the web app can be switched off outside a task
        _resource(module, w, "coder_task.me", {}, mode="data")
        _local(
            module, w, "is_task", w.call("try", w.ref("data.coder_task.me.enabled"), w.lit(False))
        )
        switch = app["web_app"]["input"]
        _local(module, w, "web_app", w.binary("||", w.ref(f"var.{switch}"), w.ref("local.is_task")))
        count = w.flag_count("local.web_app")
    _resource(
        module,
        w,
        app["address"],
        {
            "agent_id": w.reference("var.agent_id"),
            "slug": w.reference(f"var.{app['slug']['input']}"),
            "display_name": w.reference("var.web_app_display_name"),
            "icon": w.reference("var.web_app_icon"),
            "url": w.expr(w.template("http://localhost:", port, "/")),
            "subdomain": _subdomain(w, app),
        },
        blocks=[_healthcheck(w, w.template("http://localhost:", port, "/status"), app)],
        count=count,
    )
    _cli_app(module, w, app["cli_app"], "agentapi attach")
    _task(module, w, run, app["address"])


def _task(module: Module, w: _Writer, run: dict[str, Any], app_address: str) -> None:
    task = run.get("task")
    if task is not None and not task.startswith("module."):
        sidebar = Block(
            "sidebar_app", attributes={"id": w.reference(f"{app_address}.id")}, location=w.location
        )
        _resource(module, w, task, {}, blocks=[sidebar])
    output = run.get("task_app_id")
    if output is not None:
        node: hx.Expression = w.ref(output["ref"])
        if output["when"]:
            node = w.cond(w.ref(output["when"]), node, w.lit(""))
        module.outputs["task_app_id"] = Output("task_app_id", w.expr(node), w.location)


def _self_contained(module: Module, w: _Writer, run: dict[str, Any]) -> None:
    """claude-code 2.x: runs AgentAPI itself (``coder_app.claude_code_web``, its own task)."""
    app = run["task_app"]
    slug_local = "claude_code_app_slug"
    _local(module, w, slug_local, w.lit(app["slug"]["literal"]))
    port = str(app["port"]["literal"])
    health: hx.Expression = w.lit(f"http://localhost:{port}/status")
    if app["base_path_healthcheck"]:  # 2.2.0: subdomain = false moves the chat under a path
        _resource(module, w, "coder_workspace.me", {}, mode="data")
        _resource(module, w, "coder_workspace_owner.me", {}, mode="data")
        path = w.template(
            "/@",
            w.ref("data.coder_workspace_owner.me.name"),
            "/",
            w.ref("data.coder_workspace.me.name"),
            ".",
            w.ref("var.agent_id"),
            "/apps/",
            w.ref(f"local.{slug_local}"),
        )
        subdomain = w.ref(f"var.{app['subdomain']['input']}")
        _local(module, w, "server_base_path", w.cond(subdomain, w.lit(""), path))
        _local(
            module,
            w,
            "healthcheck_url",
            w.template(f"http://localhost:{port}", w.ref("local.server_base_path"), "/status"),
        )
        health = w.ref("local.healthcheck_url")
    _resource(
        module,
        w,
        app["address"],
        {
            "agent_id": w.reference("var.agent_id"),
            "slug": w.reference(f"local.{slug_local}"),
            "url": w.literal(f"http://localhost:{port}/"),
            "subdomain": _subdomain(w, app),
        },
        blocks=[_healthcheck(w, health, app)],
    )
    _cli_app(module, w, app["cli_app"], "claude")
    _task(module, w, run, app["address"])


def _wrapper(module: Module, w: _Writer, entry: CatalogVersion, run: dict[str, Any]) -> None:
    """A module on AgentAPI: the arguments it passes to ``module "agentapi"``, as released."""
    app = run["task_app"]
    _local(module, w, "app_slug", w.lit(app["slug"]["literal"]))
    arguments = {
        "agent_id": w.reference("var.agent_id"),
        "web_app_slug": w.reference("local.app_slug"),
    }
    if "input" in app["subdomain"]:
        arguments["agentapi_subdomain"] = w.reference(f"var.{app['subdomain']['input']}")
    cli = app["cli_app"]
    if cli is not None:
        slug = w.lit(cli["slug"]["literal"])
        if cli["switch"] is not None:
            flag = f"var.{cli['switch']['input']}"
            arguments["cli_app"] = w.reference(flag)
            arguments["cli_app_slug"] = w.expr(w.cond(w.ref(flag), slug, w.lit(None)))
        else:  # passed, but the CLI app is never switched on
            arguments["cli_app_slug"] = w.expr(slug)
    web = app["web_app"]
    if web is not None and web["passed"]:
        arguments["web_app"] = w.reference(f"var.{web['input']}")
    pin = (entry.calls.get("agentapi") or {}).get("version") or run["agentapi"]
    inner = release("coder/agentapi", pin)
    assert inner is not None, f"{entry.label()} pins agentapi {pin}, which the catalog lacks"
    call = ModuleCall(
        name="agentapi",
        source=AGENTAPI_SOURCE,
        version=pin,
        arguments=arguments,
        location=w.location,
        status="catalog",
    )
    call.module = build(inner, (*module.path, "agentapi"), AGENTAPI_SOURCE, pin, w.location)
    module.calls["agentapi"] = call
    _task(module, w, run, "")


def _plain(module: Module, w: _Writer, run: dict[str, Any]) -> None:
    """No AgentAPI: command apps only (or nothing at all)."""
    for app in run["apps"]:
        _resource(
            module,
            w,
            app["address"],
            {
                "agent_id": w.reference("var.agent_id"),
                "slug": w.literal(app["slug"]),
                "command": w.literal(app["slug"]),
            },
        )


def _other_modules(module: Module, w: _Writer, entry: CatalogVersion, run: dict[str, Any]) -> None:
    """Modules a release calls that the catalog does not describe: their provider floor only."""
    for name, facts in run["other_modules"].items():
        source = str((entry.calls.get(name) or {}).get("source") or "")
        child = Module(path=(*module.path, name), origin="catalog", source=source)
        child.version = facts["version"]
        if facts["provider"]:
            child.required_providers["coder"] = ProviderRequirement(
                "coder", "coder/coder", facts["provider"], w.location
            )
        module.calls[name] = ModuleCall(
            name=name,
            source=source,
            version=facts["version"],
            location=w.location,
            module=child,
            status="catalog",
        )


def build(
    entry: CatalogVersion,
    path: tuple[str, ...],
    source: str,
    constraint: str,
    location: Location,
) -> Module:
    """The module ``entry`` (one release) declares, instantiated at ``path``."""
    module = Module(path=path, origin="catalog", source=source, version=constraint)
    w = _Writer(location)
    for variable in entry.variables:
        default = None if variable.required else w.literal(variable.default)
        module.variables[variable.name] = Variable(variable.name, default, location)
    if entry.provider:
        module.required_providers["coder"] = ProviderRequirement(
            "coder", "coder/coder", entry.provider, location
        )
    for name in entry.outputs:  # what a release computes is unknown unless modelled below
        module.outputs[name] = Output(name, Expr(location=location), location)
    run = entry.run
    if run is None:
        return module
    shape = run["shape"]
    if shape == "agentapi":
        _agentapi(module, w, run)
    elif shape == "self-contained":
        _self_contained(module, w, run)
    elif shape == "wrapper":
        _wrapper(module, w, entry, run)
    else:
        _plain(module, w, run)
    _other_modules(module, w, entry, run)
    return module


def placeholder_location(entry: CatalogVersion) -> Location:
    return Location(f"<catalog:{entry.module} {format_version(entry.version)}>")
