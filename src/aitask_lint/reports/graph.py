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
import os
import textwrap
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aitask_lint.errors import MultipleInputError
from aitask_lint.graph.config_graph import expand_node, node_address, reference_nodes
from aitask_lint.graph.model import ResourceGraph, module_path, shorten
from aitask_lint.reports.graphviz import GraphFormatError, check_svg_size, render_svg
from aitask_lint.reports.safe import safe_text

if TYPE_CHECKING:
    from aitask_lint.analysis.tasks import Problem
    from aitask_lint.analysis.variables import VariableInputs

__all__ = ["ChainBreak", "ChainGraph", "GraphFormatError", "build_chain_graph", "render_graph"]

#: characters per line of a node label (the full address is in the tooltip)
LABEL_WIDTH = 36
#: characters per line, and lines, of the note that says why a chain stops
NOTE_WIDTH = 44
NOTE_LINES = 6
#: characters of a tooltip (a full address or reason, unless the input made it absurd)
TOOLTIP_WIDTH = 1000
BREAK_COLOR = "#c00000"
UNKNOWN_COLOR = "#d07000"


@dataclass(frozen=True)
class ChainBreak:
    """Where one task's chain stops (a graph node) and why (the ``tasks`` problem)."""

    task: str
    at: str
    step: str
    kind: str
    reason: str


@dataclass
class ChainGraph:
    graph: ResourceGraph
    chain_nodes: set[str] = field(default_factory=set)
    chain_edges: set[tuple[str, str]] = field(default_factory=set)
    #: every ``coder_ai_task`` node, drawn highlighted whether or not its chain resolves
    tasks: set[str] = field(default_factory=set)
    breaks: list[ChainBreak] = field(default_factory=list)


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


def build_chain_graph(
    path: str, graph_path: str | None = None, variables: VariableInputs | None = None
) -> ChainGraph:
    from aitask_lint.analysis.tasks import TaskAnalysis
    from aitask_lint.graph.derived import graph_from_state_dependencies
    from aitask_lint.graph.dot import load_dot
    from aitask_lint.inputs import load_input
    from aitask_lint.model.config import ConfigTree
    from aitask_lint.model.from_plan import load_plan_configuration

    loaded = load_input(path)
    errors = list(getattr(loaded, "errors", None) or [])
    if isinstance(loaded, ConfigTree) and loaded.origin == "hcl":
        from aitask_lint.analysis.variables import VariableInputs, load_values

        directory = path if os.path.isdir(path) else os.path.dirname(path) or "."
        loaded.variable_values, more = load_values(
            loaded.root, directory, variables or VariableInputs()
        )
        errors += more
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
        task_node = expand_node(task.task.address)
        result.tasks.add(task_node)
        result.chain_nodes.add(task_node)
        if task.problems:
            # The chain stops at what the task's reference names (a module output
            # that does not exist, a local that leads nowhere), else at the task.
            named = reference_nodes(task.module, task.expression.refs if task.expression else [])
            reached = [node for node in named if _path(graph, task_node, node)]
            at = reached[0] if reached else task_node
            _mark(result, graph, task_node, at)
            for problem in task.problems:
                _add_break(result, task_node, at, problem)
        for chain in task.chains:
            legs = [(task.task.address, chain.app.address)]
            if chain.agent is not None:
                legs.append((chain.app.address, chain.agent.address))
                if chain.compute is not None:
                    legs.append((chain.compute.address, chain.agent.address))
            for start, goal in legs:
                _mark(result, graph, expand_node(start), expand_node(goal))
            for problem in chain.problems:
                stop = chain.agent if problem.step == "compute" and chain.agent else chain.app
                at = expand_node(stop.address)
                _add_break(result, task_node, at, problem)
    return result


def _mark(result: ChainGraph, graph: ResourceGraph, start: str, goal: str) -> None:
    nodes = _path(graph, start, goal)
    result.chain_nodes.update(nodes)
    result.chain_edges.update(itertools.pairwise(nodes))


def _add_break(result: ChainGraph, task: str, at: str, problem: Problem) -> None:
    if at not in result.graph.successors or not _shown(at):
        at = task
    found = ChainBreak(task, at, problem.step, problem.kind, problem.message)
    if found not in result.breaks:
        result.breaks.append(found)


def _escape(text: str) -> str:
    """Text for inside a quoted DOT string; control characters escaped (it comes from the input)."""
    return safe_text(text).replace("\\", "\\\\").replace('"', '\\"')


def _dot_id(text: str) -> str:
    """A quoted DOT ID."""
    return f'"{_escape(text)}"'


def _dot_lines(lines: list[str]) -> str:
    """A quoted multi-line DOT label (``\\n`` joins the escaped lines)."""
    return '"' + "\\n".join(_escape(line) for line in lines) + '"'


def label_lines(address: str, width: int = LABEL_WIDTH) -> list[str]:
    """A node's label: its local address, and the module path under it, each shortened.

    ``module.claude-code.module.agentapi.coder_app.agentapi_web`` is drawn as
    ``coder_app.agentapi_web`` over ``module claude-code \u203a agentapi`` (a right
    angle quote); the full address goes in the tooltip (DOT, SVG) or the JSON ``id``.
    """
    modules, local = module_path(address)
    lines = [shorten(local, width)]
    if modules:
        path = " \u203a ".join(modules)
        if len(path) > width - len("module "):
            path = shorten(f"\u2026 \u203a {modules[-1]}", width - len("module "))
        lines.append(f"module {path}")
    return lines


_STEP_GOALS = {"app": "the app", "agent": "the app's agent", "compute": "the agent's compute"}


def _note_lines(chain_break: ChainBreak) -> list[str]:
    goal = _STEP_GOALS.get(chain_break.step, chain_break.step)
    title = (
        f"cannot follow the chain to {goal} statically"
        if chain_break.kind == "unknown"
        else f"chain stops before {goal}"
    )
    body = textwrap.wrap(safe_text(chain_break.reason), NOTE_WIDTH) or [""]
    if len(body) > NOTE_LINES:
        body = [*body[: NOTE_LINES - 1], shorten(" ".join(body[NOTE_LINES - 1 :]), NOTE_WIDTH)]
    return [title, *body]


def _break_ids(chains: ChainGraph, taken: set[str]) -> list[str]:
    """IDs for the note nodes that cannot collide with an address from the input."""
    ids = []
    for number in range(1, len(chains.breaks) + 1):
        candidate = f"why {number}"
        while candidate in taken:
            candidate += "'"
        taken.add(candidate)
        ids.append(candidate)
    return ids


def _shown_nodes(chains: ChainGraph) -> list[str]:
    return [node for node in chains.graph.nodes if _shown(node)]


def _shown_edges(chains: ChainGraph) -> list[tuple[str, str]]:
    return [(s, t) for s, t in chains.graph.edges() if _shown(s) and _shown(t)]


def _task_fill(chains: ChainGraph, task: str) -> str:
    """Red: the chain breaks; yellow: it cannot be followed statically; green: it resolves."""
    kinds = {b.kind for b in chains.breaks if b.task == task}
    if kinds - {"unknown"}:
        return "#fde2e2"
    return "#fff4ce" if kinds else "#e3f4e3"


_TASK_CLASSES = {"#fde2e2": "task", "#fff4ce": "taskunknown", "#e3f4e3": "taskok"}


def render_dot(chains: ChainGraph) -> str:
    lines = ["digraph {", '\trankdir = "RL"', '\tnode [shape = "box"]']
    if chains.tasks:
        lines.append(
            '\tlabel = "red: each task \u2192 app \u2192 agent \u2192 compute chain; dashed: where '
            "a chain stops (red) or cannot be followed statically (orange), and why. "
            'Hover a node for its full address."'
        )
        lines.append('\tlabelloc = "b"')
        lines.append("\tfontsize = 10")
    nodes = _shown_nodes(chains)
    for node in nodes:
        address = node_address(node)
        attributes = [
            f"label = {_dot_lines(label_lines(address))}",
            f"tooltip = {_dot_id(shorten(address, TOOLTIP_WIDTH))}",
        ]
        if node in chains.chain_nodes:
            attributes.append('color = "red", penwidth = 2')
        if node in chains.tasks:
            fill = _task_fill(chains, node)
            attributes.append(f'style = "filled,bold", fillcolor = "{fill}"')
        lines.append(f"\t{_dot_id(address)} [{', '.join(attributes)}]")
    for source, target in _shown_edges(chains):
        style = ' [color = "red", penwidth = 2]' if (source, target) in chains.chain_edges else ""
        lines.append(f"\t{_dot_id(node_address(source))} -> {_dot_id(node_address(target))}{style}")
    taken = {node_address(node) for node in nodes}
    for identifier, chain_break in zip(_break_ids(chains, taken), chains.breaks, strict=True):
        color = UNKNOWN_COLOR if chain_break.kind == "unknown" else BREAK_COLOR
        tooltip = _dot_id(
            shorten(f"{node_address(chain_break.task)}: {chain_break.reason}", TOOLTIP_WIDTH)
        )
        edge_label = "unknown" if chain_break.kind == "unknown" else "breaks"
        lines.append(
            f'\t{_dot_id(identifier)} [shape = "note", style = "filled", '
            f'fillcolor = "#fff4ce", color = "{color}", fontcolor = "{color}", '
            f"label = {_dot_lines(_note_lines(chain_break))}, tooltip = {tooltip}]"
        )
        lines.append(
            f"\t{_dot_id(node_address(chain_break.at))} -> {_dot_id(identifier)} "
            f'[color = "{color}", fontcolor = "{color}", style = "dashed", penwidth = 2, '
            f'arrowhead = "tee", label = "{edge_label}", '
            f"tooltip = {tooltip}]"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return (
        safe_text(text)
        .replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
    )


def render_mermaid(chains: ChainGraph) -> str:
    ids: dict[str, str] = {}
    lines = ["flowchart RL"]
    for node in _shown_nodes(chains):
        ids[node] = f"n{len(ids)}"
        # Mermaid has no tooltips without links: the label keeps the whole module path.
        modules, local = module_path(node_address(node))
        label = _mermaid_text(local)
        if modules:
            label += "<br/>module " + _mermaid_text(" \u203a ".join(modules))
        lines.append(f'    {ids[node]}["{label}"]')
    links = 0
    chain_links = []
    for source, target in _shown_edges(chains):
        lines.append(f"    {ids[source]} --> {ids[target]}")
        if (source, target) in chains.chain_edges:
            chain_links.append(str(links))
        links += 1
    break_links: dict[str, list[str]] = {"break": [], "unknown": []}
    for number, chain_break in enumerate(chains.breaks):
        kind = "unknown" if chain_break.kind == "unknown" else "break"
        note = "<br/>".join(_mermaid_text(line) for line in _note_lines(chain_break))
        lines.append(f'    why{number}>"{note}"]')
        edge_label = "unknown" if kind == "unknown" else "breaks"
        lines.append(f"    {ids[chain_break.at]} -.->|{edge_label}| why{number}")
        lines.append(f"    class why{number} chain{kind}")
        break_links[kind].append(str(links))
        links += 1
    lines.append("    classDef chain stroke:#d00,stroke-width:3px")
    lines.append("    classDef task fill:#fde2e2,stroke:#d00,stroke-width:3px")
    lines.append("    classDef taskunknown fill:#fff4ce,stroke:#d00,stroke-width:3px")
    lines.append("    classDef taskok fill:#e3f4e3,stroke:#d00,stroke-width:3px")
    lines.append(f"    classDef chainbreak fill:#fff4ce,stroke:{BREAK_COLOR},color:{BREAK_COLOR}")
    lines.append(
        f"    classDef chainunknown fill:#fff4ce,stroke:{UNKNOWN_COLOR},color:{UNKNOWN_COLOR}"
    )
    chain_ids = [ids[n] for n in ids if n in chains.chain_nodes and n not in chains.tasks]
    if chain_ids:
        lines.append(f"    class {','.join(chain_ids)} chain")
    for fill in ("#fde2e2", "#fff4ce", "#e3f4e3"):
        task_ids = [ids[n] for n in ids if n in chains.tasks and _task_fill(chains, n) == fill]
        if task_ids:
            lines.append(f"    class {','.join(task_ids)} {_TASK_CLASSES[fill]}")
    if chain_links:
        lines.append(f"    linkStyle {','.join(chain_links)} stroke:#d00,stroke-width:3px")
    for kind, color in (("break", BREAK_COLOR), ("unknown", UNKNOWN_COLOR)):
        if break_links[kind]:
            lines.append(
                f"    linkStyle {','.join(break_links[kind])} "
                f"stroke:{color},stroke-width:2px,stroke-dasharray:5 5"
            )
    return "\n".join(lines) + "\n"


def render_json(chains: ChainGraph) -> str:
    nodes = []
    for node in _shown_nodes(chains):
        address = node_address(node)
        modules, local = module_path(address)
        nodes.append(
            {
                "id": address,
                "label": local,
                "module": modules,
                "chain": node in chains.chain_nodes,
                "task": node in chains.tasks,
            }
        )
    edges = [
        {"from": node_address(s), "to": node_address(t), "chain": (s, t) in chains.chain_edges}
        for s, t in _shown_edges(chains)
    ]
    breaks = [
        {
            "task": node_address(b.task),
            "at": node_address(b.at),
            "step": b.step,
            "kind": b.kind,
            "reason": b.reason,
        }
        for b in chains.breaks
    ]
    document = {"nodes": nodes, "edges": edges, "breaks": breaks}
    return json.dumps(document, indent=2) + "\n"


def _untrusted_directories(path: str, graph_path: str | None) -> list[str]:
    """Where a ``dot`` must not come from: the scanned input, its project root, the --graph file."""
    from aitask_lint.model.from_hcl import default_project_root

    found: list[str] = []
    for given in (path, graph_path):
        if given is None or given == "-":
            continue
        found.append(given if os.path.isdir(given) else os.path.dirname(given) or ".")
        found.append(default_project_root(given))
    return found


def render_graph(
    path: str,
    output_format: str,
    graph_path: str | None = None,
    *,
    started: float | None = None,
    variables: VariableInputs | None = None,
) -> str:
    """The graph in ``output_format``; ``started`` bounds Graphviz's time (render_svg)."""
    chains = build_chain_graph(path, graph_path, variables)
    if output_format == "mermaid":
        return render_mermaid(chains)
    if output_format == "json":
        return render_json(chains)
    if output_format == "svg":
        check_svg_size(
            len(_shown_nodes(chains)) + len(chains.breaks),
            len(_shown_edges(chains)) + len(chains.breaks),
        )
    dot = render_dot(chains)
    if output_format != "svg":
        return dot
    return render_svg(dot, _untrusted_directories(path, graph_path), started=started)
