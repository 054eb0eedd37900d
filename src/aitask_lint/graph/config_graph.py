"""The dependency graph of a configuration model, named the way Terraform names it.

Nodes are Terraform's plan-graph nodes (``[root] coder_app.web (expand)``,
``[root] module.m.var.x (expand)``, ``[root] module.m.output.y (expand)``,
``[root] local.z (expand)``, ``[root] var.v``, providers, module expansion
nodes), edges go from each object to what its expressions, ``count`` /
``for_each``, ``depends_on`` and provider reference, and the result is
transitively reduced like ``terraform graph`` output, because Coder's
"closest resource" rule counts hops in that graph. The same builder serves a
plan's ``configuration`` section and ``.tf`` sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aitask_lint.graph.model import EXPAND_SUFFIX, ResourceGraph, transitive_reduction
from aitask_lint.model.config import Block, ConfigTree, Expr, Module, module_prefix
from aitask_lint.model.refs import Ref, target_of

ROOT = "[root] "


def expand_node(address: str) -> str:
    return f"{ROOT}{address}{EXPAND_SUFFIX}"


def provider_node(full_name: str, alias: str = "") -> str:
    # DOT keeps the escaped quotes verbatim, and so do our parsed node names.
    suffix = f".{alias}" if alias else ""
    return f'{ROOT}provider[\\"{full_name}\\"]{suffix}'


def node_address(node: str) -> str:
    """A node name without Terraform's ``[root] `` prefix and `` (expand)`` suffix."""
    if node.startswith(ROOT):
        node = node[len(ROOT) :]
    if node.endswith(EXPAND_SUFFIX):
        node = node[: -len(EXPAND_SUFFIX)]
    return node


def expressions_of(attributes: dict[str, Expr], blocks: Iterable[Block]) -> Iterator[Expr]:
    """Every expression of a body, nested blocks included."""
    yield from attributes.values()
    for block in blocks:
        yield from expressions_of(block.attributes, block.blocks)


class _Scope:
    """Resolves references inside one module to graph node names."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.prefix = module.prefix

    def nodes(self, ref: Ref) -> list[str]:
        target = target_of(ref)
        prefix = self.prefix
        if target.kind == "var":
            if not prefix:
                return [f"{ROOT}var.{target.name}"]
            return [expand_node(f"{prefix}var.{target.name}")]
        if target.kind == "local":
            return [expand_node(f"{prefix}local.{target.name}")]
        if target.kind == "module_output":
            return [expand_node(f"{prefix}module.{target.name}.output.{target.output}")]
        if target.kind == "module":
            call = self.module.calls.get(target.name)
            outputs = sorted(call.module.outputs) if call and call.module else []
            return [expand_node(f"{prefix}module.{target.name}.output.{o}") for o in outputs]
        if target.kind in ("resource", "data"):
            return [expand_node(prefix + target.address)]
        return []

    def all_nodes(self, refs: Iterable[Ref]) -> list[str]:
        found: dict[str, None] = {}  # ordered, and linear on 30,000 references
        for ref in refs:
            for node in self.nodes(ref):
                found[node] = None
        return list(found)


def build_graph(tree: ConfigTree, *, reduce: bool = True) -> ResourceGraph:
    """The (transitively reduced) dependency graph of ``tree``."""
    graph = ResourceGraph(source="configuration")
    root_scope = _Scope(tree.root)
    for provider in tree.root.providers:
        if not provider.full_name:
            continue
        node = provider_node(provider.full_name, provider.alias)
        graph.add_node(node, node[len(ROOT) :])
        refs = [ref for expr in provider.attributes.values() for ref in expr.refs]
        for target in root_scope.all_nodes(refs):
            graph.add_edge(node, target)
    _add_module(graph, tree.root, parent=None)
    return transitive_reduction(graph) if reduce else graph


def _add_module(graph: ResourceGraph, module: Module, parent: Module | None) -> None:
    scope = _Scope(module)
    own_expand = expand_node(module.prefix[:-1]) if module.path else None

    for resource in module.resources.values():
        node = expand_node(resource.address)
        graph.add_node(node, resource.address)
        refs = [
            ref
            for expr in expressions_of(resource.attributes, resource.blocks)
            for ref in expr.refs
        ]
        for meta in (resource.count, resource.for_each):
            if meta is not None:
                refs.extend(meta.refs)
        refs.extend(resource.depends_on)
        for target in scope.all_nodes(refs):
            if target != node:
                graph.add_edge(node, target)
        if resource.provider:
            provider = provider_node(resource.provider)
            graph.add_node(provider, provider[len(ROOT) :])
            graph.add_edge(node, provider)
        if own_expand is not None:
            graph.add_edge(node, own_expand)

    for local in module.locals.values():
        node = expand_node(f"{module.prefix}local.{local.name}")
        graph.add_node(node)
        for target in scope.all_nodes(local.value.refs):
            if target != node:
                graph.add_edge(node, target)

    if module.path:
        for name in sorted(module.outputs):
            output = module.outputs[name]
            node = expand_node(f"{module.prefix}output.{name}")
            graph.add_node(node)
            for target in scope.all_nodes([*output.value.refs, *output.depends_on]):
                graph.add_edge(node, target)
            assert own_expand is not None
            graph.add_edge(node, own_expand)

    if module.path and parent is not None and own_expand is not None:
        parent_scope = _Scope(parent)
        call = parent.calls[module.path[-1]]
        graph.add_node(own_expand)
        call_refs = [*call.depends_on]
        for meta in (call.count, call.for_each):
            if meta is not None:
                call_refs.extend(meta.refs)
        for target in parent_scope.all_nodes(call_refs):
            graph.add_edge(own_expand, target)
        if parent.path:
            graph.add_edge(own_expand, expand_node(module_prefix(parent.path)[:-1]))
        for variable in module.variables:
            node = expand_node(f"{module.prefix}var.{variable}")
            graph.add_edge(node, own_expand)
            argument = call.arguments.get(variable)
            if argument is not None:
                for target in parent_scope.all_nodes(argument.refs):
                    graph.add_edge(node, target)

    for call in module.calls.values():
        if call.module is not None:
            _add_module(graph, call.module, parent=module)


def reference_nodes(module: Module, refs: Iterable[Ref]) -> list[str]:
    """The graph nodes that ``refs``, read inside ``module``, name (for pictures of a chain)."""
    return _Scope(module).all_nodes(refs)
