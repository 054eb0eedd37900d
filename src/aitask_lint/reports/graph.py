"""``aitask-lint graph``: the dependency graph, each AI-task chain highlighted.

The graph is Terraform's (from a ``terraform graph`` DOT file, or built the
same way from the configuration), shown with configuration addresses;
provider and teardown nodes are left out because they say nothing about the
template. Every node and edge on a path task -> app (through module outputs,
locals, variables), app -> agent and compute -> agent is marked as part of
the chain.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from collections import deque
from dataclasses import dataclass, field

from aitask_lint.errors import AitaskLintError, MultipleInputError
from aitask_lint.graph.config_graph import expand_node, node_address
from aitask_lint.graph.model import ResourceGraph
from aitask_lint.reports.safe import safe_text


class GraphFormatError(AitaskLintError):
    """A requested output format cannot be produced on this machine."""


@dataclass
class ChainGraph:
    graph: ResourceGraph
    chain_nodes: set[str] = field(default_factory=set)
    chain_edges: set[tuple[str, str]] = field(default_factory=set)


def _shown(node: str) -> bool:
    return "provider[" not in node and not node.endswith("(close)") and node != "[root] root"


def _path(graph: ResourceGraph, start: str, goal: str) -> list[str]:
    """Shortest dependency path start -> ... -> goal (following successors)."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            step = previous[node]
            while step is not None:
                path.append(step)
                step = previous[step]
            return path[::-1]
        for successor in graph.successors.get(node, ()):
            if successor not in previous:
                previous[successor] = node
                queue.append(successor)
    return []


def build_chain_graph(path: str, graph_path: str | None = None) -> ChainGraph:
    from aitask_lint.analysis.tasks import TaskAnalysis
    from aitask_lint.graph.derived import graph_from_state_dependencies
    from aitask_lint.graph.dot import load_dot
    from aitask_lint.inputs import load_input
    from aitask_lint.model.config import ConfigTree
    from aitask_lint.model.from_plan import load_plan_configuration

    loaded = load_input(path)
    errors = getattr(loaded, "errors", None)
    if errors:
        # A file that does not parse would be missing from the graph: never draw without it.
        raise MultipleInputError(list(errors))
    document = None if isinstance(loaded, ConfigTree) else loaded
    tree = loaded if isinstance(loaded, ConfigTree) else None
    if document is not None and document.configuration is not None:
        tree = load_plan_configuration(document.configuration, document.path)
    if graph_path is not None:
        graph = load_dot(graph_path)
    elif tree is not None:
        from aitask_lint.graph.config_graph import build_graph

        graph = build_graph(tree)
    else:
        assert document is not None
        graph = graph_from_state_dependencies(document.root_modules())
    result = ChainGraph(graph)
    if tree is None:
        return result
    analysis = TaskAnalysis(tree, graph if graph_path is None else None)
    for task in analysis.tasks():
        for chain in task.chains:
            legs = [(task.task.address, chain.app.address)]
            if chain.agent is not None:
                legs.append((chain.app.address, chain.agent.address))
                if chain.compute is not None:
                    legs.append((chain.compute.address, chain.agent.address))
            for start, goal in legs:
                nodes = _path(graph, expand_node(start), expand_node(goal))
                result.chain_nodes.update(nodes)
                result.chain_edges.update(itertools.pairwise(nodes))
    return result


def _dot_id(text: str) -> str:
    """A quoted DOT ID; control characters escaped (addresses come from the input)."""
    return '"' + safe_text(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(chains: ChainGraph) -> str:
    lines = ["digraph {", '\trankdir = "RL"', '\tnode [shape = "box"]']
    for node in chains.graph.nodes:
        if not _shown(node):
            continue
        attributes = ' color = "red", penwidth = 2' if node in chains.chain_nodes else ""
        lines.append(
            f"\t{_dot_id(node_address(node))} [label = {_dot_id(node_address(node))}"
            f"{(',' + attributes) if attributes else ''}]"
        )
    for source, target in chains.graph.edges():
        if not (_shown(source) and _shown(target)):
            continue
        attributes = (
            ' [color = "red", penwidth = 2]' if (source, target) in chains.chain_edges else ""
        )
        lines.append(
            f"\t{_dot_id(node_address(source))} -> {_dot_id(node_address(target))}{attributes}"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_mermaid(chains: ChainGraph) -> str:
    ids: dict[str, str] = {}
    lines = ["flowchart RL"]
    for node in chains.graph.nodes:
        if _shown(node):
            ids[node] = f"n{len(ids)}"
            label = safe_text(node_address(node)).replace('"', "#quot;")
            lines.append(f'    {ids[node]}["{label}"]')
    links = 0
    chain_links = []
    for source, target in chains.graph.edges():
        if source in ids and target in ids:
            lines.append(f"    {ids[source]} --> {ids[target]}")
            if (source, target) in chains.chain_edges:
                chain_links.append(str(links))
            links += 1
    lines.append("    classDef chain stroke:#d00,stroke-width:3px")
    chain_ids = [ids[n] for n in chains.graph.nodes if n in ids and n in chains.chain_nodes]
    if chain_ids:
        lines.append(f"    class {','.join(chain_ids)} chain")
    if chain_links:
        lines.append(f"    linkStyle {','.join(chain_links)} stroke:#d00,stroke-width:3px")
    return "\n".join(lines) + "\n"


def render_json(chains: ChainGraph) -> str:
    nodes = [
        {"id": node_address(n), "chain": n in chains.chain_nodes}
        for n in chains.graph.nodes
        if _shown(n)
    ]
    edges = [
        {"from": node_address(s), "to": node_address(t), "chain": (s, t) in chains.chain_edges}
        for s, t in chains.graph.edges()
        if _shown(s) and _shown(t)
    ]
    return json.dumps({"nodes": nodes, "edges": edges}, indent=2) + "\n"


def render_graph(path: str, output_format: str, graph_path: str | None = None) -> str:
    chains = build_chain_graph(path, graph_path)
    if output_format == "mermaid":
        return render_mermaid(chains)
    if output_format == "json":
        return render_json(chains)
    dot = render_dot(chains)
    if output_format != "svg":
        return dot
    executable = shutil.which("dot")
    if executable is None:
        raise GraphFormatError(
            "aitask-lint: --format svg needs Graphviz's `dot` on PATH (install Graphviz, e.g. "
            "`apt-get install graphviz`), or use --format dot and render it elsewhere"
        )
    result = subprocess.run(
        [executable, "-Tsvg"], input=dot, capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise GraphFormatError(f"aitask-lint: Graphviz failed: {result.stderr.strip()}")
    return result.stdout
