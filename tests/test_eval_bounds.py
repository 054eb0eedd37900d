"""Evaluation and module loading stay linear on inputs built to make them explode.

Issue 10, item 6: 22 locals that each concatenate the previous one twice,
22 nested ``try(local.b, local.b)``, and 21 module directories that each call
the next one twice were exponential (past 60 s, 1.7 and 1.9 GiB). Each
expression is now evaluated once per module instance, each module directory
modelled once, computed strings and candidate sets are bounded, and module
instances are capped. The hostile shapes run as their own process with a
timeout and an address-space bound, so a regression fails instead of
taking the machine down; the rest checks the results in-process.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aitask_lint.analysis.resolve import MAX_STRING_CHARS, Evaluator, Resolver
from aitask_lint.limits import MAX_MODULE_INSTANCES
from aitask_lint.model.from_hcl import load_configuration
from aitask_lint.values import UNKNOWN
from cli_runner import GIB, assert_no_crash, run_cli

#: wall-clock seconds after which a child is taken to hang; the bounds asserted are on its
#: CPU time (``_assert_bounded``), which a loaded machine does not stretch
TIMEOUT = 120.0
#: address space of the child: past it the old code died of MemoryError instead of swapping
ADDRESS_SPACE = 3 * GIB


def _bounded_check(*args: str) -> tuple[int, str, int, float]:
    """``aitask-lint check ARGS`` in a process: (exit status, stdout, peak RSS, CPU seconds)."""

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "aitask_lint", "check", "--no-cache", *args],
            stdout=out,
            stderr=err,
        )
        # bounded before it has done anything but start the interpreter
        resource.prlimit(process.pid, resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        deadline = time.monotonic() + TIMEOUT
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.send_signal(signal.SIGKILL)
                os.wait4(process.pid, 0)
                raise AssertionError(f"still running after {TIMEOUT} s: {args}")
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    assert "Traceback" not in stdout + stderr, stderr
    assert "internal error" not in stdout + stderr, stderr
    return process.returncode, stdout, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def _assert_bounded(rss: int, cpu: float) -> None:
    assert rss < GIB, f"peak RSS {rss / 2**20:.0f} MiB"
    assert cpu < 10.0, f"{cpu:.1f} s of CPU"


# -- the inputs ----------------------------------------------------------------------


def doubling_locals(directory: Path, levels: int) -> Path:
    """``a1 = "${local.a0}${local.a0}"`` ... : a string of 2^levels characters."""
    lines = ["locals {", '  a0 = "x"']
    lines += [f'  a{i} = "${{local.a{i - 1}}}${{local.a{i - 1}}}"' for i in range(1, levels + 1)]
    lines += [
        "}",
        'resource "coder_agent" "main" {',
        '  os   = "linux"',
        '  arch = "amd64"',
        "}",
        'resource "coder_app" "web" {',
        "  agent_id = coder_agent.main.id",
        f"  slug     = local.a{levels}",
        "}",
    ]
    (directory / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def nested_try(directory: Path, levels: int) -> Path:
    """``b1 = try(local.b0, local.b0)`` ... followed from a module's ``task_app_id``."""
    lines = ["locals {", '  b0 = "x"']
    lines += [f"  b{i} = try(local.b{i - 1}, local.b{i - 1})" for i in range(1, levels + 1)]
    lines += ["}", f'output "task_app_id" {{ value = local.b{levels} }}']
    (directory / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def doubling_modules(directory: Path, levels: int) -> Path:
    """``root`` calls ``m1`` twice, ``m1`` calls ``m2`` twice ... : 2^levels instances."""
    (directory / "root").mkdir()
    for level in range(1, levels + 1):
        (directory / f"m{level}").mkdir()
    calls = 'module "x" {{ source = "../m{0}" }}\nmodule "y" {{ source = "../m{0}" }}\n'
    (directory / "root" / "main.tf").write_text(calls.format(1), encoding="utf-8")
    for level in range(1, levels):
        (directory / f"m{level}" / "main.tf").write_text(calls.format(level + 1), "utf-8")
    (directory / f"m{levels}" / "main.tf").write_text('output "o" { value = "leaf" }\n', "utf-8")
    return directory / "root"


# -- the reproductions, as processes -----------------------------------------------


def test_doubling_locals_end_quickly(tmp_path: Path) -> None:
    target = doubling_locals(tmp_path, 22)
    assert (target / "main.tf").stat().st_size < 1000
    code, stdout, rss, cpu = _bounded_check(str(target))
    assert code in (0, 1), stdout
    assert stdout.splitlines()[-1].startswith("1 file checked"), stdout
    _assert_bounded(rss, cpu)


def test_nested_try_ends_quickly(tmp_path: Path) -> None:
    target = nested_try(tmp_path, 22)
    code, stdout, rss, cpu = _bounded_check(str(target))
    assert code in (0, 1), stdout
    # the output leads to one literal, whatever the number of paths to it
    assert "it evaluates to 'x'" in stdout, stdout
    _assert_bounded(rss, cpu)


def test_module_called_twice_by_each_level_is_loaded_once(tmp_path: Path) -> None:
    root = doubling_modules(tmp_path, 20)
    code, stdout, rss, cpu = _bounded_check(str(root), "--project-root", str(tmp_path))
    assert code in (0, 1), stdout
    assert stdout.splitlines()[-1].startswith("21 files checked"), stdout
    assert f"the configuration already has {MAX_MODULE_INSTANCES} module instances" in stdout
    _assert_bounded(rss, cpu)


# -- what the bounded evaluation computes ----------------------------------------------


def _app_slug(path: Path) -> tuple[object, Evaluator]:
    tree = load_configuration(str(path))
    evaluator = Evaluator(tree)
    app = tree.root.resources["coder_app.web"]
    return evaluator.value(app.attributes["slug"], tree.root), evaluator


def test_doubling_locals_compute_the_string_once(tmp_path: Path) -> None:
    slug, _evaluator = _app_slug(doubling_locals(tmp_path, 12))
    assert slug == "x" * 2**12


def test_a_computed_string_past_the_bound_is_unknown_with_a_reason(tmp_path: Path) -> None:
    levels = MAX_STRING_CHARS.bit_length()  # 2^levels > MAX_STRING_CHARS
    slug, evaluator = _app_slug(doubling_locals(tmp_path, levels))
    assert slug is UNKNOWN
    assert any(f"longer than {MAX_STRING_CHARS} characters" in note for note in evaluator.notes)


def test_nested_try_has_one_candidate(tmp_path: Path) -> None:
    tree = load_configuration(str(nested_try(tmp_path, 12)))
    resolution = Resolver(tree).resolve(tree.root.outputs["task_app_id"].value, tree.root)
    assert [(c.kind, c.value) for c in resolution.candidates] == [("literal", "x")]
    assert resolution.candidates[0].via == tuple(f"local.b{i}" for i in range(12, -1, -1))
    assert resolution.problems == []


def test_a_local_cycle_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        "locals {\n"
        + "".join(f"  c{i} = try(local.c{(i + 1) % 8}, local.c{(i + 1) % 8})\n" for i in range(8))
        + "}\n",
        encoding="utf-8",
    )
    tree = load_configuration(str(tmp_path))
    resolution = Resolver(tree).resolve(tree.root.locals["c0"].value, tree.root)
    assert resolution.problems == ["reference cycle through `local.c0`"]
    assert Evaluator(tree).value(tree.root.locals["c0"].value, tree.root) is UNKNOWN


def test_file_count_counts_files_not_loads(tmp_path: Path) -> None:
    root = doubling_modules(tmp_path, 6)  # 126 module instances, 7 files
    outcome = run_cli("check", str(root), "--project-root", str(tmp_path))
    assert_no_crash(outcome)
    assert outcome.stdout.splitlines()[-1].startswith("7 files checked"), outcome.stdout


def test_module_instances_share_the_directory_but_not_their_arguments(tmp_path: Path) -> None:
    """One directory, two calls with different arguments: each instance keeps its own."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.tf").write_text(
        'variable "slug" {}\nvariable "agent_id" {}\n'
        'locals { slug = "${var.slug}-app" }\n'
        'resource "coder_app" "web" {\n  agent_id = var.agent_id\n  slug = local.slug\n}\n'
        'output "task_app_id" { value = coder_app.web.id }\n',
        encoding="utf-8",
    )
    (tmp_path / "main.tf").write_text(
        'resource "coder_agent" "main" {\n  os = "linux"\n  arch = "amd64"\n}\n'
        'module "one" {\n  source = "./app"\n  slug = "first"\n'
        "  agent_id = coder_agent.main.id\n}\n"
        'module "two" {\n  source = "./app"\n  slug = "second"\n'
        "  agent_id = coder_agent.main.id\n}\n",
        encoding="utf-8",
    )
    tree = load_configuration(str(tmp_path))
    evaluator = Evaluator(tree)
    slugs = {}
    for name in ("one", "two"):
        module = tree.module_at((name,))
        assert module is not None
        app = module.resources["coder_app.web"]
        assert app.address == f"module.{name}.coder_app.web"
        slugs[name] = evaluator.value(app.attributes["slug"], module)
    assert slugs == {"one": "first-app", "two": "second-app"}
    one, two = tree.module_at(("one",)), tree.module_at(("two",))
    assert one is not None and two is not None
    assert one.locals["slug"] is two.locals["slug"]  # modelled once
    resolver = Resolver(tree)
    for module in (one, two):
        found = resolver.resolve(module.outputs["task_app_id"].value, module)
        assert [c.resource for c in found.resources("coder_app")] == [
            module.resources["coder_app.web"]
        ]


def test_a_placed_resource_keeps_every_field(tmp_path: Path) -> None:
    """Instances copy resources field by field: a field added later must be copied too."""
    from dataclasses import replace

    from aitask_lint.model.from_hcl import _placed

    (tmp_path / "main.tf").write_text(
        'resource "null_resource" "r" {\n  count = 2\n  triggers = { a = "b" }\n}\n', "utf-8"
    )
    resource = load_configuration(str(tmp_path)).root.resources["null_resource.r"]
    assert _placed(resource, ("m",)) == replace(resource, module=("m",))


def test_an_expression_with_30000_references_in_a_plan(tmp_path: Path) -> None:
    """Prefixes among a plan's references, and the graph's edges, are found in linear time."""
    import json

    references = [f"local.v{i}" for i in range(30000)] + ["module.m.out", "module.m"]
    resource_config = {
        "address": "null_resource.x",
        "mode": "managed",
        "type": "null_resource",
        "name": "x",
        "provider_config_key": "null",
        "expressions": {"triggers": {"references": references}},
        "schema_version": 0,
    }
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "configuration": {"root_module": {"resources": [resource_config]}},
        "planned_values": {"root_module": {}},
    }
    target = tmp_path / "plan.json"
    target.write_text(json.dumps(plan), encoding="utf-8")
    code, stdout, rss, cpu = _bounded_check(str(target))
    assert code in (0, 1), stdout
    _assert_bounded(rss, cpu)


def test_most_specific_keeps_the_longest_references_once() -> None:
    from aitask_lint.model.refs import most_specific, parse_reference

    refs = [parse_reference(t) for t in ("module.m.out", "module.m", "a.b[0]", "a.b", "a.b[0]")]
    assert [r.text for r in most_specific(refs)] == ["module.m.out", "a.b[0]"]


def _long_chain(directory: Path, wrap: str) -> Path:
    """400 locals, each ``wrap`` around the previous one, followed from a task and a slug."""
    step = wrap.format("local.l{0}")
    text_step = wrap.format('"${{local.s{0}}}"')
    lines = ["locals {", "  l0 = coder_app.web.id", '  s0 = "x"']
    for i in range(1, 400):
        lines.append(f"  l{i} = " + step.format(i - 1))
        lines.append(f"  s{i} = " + text_step.format(i - 1))
    lines += [
        "}",
        'resource "coder_agent" "main" {\n  os = "linux"\n  arch = "amd64"\n}',
        'resource "coder_app" "web" {\n  agent_id = coder_agent.main.id\n  slug = local.s399\n}',
        'resource "coder_ai_task" "t" {\n  app_id = local.l399\n}',
    ]
    (directory / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def test_a_chain_longer_than_the_step_bound_is_a_problem(tmp_path: Path) -> None:
    outcome = run_cli("check", str(_long_chain(tmp_path, 'try({}, "")')))
    assert_no_crash(outcome)
    assert "reference chain longer than 192 steps" in outcome.stdout, outcome.stdout


def test_a_chain_of_nested_expressions_stays_inside_the_recursion_limit(tmp_path: Path) -> None:
    """Each step three calls deep: the walk stops on its own, not in RecursionError."""
    outcome = run_cli("check", str(_long_chain(tmp_path, 'try(try(try({}, ""), ""), "")')))
    assert_no_crash(outcome)
    assert "nested more than 400 levels deep along the references" in outcome.stdout
