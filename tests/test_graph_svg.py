"""``graph``: pictures that explain a broken chain; ``--format svg`` runs nothing from the tree.

SVG is the one output that starts a program (Graphviz's ``dot``). The
scanned tree and the current directory are hostile, so a ``dot`` found
through a relative or empty ``PATH`` entry, or in a directory inside either,
must never run; the graph handed to Graphviz is bounded, and ``dot`` runs
under a timeout and a memory limit.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from aitask_lint.graph.model import module_path, shorten
from aitask_lint.reports import graphviz
from aitask_lint.reports.graph import label_lines
from cli_runner import assert_no_crash, run_cli

from conftest import FIXTURES

BROKEN = FIXTURES / "examples" / "broken-template"
TASK = FIXTURES / "examples" / "task-template"
SYSTEM_DOT = shutil.which("dot")
NO_GRAPHVIZ = "Graphviz's `dot` is not installed (apt-get install graphviz)"
MISSING_OUTPUT = 'module "claude-code" (registry.coder.com/coder/claude-code/coder) has no output'


def fake_dot(directory: Path, marker: Path, body: str = "") -> Path:
    """An executable ``dot`` that leaves ``marker`` behind when it runs."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "dot"
    script.write_text(
        f'#!/bin/sh\necho ran >> "{marker}"\n{body}/bin/cat > /dev/null\necho "<svg/>"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


@pytest.fixture
def hostile_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A checkout (the cwd) whose template ships its own ``dot`` in several places."""
    repo = tmp_path / "repo"
    shutil.copytree(BROKEN, repo / "template")
    (repo / ".git").mkdir()
    marker = tmp_path / "dot-ran"
    for place in (repo, repo / "bin", repo / "template", repo / "template" / "tools"):
        fake_dot(place, marker)
    monkeypatch.chdir(repo)
    return repo, marker


def test_dot_from_relative_or_empty_path_entries_never_runs(
    hostile_tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, marker = hostile_tree
    trusted = [os.path.dirname(SYSTEM_DOT)] if SYSTEM_DOT else []
    # "" and "." are the current directory; "bin" and "template/tools" are relative too
    monkeypatch.setenv("PATH", os.pathsep.join(["", ".", "bin", "template/tools", *trusted]))
    result = run_cli("graph", "template", "--format", "svg")
    assert_no_crash(result)
    assert not marker.exists(), "a dot from the scanned tree ran"
    if SYSTEM_DOT:
        assert result.code == 0, result.stderr
        assert "<svg" in result.stdout
    else:
        assert result.code == 2
        assert "needs Graphviz's `dot`" in result.stderr


def test_dot_inside_the_tree_or_cwd_never_runs_even_by_absolute_path(
    hostile_tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo, marker = hostile_tree
    link = tmp_path / "innocent-looking"
    link.symlink_to(repo / "bin")  # outside the tree, but its dot is the tree's
    entries = [str(repo / "template" / "tools"), str(repo / "bin"), str(repo), str(link)]
    monkeypatch.setenv("PATH", os.pathsep.join(entries))
    result = run_cli("graph", "template", "--format", "svg")
    assert not marker.exists(), "a dot from the scanned tree ran"
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert "needs Graphviz's `dot` in an absolute PATH directory outside" in result.stderr
    # scanning from elsewhere: the template's own directory is still refused
    monkeypatch.chdir(tmp_path)
    for inside in (repo / "template" / "tools", repo / "bin"):  # the scanned path, its git root
        monkeypatch.setenv("PATH", str(inside))
        result = run_cli("graph", str(repo / "template"), "--format", "svg")
        assert not marker.exists(), inside
        assert result.code == 2


def test_dot_runs_bounded_in_a_scratch_directory(tmp_path: Path) -> None:
    """The trusted ``dot`` gets an address-space limit and an empty working directory."""
    marker = tmp_path / "ran"
    fake_dot(
        tmp_path / "graphviz",
        marker,
        body='ulimit -v >> "{m}"\npwd >> "{m}"\n'.replace("{m}", str(marker)),
    )
    saved = os.environ["PATH"]
    os.environ["PATH"] = str(tmp_path / "graphviz")
    try:
        graphviz.render_svg("digraph {}\n", [str(FIXTURES)])
    finally:
        os.environ["PATH"] = saved
    ran, limit, cwd = marker.read_text().splitlines()
    assert ran == "ran"
    assert int(limit) * 1024 == graphviz.DOT_MEMORY_BYTES
    assert "aitask-lint-dot-" in cwd
    assert not Path(cwd).exists()  # removed afterwards


def test_dot_that_hangs_or_fails_gives_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    fake_dot(tmp_path / "slow", marker, body="/bin/sleep 30\n")
    monkeypatch.setenv("PATH", str(tmp_path / "slow"))
    monkeypatch.setattr(graphviz, "DOT_TIMEOUT_SECONDS", 0.5)
    with pytest.raises(graphviz.GraphFormatError, match=r"did not finish within 0\.5 s"):
        graphviz.render_svg("digraph {}\n", [])
    failing = tmp_path / "failing"
    failing.mkdir()
    (failing / "dot").write_text("#!/bin/sh\necho 'Error: out of memory' >&2\nexit 1\n")
    (failing / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", str(failing))
    with pytest.raises(
        graphviz.GraphFormatError,
        match=r"Graphviz \(.*/failing/dot\) failed: Error: out of memory \(it runs with a 768 MiB",
    ):
        graphviz.render_svg("digraph {}\n", [])


def test_dot_gets_only_what_is_left_of_the_commands_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hanging `dot` was given a fixed 8 s after the graph was built: 11-12 s in all."""
    marker = tmp_path / "ran"
    fake_dot(tmp_path / "slow", marker, body="/bin/sleep 30\n")
    monkeypatch.setenv("PATH", str(tmp_path / "slow"))
    began = time.monotonic()
    with pytest.raises(graphviz.GraphFormatError, match=r"did not finish within 1\.5 s"):
        graphviz.render_svg("digraph {}\n", [], started=time.monotonic() - 7.5)
    assert time.monotonic() - began < 5
    assert graphviz.dot_timeout(time.monotonic()) == graphviz.DOT_TIMEOUT_SECONDS
    assert graphviz.dot_timeout(time.monotonic() - 60) == graphviz.MIN_DOT_SECONDS


def dense_template(directory: Path, size: int) -> Path:
    """``size`` apps each depending on ``size`` agents: size² edges no reduction removes."""
    directory.mkdir()
    agents = "".join(f'resource "coder_agent" "a{i}" {{\n  os = "linux"\n}}\n' for i in range(size))
    reads = ", ".join(f"coder_agent.a{i}.id" for i in range(size))
    apps = "".join(
        f'resource "coder_app" "p{i}" {{\n  agent_id = coder_agent.a0.id\n'
        f'  url = join(",", [{reads}])\n}}\n'
        for i in range(size)
    )
    (directory / "main.tf").write_text(agents + apps)
    return directory


def test_svg_of_a_dense_graph_is_refused_before_graphviz_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    fake_dot(tmp_path / "graphviz", marker)
    monkeypatch.setenv("PATH", str(tmp_path / "graphviz"))
    template = dense_template(tmp_path / "dense", 30)
    result = run_cli("graph", str(template), "--format", "svg")
    assert_no_crash(result)
    assert result.code == 2
    assert "over the limit of 1000 nodes and 500 edges" in result.stderr
    assert not marker.exists()
    assert run_cli("graph", str(template), "--format", "dot").code == 0  # text formats still work


def test_broken_chain_is_marked_where_and_why_in_dot() -> None:
    result = run_cli("graph", str(BROKEN))
    assert result.code == 0, result.stderr
    dot = result.stdout
    # the task is highlighted as broken
    assert (
        '"coder_ai_task.task" [label = "coder_ai_task.task", tooltip = "coder_ai_task.task", '
        'color = "red", penwidth = 2, style = "filled,bold", fillcolor = "#fde2e2"]'
    ) in dot
    # a note says why, joined by a dashed red edge to the output the task names
    note = next(line for line in dot.splitlines() if '[shape = "note"' in line)
    assert note.startswith('\t"why 1" ')
    assert "chain stops before the app" in note
    assert 'module \\"claude-code\\"\\n(registry.coder.com/coder/claude-code/coder)' in note
    assert (
        '\t"module.claude-code.output.task_app_id" -> "why 1" [color = "#c00000", '
        'fontcolor = "#c00000", style = "dashed"'
    ) in dot
    # module-qualified labels are short, the full address is the tooltip
    assert (
        '"module.claude-code.output.task_app_id" '
        '[label = "output.task_app_id\\nmodule claude-code", '
        'tooltip = "module.claude-code.output.task_app_id"'
    ) in dot


def test_resolved_chain_has_short_labels_and_no_break() -> None:
    dot = run_cli("graph", str(TASK)).stdout
    assert "why 1" not in dot
    assert (
        '"module.claude-code.module.agentapi.coder_app.agentapi_web" [label = '
        '"coder_app.agentapi_web\\nmodule claude-code \u203a agentapi", '
        'tooltip = "module.claude-code.module.agentapi.coder_app.agentapi_web"'
    ) in dot
    assert 'fillcolor = "#e3f4e3"' in dot  # the task, resolved
    labels = [
        line.split("label = ", 1)[1].split('", ')[0]
        for line in dot.splitlines()
        if "[label" in line
    ]
    assert max(len(part) for label in labels for part in label.strip('"').split("\\n")) <= 36


def test_mermaid_and_json_carry_the_break() -> None:
    mermaid = run_cli("graph", str(BROKEN), "--format", "mermaid").stdout
    assert 'why0>"chain stops before the app<br/>module #quot;claude-code#quot;' in mermaid
    assert "n3 -.->|breaks| why0" in mermaid
    assert 'n3["output.task_app_id<br/>module claude-code"]' in mermaid
    edges = [line.strip() for line in mermaid.splitlines() if "-->" in line or "-.->" in line]
    index = edges.index("n3 -.->|breaks| why0")  # the catalog module's variables come first
    assert f"linkStyle {index} stroke:#c00000,stroke-width:2px,stroke-dasharray:5 5" in mermaid
    document = json.loads(run_cli("graph", str(BROKEN), "--format", "json").stdout)
    assert document["breaks"] == [
        {
            "task": "coder_ai_task.task",
            "at": "module.claude-code.output.task_app_id",
            "step": "app",
            "kind": "unresolved",
            "reason": MISSING_OUTPUT + ' "task_app_id"',
        }
    ]
    task = next(n for n in document["nodes"] if n["id"] == "coder_ai_task.task")
    assert task["task"] and task["chain"]
    output = next(n for n in document["nodes"] if n["id"].endswith("output.task_app_id"))
    assert (output["label"], output["module"]) == ("output.task_app_id", ["claude-code"])
    resolved = json.loads(run_cli("graph", str(TASK), "--format", "json").stdout)
    assert resolved["breaks"] == []


def test_module_paths_and_shortening() -> None:
    assert module_path("module.a.module.b.coder_app.x") == (["a", "b"], "coder_app.x")
    assert module_path('module.m["a.b"].module.n[0].output.y') == (['m["a.b"]', "n[0]"], "output.y")
    assert module_path("module.a.module.b") == (["a"], "module.b")
    assert module_path("coder_agent.main") == ([], "coder_agent.main")
    assert shorten("x" * 50, 10) == "xxxxx\u2026xxxx"
    long = "module.one_very_long_module_name.module.another_long_name.module.third.coder_app.web"
    assert label_lines(long) == ["coder_app.web", "module \u2026 \u203a third"]


@pytest.mark.skipif(SYSTEM_DOT is None, reason=NO_GRAPHVIZ)
@pytest.mark.parametrize("template", [BROKEN, TASK], ids=["broken", "task"])
def test_svg_renders_with_graphviz(template: Path) -> None:
    result = run_cli("graph", str(template), "--format", "svg")
    assert result.code == 0, result.stderr
    svg = result.stdout
    assert svg.lstrip().startswith(("<?xml", "<svg"))
    # full addresses as tooltips, short labels as text
    assert 'xlink:title="module.claude&#45;code.output.task_app_id"' in svg
    assert ">output.task_app_id</text>" in svg
    if template == BROKEN:
        assert ">chain stops before the app</text>" in svg
        assert "stroke-dasharray" in svg
    else:
        assert "chain stops before" not in svg


def test_a_chain_that_cannot_be_followed_is_marked_apart_from_a_break(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "app" {\n  type = string\n}\n\n'
        'resource "coder_ai_task" "task" {\n  app_id = var.app\n}\n'
    )
    dot = run_cli("graph", str(tmp_path)).stdout
    assert 'fillcolor = "#fff4ce"]' in dot.split('"coder_ai_task.task" [', 1)[1].split("\n")[0]
    note = next(line for line in dot.splitlines() if '[shape = "note"' in line)
    assert 'color = "#d07000"' in note
    assert "cannot follow the chain to the app statically" in note
    assert '"var.app" -> "why 1" [color = "#d07000"' in dot
    document = json.loads(run_cli("graph", str(tmp_path), "--format", "json").stdout)
    assert [(b["at"], b["kind"]) for b in document["breaks"]] == [("var.app", "unknown")]


def test_dot_is_found_when_the_cwd_is_the_filesystem_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Containers start in "/": that must not make every directory untrusted."""
    trusted = fake_dot(tmp_path / "graphviz", tmp_path / "ran")
    monkeypatch.setenv("PATH", os.pathsep.join([".", "", str(trusted.parent)]))
    monkeypatch.chdir("/")
    assert graphviz.find_dot([]) == str(trusted)
    assert graphviz.find_dot([str(tmp_path)]) is None


def test_svg_starts_only_the_trusted_dot_and_writes_nothing_in_the_tree(tmp_path: Path) -> None:
    """Under the side-effect audit hook: one program, the absolute trusted ``dot``."""
    from test_side_effects import Audited

    audited = Audited(tmp_path)
    tree = tmp_path / "tree"
    shutil.copytree(TASK, tree)
    marker = tmp_path / "ran"
    fake_dot(tree, tmp_path / "tree-dot-ran")
    trusted = fake_dot(tmp_path / "graphviz", marker)
    saved = os.environ["PATH"]
    os.environ["PATH"] = os.pathsep.join([".", "", str(trusted.parent), saved])
    try:
        result = audited.run("graph", ".", "--format", "svg", watch=[tree], cwd=tree)
    finally:
        os.environ["PATH"] = saved
    assert result.returncode == 0, result.stderr
    assert result.stdout == "<svg/>\n"
    events = audited.events()
    programs = [detail for event, detail in events if event == "program"]
    assert len(programs) == 1, programs
    assert repr(str(trusted)) in programs[0]
    assert not (tmp_path / "tree-dot-ran").exists()
    assert [detail for event, detail in events if event == "write"] == []
