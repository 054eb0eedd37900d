"""Plan, state and DOT inputs of hostile shapes stay within time and memory.

Each case is a reproduction from issue 10 (agents on a chain of
dependencies, a DOT file of nothing but separators, DOT nested thousands of
levels deep, plan JSON read from a FIFO or a process substitution). The big
ones run as a process of their own with a hard CPU limit, so the code
before the fix fails the test in bounded time instead of hanging it, and
their peak memory is asserted against the promise in ``docs/limits.md``.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from aitask_lint.graph.closest import closest_candidates
from aitask_lint.graph.model import ResourceGraph
from cli_runner import GIB, Measured, assert_bounded, assert_no_crash

from conftest import ROOT, TASK_TEMPLATE

PLAN = TASK_TEMPLATE / "plan.json"


def run_limited(
    *args: str, cwd: Path, cpu_limit: int = 40, env: dict[str, str] | None = None
) -> Measured:
    """``aitask-lint ARGS`` in a process killed after ``cpu_limit`` CPU seconds.

    Like ``cli_runner.run_measured`` (peak RSS and CPU of exactly that child),
    with ``RLIMIT_CPU`` so a regression fails in bounded time.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit))

    from cli_runner import measured_command, read_measurement

    report, command = measured_command([sys.executable, "-m", "aitask_lint", *args])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            preexec_fn=limit,  # noqa: PLW1509 - only setrlimit, no threads started yet
        )
        _pid, status, _usage = os.wait4(process.pid, 0)
        out.seek(0)
        err.seek(0)
        peak_rss, cpu_seconds = read_measurement(report)
        return Measured(
            os.waitstatus_to_exitcode(status),
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            peak_rss=peak_rss,
            cpu_seconds=cpu_seconds,
            wall_seconds=0.0,
        )


# --- item 7: agents attached in linear time ------------------------------------------


def agent_chain_state(count: int) -> dict[str, object]:
    """The benchmarks' builder (``benchmarks/corpus.py``), so both measure the same shape."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "aitask_corpus", ROOT / "benchmarks" / "corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    state: dict[str, object] = module.agent_chain_state(count)
    return state


@pytest.mark.parametrize("command", ["convert", "check"])
def test_eight_thousand_chained_agents_are_attached_in_bounded_time(
    tmp_path: Path, command: str
) -> None:
    (tmp_path / "state.json").write_text(json.dumps(agent_chain_state(8000)))
    measured = run_limited(command, "state.json", cwd=tmp_path)
    assert_no_crash(measured)
    assert measured.code in (0, 1), measured.stderr
    assert_bounded(measured, memory=GIB // 2)
    if command == "convert":
        converted = json.loads(measured.stdout)
        attached = {
            r["name"]: [a["name"] for a in r.get("agents", [])] for r in converted["Resources"]
        }
        # each agent lands on its own container (depth 0), not on a later agent's
        assert attached["w0"] == ["a0"] and attached["w7999"] == ["a7999"]


def per_node_walk(
    graph: ResourceGraph, candidates: dict[str, str], node: str, *, dependents: bool
) -> tuple[int, str] | None:
    """The old answer: one breadth-first walk from ``node``, then the smallest pair."""
    depths = graph.dependents_by_depth(node) if dependents else graph.dependencies_by_depth(node)
    pairs = [(depth, candidates[n]) for n, depth in depths.items() if n in candidates]
    return min(pairs) if pairs else None


@pytest.mark.parametrize("seed", range(40))
def test_closest_candidates_equals_one_walk_per_node(seed: int) -> None:
    """Random graphs, cycles and shared labels included: the same answers as before."""
    rng = random.Random(seed)
    graph = ResourceGraph()
    nodes = [f"n{i}" for i in range(rng.randint(2, 30))]
    for node in nodes:
        graph.add_node(node)
    for _ in range(rng.randint(0, 60)):
        graph.add_edge(rng.choice(nodes), rng.choice(nodes))
    candidates = {n: f"label{rng.randint(0, 5)}" for n in nodes if rng.random() < 0.3}
    for dependents in (True, False):
        best = closest_candidates(graph, candidates, dependents=dependents)
        for node in nodes:
            assert best.get(node) == per_node_walk(
                graph, candidates, node, dependents=dependents
            ), (seed, node, dependents)


# --- items 8 and 13: DOT streamed, and parsed without recursion ------------------------


def test_sixteen_mebibytes_of_separators_stay_small(tmp_path: Path) -> None:
    """One token object per ``;`` held 1.7 GiB here; the tokenizer now streams."""
    (tmp_path / "graph.dot").write_text("digraph {" + ";" * (16 * 2**20) + "}\n")
    state = json.loads((TASK_TEMPLATE / "state.json").read_text())
    (tmp_path / "state.json").write_text(json.dumps(state))
    measured = run_limited(
        "convert",
        "state.json",
        "--graph",
        "graph.dot",
        cwd=tmp_path,
        env={"AITASK_LINT_MAX_DOT_BYTES": "64M"},  # the default limit would refuse it unread
    )
    assert_no_crash(measured)
    assert measured.code == 2  # a graph without the agent: Coder's own error, one line
    assert measured.stderr.strip().endswith('couldn\'t find node on graph: "coder_agent.main"')
    assert_bounded(measured, memory=GIB // 4)


def test_dot_files_over_their_own_limit_are_refused_unread(tmp_path: Path) -> None:
    """Tiny statements cost ~1 s of CPU per MiB; 64 MiB of them would run a minute."""
    from cli_runner import assert_refused, run_cli

    (tmp_path / "big.dot").write_text("digraph {" + "a;" * (2 * 2**20 + 1) + "}\n")
    outcome = run_cli("convert", str(PLAN), "--graph", str(tmp_path / "big.dot"))
    line = assert_refused(outcome, str(tmp_path / "big.dot"), contains="file too large")
    # one MiB over would print "4.0 MiB" twice: the exact bytes say what is over
    assert "over the 4,194,304-byte limit (set AITASK_LINT_MAX_DOT_BYTES" in line


def test_long_edge_chains_and_attribute_lists_are_not_held() -> None:
    from aitask_lint.graph.dot import parse_dot

    graph = parse_dot("digraph { a" + " -> a" * 100_000 + " }")
    assert list(graph.edges()) == [("a", "a")]
    graph = parse_dot("digraph { a [" + "".join(f"k{i} = v, " for i in range(10_000)) + "] }")
    assert list(graph.nodes) == ["a"]


@pytest.mark.parametrize("opener", ["subgraph {", "subgraph s {", "{"])
def test_dot_nested_thousands_deep_parses(opener: str) -> None:
    """5,000 nested subgraphs raised RecursionError in the recursive-descent parser."""
    from aitask_lint.graph.dot import parse_dot

    depth = 20_000  # twenty times Python's recursion limit
    graph = parse_dot("digraph {" + opener * depth + "a -> b" + "}" * depth + "}")
    assert list(graph.edges()) == [("a", "b")]


def test_dot_nested_deep_and_unclosed_is_one_line(tmp_path: Path) -> None:
    from cli_runner import assert_refused, run_cli

    (tmp_path / "deep.dot").write_text("digraph {\n" + "subgraph {\n" * 5000)
    state = TASK_TEMPLATE / "state.json"
    outcome = run_cli("convert", str(state), "--graph", str(tmp_path / "deep.dot"))
    assert_refused(
        outcome, str(tmp_path / "deep.dot"), contains="expected '}', found end of file", at="5002:1"
    )


# --- item 10: every plan input read once; positions without reading it again ----------


def expected_position() -> str:
    """Where the task-template plan's AIT503 finding is, checked as a regular file."""
    from cli_runner import run_cli

    outcome = run_cli("check", str(PLAN))
    line = next(line for line in outcome.stdout.splitlines() if " AIT503 " in line)
    position = line.split(": ", 1)[0].rsplit(":", 2)[1:]
    assert position != ["1", "1"]
    return ":".join(position)


def run_with_timeout(command: list[str], cwd: Path, timeout: float = 30) -> str:
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_plan_from_a_fifo_is_read_once_with_true_positions(tmp_path: Path) -> None:
    """The FIFO was opened again to compute positions: the run hung with no writer left."""
    import threading

    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as handle:  # blocks until the linter opens it
            handle.write(PLAN.read_bytes())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    out = run_with_timeout([sys.executable, "-m", "aitask_lint", "check", "plan.fifo"], tmp_path)
    writer.join(timeout=5)
    assert f"plan.fifo:{expected_position()}: info AIT503 " in out


def test_plan_from_process_substitution_has_true_positions(tmp_path: Path) -> None:
    """``<(cat plan.json)`` is ``/dev/fd/N``, drained by the first read: findings were at 1:1."""
    script = f'exec "{sys.executable}" -m aitask_lint check <(cat "{PLAN}")'
    out = run_with_timeout(["bash", "-c", script], tmp_path)
    finding = next(line for line in out.splitlines() if " AIT503 " in line)
    assert finding.startswith("/dev/fd/"), finding
    assert f":{expected_position()}: info AIT503 " in finding


def call_within(seconds: float, function: object) -> object:
    """``function()`` run in a thread; fails the test if it has not returned in time."""
    import threading

    result: list[object] = []
    assert callable(function)
    worker = threading.Thread(target=lambda: result.append(function()), daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    assert not worker.is_alive(), "still blocked"
    return result[0]


def test_positions_come_only_from_the_file_that_was_read(tmp_path: Path) -> None:
    """Asked for later, a position is computed from the same file, or not at all."""
    from aitask_lint.tfjson.loader import load_terraform_json

    plan = tmp_path / "plan.json"
    plan.write_bytes(PLAN.read_bytes())
    same = load_terraform_json(str(plan))
    assert same.position("/format_version") == (2, 21)

    changed = load_terraform_json(str(plan))
    plan.write_bytes(b"\n\n\n" + PLAN.read_bytes())
    assert changed.position("/format_version") is None  # not a line of some other text

    swapped = load_terraform_json(str(plan))
    plan.unlink()
    os.mkfifo(plan)  # a FIFO with no writer under the same name: never waited on
    assert call_within(10, lambda: swapped.position("/format_version")) is None


def test_agent_lists_repeated_on_every_instance_are_bounded(tmp_path: Path) -> None:
    """1,000 agents on a resource with 1,000 instances: a million agents, 349 MB of output."""
    from cli_runner import assert_refused, run_cli

    resources: list[dict[str, object]] = []
    for i in range(1000):
        resources.append(
            {
                "address": f"coder_agent.a{i}",
                "mode": "managed",
                "type": "coder_agent",
                "name": f"a{i}",
                "values": {"id": f"id-{i}", "auth": "token", "token": f"t{i}"},
            }
        )
        resources.append(
            {
                "address": f"docker_container.w[{i}]",
                "mode": "managed",
                "type": "docker_container",
                "name": "w",
                "index": i,
                "values": {},
                "depends_on": [f"coder_agent.a{j}" for j in range(1000)] if i == 0 else [],
            }
        )
    state = {"format_version": "1.0", "values": {"root_module": {"resources": resources}}}
    (tmp_path / "state.json").write_text(json.dumps(state))
    outcome = run_cli("convert", str(tmp_path / "state.json"))
    assert_refused(
        outcome, str(tmp_path / "state.json"), contains="the result would list 1,000,000 agents"
    )


def reference_reduction(graph: ResourceGraph) -> set[tuple[str, str]]:
    """Edges not implied by another path, by brute force (the definition)."""

    def reaches(start: str, goal: str, skip: tuple[str, str]) -> bool:
        seen, stack = set(), [start]
        while stack:
            node = stack.pop()
            for nxt in graph.successors[node]:
                if (node, nxt) == skip or nxt in seen:
                    continue
                if nxt == goal:
                    return True
                seen.add(nxt)
                stack.append(nxt)
        return False

    return {(u, v) for u, v in graph.edges() if not reaches(u, v, (u, v))}


@pytest.mark.parametrize("seed", range(40))
def test_transitive_reduction_of_random_dags_is_the_definition(seed: int) -> None:
    from aitask_lint.graph.model import transitive_reduction

    rng = random.Random(seed)
    graph = ResourceGraph()
    nodes = [f"n{i}" for i in range(rng.randint(2, 25))]
    for node in nodes:
        graph.add_node(node)
    for _ in range(rng.randint(0, 60)):
        i, j = sorted(rng.sample(range(len(nodes)), 2))
        graph.add_edge(nodes[i], nodes[j])  # always forward: acyclic
    assert set(transitive_reduction(graph).edges()) == reference_reduction(graph)


def test_reducing_a_long_chain_with_shortcuts_stays_small() -> None:
    """Every node depends on the previous one and on a shared sink (each has two edges)."""
    import tracemalloc

    from aitask_lint.graph.model import transitive_reduction

    graph = ResourceGraph()
    for i in range(1, 20_000):
        graph.add_edge(f"a{i}", f"a{i - 1}")
        graph.add_edge(f"a{i}", "sink")
    graph.add_edge("a0", "sink")
    tracemalloc.start()
    reduced = transitive_reduction(graph)
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert ("a5", "sink") not in set(reduced.edges())
    assert ("a0", "sink") in set(reduced.edges())
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MiB"  # 12 MiB; 35 MiB with every bit set kept


def attached_items_state(count: int) -> dict[str, object]:
    """``count`` agents, each with its compute, agent instance, devcontainer and env."""
    resources: list[dict[str, object]] = []
    for i in range(count):
        agent = f"coder_agent.a{i}"

        def item(kind: str, name: str, values: dict[str, object], agent: str = agent) -> None:
            resources.append(
                {
                    "address": f"{kind}.{name}",
                    "mode": "managed",
                    "type": kind,
                    "name": name,
                    "values": values,
                    "depends_on": [agent],
                }
            )

        resources.append(
            {
                "address": agent,
                "mode": "managed",
                "type": "coder_agent",
                "name": f"a{i}",
                "values": {"id": f"id-{i}", "auth": "google-instance-identity"},
            }
        )
        item("docker_container", f"w{i}", {})
        item("coder_agent_instance", f"i{i}", {"agent_id": f"id-{i}", "instance_id": f"in-{i}"})
        item("coder_devcontainer", f"d{i}", {"agent_id": f"id-{i}", "workspace_folder": "/w"})
        item("coder_env", f"e{i}", {"agent_id": f"id-{i}", "name": "X", "value": "1"})
    return {"format_version": "1.0", "values": {"root_module": {"resources": resources}}}


@pytest.mark.slow
def test_instances_devcontainers_and_envs_are_attached_by_index(tmp_path: Path) -> None:
    """Each item was matched against every agent: 20 s of CPU for 10,000 agents."""
    (tmp_path / "state.json").write_text(json.dumps(attached_items_state(10_000)))
    measured = run_limited("convert", "state.json", cwd=tmp_path)
    assert_no_crash(measured)
    assert measured.code == 0, measured.stderr
    assert_bounded(measured, memory=GIB // 2)
    agents = {
        agent["name"]: agent
        for r in json.loads(measured.stdout)["Resources"]
        for agent in r.get("agents", [])
    }
    last = agents["a9999"]
    assert last["Auth"] == {"InstanceId": "in-9999"}
    assert [d["name"] for d in last["devcontainers"]] == ["d9999"]
    assert [e["name"] for e in last["extra_envs"]] == ["X"]


def agent_chain_plan(count: int) -> dict[str, object]:
    """A plan whose configuration chains ``count`` agents, each with an app and a container."""
    configuration: list[dict[str, object]] = []
    planned: list[dict[str, object]] = []

    def add(
        kind: str, name: str, expressions: dict[str, object], values: dict[str, object]
    ) -> None:
        common = {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name}
        provider = "docker" if kind.startswith("docker") else "coder"
        configuration.append(
            {**common, "provider_config_key": provider, "expressions": expressions}
        )
        planned.append({**common, "schema_version": 0, "values": values, "sensitive_values": {}})

    for i in range(count):
        agent = f"coder_agent.a{i}"
        chained = {"dir": {"references": [f"coder_agent.a{i - 1}.id"]}} if i else {}
        add("coder_agent", f"a{i}", {"os": {"constant_value": "linux"}, **chained}, {"os": "linux"})
        uses_agent = {"references": [f"{agent}.id", agent]}
        add("coder_app", f"app{i}", {"agent_id": uses_agent}, {"slug": f"app{i}"})
        add("docker_container", f"w{i}", {"env": {"references": [f"{agent}.token"]}}, {})
    return {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": planned}},
        "configuration": {
            "provider_config": {
                "coder": {"name": "coder", "full_name": "registry.terraform.io/coder/coder"},
                "docker": {
                    "name": "docker",
                    "full_name": "registry.terraform.io/kreuzwerker/docker",
                },
            },
            "root_module": {"resources": configuration},
        },
    }


def test_check_on_a_plan_of_chained_agents_finds_each_compute_once(tmp_path: Path) -> None:
    """The task analysis walked the graph once per agent: 48 s for 2,000 chained agents."""
    (tmp_path / "plan.json").write_text(json.dumps(agent_chain_plan(3000)))
    measured = run_limited("check", "plan.json", cwd=tmp_path)
    assert_no_crash(measured)
    assert measured.code in (0, 1), measured.stdout + measured.stderr
    assert_bounded(measured, memory=GIB // 2)


def test_a_graph_from_process_substitution_is_read_once_for_every_rule(tmp_path: Path) -> None:
    """``check --graph <(terraform graph)``: the DOT was read again for ConvertState and was
    empty then, so the rules that convert (AIT409, AIT410) were skipped without a word."""
    lonely = 'digraph {\n  "[root] coder_agent.main (expand)" [label = "coder_agent.main"]\n}\n'
    (tmp_path / "lonely.dot").write_text(lonely)
    state = TASK_TEMPLATE / "state.json"
    outputs = []
    for graph in ("lonely.dot", "<(cat lonely.dot)"):
        script = f'exec "{sys.executable}" -m aitask_lint check "{state}" --graph {graph}'
        completed = subprocess.run(
            ["bash", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert "Traceback" not in completed.stderr, completed.stderr
        assert " AIT410 " in completed.stdout, (graph, completed.stdout)
        outputs.append(completed.stdout)
    assert outputs[0] == outputs[1]


# --- arrays and objects bounded by memory, not only by bytes -----------------------


def nested_lists_plan(size: int) -> str:
    """A plan whose variable holds arrays nested 800 deep, repeated: two bytes per list."""
    plan = json.loads(PLAN.read_text())
    plan["variables"] = {"x": {"value": []}}
    head = json.dumps(plan)
    chunk = "[" * 800 + "]" * 800
    count = max(1, (size - len(head)) // (len(chunk) + 1))
    return head.replace('"value": []', '"value": [' + ",".join([chunk] * count) + "]")


@pytest.mark.parametrize("command", ["check", "convert"])
def test_a_document_of_nested_empty_lists_is_refused_before_decoding(
    tmp_path: Path, command: str
) -> None:
    """32 MiB of ``[[[...]]]`` is under the size limit and decoded into 1.7 GB (issue 10)."""
    (tmp_path / "plan.json").write_text(nested_lists_plan((32 << 20) - 1000))
    measured = run_limited(command, "plan.json", cwd=tmp_path)
    assert_no_crash(measured)
    assert measured.code == 2, measured.stderr[:300]
    assert "too many arrays and objects" in measured.stdout + measured.stderr
    assert_bounded(measured, memory=GIB // 2)


def test_a_document_at_the_array_and_object_limit_decodes_within_bounds(
    tmp_path: Path,
) -> None:
    """5.5 million nested lists (one per 6 bytes of the 32 MiB limit) stay under 1 GiB."""
    (tmp_path / "plan.json").write_text(nested_lists_plan(5_500_000 * 2))
    measured = run_limited("convert", "plan.json", cwd=tmp_path)
    assert_no_crash(measured)
    assert measured.code == 0, measured.stderr[:300]
    assert_bounded(measured)


# --- Coder's name patterns on huge names ---------------------------------------------

STATE = TASK_TEMPLATE / "state.json"


@pytest.mark.parametrize("command", ["check", "convert"])
def test_a_seven_megabyte_slug_is_matched_in_bounded_memory(tmp_path: Path, command: str) -> None:
    """``^[a-z0-9](-?[a-z0-9])*$`` kept state per repetition: 1.2 GB for 14 MB of ``a-a-...-``.

    Half that (7 MB) against a quarter of a GiB: the old pattern needed 600 MB.
    """
    text = STATE.read_text()
    assert '"slug": "claude"' in text
    (tmp_path / "state.json").write_text(
        text.replace('"slug": "claude"', '"slug": "' + "a-" * 3_500_000 + '"')
    )
    measured = run_limited(command, "state.json", cwd=tmp_path)
    assert_no_crash(measured)
    assert measured.code in (1, 2), measured.stderr[:300]
    assert 'does not match regex "^[a-z0-9](-?[a-z0-9])*$"' in (measured.stdout + measured.stderr)
    assert_bounded(measured, memory=GIB // 4)


@pytest.mark.parametrize(
    "name", ["a", "a-b", "a--b", "-a", "a-", "A-b", "ab9", "a_b", "a-b\n", "", "a-b-c-d", "é"]
)
def test_the_possessive_name_patterns_accept_what_coders_accept(name: str) -> None:
    import re

    from aitask_lint.coder_text import (
        AGENT_NAME_REGEX,
        APP_SLUG_REGEX,
        valid_agent_name,
        valid_app_slug,
    )

    assert valid_app_slug(name) == bool(re.fullmatch(APP_SLUG_REGEX, name))
    assert valid_agent_name(name) == bool(re.fullmatch(AGENT_NAME_REGEX, name))


@pytest.mark.parametrize(
    "body",
    ["; " * ((2 << 20) - 100), '"' + "x" * ((4 << 20) - 100) + '"'],
    ids=["spaced-separators", "quoted-string"],
)
def test_dot_tokens_of_megabytes_take_little_memory(tmp_path: Path, body: str) -> None:
    """4 MiB of ``; ; ;`` took 1.26 GB (re's state per group repetition), a string 620 MB."""
    (tmp_path / "graph.dot").write_text("digraph {\n" + body + "\n}\n")
    (tmp_path / "state.json").write_text(STATE.read_text())
    measured = run_limited("convert", "state.json", "--graph", "graph.dot", cwd=tmp_path)
    assert_no_crash(measured)
    assert measured.code == 2  # a graph without the agent: Coder's own error
    assert_bounded(measured, memory=GIB // 4)


_HUGE_ADDRESSES = """
import resource
resource.setrlimit(resource.RLIMIT_AS, (200 * 2**20, 200 * 2**20))
from aitask_lint.convert.addresses import module_path
assert module_path('a.b["' + "x" * 3_000_000 + '"]') == ""
assert len(module_path("module.m." * 1_000_000 + "a.b")) == 9 * 1_000_000 - 1
print("ok")
"""


def test_module_paths_of_huge_addresses_take_little_memory() -> None:
    """A 14 MB instance key took 2.1 GB, a 30 MB module path 1 GB (re's state per repetition).

    A 3 MB key and a 9 MB path, under a 200 MiB address-space limit: the old
    pattern ran out of memory on either (even at 280 MiB), the fix needs less
    than 100 MiB.
    """
    done = subprocess.run(
        [sys.executable, "-c", _HUGE_ADDRESSES],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "ok", done.stderr[-500:]


def test_module_path_parses_as_the_address_pattern() -> None:
    from aitask_lint.convert.addresses import _ADDRESS, INVALID_TERRAFORM_ADDRESS, module_path

    parts = ["module.", "a", ".", "b", "[0]", '["k"]', "data.", "module", '["\\\\"]"]', "-", "["]
    pick = random.Random(10)
    for _ in range(20_000):
        address = "".join(pick.choice(parts) for _ in range(pick.randint(1, 10)))
        match = _ADDRESS.fullmatch(address)
        expected = INVALID_TERRAFORM_ADDRESS if match is None else match.group("modules")[:-1]
        assert module_path(address) == expected, address


_MANY_MODULE_STEPS = """
from aitask_lint.graph.model import module_path
modules, local = module_path("module.m." * 600_000 + "coder_agent.main")
assert len(modules) == 600_000 and local == "coder_agent.main"
print("ok")
"""


def test_splitting_an_address_of_many_module_steps_is_linear() -> None:
    """Each step copied the rest of the address: 1,000,000 steps in a state hung `graph`."""
    done = subprocess.run(
        [sys.executable, "-c", _MANY_MODULE_STEPS],
        check=False,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert done.stdout.strip() == "ok", done.stderr[-500:]
