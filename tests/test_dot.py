"""The DOT parser against Terraform's output and DOT syntax it must tolerate."""

from __future__ import annotations

from pathlib import Path

import pytest

from aitask_lint.errors import InputError
from aitask_lint.graph.dot import load_dot, parse_dot

from conftest import CORPUS, TASK_TEMPLATE, corpus_params


def test_task_template_graph() -> None:
    graph = load_dot(str(TASK_TEMPLATE / "graph.dot"))
    agent = graph.node_by_label("coder_agent.main")
    assert agent == "[root] coder_agent.main (expand)"
    dependents = graph.dependents_by_depth(agent)
    assert dependents["[root] docker_container.workspace (expand)"] == 0
    assert dependents["[root] coder_metadata.container (expand)"] == 1
    assert graph.has_tail_edge("coder_app.claude (expand)", "coder_agent.main (expand)")
    assert not graph.has_tail_edge("docker_volume.home (expand)", "coder_agent.main (expand)")


@pytest.mark.parametrize("name", corpus_params())
def test_every_corpus_graph_parses_with_labels_and_edges(name: str) -> None:
    path = CORPUS / name / f"{name}.tfplan.dot"
    text = path.read_text()
    graph = load_dot(str(path))
    assert len(list(graph.edges())) == text.count(" -> ")
    assert len(graph.labels) == text.count("[label = ")
    assert all(not label.startswith('"') for label in graph.labels.values())


def test_general_dot_syntax() -> None:
    graph = parse_dot(
        """
        // comment
        strict digraph G {
          node [shape = box]; /* block
          comment */
          a -> b -> "c d" [color = red]
          subgraph cluster { e [label="E"] }
          rank = same;
        }
        """
    )
    assert list(graph.edges()) == [("a", "b"), ("b", "c d")]
    assert graph.labels == {"e": "E"}


def test_labels_keep_escapes_like_gographviz() -> None:
    graph = parse_dot('digraph { "p" [label = "provider[\\"x\\"]"] }')
    assert graph.labels["p"] == 'provider[\\"x\\"]'


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("graph", "expected '{', found end of file", (1, 6)),
        ("digraph {\n  a -> \n}", "expected 'id', found '}'", (3, 1)),
        ('digraph {\n  "unterminated\n}', "unterminated string", (2, 3)),
        ("not dot at all", "expected 'digraph'", (1, 1)),
        ("digraph { a } trailing", "unexpected 'trailing' after the graph", (1, 15)),
        ("digraph { a @ b }", "unexpected character '@'", (1, 13)),
    ],
)
def test_errors_name_line_and_column(text: str, message: str, position: tuple[int, int]) -> None:
    with pytest.raises(InputError) as raised:
        parse_dot(text, "g.dot")
    assert message in raised.value.message
    assert (raised.value.line, raised.value.column) == position
    assert str(raised.value).startswith(f"g.dot:{position[0]}:{position[1]}: invalid DOT:")


def test_unreadable_or_empty_dot_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read DOT file"):
        load_dot(str(tmp_path / "missing.dot"))
    empty = tmp_path / "empty.dot"
    empty.write_text("\n")
    with pytest.raises(InputError, match="empty file"):
        load_dot(str(empty))
    binary = tmp_path / "binary.dot"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match="not UTF-8"):
        load_dot(str(binary))
