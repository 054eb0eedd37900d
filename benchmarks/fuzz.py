"""Fuzz aitask-lint with mutated fixtures; record every crash.

Seeds are the project's own fixtures (templates, rule fixtures, examples,
plan/state JSON and DOT) plus Coder's provisioner corpus in
``../shared/corpus/coder-provisioner/`` when it is present. Each case mutates
one seed (byte flips, deletions, insertions of HCL or JSON tokens, truncation,
duplicated or swapped lines, JSON values swapped for other types) and runs it
through the library the way the CLI does: ``lint`` and every report format,
``extract_ai_tasks``, the dependency graph, and ``convert_state`` for JSON.

The only acceptable outcomes are a result or one of the project's own errors
(:class:`aitask_lint.errors.AitaskLintError`: an input error with a position,
or Coder's ConvertState error). Anything else, or a case running over the
time limit, is a crash: its input and traceback are written to the crash
directory, and the summary counts cases, crashes and unique crash sites.

    python benchmarks/fuzz.py --minutes 10                 # every target, ~10 minutes
    python benchmarks/fuzz.py --target json --cases 20000
    python benchmarks/fuzz.py --replay crashes/            # rerun recorded crashes

``tests/test_fuzz.py`` drives the same mutators from Hypothesis, bounded so
that CI stays fast.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "coder-provisioner"
#: a case taking longer than this is recorded as a hang
CASE_SECONDS = 20

Mutator = Callable[[bytes, random.Random], bytes]

# --- seeds -------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    """One input to mutate: a file, and for HCL the template directory it belongs to."""

    kind: str  # "hcl", "json" or "dot"
    path: Path
    root: Path | None = None  # HCL: the directory to lint (copied whole for each case)

    @property
    def name(self) -> str:
        return str(self.path.relative_to(ROOT.parent))


def _template_roots() -> Iterator[Path]:
    for group in ("templates", "examples"):
        yield from sorted(p for p in (FIXTURES / group).iterdir() if p.is_dir())
    for rule in sorted((FIXTURES / "rules").iterdir()):
        if rule.is_dir():
            yield from sorted(p for p in rule.iterdir() if p.is_dir())
    yield FIXTURES / "hcl"


def hcl_seeds() -> list[Seed]:
    """Every ``.tf``/``.tf.json`` file of the fixtures, with its template directory."""
    seeds = []
    for root in _template_roots():
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.name.endswith((".tf", ".tf.json")):
                seeds.append(Seed("hcl", path, root))
    return seeds


def json_seeds() -> list[Seed]:
    """Plan and state JSON: the fixtures', and Coder's corpus when present."""
    paths = sorted((FIXTURES / "convert").rglob("*.json"))
    paths += sorted(p for p in (FIXTURES / "rules").rglob("*.json") if p.name != "expected.json")
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*/*.tf*.json"))
    return [Seed("json", path) for path in paths]


def dot_seeds() -> list[Seed]:
    paths = sorted((FIXTURES / "convert").rglob("*.dot"))
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*/*.tfplan.dot"))
    return [Seed("dot", path) for path in paths]


SEEDS: dict[str, Callable[[], list[Seed]]] = {
    "hcl": hcl_seeds,
    "json": json_seeds,
    "dot": dot_seeds,
}

# --- mutators ------------------------------------------------------------------------

HCL_TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b'"',
    b"${",
    b"%{",
    b"}",
    b"~}",
    b"=",
    b"==",
    b".",
    b"*",
    b"[*]",
    b".*",
    b"...",
    b"=>",
    b"?",
    b":",
    b",",
    b"#",
    b"//",
    b"/*",
    b"*/",
    b"\n",
    b"\r\n",
    b"\r",
    b"\t",
    b"\\",
    b'\\"',
    b"\\u00e9",
    b"\\uD800",
    b"\\U0010FFFF",
    b"<<EOT\n",
    b"<<-EOT\n",
    b"\nEOT\n",
    b"EOT  \n",
    b"for ",
    b" in ",
    b"if ",
    b"endif",
    b"endfor",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"0x1",
    b"module ",
    b"resource ",
    b"data ",
    b'source = "./"\n',
    b'source = "../"\n',
    b'source = "../../.."\n',
    b"count = 2\n",
    b"coder_app.x.id",
    b"module.m.task_app_id",
    b"var.v",
    b"local.l",
    b"try(",
    b"\xc3\xa9",
    b"\xe2\x80\xae",
    b"\x1b[31m",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"(" * 200,
    b"[" * 200,
]
JSON_TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b":",
    b",",
    b"null",
    b"true",
    b"false",
    b"0",
    b"-0",
    b"1e999",
    b"-1",
    b"1.5",
    b'"\\ud800"',
    b'"\\u0000"',
    b'"\\u001b[2J"',
    b"\\",
    b" ",
    b"\n",
    b'"format_version": "2.0",',
    b'"errored": true,',
    b'"child_modules": [{}],',
    b'"module_calls": {"m": {"module": {}}},',
    b'"x": 1, "x": 2,',
    b"\xff",
    b"\xef\xbb\xbf",
    b"[" * 200,
    b"{}" * 50,
]
DOT_TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"->",
    b"--",
    b";",
    b",",
    b"=",
    b"subgraph ",
    b"digraph ",
    b"node ",
    b"edge ",
    b"/*",
    b"*/",
    b"//",
    b"#",
    b"\\",
    b"\n",
    b"label = ",
    b"\xff",
    b'"[root] coder_app.x (expand)"',
    b'"[root] provider[\\"registry.terraform.io/coder/coder\\"]"',
]


def flip_bit(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    index = rng.randrange(len(data))
    return data[:index] + bytes([data[index] ^ (1 << rng.randrange(8))]) + data[index + 1 :]


def replace_byte(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    index = rng.randrange(len(data))
    return data[:index] + bytes([rng.randrange(256)]) + data[index + 1 :]


def delete_span(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    length = rng.choice((1, 1, 2, 4, 16, 64, 256))
    return data[:start] + data[start + length :]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    index = rng.randrange(len(lines))
    return b"".join(lines[: index + 1] + lines[index:])


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data
    first, second = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[first], lines[second] = lines[second], lines[first]
    return b"".join(lines)


def duplicate_span(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.choice((8, 64, 512)))
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] + data[at:]


def inserter(tokens: list[bytes]) -> Mutator:
    def insert_token(data: bytes, rng: random.Random) -> bytes:
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice(tokens) + data[at:]

    insert_token.__name__ = "insert_token"
    return insert_token


#: right-hand sides an HCL argument is swapped for: every type, and the shapes rules expect
_HCL_VALUES = [
    b"null",
    b"true",
    b"0",
    b"-1",
    b"1.5",
    b'""',
    b'"x"',
    b"[]",
    b"{}",
    b"[null]",
    b'["a", 1]',
    b"{ a = 1 }",
    b"coder_agent.main.id",
    b"coder_agent.main",
    b"coder_app.x[0].id",
    b"coder_app.x[*].id",
    b"module.m.task_app_id",
    b"module.m[0].task_app_id",
    b"var.v",
    b"local.l",
    b"each.value",
    b"count.index",
    b"data.coder_task.t.prompt",
    b"coder_ai_task.t.prompt",
    b"try(module.m.task_app_id, null)",
    b"c ? 1 : 0",
    b'"${var.v}-${local.l}"',
    b'"%{ if true }x%{ endif }"',
    b"[for x in var.v : x]",
    b"{ for k, v in var.v : k => v }",
    b"jsonencode({ a = 1 })",
    b"-var.v",
    b"!true",
    b'"00000000-0000-0000-0000-000000000000"',
    b'"\\u001b[2J\\u202e"',
    b'"../../.."',
    b'"./"',
    b'"registry.coder.com/coder/claude-code/coder"',
    b'"~> 4.0"',
    b'">= 5"',
    b"<<EOT\nx\nEOT",
    b'{ url = var.v, interval = -1, threshold = "x" }',
]


def replace_value(data: bytes, rng: random.Random) -> bytes:
    """Swap the right-hand side of one ``name = value`` line for a value of another shape."""
    lines = data.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if b"=" in line and b"==" not in line]
    if not candidates:
        return inserter(HCL_TOKENS)(data, rng)
    index = rng.choice(candidates)
    name, _equals, _rest = lines[index].partition(b"=")
    ending = b"\r\n" if lines[index].endswith(b"\r\n") else b"\n"
    lines[index] = name + b"= " + rng.choice(_HCL_VALUES) + ending
    return b"".join(lines)


#: values a JSON node is swapped for: every type, and values that stress the loaders
_SWAPS: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    10**30,
    "",
    "x",
    "\x1b[31m\u202e\ud800",
    [],
    {},
    [None],
    {"": None},
    [[[[[]]]]],
    {"address": 1},
    {"resources": "x"},
    {"child_modules": [{}]},
    "00000000-0000-0000-0000-000000000000",
    "module.m.coder_app.x",
    "${",
    "%{",
]


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _nodes(item, (*path, position))


def swap_json_value(data: bytes, rng: random.Random) -> bytes:
    """Replace one value of the document with a value of another type, or drop a key."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return replace_byte(data, rng)
    paths = [p for p in _nodes(document) if p]
    if not paths:
        return json.dumps(rng.choice(_SWAPS)).encode()
    path = rng.choice(paths)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and rng.random() < 0.2:
        del parent[path[-1]]
    else:
        parent[path[-1]] = rng.choice(_SWAPS)
    return json.dumps(document, indent=rng.choice((None, 2))).encode("utf-8", "surrogatepass")


#: numbers past Python's limits: 4,300 digits for int(), 1e308 for a float
def _numbers(rng: random.Random) -> bytes:
    digits = rng.choice((4300, 4301, 5000, 20_000))
    body = rng.choice("123456789") + "".join(rng.choice("0123456789") for _ in range(digits - 1))
    return rng.choice(
        (
            body,
            "-" + body,
            body + ".5",
            "1e" + body[:6],
            "-1e-" + body[:6],
            body + "e-" + body[:5],
            "0" * digits + "1",
            "1e999",
            "-0",
            "9" * 19,
            "18446744073709551616",
        )
    ).encode()


def numeric_literal(data: bytes, rng: random.Random) -> bytes:
    """Replace a number in the input (or insert one) with a huge or extreme one."""
    import re

    found = list(re.finditer(rb"-?\b[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\b", data))
    if found and rng.random() < 0.8:
        match = rng.choice(found)
        return data[: match.start()] + _numbers(rng) + data[match.end() :]
    at = rng.randrange(len(data) + 1)
    return data[:at] + _numbers(rng) + data[at:]


#: runs that make a backtracking regular expression quadratic, at about 30-120 KB
#: (the reproductions of issue 10: a version of spaces, a heredoc of blank lines, "<<<")
def _regex_bait(rng: random.Random) -> bytes:
    n = rng.choice((30_000, 60_000, 120_000))
    return rng.choice(
        (
            b" " * n,
            b"\n" * n,
            b"<" * n,
            b"<<" + b"a" * n,
            b"$" * n,
            b"%" * n,
            b"$${" * (n // 3),
            b"\\" * (n // 2),
            b'\\"' * (n // 2),
            b"/*" + b" " * n,
            b"#" * n,
            b"\t \n" * (n // 3),
            b"1" + b" " * n + b"x",
            b"<<EOT\n" + b"\n" * n + b"x\nEOT\n",
            b"<<-EOT\n" + b" \n" * (n // 2) + b"EOT\n",
            b"<<EOT\n" + b"EOTx\n" * (n // 5) + b"EOT\n",
            b'version = "' + b" " * n + b'x"\n',
            b'version = ">=' + b" " * n + b'1"\n',
            b'"' + b"\\u" * (n // 2) + b'"',
        )
    )


def regex_bait(data: bytes, rng: random.Random) -> bytes:
    """Insert a long run built to make a regular expression backtrack."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + _regex_bait(rng) + data[at:]


_COMMON: list[Mutator] = [
    flip_bit,
    replace_byte,
    delete_span,
    truncate,
    duplicate_line,
    swap_lines,
    duplicate_span,
]


def nest_deeply(data: bytes, rng: random.Random) -> bytes:
    """A span wrapped in thousands of DOT blocks, closed or not (issue 10: a
    recursive-descent parser ended in RecursionError at 5,000 levels)."""
    depth = rng.choice((1_000, 5_000, 20_000))
    opener = rng.choice((b"subgraph {", b'subgraph "s" {', b"{", b"{\n"))
    start = rng.randrange(len(data) + 1)
    end = rng.randrange(start, len(data) + 1)
    closing = depth if rng.random() < 0.8 else rng.randrange(depth)
    return data[:start] + opener * depth + data[start:end] + b"}" * closing + data[end:]


def flood_separators(data: bytes, rng: random.Random) -> bytes:
    """A long run of separators or tiny statements (one token object each once held 1.7 GiB)."""
    unit = rng.choice((b";", b",", b"; ", b"a;", b" -> a"))
    index = rng.randrange(len(data) + 1)
    return data[:index] + unit * rng.choice((10_000, 100_000)) + data[index:]


MUTATORS: dict[str, list[Mutator]] = {
    "hcl": [
        *_COMMON,
        inserter(HCL_TOKENS),
        inserter(HCL_TOKENS),
        replace_value,
        replace_value,
        numeric_literal,
        regex_bait,
    ],
    "json": [
        *_COMMON,
        inserter(JSON_TOKENS),
        swap_json_value,
        swap_json_value,
        swap_json_value,
        numeric_literal,
        regex_bait,
    ],
    "dot": [*_COMMON, inserter(DOT_TOKENS), nest_deeply, flood_separators],
}


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """One to three mutations of ``data``, chosen by ``rng``."""
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        data = rng.choice(MUTATORS[kind])(data, rng)
    return data


# --- running a case ------------------------------------------------------------------


def _render_everything(report: Any) -> None:
    """Every report format, written as UTF-8 the way the CLI writes it.

    The text and github formats hold exactly one line per finding (and per
    unused suppression), whatever the messages contain. SARIF is rendered
    with the rules that fired: the catalog of every rule is the same for
    every case, and writing it was most of a case's time.
    """
    from aitask_lint.lint.registry import all_rules
    from aitask_lint.reports.sarif import render_sarif
    from aitask_lint.session import render

    lines = len(report.findings) + len(report.unused_suppressions)
    fired = {finding.rule for finding in report.findings}
    for output_format in ("text", "json", "sarif", "junit", "github"):
        if output_format == "sarif":
            output = render_sarif(report, [rule for rule in all_rules() if rule.id in fired])
        else:
            output = render(report, output_format)
        output.encode("utf-8")
        if output_format == "text":
            assert output.count("\n") == lines + 1, output
        elif output_format == "github":
            assert output.count("\n") == lines, output


def _expected_error(error: BaseException) -> bool:
    from aitask_lint.errors import AitaskLintError, InputError, MultipleInputError

    if not isinstance(error, AitaskLintError):
        return False
    errors = error.errors if isinstance(error, MultipleInputError) else [error]
    for each in errors:
        if isinstance(each, InputError) and ("\n" in each.one_line() or not each.message):
            return False  # the contract: exactly one line, saying what is wrong
    return True


def _attempt(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except Exception as error:
        if _expected_error(error):
            return None
        raise


def run_hcl(directory: Path) -> None:
    from aitask_lint.analysis.tasks_api import extract_ai_tasks
    from aitask_lint.lint.runner import lint
    from aitask_lint.reports.graph import render_graph

    report, _unusable = lint([str(directory)])
    for finding in report.findings:
        assert finding.location.line >= 1, finding
    _render_everything(report)
    _attempt(lambda: extract_ai_tasks(str(directory)).model_dump_json())
    _attempt(lambda: render_graph(str(directory), "mermaid"))


def run_json(path: Path, graph: Path | None = None) -> None:
    from aitask_lint.analysis.tasks_api import extract_ai_tasks
    from aitask_lint.convert.api import convert_state
    from aitask_lint.convert.golden import golden_json
    from aitask_lint.lint.context import LintOptions
    from aitask_lint.lint.runner import lint
    from aitask_lint.reports.graph import render_graph

    options = LintOptions(graph=str(graph) if graph else None)
    report, _unusable = lint([str(path)], options)
    _render_everything(report)
    _attempt(lambda: golden_json(convert_state(str(path), graph and str(graph))))
    _attempt(lambda: extract_ai_tasks(str(path)).model_dump_json())
    _attempt(lambda: render_graph(str(path), "dot", graph and str(graph)))


class CaseTimeoutError(Exception):
    """A case ran longer than :data:`CASE_SECONDS`."""


def _alarm(_signal: int, _frame: Any) -> None:
    raise CaseTimeoutError(f"case ran longer than {CASE_SECONDS} s")


def run_case(seed: Seed, data: bytes, workdir: Path) -> None:
    """Run one mutated input; raises when it crashes."""
    case = Path(tempfile.mkdtemp(dir=workdir))
    try:
        if seed.kind == "hcl":
            assert seed.root is not None
            shutil.copytree(seed.root, case / "t", symlinks=True)
            (case / "t" / seed.path.relative_to(seed.root)).write_bytes(data)
            run_hcl(case / "t")
        elif seed.kind == "json":
            target = case / seed.path.name
            target.write_bytes(data)
            run_json(target)
        else:
            target = case / "graph.dot"
            target.write_bytes(data)
            plan = seed.path.with_name(seed.path.name.replace(".dot", ".json"))
            run_json(
                plan if plan.is_file() else FIXTURES / "convert/task-template/plan.json", target
            )
    finally:
        shutil.rmtree(case, ignore_errors=True)


def crash_site(error: BaseException) -> str:
    """Exception type and the innermost aitask_lint frame: what makes two crashes one bug."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "aitask_lint" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(error).__name__} at {where}"


def record(directory: Path, seed: Seed, data: bytes, error: BaseException) -> Path:
    digest = hashlib.sha256(data).hexdigest()[:16]
    target = directory / f"{seed.kind}-{digest}"
    target.mkdir(parents=True, exist_ok=True)
    suffix = "".join(seed.path.suffixes) or ".bin"
    (target / f"input{suffix}").write_bytes(data)
    (target / "seed.txt").write_text(f"{seed.kind}\n{seed.path}\n{seed.root or ''}\n")
    (target / "traceback.txt").write_text(
        crash_site(error) + "\n\n" + "".join(traceback.format_exception(error))
    )
    return target


def _prepare() -> None:
    """In-process and without the parse cache: every case is parsed, nothing is written."""
    os.environ["AITASK_LINT_NO_CACHE"] = "1"
    from aitask_lint.hcl import settings

    settings.configure(cache=False, jobs=1)


def fuzz(
    kinds: list[str], seconds: float, cases: int | None, seed: int, crashes: Path
) -> dict[str, Any]:
    _prepare()
    rng = random.Random(seed)
    pools = {kind: SEEDS[kind]() for kind in kinds}
    data_of = {s: s.path.read_bytes() for pool in pools.values() for s in pool}
    run = Counter[str]()
    crashed = Counter[str]()
    sites: dict[str, str] = {}
    deadline = time.monotonic() + seconds
    signal.signal(signal.SIGALRM, _alarm)
    with tempfile.TemporaryDirectory(prefix="aitask-fuzz-") as work:
        workdir = Path(work)
        total = 0
        while time.monotonic() < deadline and (cases is None or total < cases):
            kind = kinds[total % len(kinds)]
            chosen = rng.choice(pools[kind])
            data = mutate(data_of[chosen], kind, rng)
            total += 1
            run[kind] += 1
            signal.alarm(CASE_SECONDS)
            try:
                run_case(chosen, data, workdir)
            except Exception as error:
                crashed[kind] += 1
                site = crash_site(error)
                place = record(crashes, chosen, data, error)
                if site not in sites:
                    sites[site] = str(place)
                    print(f"new crash site: {site} ({place})", flush=True)
            finally:
                signal.alarm(0)
            if total % 500 == 0:
                print(f"{total} cases, {sum(crashed.values())} crashes", flush=True)
    return {"cases": dict(run), "crashes": dict(crashed), "sites": sites}


def replay(directory: Path) -> int:
    """Rerun every recorded crash; returns how many still crash."""
    _prepare()
    still = 0
    for case in sorted(p for p in directory.iterdir() if (p / "seed.txt").is_file()):
        kind, path, root = (case / "seed.txt").read_text().splitlines()[:3]
        seed = Seed(kind, Path(path), Path(root) if root else None)
        data = next(case.glob("input*")).read_bytes()
        with tempfile.TemporaryDirectory() as work:
            try:
                run_case(seed, data, Path(work))
                print(f"fixed: {case.name}")
            except Exception as error:
                still += 1
                print(f"still crashes: {case.name}: {crash_site(error)}")
    return still


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=[*SEEDS, "all"], default="all")
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--cases", type=int, help="stop after this many cases")
    parser.add_argument("--seed", type=int, default=0, help="random seed (runs are repeatable)")
    parser.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"))
    parser.add_argument("--replay", type=Path, help="rerun the crashes recorded in this folder")
    arguments = parser.parse_args()
    if arguments.replay:
        sys.exit(1 if replay(arguments.replay) else 0)
    kinds = list(SEEDS) if arguments.target == "all" else [arguments.target]
    started = time.monotonic()
    result = fuzz(kinds, arguments.minutes * 60, arguments.cases, arguments.seed, arguments.crashes)
    elapsed = time.monotonic() - started
    print(f"\n{sum(result['cases'].values())} cases in {elapsed:.0f} s")
    for kind in kinds:
        print(
            f"  {kind}: {result['cases'].get(kind, 0)} cases, "
            f"{result['crashes'].get(kind, 0)} crashes"
        )
    print(f"{len(result['sites'])} unique crash sites")
    for site, place in sorted(result["sites"].items()):
        print(f"  {site}: {place}")
    sys.exit(1 if result["sites"] else 0)


if __name__ == "__main__":
    main()
