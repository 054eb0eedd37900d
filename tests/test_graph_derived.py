"""The graph derived from configuration equals the one ``terraform graph`` prints."""

from __future__ import annotations

import pytest

from aitask_lint.graph.derived import derive_graph, graph_from_state_dependencies
from aitask_lint.graph.dot import load_dot
from aitask_lint.graph.model import ResourceGraph, transitive_reduction

from conftest import CORPUS, TASK_TEMPLATE, corpus_params, load_json

#: ``terraform show -json`` does not export locals, so a path through a local
#: loses the local's own references (documented in graph/derived.py).
LOCALS_NOT_EXPORTED = {"kubernetes-metadata"}


def _dependency_edges(graph: ResourceGraph) -> set[tuple[str, str]]:
    """Edges between objects (close nodes and the root only order teardown)."""
    return {(a, b) for a, b in graph.edges() if "(close)" not in a and a != "[root] root"}


@pytest.mark.parametrize("name", corpus_params())
def test_derived_graph_equals_terraform_graph(name: str) -> None:
    if name in LOCALS_NOT_EXPORTED:
        pytest.xfail("terraform show -json does not export locals' references")
    plan = load_json(CORPUS / name / f"{name}.tfplan.json")
    dot = load_dot(str(CORPUS / name / f"{name}.tfplan.dot"))
    assert _dependency_edges(derive_graph(plan["configuration"])) == _dependency_edges(dot)


def test_task_template_derived_graph_equals_hand_written_dot() -> None:
    plan = load_json(TASK_TEMPLATE / "plan.json")
    dot = load_dot(str(TASK_TEMPLATE / "graph.dot"))
    assert _dependency_edges(derive_graph(plan["configuration"])) == _dependency_edges(dot)


def test_module_calls_variables_and_outputs() -> None:
    configuration = {
        "root_module": {
            "resources": [
                {
                    "address": "coder_ai_task.task",
                    "mode": "managed",
                    "type": "coder_ai_task",
                    "name": "task",
                    "expressions": {
                        "app_id": {"references": ["module.claude.task_app_id", "module.claude"]}
                    },
                    "count_expression": {"references": ["var.enabled"]},
                },
                {
                    "address": "coder_agent.main",
                    "mode": "managed",
                    "type": "coder_agent",
                    "name": "main",
                },
            ],
            "module_calls": {
                "claude": {
                    "source": "./claude",
                    "expressions": {
                        "agent_id": {"references": ["coder_agent.main.id", "coder_agent.main"]}
                    },
                    "module": {
                        "resources": [
                            {
                                "address": "coder_app.web",
                                "mode": "managed",
                                "type": "coder_app",
                                "name": "web",
                                "expressions": {"agent_id": {"references": ["var.agent_id"]}},
                            }
                        ],
                        "outputs": {
                            "task_app_id": {
                                "expression": {"references": ["coder_app.web.id", "coder_app.web"]}
                            },
                            "other": {"expression": {"constant_value": 1}},
                        },
                        "variables": {"agent_id": {}},
                    },
                }
            },
        }
    }
    graph = derive_graph(configuration)
    edges = set(graph.edges())
    task = "[root] coder_ai_task.task (expand)"
    assert (task, "[root] module.claude.output.task_app_id (expand)") in edges
    assert (task, "[root] module.claude.output.other (expand)") not in edges
    assert (task, "[root] var.enabled") in edges
    assert (
        "[root] module.claude.output.task_app_id (expand)",
        "[root] module.claude.coder_app.web (expand)",
    ) in edges
    assert (
        "[root] module.claude.coder_app.web (expand)",
        "[root] module.claude.var.agent_id (expand)",
    ) in edges
    assert (
        "[root] module.claude.var.agent_id (expand)",
        "[root] coder_agent.main (expand)",
    ) in edges
    # the app's edge to the module expansion is implied through the variable
    assert (
        "[root] module.claude.coder_app.web (expand)",
        "[root] module.claude (expand)",
    ) not in edges


def test_transitive_reduction_keeps_only_necessary_edges() -> None:
    graph = ResourceGraph()
    for source, target in [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("a", "d")]:
        graph.add_edge(source, target)
    assert sorted(transitive_reduction(graph).edges()) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_transitive_reduction_survives_long_chains_and_cycles() -> None:
    graph = ResourceGraph()
    for i in range(5000):
        graph.add_edge(f"n{i}", f"n{i + 1}")
    graph.add_edge("n0", "n5000")
    reduced = transitive_reduction(graph)
    assert ("n0", "n5000") not in set(reduced.edges())
    cyclic = ResourceGraph()
    cyclic.add_edge("x", "y")
    cyclic.add_edge("y", "x")
    assert len(list(transitive_reduction(cyclic).edges())) <= 2


@pytest.mark.parametrize("name", corpus_params())
def test_state_dependency_graph_attaches_agents_like_terraform(name: str) -> None:
    state = load_json(CORPUS / name / f"{name}.tfstate.json")
    graph = graph_from_state_dependencies([state["values"]["root_module"]])
    for label in graph.labels.values():
        assert graph.node_by_label(label) is not None


def test_public_dependency_graph_is_networkx_either_way() -> None:
    import networkx as nx

    from aitask_lint import dependency_graph

    from_dot = dependency_graph(TASK_TEMPLATE / "plan.json", TASK_TEMPLATE / "graph.dot")
    derived = dependency_graph(TASK_TEMPLATE / "plan.json")
    assert isinstance(from_dot, nx.DiGraph)
    assert isinstance(derived, nx.DiGraph)
    container = "[root] docker_container.workspace (expand)"
    agent = "[root] coder_agent.main (expand)"
    assert from_dot.has_edge(container, agent)
    assert derived.has_edge(container, agent)
    assert derived.nodes[agent]["label"] == "coder_agent.main"
    assert nx.is_directed_acyclic_graph(derived)
