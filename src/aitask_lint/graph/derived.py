"""Derive the dependency graph from a plan's ``configuration`` section.

Users often have the plan JSON but not the ``terraform graph`` output (or no
Terraform binary at hand). The configuration section carries every
expression's ``references``, ``depends_on``, module calls with their
variables and outputs, and the provider each resource uses: everything
Terraform itself uses to build its plan graph. This module rebuilds that
graph with Terraform's node names (resources, data sources, module variables
and outputs, locals, module expansion nodes, providers) and then applies the
same transitive reduction ``terraform graph`` applies, because Coder's
"closest resource" rule counts hops in the reduced graph.

What cannot be recovered from the JSON: ``locals`` are not exported by
``terraform show -json``, so a reference through a local is seen as direct
references to whatever the local referred to when Terraform recorded it (the
local's own references are not listed), which can shorten a path by one hop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aitask_lint.graph.model import EXPAND_SUFFIX, ResourceGraph, transitive_reduction

ROOT = "[root] "
_NON_OBJECT_ROOTS = frozenset({"count", "each", "path", "terraform", "self"})


def _expand(address: str) -> str:
    return f"{ROOT}{address}{EXPAND_SUFFIX}"


def _strip_index(segment: str) -> str:
    cut = segment.find("[")
    return segment if cut < 0 else segment[:cut]


def expression_references(expressions: Any) -> Iterator[str]:
    """Every reference string in an ``expressions`` object, nested blocks included."""
    if isinstance(expressions, Mapping):
        references = expressions.get("references")
        if isinstance(references, list):
            yield from (ref for ref in references if isinstance(ref, str))
        for key, value in expressions.items():
            if key not in ("references", "constant_value") and isinstance(value, Mapping | list):
                yield from expression_references(value)
    elif isinstance(expressions, list):
        for item in expressions:
            yield from expression_references(item)


class _ModuleScope:
    """What a module declares, so references in it can be resolved to nodes."""

    def __init__(self, prefix: str, module: Mapping[str, Any]) -> None:
        self.prefix = prefix  # "" for the root, "module.a.module.b." for nested modules
        self.module = module
        self.calls: dict[str, Mapping[str, Any]] = {
            name: call
            for name, call in (module.get("module_calls") or {}).items()
            if isinstance(call, Mapping)
        }

    def call_outputs(self, call_name: str) -> list[str]:
        child = self.calls.get(call_name, {}).get("module") or {}
        return sorted((child.get("outputs") or {}).keys())

    def variable_node(self, name: str) -> str:
        if not self.prefix:
            return f"{ROOT}var.{name}"
        return _expand(f"{self.prefix}var.{name}")

    def resolve(self, reference: str) -> list[str]:
        """The graph nodes a reference string (as Terraform lists it) points at."""
        parts = reference.split(".")
        head = _strip_index(parts[0])
        if head in _NON_OBJECT_ROOTS:
            return []
        if head == "var" and len(parts) >= 2:
            return [self.variable_node(_strip_index(parts[1]))]
        if head == "local" and len(parts) >= 2:
            return [_expand(f"{self.prefix}local.{_strip_index(parts[1])}")]
        if head == "module" and len(parts) >= 2:
            call = _strip_index(parts[1])
            outputs = [_strip_index(parts[2])] if len(parts) >= 3 else self.call_outputs(call)
            return [_expand(f"{self.prefix}module.{call}.output.{out}") for out in outputs]
        if head == "data" and len(parts) >= 3:
            return [_expand(f"{self.prefix}data.{parts[1]}.{_strip_index(parts[2])}")]
        if len(parts) >= 2:
            return [_expand(f"{self.prefix}{head}.{_strip_index(parts[1])}")]
        return []

    def resolve_all(self, references: Iterable[str]) -> list[str]:
        """Resolve a reference list, preferring its most specific entry per object.

        Terraform lists a traversal followed by its shorter prefixes
        (``module.m.out`` then ``module.m``); the prefix must not widen a
        reference to one output into a reference to all of them.
        """
        nodes: list[str] = []
        seen_modules: set[str] = set()
        for reference in references:
            parts = reference.split(".")
            if _strip_index(parts[0]) == "module" and len(parts) >= 2:
                call = _strip_index(parts[1])
                if len(parts) == 2 and call in seen_modules:
                    continue
                seen_modules.add(call)
            for node in self.resolve(reference):
                if node not in nodes:
                    nodes.append(node)
        return nodes


def _provider_node(configuration: Mapping[str, Any], key: str | None) -> str | None:
    providers = configuration.get("provider_config") or {}
    entry = providers.get(key) if key else None
    if not isinstance(entry, Mapping):
        return None
    full_name = entry.get("full_name") or entry.get("name")
    if not full_name:
        return None
    alias = entry.get("alias")
    suffix = f".{alias}" if alias else ""
    # DOT keeps the escaped quotes verbatim, and so do our parsed node names.
    return f'{ROOT}provider[\\"{full_name}\\"]{suffix}'


def derive_graph(configuration: Mapping[str, Any]) -> ResourceGraph:
    """Build the reduced dependency graph of a plan's ``configuration`` section."""
    graph = ResourceGraph(source="configuration")
    root = configuration.get("root_module") or {}
    root_scope = _ModuleScope("", root)
    _add_module(graph, configuration, root_scope, parent=None, parent_expand=None)
    for key, provider in (configuration.get("provider_config") or {}).items():
        node = _provider_node(configuration, key)
        if node is None or not isinstance(provider, Mapping) or provider.get("module_address"):
            continue
        graph.add_node(node, node[len(ROOT) :])
        for target in root_scope.resolve_all(expression_references(provider.get("expressions"))):
            graph.add_edge(node, target)
    return transitive_reduction(graph)


def _add_module(
    graph: ResourceGraph,
    configuration: Mapping[str, Any],
    scope: _ModuleScope,
    parent: _ModuleScope | None,
    parent_expand: str | None,
) -> None:
    module = scope.module
    own_expand = _expand(scope.prefix[:-1]) if scope.prefix else None

    for resource in module.get("resources") or []:
        if not isinstance(resource, Mapping) or not isinstance(resource.get("address"), str):
            continue
        address = scope.prefix + resource["address"]
        node = _expand(address)
        graph.add_node(node, address)
        references = list(expression_references(resource.get("expressions")))
        for meta in ("count_expression", "for_each_expression"):
            references.extend(expression_references(resource.get(meta)))
        references.extend(resource.get("depends_on") or [])
        for target in scope.resolve_all(references):
            if target != node:
                graph.add_edge(node, target)
        provider = _provider_node(configuration, resource.get("provider_config_key"))
        if provider is not None:
            graph.add_node(provider, provider[len(ROOT) :])
            graph.add_edge(node, provider)
        if own_expand is not None:
            graph.add_edge(node, own_expand)

    for name, output in sorted((module.get("outputs") or {}).items()):
        if not scope.prefix or not isinstance(output, Mapping):
            continue  # root outputs have no dependents that matter to Coder
        node = _expand(f"{scope.prefix}output.{name}")
        graph.add_node(node)
        refs = list(expression_references(output.get("expression")))
        refs.extend(output.get("depends_on") or [])
        for target in scope.resolve_all(refs):
            graph.add_edge(node, target)
        if own_expand is not None:
            graph.add_edge(node, own_expand)

    for name, _variable in sorted((module.get("variables") or {}).items()):
        if scope.prefix:
            graph.add_node(scope.variable_node(name))

    if scope.prefix and parent is not None:
        call_name = scope.prefix[:-1].rsplit(".", 1)[-1]
        call = parent.calls.get(call_name, {})
        assert own_expand is not None
        graph.add_node(own_expand)
        call_refs = list(expression_references(call.get("count_expression")))
        call_refs.extend(expression_references(call.get("for_each_expression")))
        call_refs.extend(call.get("depends_on") or [])
        for target in parent.resolve_all(call_refs):
            graph.add_edge(own_expand, target)
        if parent_expand is not None:
            graph.add_edge(own_expand, parent_expand)
        arguments = call.get("expressions") or {}
        for variable in module.get("variables") or {}:
            node = scope.variable_node(variable)
            graph.add_edge(node, own_expand)
            for target in parent.resolve_all(expression_references(arguments.get(variable))):
                graph.add_edge(node, target)

    for call_name, call in scope.calls.items():
        child_module = call.get("module")
        if isinstance(child_module, Mapping):
            child = _ModuleScope(f"{scope.prefix}module.{call_name}.", child_module)
            _add_module(graph, configuration, child, parent=scope, parent_expand=own_expand)


def graph_from_state_dependencies(modules: Iterable[Mapping[str, Any]]) -> ResourceGraph:
    """A graph from the ``depends_on`` Terraform records on each state instance.

    State documents carry no configuration; each instance lists the
    resources it depends on (by configuration address). That gives resource
    to resource edges only, so paths through variables count fewer hops than
    in ``terraform graph``; the result is transitively reduced like it.
    """
    graph = ResourceGraph(source="state")

    def visit(module: Mapping[str, Any]) -> None:
        for child in module.get("child_modules") or []:
            if isinstance(child, Mapping):
                visit(child)
        for resource in module.get("resources") or []:
            address = resource.get("address") if isinstance(resource, Mapping) else None
            if not isinstance(address, str):
                continue
            label = _config_address(address)
            node = _expand(label)
            graph.add_node(node, label)
            # Terraform records absolute configuration addresses here.
            for dependency in resource.get("depends_on") or []:
                if isinstance(dependency, str):
                    graph.add_edge(node, _expand(_config_address(dependency)))

    for module in modules:
        visit(module)
    for name in list(graph.nodes):
        if name.startswith(ROOT) and name not in graph.labels:
            graph.labels[name] = name[len(ROOT) : -len(EXPAND_SUFFIX)]
    return transitive_reduction(graph)


def _config_address(address: str) -> str:
    """An instance address without instance keys: ``module.m[0].x.y["k"]`` -> ``module.m.x.y``."""
    out: list[str] = []
    depth = 0
    quoted = False
    for char in address:
        if quoted:
            if char == '"':
                quoted = False
            continue
        if char == '"' and depth:
            quoted = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)
