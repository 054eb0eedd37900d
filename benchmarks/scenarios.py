"""What scenarios cost: ``check`` on a template with 10 presets against the same without.

    PYTHONPATH=src python benchmarks/scenarios.py [--runs 7] [--json OUT]

Issue 14's bound: a template with 10 presets must not take 10x as long as
with none; the target is at most 2x. The template (written to a temporary
directory) is a realistic AI-task template: 12 parameters, 10 apps whose
slug, url and count read them, a chat app behind a boolean parameter, and a
task. Each of the 10 presets has prebuilds: 22 scenarios (import, 10
presets, 10 prebuilds, task) against 2 (import, task). Two cases: every
preset sets different values for every parameter the apps read (the worst
case: no scenario can reuse another's results), and presets that only
choose a model, which no value rule reads (the common case: the results of
one scenario are reused for the others, lint/scenario_runs.py).

Two figures, each the median CPU time (user + system: a loaded machine does
not stretch it) of ``--runs``: the whole command in a fresh
process with the parse cache empty and the compiled grammar cached (what a
user or CI waits for: start-up, parse, model, rules; benchmarks/run.py's
"cold") and
the in-process ``aitask_lint.check()`` call after a warm-up (the work the
scenarios add, without interpreter start-up).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.0
PRESETS = 10
APPS = 10

_HEAD = """\
terraform {
  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.13"
    }
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}

data "coder_workspace" "me" {}
data "coder_task" "me" {}

resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "workspace" {
  count = data.coder_workspace.me.start_count
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]
}

data "coder_parameter" "chat" {
  name    = "chat"
  type    = "bool"
  default = "true"
}

resource "coder_app" "chat" {
  count    = data.coder_parameter.chat.value ? 1 : 0
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  icon     = "/icon/claude.svg"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = try(coder_app.chat[0].id, "")
}
"""


def template(presets: int, *, apps_vary: bool = True) -> str:
    """The benchmark template with ``presets`` presets (0: none).

    ``apps_vary``: each preset sets every parameter the apps read (the worst
    case); else the presets choose a model, which only the agent's env reads
    (the common case: no value rule reads it).
    """
    parts = [_HEAD.replace('  arch = "amd64"\n}', _MODEL_ENV, 1)]
    parts.append(_MODEL)
    for i in range(APPS):
        parts.append(
            f'data "coder_parameter" "tool{i}" {{\n  name    = "tool{i}"\n'
            f'  default = "t{i}"\n}}\n\n'
            f'data "coder_parameter" "port{i}" {{\n  name    = "port{i}"\n  type    = "number"\n'
            f'  default = "{8000 + i}"\n}}\n\n'
            f'resource "coder_app" "app{i}" {{\n'
            f"  count    = length(data.coder_parameter.tool{i}.value) > 0 ? 1 : 0\n"
            f"  agent_id = coder_agent.main.id\n"
            f'  slug     = "app{i}-${{lower(data.coder_parameter.tool{i}.value)}}"\n'
            f'  url      = "http://localhost:${{tonumber(data.coder_parameter.port{i}.value)}}/"\n'
            f'  icon     = "/icon/code.svg"\n}}\n'
        )
    for p in range(presets):
        values = (
            "\n".join(f'    tool{i} = "p{p}t{i}"' for i in range(APPS))
            if apps_vary
            else f'    model = "model-{p}"'
        )
        parts.append(
            f'data "coder_workspace_preset" "p{p}" {{\n  name    = "Preset {p}"\n'
            f"  default = {'true' if p == 0 else 'false'}\n"
            f'  parameters = {{\n{values}\n    chat = "true"\n  }}\n'
            f"  prebuilds {{\n    instances = 1\n  }}\n}}\n"
        )
    return "\n".join(parts)


_MODEL_ENV = """  arch = "amd64"
  env = {
    ANTHROPIC_MODEL = data.coder_parameter.model.value
  }
}"""

_MODEL = """\
data "coder_parameter" "model" {
  name    = "model"
  default = "sonnet"
}
"""


def _cold(cache: Path) -> None:
    """Empty the parse cache, keeping the compiled grammar (run.py's "cold")."""
    for entry in cache.iterdir() if cache.exists() else []:
        if entry.name.startswith("hcl2-grammar-"):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _process(directory: Path, runs: int, cache: Path) -> float:
    """Median wall time of ``aitask-lint check DIR`` in a fresh process, parse cache cold."""
    src = Path(__file__).resolve().parent.parent / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "AITASK_LINT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "aitask_lint", "check", str(directory)]
    subprocess.run(command, capture_output=True, env=env, check=False)  # grammar cache
    times = []
    for _ in range(runs):
        _cold(cache)
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(process.stderr.read().decode() if process.stderr else "failed")
        if process.stderr:
            process.stderr.close()
    return statistics.median(times)


def _in_process(directory: Path, runs: int) -> float:
    from aitask_lint import check

    check([directory])  # warm-up: imports, grammar
    times = []
    for _ in range(runs):
        start = time.process_time()
        check([directory])
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        results: dict[str, dict[str, float]] = {}
        cases = (("none", 0, True), ("presets", PRESETS, True), ("model presets", PRESETS, False))
        for name, presets, vary in cases:
            directory = base / name.replace(" ", "-")
            directory.mkdir()
            (directory / "main.tf").write_text(template(presets, apps_vary=vary), "utf-8")
            results[name] = {
                "process_s": _process(directory, args.runs, base / "cache"),
                "check_s": _in_process(directory, args.runs),
            }
    ratios = {
        f"{case} {key}": results[case][key] / results["none"][key]
        for case in ("presets", "model presets")
        for key in ("process_s", "check_s")
    }
    labels = (("process_s", "aitask-lint check (process)"), ("check_s", "check() call"))
    for case, what in (
        ("presets", "presets set every value the apps read"),
        ("model presets", "presets choose a model no value rule reads"),
    ):
        print(f"{PRESETS} presets with prebuilds; {what}:")
        for key, label in labels:
            ratio = ratios[f"{case} {key}"]
            verdict = "PASS" if ratio <= TARGET else "FAIL"
            print(
                f"  {label:28} none {results['none'][key] * 1000:7.1f} ms   "
                f"presets {results[case][key] * 1000:7.1f} ms   "
                f"ratio {ratio:.2f}x (target <= {TARGET}x) {verdict}"
            )
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps({"results": results, "ratios": ratios, "target": TARGET}, indent=2)
        )
    return 0 if all(r <= TARGET for r in ratios.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
