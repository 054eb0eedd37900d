"""Hostile shapes for the loaders: regular expressions, huge numbers, odd HCL JSON, messages.

Each hang case runs the CLI in a process of its own, killed after a generous
time bound (the reproductions took 15 to 45 seconds before the fix), and must
end with exit status 0, 1 or 2 and no traceback. See ``docs/limits.md``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aitask_lint.errors import InputError
from aitask_lint.hcl import expressions as hx
from aitask_lint.hcl.jsonsyntax import parse_tf_json
from aitask_lint.hcl.parser import parse_hcl
from cli_runner import PROBLEM_LINE, assert_no_crash, run_cli

#: CPU seconds: far above what the fixed code needs (under 2 s), far below what the old code took
BOUND_SECONDS = 10.0
#: wall-clock seconds after which a process is taken to hang, however loaded the machine
WALL_GUARD_SECONDS = 120.0
#: these shapes are over the per-file limit; raised so that they reach the parser
RAISED = {"AITASK_LINT_MAX_SOURCE_BYTES": "2M", "AITASK_LINT_MAX_TOTAL_SOURCE_BYTES": "2M"}
GIB = 1024**3


@dataclass
class Bounded:
    name: str
    code: int
    stdout: str
    stderr: str
    cpu_seconds: float


@dataclass(frozen=True)
class Case:
    """One template (``main.tf``) checked by ``aitask-lint check`` under ``env``."""

    name: str
    text: str | bytes
    env: dict[str, str] = field(default_factory=dict)


#: the child of :func:`run_bounded`: ``aitask-lint check`` on each case in turn, in-process
#: (``cli.run``, as ``run_cli``), each case's CPU time measured on its own; the name of the
#: case being run goes to standard error first, so a hang names its case
_DRIVER = """
import contextlib, gc, io, json, os, sys, time, traceback
gc.disable()  # as the console script's main() does
from aitask_lint.cli import run
from aitask_lint.hcl.files import forget
cases = json.loads(open(sys.argv[1], encoding="utf-8").read())
results = {}
for name, args, env in cases:
    print(name, file=sys.stderr, flush=True)
    saved = dict(os.environ)
    os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    started = time.process_time()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(args)
    except BaseException:
        code = -1
        err.write(traceback.format_exc())
    cpu = time.process_time() - started
    os.environ.clear()
    os.environ.update(saved)
    forget()
    gc.collect()
    results[name] = [code, out.getvalue(), err.getvalue(), cpu]
with open(sys.argv[2], "w", encoding="utf-8") as handle:
    json.dump(results, handle)
"""


class BoundedRunner:
    """Checks cases in a process of their own; each fails past :data:`BOUND_SECONDS` of CPU.

    The bound is on each case's CPU time, not the wall clock, so a loaded
    machine (a parallel test run, a busy CI runner) cannot fail a case that is
    fast: a quadratic parse burns CPU, waiting for a core does not. A wall-clock
    guard (:data:`WALL_GUARD_SECONDS`) still ends a process that truly hangs,
    naming the case it was in. The cases share one process (each started
    process costs 0.4 s of CPU before it parses anything), whose parse cache
    starts empty: every case parses its input (the compiled grammar comes with
    the package).
    """

    def __init__(self, work: Path) -> None:
        self._work = work

    def __call__(self, cases: list[Case]) -> dict[str, Bounded]:
        cache = self._work / "cache"
        listed = []
        for case in cases:
            directory = template(self._work, case.name, case.text)
            listed.append((case.name, ["check", str(directory)], case.env))
        (self._work / "cases.json").write_text(json.dumps(listed), encoding="utf-8")
        results = self._work / "results.json"
        environment = {**os.environ, "AITASK_LINT_CACHE_DIR": str(cache)}
        command = [sys.executable, "-c", _DRIVER, str(self._work / "cases.json"), str(results)]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=environment,
                timeout=WALL_GUARD_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as hung:
            started = (hung.stderr or b"").decode("utf-8", "replace").split()
            pytest.fail(f"case {started[-1:]} ran past {WALL_GUARD_SECONDS} s")
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
        outcomes = {
            name: Bounded(name, *fields)
            for name, fields in json.loads(results.read_text(encoding="utf-8")).items()
        }
        slow = [
            f"{o.name}: {o.cpu_seconds:.1f} s"
            for o in outcomes.values()
            if o.cpu_seconds >= BOUND_SECONDS
        ]
        assert not slow, f"CPU time past {BOUND_SECONDS} s: {slow}"
        return outcomes


@pytest.fixture
def run_bounded(tmp_path: Path) -> BoundedRunner:
    return BoundedRunner(tmp_path / "bounded")


def assert_clean(outcome: Bounded) -> None:
    """Exit 0, 1 or 2; no traceback, no internal error; every stderr line a problem line."""
    assert outcome.code in (0, 1, 2), outcome
    for stream in (outcome.stdout, outcome.stderr):
        assert "Traceback" not in stream, stream[-2000:]
        assert "internal error" not in stream, stream[-2000:]
    for line in outcome.stderr.splitlines():
        assert PROBLEM_LINE.match(line), line


def template(tmp_path: Path, name: str, text: str | bytes, file: str = "main.tf") -> Path:
    directory = tmp_path / name
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / file
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return directory


# --- item 5: regular expressions on user text ---------------------------------------


@pytest.mark.parametrize(
    "constraint",
    [" " * 30000 + "x", ">=" + " " * 30000 + "x", "1-" + " " * 30000 + "\nx", "1" * 5000],
)
def test_version_constraints_refused_quickly(constraint: str) -> None:
    from aitask_lint.model.catalog.versions import ConstraintError, parse_constraint

    started = time.process_time()  # CPU time: a loaded machine does not stretch it
    with pytest.raises(ConstraintError):
        parse_constraint(constraint)
    assert time.process_time() - started < 1.0


def test_version_constraints_still_parse() -> None:
    from aitask_lint.model.catalog.versions import Interval, parse_constraint, parse_version

    assert parse_constraint(" >= 1.2 , < 2.0.0 ") == Interval((1, 2, 0), (2, 0, 0))
    assert parse_constraint("~> 4.2") == Interval((4, 2, 0), (5, 0, 0))
    assert parse_constraint("v1.0.0-beta+meta") == Interval((1, 0, 0), (1, 0, 1))
    assert parse_version("1.2.3-rc.1") == (1, 2, 3)


def test_long_runs_that_backtracked_are_linear(run_bounded: BoundedRunner) -> None:
    """Shapes a regular expression or a scan took quadratic time on, one process for all."""
    heredoc = "locals {\n  a = <<EOT\n" + "\n" * 120_000
    outcomes = run_bounded(
        [
            # ``^\s*(op)?\s*`` backtracked quadratically: 36 s on a 30 KB version
            Case(
                "version-of-spaces",
                'module "m" {\n  source  = "registry.coder.com/coder/claude-code/coder"\n'
                f'  version = "{" " * 30000}x"\n}}\n',
            ),
            # python-hcl2's heredoc terminal ends in ``\s*(?P=marker)``: 45 s before
            Case("heredoc-of-blank-lines", heredoc + "x\nEOT\n}\n"),
            Case("unclosed-heredoc-of-blank-lines", heredoc + "x\n}\n"),
            # the pre-parse scan looked for the line end at every ``<<``: 15 s before
            Case("less-than-signs", "locals {\n  a = 1\n}\n" + "<" * 1_000_000 + "\n", RAISED),
        ]
    )
    for outcome in outcomes.values():
        assert_clean(outcome)
    unclosed = outcomes["unclosed-heredoc-of-blank-lines"]
    assert unclosed.code == 2
    assert "main.tf:2:7: error AIT001" in unclosed.stdout, unclosed.stdout[-500:]
    assert "no closing marker 'EOT'" in unclosed.stdout
    assert outcomes["less-than-signs"].code == 2


#: Lark's terminals (strings, comments, heredocs) on shapes built to backtrack
ADVERSARIAL_BODIES = {
    "dollars": '"' + "$" * 400_000 + '"',
    "percents": '"' + "%" * 400_000 + '"',
    "escaped-interpolations": '"' + "$${" * 200_000 + '"',
    "backslashes": '"' + "\\\\" * 300_000 + '"',
    "escaped-quotes": '"' + "\\" + '"' * 300_000,
    "open-comment": "/*" + " " * 600_000,
    "spaces-in-list": "[" + " " * 600_000 + "]",
    "spaces-before-operator": "1" + " " * 600_000 + "+ 1",
    "heredoc-space-lines": "<<EOT\n" + " \n" * 300_000 + "EOT",
    "heredoc-tabs": "<<-EOT\n" + "\t" * 600_000 + "\n  EOT",
    "heredoc-near-markers": "<<EOT\n" + "EOTx\n" * 100_000 + "EOT",
    "heredoc-open-interpolations": "<<EOT\n" + "${" * 100_000 + "\nEOT",
    "heredoc-crlf-blank-lines": "<<EOT\r\n" + "\r\n" * 200_000 + "EOT",
    "directive-unclosed-quote": '"%{if \\"' + "a" * 300_000 + '"',
    "nested-string-interpolations": '"' + '${"' * 100_000,
    "deep-parentheses": "(" * 100_000 + "1" + ")" * 100_000,
    "comment-of-stars": "1 /*" + "*" * 300_000 + "/",
}


@pytest.mark.slow
def test_lexer_terminals_on_adversarial_text(run_bounded: BoundedRunner) -> None:
    """Each shape in :data:`ADVERSARIAL_BODIES` is checked within the bound, cleanly."""
    outcomes = run_bounded(
        [
            Case(name, f"locals {{\n  a = {body}\n}}\n", RAISED)
            for name, body in ADVERSARIAL_BODIES.items()
        ]
    )
    assert list(outcomes) == list(ADVERSARIAL_BODIES)
    for outcome in outcomes.values():
        assert_clean(outcome)
        assert "too large" not in outcome.stdout, outcome.name


def test_heredoc_values_are_read_from_the_original() -> None:
    """The parser sees a heredoc's body filled in; values and positions are unchanged."""
    text = (
        "locals {\n"
        "  a = <<EOT\n  one ${local.x}\n\n  two\nEOT\n"
        "  b = <<-EOT\n    x\n      y %{if true}z%{endif}\n    EOT   \n"
        "  c = <<EOT\n${<<INNER\nnested\nINNER\n}\nEOT\n"
        "  d = <<EOT\nEOT\n"
        "}\n"
    )
    body = parse_hcl(text, "m.tf").body.blocks[0].body
    a = body.attributes["a"].expression
    assert isinstance(a, hx.Template)
    assert a.parts[0] == "  one "
    interpolation = a.parts[1]
    assert isinstance(interpolation, hx.Traversal)
    assert (interpolation.span.line, interpolation.span.column) == (3, 9)
    assert a.parts[2] == "\n\n  two\n"
    b = body.attributes["b"].expression
    assert isinstance(b, hx.Template)
    assert b.parts[0] == "x\n  y "
    c = body.attributes["c"].expression
    assert isinstance(c, hx.Template)
    assert isinstance(c.parts[0], hx.Literal)
    assert c.parts[0].value == "nested\n"
    d = body.attributes["d"].expression
    assert isinstance(d, hx.Literal)
    assert d.value == ""


def test_heredoc_interpolation_errors_point_into_the_body() -> None:
    text = "locals {\n  a = <<EOT\nline\n  ${1 +}\nEOT\n}\n"
    with pytest.raises(InputError) as raised:
        parse_hcl(text, "m.tf")
    assert raised.value.line == 4


# --- item 12: integers past Python's 4,300-digit conversion limit --------------------

BIG = "9" * 5000


def test_huge_integers_in_hcl() -> None:
    text = f"locals {{\n  a = {BIG}\n  b = -{BIG}\n  c = [1, 2][{BIG}]\n  d = [1, 2].{BIG}\n}}\n"
    body = parse_hcl(text, "m.tf").body.blocks[0].body
    a = body.attributes["a"].expression
    assert isinstance(a, hx.Literal)
    assert a.value == float("inf")
    assert a.source == BIG


def test_huge_integers_in_tf_json() -> None:
    parsed = parse_tf_json(f'{{"locals": {{"a": {BIG}, "b": [{BIG}, 1]}}}}', "m.tf.json")
    a = parsed.body.blocks[0].body.attributes["a"].expression
    assert isinstance(a, hx.Literal)
    assert a.value == float("inf")


def test_integers_up_to_the_limit_stay_exact() -> None:
    from aitask_lint.jsonnum import loads, parse_int

    assert parse_int("9" * 4300) == int("9" * 4300)
    assert parse_int("-" + "9" * 4300) == -int("9" * 4300)
    assert parse_int("-" + "9" * 4301) == float("-inf")
    assert loads("[12, -3]") == [12, -3]


def test_huge_integers_everywhere_in_a_recursive_run(tmp_path: Path) -> None:
    """One such file aborted ``-r`` and every other root's results were lost."""
    template(tmp_path, "a", f"locals {{\n  a = {BIG}\n}}\n")
    template(tmp_path, "b", f'{{"locals": {{"a": {BIG}}}}}', "main.tf.json")
    manifest = tmp_path / "c" / ".terraform" / "modules" / "modules.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(f'{{"Modules": [{{"Key": "", "Dir": ".", "x": {BIG}}}]}}')
    (tmp_path / "c" / "main.tf").write_text("")
    template(tmp_path, "d", 'resource "coder_app" "web" {\n  slug = "BAD SLUG"\n}\n')
    outcome = run_cli("check", "-r", str(tmp_path))
    assert_no_crash(outcome)
    assert "AIT403" in outcome.stdout or "slug" in outcome.stdout, outcome.stdout


def test_huge_integers_in_plan_json(tmp_path: Path) -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": []}},
        "variables": {"n": {"value": 0}},
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan).replace('"value": 0', f'"value": {BIG}'))
    for command in ("check", "convert", "tasks"):
        outcome = run_cli(command, str(path))
        assert_no_crash(outcome)
        assert outcome.code in (0, 1), (command, outcome)


# --- item 17: HCL JSON that HashiCorp's json/structure.go accepts --------------------


def blocks(text: str) -> list[tuple[str, list[str], list[str]]]:
    parsed = parse_tf_json(text, "m.tf.json")
    return [
        (block.type, block.labels, sorted(block.body.attributes)) for block in parsed.body.blocks
    ]


def test_arrays_of_objects_at_label_levels() -> None:
    text = json.dumps(
        {
            "resource": [
                {"coder_agent": [{"main": {"os": "linux"}}, {"dev": {"arch": "amd64"}}]},
                {"coder_app": {"web": [{"slug": "a"}, {"slug": "b"}]}},
            ],
            "variable": [{"x": {}}, {"y": {"default": 1}}],
        }
    )
    assert blocks(text) == [
        ("resource", ["coder_agent", "main"], ["os"]),
        ("resource", ["coder_agent", "dev"], ["arch"]),
        ("resource", ["coder_app", "web"], ["slug"]),
        ("resource", ["coder_app", "web"], ["slug"]),
        ("variable", ["x"], []),
        ("variable", ["y"], ["default"]),
    ]


def test_null_bodies() -> None:
    """``null`` once the labels are used up is no block; a ``null`` element an empty block."""
    text = json.dumps(
        {
            "locals": None,
            "variable": {"a": None, "b": [None, {"default": 1}]},
            "output": [{"o": [None, {"value": 1}]}],
        }
    )
    assert blocks(text) == [
        ("variable", ["b"], []),
        ("variable", ["b"], ["default"]),
        ("output", ["o"], []),
        ("output", ["o"], ["value"]),
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"variable": {}},
            "Missing block label: At least one object property is required, "
            "whose name represents the variable block's name.",
        ),
        ({"resource": {"coder_agent": None}}, "represents the resource block's name."),
        ({"resource": [1]}, "A JSON object is required here, to specify type labels"),
        ({"output": [None]}, "A JSON object is required here, to specify name labels"),
        ({"variable": {"a": 1}}, "Either a JSON object or a JSON array is required"),
        (
            {"output": {"o": [[{"value": 1}, {"value": 2}]]}},  # one body in two objects
            'Duplicate argument: The argument "value" was already set at m.tf.json:1,',
        ),
    ],
)
def test_label_and_body_errors_are_terraforms(document: object, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_tf_json(json.dumps(document), "m.tf.json")
    assert message in raised.value.message


# --- item 20: messages from the loaders ----------------------------------------------


def test_one_byte_over_the_limit_says_bytes(tmp_path: Path) -> None:
    directory = template(tmp_path, "t", "#" * (256 * 1024) + "\n")
    outcome = run_cli("check", str(directory))
    assert "is 262,145 bytes, over the 262,144-byte limit" in outcome.stdout, outcome.stdout


def test_far_over_the_limit_says_mebibytes() -> None:
    from aitask_lint.limits import too_large

    error = too_large("x", 2 * 1024 * 1024, "ENV", 5 * 1024 * 1024)
    assert "is 5.0 MiB, over the 2.0 MiB limit" in error.message
    assert "over the 0.5 KiB limit" not in too_large("x", 512, "ENV", 600).message


@pytest.mark.parametrize(("encoding", "name"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_wide_encodings_are_named(tmp_path: Path, encoding: str, name: str) -> None:
    hcl = "locals {\n  a = 1\n}\n"
    for text, label in ((hcl, "BOM"), (hcl, "no BOM")):
        raw = text.encode(encoding) if label == "BOM" else text.encode(encoding + "-le")
        directory = template(tmp_path, f"{encoding}-{label}", raw)
        outcome = run_cli("check", str(directory))
        assert f"main.tf:1:1: error AIT001 {name} text: Invalid character encoding" in (
            outcome.stdout
        ), outcome.stdout
        assert "binary" not in outcome.stdout
    plan = tmp_path / f"{encoding}.json"
    plan.write_bytes('{"format_version": "1.2"}'.encode(encoding))
    outcome = run_cli("convert", str(plan))
    assert outcome.code == 2
    assert f"{name} text, expected UTF-8" in outcome.stderr, outcome.stderr


@pytest.mark.parametrize("version", ["1.0\n", " 1.0", "1.0 ", "1..0", "", "1.0-"])
def test_malformed_format_version_is_refused(tmp_path: Path, version: str) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format_version": version, "planned_values": {}}))
    outcome = run_cli("convert", str(plan))
    assert_no_crash(outcome)
    assert outcome.code == 2
    assert "Malformed version" in outcome.stderr, outcome.stderr


@pytest.mark.parametrize("version", ["1.0", "1.2", "1.2.3", "1.2-beta1"])
def test_well_formed_format_versions_are_read(tmp_path: Path, version: str) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format_version": version, "planned_values": {}}))
    outcome = run_cli("convert", str(plan))
    assert "Malformed" not in outcome.stderr, outcome.stderr


def test_deep_module_manifest_is_a_nesting_error(tmp_path: Path) -> None:
    manifest = tmp_path / "t" / ".terraform" / "modules" / "modules.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"Modules": ' + "[" * 3000 + "]" * 3000 + "}")
    (tmp_path / "t" / "main.tf").write_text("")
    outcome = run_cli("check", str(tmp_path / "t"))
    assert_no_crash(outcome)
    assert "recursion" not in outcome.stdout
    assert "nested too deeply (more than 900 levels" in outcome.stdout, outcome.stdout


# --- item 9: limits that hold for the densest shapes --------------------------------

MIB = 1024 * 1024


def dense_hcl(size: int, name: str = "a") -> str:
    """The costliest HCL per byte measured: a list of tiny objects (docs/limits.md)."""
    head, unit, tail = f"locals {{\n  {name} = [", "{a=1},", "1]\n}\n"
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


def test_a_million_element_list_is_refused_by_size(tmp_path: Path) -> None:
    """2 MiB of ``1,`` was accepted and took 24 s and 1.2 GB."""
    from cli_runner import assert_bounded, run_measured

    directory = template(tmp_path, "t", "locals {\n  a = [" + "1," * MIB + "1]\n}\n")
    measured = run_measured("check", "--no-cache", str(directory))
    assert measured.code == 2
    assert "file too large: is 2.0 MiB, over the 256.0 KiB limit" in measured.stdout
    assert "AITASK_LINT_MAX_SOURCE_BYTES" in measured.stdout
    assert_bounded(measured, memory=256 * MIB, cpu=5)


@pytest.mark.slow
def test_the_densest_file_at_the_limit_is_bounded(tmp_path: Path) -> None:
    """Parsed, modelled, linted and encoded for the parse cache within the bounds.

    The compiled grammar comes with the package; the file itself is parsed
    cold. Its entry (5 MB, 20 times the source) is over the
    cache's per-entry bound, so it is encoded but not kept.
    """
    from cli_runner import assert_bounded, run_measured

    directory = template(tmp_path, "t", dense_hcl(256 * 1024 - 1))
    cache = tmp_path / "cache"
    measured = run_measured("check", str(directory), env={"AITASK_LINT_CACHE_DIR": str(cache)})
    assert (measured.code, measured.stdout) == (0, "1 file checked, no findings\n"), measured
    assert_bounded(measured, memory=GIB, cpu=10)


def test_total_source_per_run_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_SOURCE_BYTES", "10K")
    for name in ("a", "b", "c"):
        template(tmp_path, name, dense_hcl(4000, name))
    outcome = run_cli("check", "-r", str(tmp_path))
    assert_no_crash(outcome)
    assert outcome.code == 2
    refused = [line for line in outcome.stdout.splitlines() if "AIT001" in line]
    assert len(refused) == 1, outcome.stdout
    assert refused[0].startswith(f"{tmp_path}/c/main.tf:1:1: error AIT001 too much source in one")
    assert "over the 10.0 KiB limit for one run" in refused[0]
    assert "set AITASK_LINT_MAX_TOTAL_SOURCE_BYTES to raise it" in refused[0]
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_SOURCE_BYTES", "12K")
    assert run_cli("check", "-r", str(tmp_path)).code == 0


def test_a_shared_module_counts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_SOURCE_BYTES", "10K")
    template(tmp_path, "shared", dense_hcl(6000))
    for name in ("a", "b", "c", "d"):
        template(tmp_path, name, 'module "m" {\n  source = "../shared"\n}\n')
    outcome = run_cli("check", "-r", str(tmp_path), "--project-root", str(tmp_path))
    assert_no_crash(outcome)
    assert "too much source" not in outcome.stdout, outcome.stdout


def test_each_library_call_has_its_own_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aitask_lint.lint.runner import lint

    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_SOURCE_BYTES", "6K")
    directory = template(tmp_path, "t", dense_hcl(4000))
    for _ in range(3):
        from aitask_lint.hcl.files import forget

        forget()
        report, unusable = lint([directory])
        assert not unusable, report.findings


def test_workers_are_sized_by_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from aitask_lint import limits

    monkeypatch.setattr(limits, "_own_rss", lambda: 100 * MIB)
    monkeypatch.setattr(limits, "_meminfo", lambda _name: 64 * GIB)
    # 256 KiB files: 100 MiB + 200 MiB each, next to 100 MiB + the trees of 512 KiB
    assert limits.workers_for_memory(256 * 1024, 512 * 1024) == 2
    assert limits.workers_for_memory(4 * 1024, 64 * 1024) >= 8
    assert limits.workers_for_memory(2 * MIB, 16 * MIB) == 1
    monkeypatch.setattr(limits, "_meminfo", lambda _name: 300 * MIB)  # a small container
    assert limits.workers_for_memory(64 * 1024, 64 * 1024) == 1


def test_pool_is_used_for_few_big_files_and_sized_by_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aitask_lint import limits
    from aitask_lint.hcl import files, settings

    seen: list[int] = []

    def fake_pool(sources: list[object], jobs: int, use_cache: bool) -> list[InputError]:
        seen.append(jobs)  # the decision is the point: nothing is parsed (3 s of dense HCL)
        return [InputError("unparsed", "not parsed in this test") for _ in sources]

    monkeypatch.setattr(files, "_parse_in_pool", fake_pool)
    monkeypatch.setattr(limits, "workers_for_memory", lambda largest, total: 2)
    paths = []
    for name in ("a", "b", "c"):
        paths.append(str(template(tmp_path, name, dense_hcl(60_000, name)) / "main.tf"))
    settings.configure(cache=False, jobs=8)
    try:
        files.forget()
        files.prefetch(paths)
    finally:
        settings.configure(cache=True)
        settings.SETTINGS.jobs = None
        files.forget()
    assert seen == [2]  # three files, but 180 KB of them: parallel, in 2 workers, not 8


@pytest.mark.parametrize("value", ["9" * 5000, "9" * 16, "99999999G", "1" + " " * 30000 + "x"])
def test_huge_or_odd_limit_settings_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("AITASK_LINT_MAX_SOURCE_BYTES", value)
    directory = template(tmp_path, "t", "locals {\n  a = 1\n}\n")
    started = time.process_time()
    outcome = run_cli("check", str(directory))
    assert time.process_time() - started < 5
    assert_no_crash(outcome)
    assert outcome.code == 2
    assert "AITASK_LINT_MAX_SOURCE_BYTES" in outcome.stdout + outcome.stderr


def test_total_json_per_run_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = json.dumps({"format_version": "1.2", "planned_values": {"root_module": {}}})
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.json"
        path.write_text(plan + " " * (600 - len(plan)))
        paths.append(str(path))
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_JSON_BYTES", "1K")
    outcome = run_cli("check", *paths)
    assert_no_crash(outcome)
    refused = [line for line in outcome.stdout.splitlines() if "AIT001" in line]
    assert len(refused) == 2, outcome.stdout
    assert refused[0].startswith(f"{paths[1]}: error AIT001 too much JSON in one run") or (
        refused[0].startswith(f"{paths[1]}:1:1: error AIT001 too much JSON in one run")
    ), refused
    assert "set AITASK_LINT_MAX_TOTAL_JSON_BYTES to raise it" in refused[0]
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_JSON_BYTES", "2K")
    assert "too much" not in run_cli("check", *paths).stdout


def test_module_manifests_count_in_the_json_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AITASK_LINT_MAX_TOTAL_JSON_BYTES", "1K")
    for name in ("a", "b"):
        manifest = tmp_path / name / ".terraform" / "modules" / "modules.json"
        manifest.parent.mkdir(parents=True)
        manifest.write_text('{"Modules": []}' + " " * 600)
        (tmp_path / name / "main.tf").write_text("")
    outcome = run_cli("check", "-r", str(tmp_path), "--project-root", str(tmp_path))
    assert_no_crash(outcome)
    assert outcome.stdout.count("too much JSON in one run") == 1, outcome.stdout
