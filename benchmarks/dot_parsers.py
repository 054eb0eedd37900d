"""Measure DOT parsing: aitask-lint's own parser against pydot.

Why this exists: ``graph/dot.py`` explains that we parse Terraform's DOT
output ourselves; this script is the measurement behind that choice. It
parses (1) every DOT file of the shared Coder corpus and (2) a synthetic
``terraform graph``-shaped file with 2,000 resources with both parsers, and
prints the median of several runs and the ratio; then our parser alone on
20,000 resources (pydot did not finish that within ten minutes).

    python benchmarks/dot_parsers.py            # needs `pip install pydot`
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "coder-provisioner"


def synthetic_dot(resources: int, seed: int = 7) -> str:
    """A graph shaped like ``terraform graph -type=plan`` output."""
    rng = random.Random(seed)
    provider = '"[root] provider[\\"registry.terraform.io/hashicorp/null\\"]"'
    lines = ["digraph {", '\tcompound = "true"', '\tnewrank = "true"', '\tsubgraph "root" {']
    names = [f"null_resource.r{i}" for i in range(resources)]
    for name in names:
        lines.append(f'\t\t"[root] {name} (expand)" [label = "{name}", shape = "box"]')
    for i, name in enumerate(names):
        lines.append(f'\t\t"[root] {name} (expand)" -> {provider}')
        if i:
            target = names[rng.randrange(i)]
            lines.append(f'\t\t"[root] {name} (expand)" -> "[root] {target} (expand)"')
    lines += ["\t}", "}"]
    return "\n".join(lines) + "\n"


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), max(samples) - min(samples)


def main() -> None:
    from aitask_lint.graph.dot import parse_dot

    try:
        import pydot
    except ImportError:
        sys.exit("pydot is not installed: pip install pydot")

    corpus = [p.read_text() for p in sorted(CORPUS.glob("*/*.tfplan.dot"))]
    inputs = {
        f"corpus ({len(corpus)} files)": corpus,
        "synthetic (2,000 resources)": [synthetic_dot(2_000)],
    }
    print(f"{'input':32} {'aitask-lint':>14} {'pydot':>14} {'pydot/ours':>11}")
    for label, texts in inputs.items():
        runs = 5 if len(texts) > 1 else 3
        ours, _ = median_seconds(lambda texts=texts: [parse_dot(t) for t in texts], runs)
        theirs, _ = median_seconds(
            lambda texts=texts: [pydot.graph_from_dot_data(t) for t in texts], runs
        )
        print(f"{label:32} {ours * 1000:12.1f}ms {theirs * 1000:12.1f}ms {theirs / ours:10.1f}x")
    # pydot did not finish 20,000 resources within ten minutes on a 2-core machine.
    large = synthetic_dot(20_000)
    ours, _ = median_seconds(lambda: parse_dot(large), 3)
    print(f"{'synthetic (20,000 resources)':32} {ours * 1000:12.1f}ms {'(not run)':>14}")


if __name__ == "__main__":
    main()
