"""Would tree-sitter-hcl make ``check`` fast enough to ship as ``aitask-lint[fast]``?

The bar (from the performance issue): at least 5x faster end to end on the
``M`` corpus (50 templates, about 400 KB), with the identical model on every
fixture. Before anyone writes a tree-sitter visitor, this script measures
whether 5x is reachable at all:

(a) pure parse time on ``M``: tree-sitter-hcl versus python-hcl2's LALR
    parser, through aitask-lint's own entry points
    (``aitask_lint.hcl.grammar.lark_parser().parse`` for the lark tree,
    ``parse_hcl`` for the syntax ``File``);
(b) the rest of a single-process ``check --recursive --jobs 1 --no-cache M``
    run: a fresh process's wall time minus the time spent inside the lark
    parse (and inside ``parse_hcl``), both timed in that same process;
(c) the end-to-end speed-up if the parse were tree-sitter's: an upper bound
    (the whole of ``parse_hcl`` replaced by tree-sitter's parse, conversion
    free, grammar loading replaced by tree-sitter's import), and estimates
    that add a measured Python walk over every tree-sitter node (type,
    start point, text), with and without the cost of building the model
    (taken as the current visitor's cost).

    pip install tree-sitter tree-sitter-hcl
    python benchmarks/treesitter_eval.py [--runs 5]

Nothing is installed or changed; the corpus goes to a temporary directory.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (the sibling module)

#: the M corpus exactly as benchmarks/run.py writes it (its default seed + 1)
M_SEED = 2027
THRESHOLD = 5.0

#: one ``check`` in a fresh process, timing the parser entry points inside it.
#: argv: output JSON path, then the check arguments.
CHECK_CODE = """\
import atexit, json, sys, time
import aitask_lint.hcl.parser as p
import aitask_lint.hcl.visitor as v

timings = {"lark_parse": 0.0, "parse_hcl": 0.0, "grammar_load": 0.0, "files": 0}
out = sys.argv[1]

original_parse_hcl = p.parse_hcl
def parse_hcl(text, path):
    start = time.perf_counter()
    try:
        return original_parse_hcl(text, path)
    finally:
        timings["parse_hcl"] += time.perf_counter() - start
        timings["files"] += 1
p.parse_hcl = parse_hcl

original_lark_parser = p.lark_parser
def lark_parser():
    start = time.perf_counter()
    parser = original_lark_parser()
    timings["grammar_load"] += time.perf_counter() - start
    if not getattr(parser, "_timed", False):
        parse = parser.parse
        def timed(*args, **kwargs):
            begin = time.perf_counter()
            try:
                return parse(*args, **kwargs)
            finally:
                timings["lark_parse"] += time.perf_counter() - begin
        parser.parse = timed
        parser._timed = True
    return parser
p.lark_parser = lark_parser
v.lark_parser = lark_parser  # heredoc interpolations parse through the visitor

@atexit.register
def report():
    with open(out, "w") as handle:
        json.dump(timings, handle)

sys.argv = ["aitask-lint", *sys.argv[2:]]
from aitask_lint.cli import main
main()
"""

#: fresh-process costs of getting a parser ready; prints seconds
LARK_READY_CODE = """\
import time
start = time.perf_counter()
from aitask_lint.hcl.grammar import lark_parser
lark_parser()
print(time.perf_counter() - start)
"""
TS_READY_CODE = """\
import time
start = time.perf_counter()
import tree_sitter, tree_sitter_hcl
parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
print(time.perf_counter() - start)
"""


def median_time(action: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()  # as aitask-lint parses (hcl.files.parse_source)
        try:
            start = time.perf_counter()
            action()
            samples.append(time.perf_counter() - start)
        finally:
            if enabled:
                gc.enable()
    return statistics.median(samples)


def walk(tree: Any) -> int:
    """Visit every node once, reading its type, start point and text (the least a visitor does)."""
    cursor = tree.walk()
    visited = 0
    while True:
        node = cursor.node
        _ = (node.type, node.start_point, node.text)
        visited += 1
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return visited


def fresh_seconds(code: str, env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        samples.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def fixture_parity(ts_parser: Any) -> dict[str, Any]:
    """Does tree-sitter accept exactly the fixture files aitask-lint's parser accepts?"""
    from aitask_lint.errors import InputError
    from aitask_lint.hcl.parser import parse_hcl

    agree, disagree = 0, []
    for path in sorted(ROOT.glob("fixtures/**/*.tf")):
        raw = path.read_bytes()
        try:
            parse_hcl(raw.decode("utf-8-sig"), str(path))
            ours = True
        except (InputError, UnicodeDecodeError):
            ours = False
        theirs = not ts_parser.parse(raw).root_node.has_error
        if ours == theirs:
            agree += 1
        else:
            disagree.append(
                f"{path.relative_to(ROOT)}: aitask-lint {'accepts' if ours else 'rejects'}, "
                f"tree-sitter {'accepts' if theirs else 'rejects'}"
            )
    return {"agree": agree, "disagree": disagree}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the numbers to this file")
    args = parser.parse_args()
    try:
        import tree_sitter
        import tree_sitter_hcl
    except ImportError:
        sys.exit("needs tree-sitter and tree-sitter-hcl: pip install tree-sitter tree-sitter-hcl")
    from aitask_lint.hcl import parser as hcl_parser
    from aitask_lint.hcl.grammar import lark_parser
    from aitask_lint.hcl.prepare import Prepared

    ts_parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    work = Path(tempfile.mkdtemp(prefix="aitask-ts-eval-"))
    env = {**os.environ, "AITASK_LINT_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"}
    os.environ["AITASK_LINT_CACHE_DIR"] = env["AITASK_LINT_CACHE_DIR"]
    corpus_dir = work / "M"
    corpus.write_corpus(corpus_dir, 50, M_SEED, corpus.TEMPLATE_BYTES)
    files = sorted(corpus_dir.rglob("*.tf"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    blobs = [text.encode() for text in texts]
    size = sum(len(b) for b in blobs)
    print(f"M corpus: {len(files)} files, {size / 1000:.0f} KB; {args.runs} runs, medians")

    # (a) pure parse time, in this process -----------------------------------------------
    lark = lark_parser()
    lark_inputs = [Prepared(t).text + "\n" for t in texts]
    ts_trees = [ts_parser.parse(b) for b in blobs]
    errors = sum(tree.root_node.has_error for tree in ts_trees)
    nodes = sum(walk(tree) for tree in ts_trees)
    t_lark = median_time(lambda: [lark.parse(t) for t in lark_inputs], args.runs)
    t_hcl = median_time(
        lambda: [hcl_parser.parse_hcl(t, str(f)) for t, f in zip(texts, files, strict=True)],
        args.runs,
    )
    t_ts = median_time(lambda: [ts_parser.parse(b) for b in blobs], args.runs)
    t_walk = median_time(lambda: [walk(tree) for tree in ts_trees], args.runs)
    print("\n(a) parse time on M, in one process")
    print(f"  python-hcl2 lark parse (lark_parser().parse)   {t_lark:8.3f} s")
    print(f"  aitask-lint parse_hcl (lark + visitor -> File)  {t_hcl:8.3f} s")
    print(f"    of which the visitor and pre-scan             {t_hcl - t_lark:8.3f} s")
    print(f"  tree-sitter-hcl parse                          {t_ts:8.3f} s")
    print(f"  tree-sitter: walk every node in Python          {t_walk:8.3f} s  ({nodes:,} nodes)")
    print(f"  parse speed-up, tree-sitter vs lark             {t_lark / t_ts:8.1f}x")
    print(f"  files tree-sitter parses with errors: {errors} of {len(files)}")

    # (b) the rest of a check run --------------------------------------------------------
    check_args = ["check", "--recursive"]
    help_text = subprocess.run(
        [sys.executable, "-m", "aitask_lint", "check", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    if "--jobs" in help_text:
        check_args += ["--jobs", "1"]
    if "--no-cache" in help_text:
        check_args.append("--no-cache")
    check_args.append(str(corpus_dir))
    subprocess.run(  # warm-up: grammar cache, OS file cache
        [sys.executable, "-m", "aitask_lint", *check_args],
        env=env,
        capture_output=True,
        check=False,
    )
    totals, inner = [], []
    for _ in range(args.runs):
        for entry in (work / "cache").glob("*"):  # cold: keep only the grammar
            if not entry.name.startswith("hcl2-grammar-"):
                subprocess.run(["rm", "-rf", str(entry)], check=True)
        out = work / "timings.json"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", CHECK_CODE, str(out), *check_args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        totals.append(time.perf_counter() - start)
        inner.append(json.loads(out.read_text()))
    total = statistics.median(totals)
    in_lark = statistics.median(t["lark_parse"] for t in inner)
    in_hcl = statistics.median(t["parse_hcl"] for t in inner)
    grammar = fresh_seconds(LARK_READY_CODE, env, args.runs)
    ts_ready = fresh_seconds(TS_READY_CODE, env, args.runs)
    rest = total - in_lark
    rest_beyond_hcl = total - in_hcl
    print(f"\n(b) `aitask-lint {' '.join(check_args[:-1])} M` in a fresh process")
    print(f"  total wall time                                {total:8.3f} s")
    print(
        f"  inside the lark parse                          {in_lark:8.3f} s ({in_lark / total:.0%})"
    )
    print(
        f"  inside parse_hcl (lark + visitor)              {in_hcl:8.3f} s ({in_hcl / total:.0%})"
    )
    print(f"  rest (total - lark parse)                      {rest:8.3f} s")
    print(f"  rest (total - parse_hcl)                       {rest_beyond_hcl:8.3f} s")
    print(f"  getting the lark parser ready (fresh process)  {grammar:8.3f} s")
    print(f"  getting tree-sitter ready (fresh process)      {ts_ready:8.3f} s")

    # (c) what tree-sitter could give at best, and realistically --------------------------
    # the grammar load is part of "rest"; tree-sitter replaces it by its own import
    swap = -grammar + ts_ready
    upper = total - in_hcl + t_ts + swap
    walked = upper + t_walk
    with_model = total - in_lark + t_ts + t_walk + swap
    print("\n(c) end-to-end on M if python-hcl2 were replaced by tree-sitter-hcl")
    print(
        f"  upper bound: parse_hcl -> tree-sitter parse, conversion free   "
        f"{upper:6.3f} s  {total / upper:5.2f}x"
    )
    print(
        f"  + one Python walk over every node                               "
        f"{walked:6.3f} s  {total / walked:5.2f}x"
    )
    print(
        f"  + building the model as today's visitor does (realistic)        "
        f"{with_model:6.3f} s  {total / with_model:5.2f}x"
    )
    print(
        f"  even with parsing free (total - parse_hcl - grammar load):      "
        f"{total - in_hcl - grammar:6.3f} s  {total / (total - in_hcl - grammar):5.2f}x"
    )
    best = total / upper
    verdict = (
        f"upper bound {best:.2f}x >= {THRESHOLD:.0f}x: worth building the visitor"
        if best >= THRESHOLD
        else f"upper bound {best:.2f}x < {THRESHOLD:.0f}x: do not ship tree-sitter; the time is "
        "outside the parser"
    )
    print(f"\nverdict: {verdict}")
    parity = fixture_parity(ts_parser)
    print(
        f"fixture acceptance parity (does tree-sitter accept/reject the same .tf files?): "
        f"{parity['agree']} agree, {len(parity['disagree'])} disagree"
    )
    for line in parity["disagree"][:20]:
        print(f"  {line}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "files": len(files),
                    "bytes": size,
                    "lark_parse_s": t_lark,
                    "parse_hcl_s": t_hcl,
                    "treesitter_parse_s": t_ts,
                    "treesitter_walk_s": t_walk,
                    "treesitter_nodes": nodes,
                    "treesitter_error_files": errors,
                    "check_total_s": total,
                    "check_totals_s": totals,
                    "check_inner": inner,
                    "lark_ready_s": grammar,
                    "treesitter_ready_s": ts_ready,
                    "upper_bound_s": upper,
                    "with_walk_s": walked,
                    "with_model_s": with_model,
                    "upper_bound_speedup": best,
                    "parity": parity,
                    "versions": {
                        "tree-sitter": _version("tree-sitter"),
                        "tree-sitter-hcl": _version("tree-sitter-hcl"),
                        "python-hcl2": _version("python-hcl2"),
                    },
                },
                indent=2,
            )
            + "\n"
        )
    subprocess.run(["rm", "-rf", str(work)], check=False)


def _version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    main()
