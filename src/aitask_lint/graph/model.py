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
    start = 0  # an index, not a shrinking copy: 1,000,000 steps were a quadratic hang
    while address.startswith("module.", start):
        end = _name_end(address, start + len("module."))
        if end >= len(address):
            break  # the module expansion node itself: its name is the local part
        modules.append(address[start + len("module.") : end])
        start = end + 1
    return modules, address[start:]


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
        if source not in self.successors:
            self.add_node(source)
        if target not in self.successors:
            self.add_node(target)
        edge = (source, target)
        if edge not in self._edge_set:
            self._edge_set.add(edge)
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

    A node's only edge is never implied by another path, so only the targets
    of nodes with several edges are ever tested. Descendants are bit sets
    (a Python ``int``) over those targets alone, not ``frozenset``s of names:
    8,000 agents each depending on the previous one held 32 million set
    entries, 2.7 GiB. In an acyclic graph (Terraform's always are) the nodes
    are taken dependencies first and each bit set is dropped as soon as the
    last node depending on it has used it, so what is held at once follows
    the width of the graph, not its square.
    """
    dropped = _implied_edges_acyclic(graph)
    if dropped is None:
        dropped = _implied_edges(graph)
    reduced = ResourceGraph(labels=dict(graph.labels), source=graph.source)
    for name in graph.successors:
        reduced.add_node(name)
    for source, targets in graph.successors.items():
        implied = dropped.get(source, ())
        for target in targets:
            if target not in implied:
                reduced._edge_set.add((source, target))
                reduced.successors[source].append(target)
                reduced.predecessors[target].append(source)
    return reduced


def _tested_targets(graph: ResourceGraph) -> set[str]:
    return {t for targets in graph.successors.values() if len(targets) > 1 for t in targets}


def _implied_edges_acyclic(graph: ResourceGraph) -> dict[str, set[str]] | None:
    """The implied edges of each node, or None when the graph has a cycle."""
    successors, predecessors = graph.successors, graph.predecessors
    tested = _tested_targets(graph)
    #: successors not yet processed, and predecessors that have not yet used a node's bits
    pending = {node: len(targets) for node, targets in successors.items()}
    users = {node: len(predecessors.get(node, ())) for node in successors}
    ready = deque(node for node, count in pending.items() if count == 0)
    bit: dict[str, int] = {}
    descendants: dict[str, int] = {}
    dropped: dict[str, set[str]] = {}
    processed = 0
    while ready:
        node = ready.popleft()
        processed += 1
        targets = successors[node]
        found = 0
        for target in targets:
            found |= descendants.get(target, 0)
        if len(targets) > 1:
            implied = {t for t in targets if (found >> bit[t]) & 1}
            if implied:
                dropped[node] = implied
        for target in targets:
            if target in bit:
                found |= 1 << bit[target]
            users[target] -= 1
            if users[target] == 0:
                descendants.pop(target, None)
        if node in tested:
            bit[node] = len(bit)
        if found and users[node]:
            descendants[node] = found
        for predecessor in predecessors.get(node, ()):
            pending[predecessor] -= 1
            if pending[predecessor] == 0:
                ready.append(predecessor)
    return dropped if processed == len(successors) else None


def _implied_edges(graph: ResourceGraph) -> dict[str, set[str]]:
    """The implied edges of any graph, cycles included (descendants kept for every node)."""
    position = {name: number for number, name in enumerate(graph.successors)}
    descendants: dict[str, int] = {}

    def reach(node: str) -> int:
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
                found = 0
                for successor in graph.successors.get(current, ()):
                    found |= (1 << position[successor]) | descendants.get(successor, 0)
                descendants[current] = found
            elif child not in descendants and child not in on_stack:
                stack.append((child, iter(graph.successors.get(child, ()))))
                on_stack.add(child)
        return descendants[node]

    dropped: dict[str, set[str]] = {}
    for source, targets in graph.successors.items():
        if len(targets) > 1:  # a node's only edge is kept (another path would start with it)
            covered = 0
            for target in targets:
                covered |= reach(target)
            implied = {t for t in targets if (covered >> position[t]) & 1}
            if implied:
                dropped[source] = implied
    return dropped
