"""Small questions rules ask of the model, so rules read like their documentation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from aitask_lint.graph.config_graph import expressions_of
from aitask_lint.model.config import Block, ConfigTree, Expr, Location, Module, Resource
from aitask_lint.values import NIL_UUID, UNKNOWN, is_uuid

if TYPE_CHECKING:
    from aitask_lint.analysis.tasks import AppChain
    from aitask_lint.lint.context import LintContext

__all__ = [
    "NIL_UUID",
    "expr_text",
    "go_bytes",
    "is_uuid",
    "literal",
    "module_expressions",
    "where",
]


def literal(owner: Resource | Block, name: str) -> Any:
    """The literal value of an attribute, or UNKNOWN (absent or computed)."""
    expr = owner.attributes.get(name)
    return expr.value if expr is not None else UNKNOWN


def where(owner: Resource | Block, name: str | None = None) -> Location | None:
    """The location of an attribute when it is set, else of its block."""
    if name is not None:
        expr = owner.attributes.get(name)
        if expr is not None and expr.location is not None:
            return expr.location
    return owner.location


def expr_text(expr: Expr | None) -> str:
    if expr is None:
        return ""
    if expr.source is not None:
        return expr.source
    if expr.refs:
        return expr.refs[0].text
    return json.dumps(expr.value) if expr.value is not UNKNOWN else "(computed)"


def go_bytes(text: str) -> int:
    """Length in bytes, as the provider's validators count it.

    ``surrogatepass``: a lone surrogate (possible in a dict a library caller
    passes; the loaders replace them) counts as its 3 bytes instead of crashing.
    """
    return len(text.encode("utf-8", "surrogatepass"))


def from_registry(tree: ConfigTree, module: Module) -> bool:
    """True when ``module`` is, or sits inside, a module installed from a registry.

    Such a module's files are not the template author's to edit (the catalog
    synthesises them, or ``terraform init`` downloads them again): a finding
    whose fix is an edit of them belongs on the module call instead.
    """
    if module.origin == "catalog":
        return True
    current = tree.root
    for name in module.path:
        call = current.calls.get(name)
        if call is None or call.module is None:
            return False
        if not call.source.startswith(("./", "../")) and call.source not in (".", ".."):
            return True
        current = call.module
    return False


def task_apps(context: LintContext) -> list[AppChain]:
    """Every distinct (task chain) app the template's tasks lead to, and modules' task apps.

    In a module scanned alone, the app behind its ``task_app_id`` output is
    checked as a task app too (rules.md, "Templates and modules").
    """
    from aitask_lint.analysis.resolve import Resolver

    chains: list[AppChain] = []
    seen: set[str] = set()
    for task in context.tasks:
        for chain in task.chains:
            if chain.app.address not in seen:
                seen.add(chain.app.address)
                chains.append(chain)
    analysis = context.analysis  # None exactly when there is no configuration tree
    if context.tree is not None and analysis is not None and not context.is_template:
        resolver = Resolver(context.tree)
        output = context.tree.root.outputs.get("task_app_id")
        if output is not None:
            for candidate in resolver.resolve(output.value, context.tree.root).resources(
                "coder_app", "id"
            ):
                app = candidate.resource
                if app is not None and app.address not in seen:
                    seen.add(app.address)
                    module = context.tree.module_at(app.module) or context.tree.root
                    chains.append(analysis.chain(app, module, candidate))
    return chains


def module_expressions(module: Module) -> Iterator[tuple[str, Expr]]:
    """Every expression a module evaluates, with the address of what holds it."""
    for resource in module.resources.values():
        for expr in expressions_of(resource.attributes, resource.blocks):
            yield resource.address, expr
        for meta in (resource.count, resource.for_each):
            if meta is not None:
                yield resource.address, meta
    for call in module.calls.values():
        for argument in (*call.arguments.values(), call.count, call.for_each):
            if argument is not None:
                yield f"{module.prefix}module.{call.name}", argument
    for local in module.locals.values():
        yield f"{module.prefix}local.{local.name}", local.value
    for output in module.outputs.values():
        yield f"{module.prefix}output.{output.name}", output.value
