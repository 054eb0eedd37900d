"""The dependency graph ``ConvertState`` walks.

Nodes are named exactly as ``terraform graph`` names them
(``[root] coder_agent.main (expand)``) and carry the DOT ``label`` attribute
when the DOT file gave one; an edge ``A -> B`` means *A depends on B*. The
graph is kept as plain adjacency dictionaries because ``ConvertState`` only
asks a handful of cheap questions (who depends on this node, is there a
direct edge between these two names); :meth:`ResourceGraph.to_networkx`
builds the networkx view for callers that want graph algorithms, so networkx
is imported only when somebody asks for it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

EXPAND_SUFFIX = " (expand)"


def node_tail(name: str) -> str:
    """The part of a node name after its last ``"] "`` (the module-less address).

    Coder's plan-mode association asks whether an edge's source *ends with*
    ``] coder_app.x (expand)``; since an address never contains ``"] "``,
    that is the same as this tail being ``coder_app.x (expand)``.
    """
    cut = name.rfind("] ")
    return name[cut + 2 :] if cut >= 0 else name


def module_path(address: str) -> tuple[list[str], str]:
    """Split ``module.a[0].module.b.coder_app.x`` into ``(["a[0]", "b"], "coder_app.x")``.

    For pictures: a module-qualified address is too long for a node's box,
    so it is drawn as the local address and the module path under it. A
    module expansion node (``module.a.module.b``) gives ``(["a"], "module.b")``.
    Dots and quotes inside index brackets (``module.m["a.b"]``) are kept.
    """
    modules: list[str] = []
    rest = address
    while rest.startswith("module."):
        end = _name_end(rest, len("module."))
        if end >= len(rest):
            break  # the module expansion node itself: its name is the local part
        modules.append(rest[len("module.") : end])
        rest = rest[end + 1 :]
    return modules, rest


def _name_end(text: str, start: int) -> int:
    """Index of the first ``.`` at or after ``start`` outside brackets and quotes."""
    depth = 0
    quoted = False
    index = start
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "." and depth <= 0:
            return index
        index += 1
    return len(text)


def shorten(text: str, width: int) -> str:
    """``text`` cut in the middle to at most ``width`` characters (``…`` marks the cut)."""
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: (keep + 1) // 2] + "…" + text[len(text) - keep // 2 :]


@dataclass
class ResourceGraph:
    """A directed dependency graph with Terraform's node names and labels."""

    labels: dict[str, str] = field(default_factory=dict)
    successors: dict[str, list[str]] = field(default_factory=dict)
    predecessors: dict[str, list[str]] = field(default_factory=dict)
    source: str = "dot"
    _by_label: dict[str, str] | None = field(default=None, repr=False)
    _tail_edges: dict[str, frozenset[str]] | None = field(default=None, repr=False)
    #: the edges, for add_edge's duplicate check (a node can have 30,000 successors)
    _edge_set: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)

    def add_node(self, name: str, label: str | None = None) -> None:
        if name not in self.successors:
            self.successors[name] = []
            self.predecessors[name] = []
        if label is not None:
            self.labels[name] = label
        self._invalidate()

    def add_edge(self, source: str, target: str) -> None:
        """Add ``source -> target`` (source depends on target); duplicates are ignored."""
        self.add_node(source)
        self.add_node(target)
        if (source, target) not in self._edge_set:
            self._edge_set.add((source, target))
            self.successors[source].append(target)
            self.predecessors[target].append(source)
        self._invalidate()

    def _invalidate(self) -> None:
        self._by_label = None
        self._tail_edges = None

    @property
    def nodes(self) -> Iterable[str]:
        return self.successors.keys()

    def edges(self) -> Iterator[tuple[str, str]]:
        for source, targets in self.successors.items():
            for target in targets:
                yield source, target

    def node_by_label(self, label: str) -> str | None:
        """The first node (in file order) whose label equals ``label``."""
        if self._by_label is None:
            index: dict[str, str] = {}
            for name, node_label in self.labels.items():
                index.setdefault(node_label, name)
            self._by_label = index
        return self._by_label.get(label)

    def has_tail_edge(self, source_tail: str, target_tail: str) -> bool:
        """Whether an edge joins nodes ending ``] source_tail`` and ``] target_tail``."""
        return target_tail in self.tail_targets(source_tail)

    def tail_targets(self, source_tail: str) -> frozenset[str]:
        """The tails of every node that a node ending ``] source_tail`` has an edge to."""
        if self._tail_edges is None:
            index: dict[str, set[str]] = {}
            for source, target in self.edges():
                if "] " in source and "] " in target:
                    index.setdefault(node_tail(source), set()).add(node_tail(target))
            self._tail_edges = {tail: frozenset(targets) for tail, targets in index.items()}
        return self._tail_edges.get(source_tail, frozenset())

    def dependents_by_depth(self, start: str) -> dict[str, int]:
        """Every node that (transitively) depends on ``start``, with its depth.

        Coder walks the dependents recursively and gives direct dependents
        depth 0; it keeps every (node, depth) pair and then takes the
        smallest depth, which is the breadth-first distance minus one.
        """
        depths: dict[str, int] = {}
        queue: deque[tuple[str, int]] = deque((p, 0) for p in self.predecessors.get(start, ()))
        while queue:
            node, depth = queue.popleft()
            if node in depths:
                continue
            depths[node] = depth
            queue.extend((p, depth + 1) for p in self.predecessors.get(node, ()) if p not in depths)
        return depths

    def dependencies_by_depth(self, start: str) -> dict[str, int]:
        """Every node ``start`` (transitively) depends on, with its depth (direct = 0)."""
        depths: dict[str, int] = {}
        queue: deque[tuple[str, int]] = deque((s, 0) for s in self.successors.get(start, ()))
        while queue:
            node, depth = queue.popleft()
            if node in depths:
                continue
            depths[node] = depth
            queue.extend((s, depth + 1) for s in self.successors.get(node, ()) if s not in depths)
        return depths

    def to_networkx(self) -> nx.DiGraph[str]:
        """The same graph as a networkx ``DiGraph`` (imported here, on demand)."""
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        for name in self.successors:
            label = self.labels.get(name)
            if label is None:
                graph.add_node(name)
            else:
                graph.add_node(name, label=label)
        graph.add_edges_from(self.edges())
        return graph


def transitive_reduction(graph: ResourceGraph) -> ResourceGraph:
    """Drop every edge ``u -> v`` that another path from ``u`` to ``v`` implies.

    ``terraform graph`` prints the transitively reduced graph, and Coder's
    "closest resource" rule counts hops in it, so a graph we derive
    ourselves must be reduced the same way to give the same answers.
    """
    descendants: dict[str, frozenset[str]] = {}

    def reach(node: str) -> frozenset[str]:
        # Iterative post-order DFS so deep chains do not hit the recursion limit.
        if node in descendants:
            return descendants[node]
        stack: list[tuple[str, Iterator[str]]] = [(node, iter(graph.successors.get(node, ())))]
        on_stack = {node}
        while stack:
            current, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_stack.discard(current)
                found: set[str] = set()
                for successor in graph.successors.get(current, ()):
                    found.add(successor)
                    found |= descendants.get(successor, frozenset())
                descendants[current] = frozenset(found)
            elif child not in descendants and child not in on_stack:
                stack.append((child, iter(graph.successors.get(child, ()))))
                on_stack.add(child)
        return descendants[node]

    reduced = ResourceGraph(labels=dict(graph.labels), source=graph.source)
    for name in graph.successors:
        reduced.add_node(name)
    for source, targets in graph.successors.items():
        covered: set[str] = set()
        for target in targets:
            covered |= reach(target)
        for target in targets:
            if target not in covered:
                reduced._edge_set.add((source, target))
                reduced.successors[source].append(target)
                reduced.predecessors[target].append(source)
    return reduced
