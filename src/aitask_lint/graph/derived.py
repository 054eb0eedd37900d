"""Derive the dependency graph when no ``terraform graph`` output is at hand.

Users often have the plan JSON but not the DOT file (or no Terraform binary).
A plan's ``configuration`` section carries every expression's references,
``depends_on``, module calls with their variables and outputs, and each
resource's provider: what Terraform itself builds its plan graph from. It is
loaded into the configuration model and :mod:`aitask_lint.graph.config_graph`
builds Terraform's graph from it.

What cannot be recovered from the JSON: ``locals`` are not exported by
``terraform show -json``, so a local's own references are missing and a path
through a local can be one hop shorter than in ``terraform graph``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from aitask_lint.graph.config_graph import ROOT, build_graph, expand_node
from aitask_lint.graph.model import EXPAND_SUFFIX, ResourceGraph, transitive_reduction

if TYPE_CHECKING:
    from aitask_lint.tfjson.loader import TerraformDocument


def derive_graph(configuration: Mapping[str, Any]) -> ResourceGraph:
    """The reduced dependency graph of a plan's ``configuration`` section."""
    from aitask_lint.model.from_plan import load_plan_configuration

    return build_graph(load_plan_configuration(configuration))


def _add_state_module(graph: ResourceGraph, module: Mapping[str, Any]) -> None:
    """Add a state module's instances and their ``depends_on`` edges, children first.

    A module-level function: a nested recursive one would be a reference
    cycle (the function and its own closure cell), which the CLI, running
    without the cycle collector, would never free.
    """
    for child in module.get("child_modules") or []:
        if isinstance(child, Mapping):
            _add_state_module(graph, child)
    for resource in module.get("resources") or []:
        address = resource.get("address") if isinstance(resource, Mapping) else None
        if not isinstance(address, str):
            continue
        label = config_address(address)
        node = expand_node(label)
        graph.add_node(node, label)
        for dependency in resource.get("depends_on") or []:
            if isinstance(dependency, str):
                graph.add_edge(node, _dependency_node(dependency))


@functools.lru_cache(maxsize=65536)
def _dependency_node(address: str) -> str:
    """The node of a ``depends_on`` entry; each address is repeated by all its dependents."""
    return expand_node(config_address(address))


def graph_from_state_dependencies(modules: Iterable[Mapping[str, Any]]) -> ResourceGraph:
    """A graph from the ``depends_on`` Terraform records on each state instance.

    State documents carry no configuration; each instance lists the
    resources it depends on (by absolute configuration address). That gives
    resource-to-resource edges only, so paths through variables count fewer
    hops than in ``terraform graph``; the result is transitively reduced
    like it.
    """
    graph = ResourceGraph(source="state")
    for module in modules:
        _add_state_module(graph, module)
    for name in list(graph.nodes):
        if name.startswith(ROOT) and name not in graph.labels:
            graph.labels[name] = name[len(ROOT) : -len(EXPAND_SUFFIX)]
    return transitive_reduction(graph)


def config_address(address: str) -> str:
    """An instance address without instance keys: ``module.m[0].x.y["k"]`` -> ``module.m.x.y``."""
    if "[" not in address:  # most addresses; a state can hold a million depends_on entries
        return address
    out: list[str] = []
    depth = 0
    quoted = False
    for char in address:
        if quoted:
            if char == "\\":
                continue
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


def document_graph(document: TerraformDocument) -> ResourceGraph:
    """The dependency graph of a document when no DOT file was given.

    A plan's (or state's) ``configuration`` section is the best source: it
    yields the graph Terraform itself would print. A state without one falls
    back to each instance's recorded ``depends_on``.
    """
    if document.configuration is not None:
        return derive_graph(document.configuration)
    return graph_from_state_dependencies(document.root_modules())
