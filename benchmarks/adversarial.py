# ruff: noqa: E501  (hostile inputs and table rows read better on one line)
# mypy: disable-error-code="func-returns-value"
"""Issue 10's reproductions, run as an attacker would, against the installed CLI.

Every case builds its hostile input in a temporary directory, runs
``python -m aitask_lint ...`` in a subprocess (30 s timeout, its own process
group) and judges the outcome:

* PASS needs: ends within 10 s of wall time and 1 GiB of memory, exit status
  0, 1 or 2, no ``Traceback`` and no ``internal error`` on either stream,
  for exit 2 every line on standard error a problem line (``path:line:col:
  message``, ``path: message``) or, for ``check``, an AIT001 finding on
  standard output; plus the case's own check (a marker file a planted
  program would create never exists, a file outside the root is never
  quoted, the right message, ...).
* Memory is the peak of the *sum* of the resident set sizes of the whole
  process tree (the CLI and its parser workers, Graphviz), sampled from
  /proc every 20 ms, and at least the direct child's own ``ru_maxrss`` from
  ``os.wait4`` (which also covers children it reaped, so a short-lived peak
  between two samples is not missed for the largest single process). The
  child is forked from this script, so that figure is never below this
  script's own size (30 to 70 MB); inputs are built in a forked child to keep it small.
* Seconds are wall time; the CPU time (user + system of the child and the
  children it reaped, from ``wait4``) is printed beside it, as the machine
  may be shared.

Run: ``PYTHONPATH=src python benchmarks/adversarial.py`` (``-k WORD`` runs
only the cases whose name contains WORD, ``--keep DIR`` keeps the inputs).
The exit status is 1 when any case fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import corpus  # noqa: E402  (the sibling module, importable from any working directory)

PYTHON = sys.executable
TIMEOUT = 30.0
WALL_LIMIT = 10.0
RSS_LIMIT = 1 << 30

PROBLEM_LINE = re.compile(r"^[^:\n]+(:\d+:\d+)?: \S")
AIT001_LINE = re.compile(r"^[^:\n]+:\d+:\d+: error AIT001 \S")


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    rss: int
    timed_out: bool = False


Check = Callable[[Result, Path], "str | None"]


@dataclass
class Case:
    name: str
    item: int
    argv: list[str]
    setup: Callable[[Path], object] = lambda d: None
    check: Check | None = None
    env: dict[str, str] = field(default_factory=dict)
    cwd: str = ""  # relative to the case's directory
    shell: bool = False  # argv[0] is a bash script; "$AIT" runs the CLI
    tty: bool = False
    umask: int | None = None
    skip: str = ""
    #: build the input in a forked child, so this process stays small (the CLI is forked
    #: from it: ru_maxrss counts the pages it shares before exec); False when the setup
    #: leaves a thread behind (the FIFO writer)
    fork_setup: bool = True


# --- measuring ------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Sum of VmRSS over ``root`` and all its descendants (bytes)."""
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(case: Case, workdir: Path, base_env: dict[str, str]) -> Result:
    """Run one case; wall time, CPU time and the process tree's peak RSS."""
    env = {**base_env, **case.env}
    env = {k: v for k, v in env.items() if v != "<unset>"}
    argv = ["bash", "-c", case.argv[0]] if case.shell else [PYTHON, "-m", "aitask_lint", *case.argv]
    with tempfile.TemporaryFile() as outf, tempfile.TemporaryFile() as errf:
        master = slave = -1
        if case.tty:
            master, slave = pty.openpty()
            stdin: int | IO[bytes] = slave
            stdout: int | IO[bytes] = slave
            stderr: int | IO[bytes] = slave
        else:
            stdin, stdout, stderr = subprocess.DEVNULL, outf, errf
        start = time.monotonic()
        proc = subprocess.Popen(
            argv,
            cwd=workdir / case.cwd,
            env=env,
            start_new_session=True,  # its own process group: a timeout kills the whole tree
            umask=-1 if case.umask is None else case.umask,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
        )
        if slave >= 0:
            os.close(slave)
        tty_out = bytearray()
        peak, timed_out = 0, False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_rss(proc.pid))
            if master >= 0:
                tty_out += _read_ready(master, 0.02)
            else:
                time.sleep(0.02)
            if time.monotonic() - start > TIMEOUT and not timed_out:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)  # stray grandchildren
        if master >= 0:
            while chunk := _read_ready(master, 0.05):
                tty_out += chunk
            os.close(master)
        peak = max(peak, usage.ru_maxrss * 1024)
        outf.seek(0)
        errf.seek(0)
        out = tty_out if case.tty else outf.read()
        err = b"" if case.tty else errf.read()
    cpu = usage.ru_utime + usage.ru_stime
    return Result(
        proc.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        wall,
        cpu,
        peak,
        timed_out,
    )


def _read_ready(fd: int, wait: float) -> bytes:
    """What the pty has for us within ``wait`` seconds (b"" when nothing or closed)."""
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO once the child side is closed
        return b""


def verdict(case: Case, r: Result, workdir: Path) -> str:
    if r.timed_out:
        return f"FAIL timeout {TIMEOUT:.0f}s"
    problems = []
    if r.wall > WALL_LIMIT:
        problems.append(f"wall {r.wall:.1f}s > 10s (cpu {r.cpu:.1f}s)")
    if r.rss > RSS_LIMIT:
        problems.append("over 1 GiB")
    if r.code not in (0, 1, 2):
        problems.append(f"exit {r.code}")
    for stream in (r.stdout, r.stderr):
        if "Traceback" in stream:
            problems.append("Traceback")
        if "internal error" in stream:
            problems.append("internal error")
    if r.code == 2 and not case.tty:
        bad = [ln for ln in r.stderr.splitlines() if not PROBLEM_LINE.match(ln)]
        if not r.stderr.strip() and not any(AIT001_LINE.match(ln) for ln in r.stdout.splitlines()):
            bad.append("(exit 2 with no problem line)")
        if bad:
            problems.append(f"not a problem line: {bad[0][:100]!r}")
    if case.check is not None:
        extra = case.check(r, workdir)
        if extra:
            problems.append(extra)
    return "FAIL " + "; ".join(dict.fromkeys(problems)) if problems else "PASS"


# --- input builders -------------------------------------------------------------------

TASK_TEMPLATE = REPO / "fixtures" / "examples" / "task-template"
BROKEN_TEMPLATE = REPO / "fixtures" / "examples" / "broken-template"
STATE = REPO / "fixtures" / "convert" / "task-template" / "state.json"
PLAN = REPO / "fixtures" / "convert" / "task-template" / "plan.json"
CANARY = "SECRET-CANARY-7f3a"


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data)
    else:
        path.write_bytes(data)


def copy_template(d: Path, src: Path = BROKEN_TEMPLATE, name: str = "t") -> Path:
    shutil.copytree(src, d / name, symlinks=True)
    return d / name


def git_repo(d: Path) -> Path:
    repo = d / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    copy_template(repo, BROKEN_TEMPLATE, "t")
    return repo


def planted_pickle(marker: Path) -> bytes:
    import pickle

    class Planted:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.system, (f"touch {marker}",))

    return pickle.dumps(Planted(), protocol=2)


def no_marker(r: Result, d: Path) -> str | None:
    return "marker file created: planted code ran" if (d / "marker").exists() else None


def expect(code: int | set[int], *texts: str, absent: tuple[str, ...] = ()) -> Check:
    codes = {code} if isinstance(code, int) else code

    def check(r: Result, d: Path) -> str | None:
        both = r.stdout + r.stderr
        if r.code not in codes:
            return f"expected exit {sorted(codes)}, got {r.code}: {both.strip()[:160]!r}"
        for text in texts:
            if text not in both:
                return f"missing {text!r}: {both.strip()[:160]!r}"
        for text in absent:
            if text in both:
                return f"unexpected {text!r}"
        return None

    return check


def both(*checks: Check) -> Check:
    def check(r: Result, d: Path) -> str | None:
        for c in checks:
            msg = c(r, d)
            if msg:
                return msg
        return None

    return check


def plan_with(variables_json: str) -> str:
    plan = json.loads(PLAN.read_text())
    head = json.dumps({k: v for k, v in plan.items() if k != "variables"})
    return head[:-1] + ', "variables": {"x": {"value": ' + variables_json + "}}}"


def setup_json_deep_lists(size: int) -> Callable[[Path], None]:
    """Arrays nested 800 deep, repeated: two bytes per list, no commas inside."""

    def setup(d: Path) -> None:
        base = len(plan_with("[]"))
        chunk = "[" * 800 + "]" * 800
        n = max(1, (size - base) // (len(chunk) + 1))
        write(d / "plan.json", plan_with("[" + ",".join([chunk] * n) + "]"))

    return setup


# --- setups -----------------------------------------------------------------------------


def setup_pickle_cache(d: Path) -> None:
    """Populate a private cache, then replace every file in it by a pickle that runs code."""
    copy_template(d)
    cache = d / "cache"
    env = {**os.environ, "AITASK_LINT_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO / "src")}
    subprocess.run(
        [PYTHON, "-m", "aitask_lint", "check", "t"],
        cwd=d,
        env=env,
        check=False,
        capture_output=True,
        timeout=60,
    )
    payload = planted_pickle(d / "marker")
    files = [p for p in cache.rglob("*") if p.is_file()]
    for p in files:
        p.write_bytes(payload)
        p.with_suffix(".pickle").write_bytes(payload)
    write(cache / "hcl2-grammar-0000000000000000.pickle", payload)
    if not files:
        write(cache / "EMPTY-CACHE", "the first run wrote nothing")


def setup_foreign_cache(d: Path) -> None:
    copy_template(d)
    cache = d / "cache"
    cache.mkdir()
    os.chmod(cache, 0o700)
    os.chown(cache, 65534, 65534)


def setup_world_cache(d: Path) -> None:
    copy_template(d)
    cache = d / "cache"
    cache.mkdir()
    os.chmod(cache, 0o777)
    write(cache / "hcl2-grammar-0000000000000000.pickle", planted_pickle(d / "marker"))


def check_umask_cache(r: Result, d: Path) -> str | None:
    made = [d / "new", d / "new" / "cache"]
    for p in made:
        if not p.exists():
            return f"{p.name} not created"
        mode = p.stat().st_mode & 0o777
        if mode & 0o077:
            return f"{p.relative_to(d)} created with mode {mode:o}"
    return None


def check_no_cache_in_tree(r: Result, d: Path) -> str | None:
    tree = d / "t"  # the scanned tree (the fallback ~/.cache is HOME={d}/home, outside it)
    found = [str(p.relative_to(d)) for p in tree.rglob("*aitask-lint*")]
    found += [str(p.relative_to(d)) for p in tree.rglob("*") if p.name in ("parse", ".cache")]
    return f"cache written in the tree: {found}" if found else None


def setup_dot_path(d: Path) -> None:
    copy_template(d, TASK_TEMPLATE)
    script = f"#!/bin/sh\ntouch {d / 'marker'}\necho '<svg/>'\n"
    for where in (d / "dot", d / "t" / "bin" / "dot"):
        write(where, script)
        where.chmod(0o755)


def setup_dot_linked(d: Path) -> None:
    """A PATH directory outside the tree whose `dot` is a symlink into the tree, and a relative entry."""
    setup_dot_path(d)
    (d / "outbin").mkdir()
    (d / "outbin" / "dot").symlink_to(d / "t" / "bin" / "dot")
    (d / "linkdir").symlink_to(d / "t" / "bin")


def setup_hanging_dot(d: Path) -> None:
    """A `dot` outside the tree (so it runs) that sleeps, with a child that sleeps too."""
    copy_template(d / "work", TASK_TEMPLATE)  # the cwd: a PATH entry below it is skipped
    write(d / "slowbin" / "dot", "#!/bin/sh\nsleep 100 &\nsleep 100\n")
    (d / "slowbin" / "dot").chmod(0o755)


def setup_dense_svg(d: Path) -> None:
    body = "\n".join(
        f'resource "null_resource" "r{i}" {{\n  depends_on = [{", ".join(f"null_resource.r{j}" for j in range(i))}]\n}}'
        for i in range(40)
    )
    write(d / "t" / "main.tf", body)


def setup_config_above(d: Path) -> None:
    git_repo(d)
    write(d / ".aitask-lint.toml", 'ignore = ["AIT"]\n')
    write(d / "pyproject.toml", '[tool.aitask-lint]\nignore = ["AIT"]\n')


def setup_config_above_root(d: Path) -> None:
    copy_template(d, BROKEN_TEMPLATE, "proj/t")
    write(d / ".aitask-lint.toml", 'ignore = ["AIT"]\n')


def setup_root_escape(d: Path) -> None:
    repo = git_repo(d)
    write(d / "outside" / "secret.tf", f"{CANARY} = {{{{ broken\n")
    write(repo / ".aitask-lint.toml", 'project-root = "/"\n')
    (repo / "t" / "leak.tf").symlink_to(d / "outside" / "secret.tf")
    (repo / "t" / "passwd.tf").symlink_to("/etc/passwd")
    write(repo / "t" / "mod.tf", f'module "m" {{\n  source = "{d / "outside"}"\n}}\n')


def setup_config_symlinks(d: Path) -> None:
    """Configurations that are symlinks to files outside the root (one widens, one quotes a key)."""
    setup_root_escape(d)
    repo = d / "repo"
    (repo / ".aitask-lint.toml").unlink()
    write(d / "outside" / "evil.toml", 'project-root = "/"\n')
    write(d / "outside" / "secret.toml", f"{CANARY.replace('-', '_')} = 1\n")
    (repo / ".aitask-lint.toml").symlink_to(d / "outside" / "evil.toml")
    (repo / "t" / ".aitask-lint.toml").symlink_to(d / "outside" / "secret.toml")
    (repo / "t" / "pyproject.toml").symlink_to("/etc/passwd")


def setup_pyproject_root(d: Path) -> None:
    setup_root_escape(d)
    (d / "repo" / ".aitask-lint.toml").unlink()
    write(d / "repo" / "pyproject.toml", '[tool.aitask-lint]\nproject-root = "../.."\n')


def setup_no_git_widen(d: Path) -> None:
    """No git repository: the root is the scanned directory, and its config says '..'."""
    write(d / "outside" / "secret.tf", f"{CANARY} = {{{{ broken\n")
    copy_template(d / "outside", BROKEN_TEMPLATE, "t")
    write(d / "outside" / "t" / ".aitask-lint.toml", 'project-root = ".."\n')
    (d / "outside" / "t" / "leak.tf").symlink_to(d / "outside" / "secret.tf")
    write(d / "outside" / "t" / "mod.tf", 'module "m" {\n  source = "../"\n}\n')


def setup_walk_escape(d: Path) -> None:
    """-r over a tree holding a symlink to /, one to its parent, and a loop."""
    copy_template(d / "tree", BROKEN_TEMPLATE, "t")
    (d / "tree" / "slash").symlink_to("/")
    (d / "tree" / "up").symlink_to("..")
    (d / "tree" / "t" / "loop").symlink_to("../t")
    write(d / "outside.tf", f"{CANARY} = {{{{\n")


def check_no_canary(r: Result, d: Path) -> str | None:
    both_ = r.stdout + r.stderr
    if CANARY in both_ or "root:x:0:0" in both_:
        return "a file outside the project root was read and quoted"
    return None


def setup_osc_dirs(d: Path) -> None:
    for name in ("a\x1b]0;PWNED\x07", "b\x1b[2J\x1b[31mred", "c\u202eevil"):
        copy_template(d / "tree", TASK_TEMPLATE, name)


def check_osc(r: Result, d: Path) -> str | None:
    for raw in ("\x1b]0;PWNED", "\x1b[2J", "\u202e"):
        if raw in r.stdout:
            return f"raw {raw!r} written to the terminal"
    if "PWNED" not in r.stdout and "red" not in r.stdout:
        return "the progress line never named the directories (no tty output?)"
    return None


def tf(body: str) -> Callable[[Path], None]:
    return lambda d: write(d / "t" / "main.tf", body)


def setup_version_30k(d: Path) -> None:
    write(
        d / "t" / "main.tf",
        f'module "m" {{\n  source  = "coder/claude-code/coder"\n  version = "{" " * 30000}x"\n}}\n',
    )


def setup_heredoc_blank(d: Path) -> None:
    write(d / "t" / "main.tf", "locals {\n  a = <<EOT\n" + "\n" * 120_000 + "x\nEOT\n}\n")


def setup_heredoc_blank_unclosed(d: Path) -> None:
    write(d / "t" / "main.tf", "locals {\n  a = <<EOT\n" + "\n" * 120_000 + "x\n")


def setup_doubling_locals(d: Path) -> None:
    lines = ['  l0 = "xxxxxxxxxxxxxxxx"'] + [
        f'  l{i} = "${{local.l{i - 1}}}${{local.l{i - 1}}}"' for i in range(1, 23)
    ]
    write(
        d / "t" / "main.tf",
        "locals {\n" + "\n".join(lines) + "\n}\n" + 'output "o" {\n  value = local.l22\n}\n',
    )


def setup_nested_try(d: Path) -> None:
    lines = ['  b0 = "x"'] + [f"  b{i} = try(local.b{i - 1}, local.b{i - 1})" for i in range(1, 23)]
    write(
        d / "t" / "main.tf",
        "locals {\n" + "\n".join(lines) + "\n}\n" + 'output "o" {\n  value = local.b22\n}\n',
    )


def setup_nested_try_inline(d: Path) -> None:
    expr = "local.b"
    for _ in range(22):
        expr = f"try({expr}, {expr})" if len(expr) < 200 else f"try({expr}, local.b)"
    write(d / "t" / "main.tf", f'locals {{\n  b = "x"\n  c = {expr}\n}}\n')


def setup_module_fan(d: Path) -> None:
    for i in range(21):
        body = 'variable "x" {\n  default = 1\n}\noutput "o" {\n  value = var.x\n}\n'
        if i < 20:
            body += "".join(
                f'module "m{k}" {{\n  source = "../m{i + 1}"\n  x = var.x\n}}\n' for k in range(2)
            )
        write(d / "t" / f"m{i}" / "main.tf", body)
    write(d / "t" / "root" / "main.tf", 'module "top" {\n  source = "../m0"\n}\n')


def check_files_count(r: Result, d: Path) -> str | None:
    m = re.search(r"(\d[\d,]*) files? checked", r.stdout + r.stderr)
    if m and int(m.group(1).replace(",", "")) > 30:
        return f"summary says {m.group(0)!r} for 22 files"
    return None


def setup_dense_state(d: Path) -> None:
    """1,500 resources, each depending on every earlier one: 1.1 million edges (about 25 MB)."""
    state = corpus.agent_chain_state(1)
    resources = state["values"]["root_module"]["resources"]  # type: ignore[index]
    for i in range(1500):
        resources.append(
            {
                "address": f"null_resource.n{i}",
                "mode": "managed",
                "type": "null_resource",
                "name": f"n{i}",
                "provider_name": "registry.terraform.io/hashicorp/null",
                "schema_version": 0,
                "values": {},
                "sensitive_values": {},
                "depends_on": ["coder_agent.a0"] + [f"null_resource.n{j}" for j in range(i)],
            }
        )
    write(d / "state.json", json.dumps(state))


def setup_dot_chain(d: Path) -> None:
    """A 4 MiB DOT chain of distinct nodes: a -> b -> c ... (about 450,000 nodes)."""
    names = " -> ".join(f"n{i}" for i in range(450_000))
    data = "digraph {\n" + names[: (4 << 20) - 200].rsplit(" -> ", 1)[0] + "\n}\n"
    write(d / "graph.dot", data)
    shutil.copy(STATE, d / "state.json")


def setup_agents(d: Path) -> None:
    write(d / "state.json", json.dumps(corpus.agent_chain_state(8000)))


def setup_dot_semis(size: int) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        write(d / "graph.dot", b"digraph {\n" + b";" * size + b"\n}\n")
        shutil.copy(STATE, d / "state.json")

    return setup


def setup_json_nested(d: Path) -> None:
    write(d / "plan.json", plan_with("[" * 5000 + "]" * 5000))


def setup_dot_deep(d: Path) -> None:
    write(d / "graph.dot", "digraph {\n" + "subgraph {\n" * 5000 + "a\n" + "}\n" * 5000 + "}\n")
    shutil.copy(STATE, d / "state.json")


def setup_list(size: int, files: int = 1) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        n = (size - 20) // 2
        for k in range(files):
            write(d / "t" / f"f{k}.tf", "locals {\n  a = [" + "1," * n + "]\n}\n")

    return setup


def setup_json_objects(size: int) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        base = len(plan_with("[]"))
        n = max(0, (size - base) // 3)
        write(d / "plan.json", plan_with("[" + ",".join(["{}"] * n) + "]"))

    return setup


def setup_devzero(d: Path) -> None:
    copy_template(d)
    (d / "t" / "baseline.json").symlink_to("/dev/zero")
    (d / "t" / "conf.toml").symlink_to("/dev/zero")
    (d / "t" / ".aitask-lint.toml").symlink_to("/dev/zero")


def setup_devzero_discovered(d: Path) -> None:
    copy_template(d)
    (d / "t" / ".aitask-lint.toml").symlink_to("/dev/zero")


def setup_fifo(d: Path) -> None:
    os.mkfifo(d / "plan.fifo")
    text = PLAN.read_bytes()

    def feed() -> None:
        try:
            fd = os.open(d / "plan.fifo", os.O_WRONLY)
            with os.fdopen(fd, "wb") as f:
                f.write(text)
        except OSError:
            pass

    threading.Thread(target=feed, daemon=True).start()


def setup_globs(count: int, short: bool = False) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        copy_template(d, TASK_TEMPLATE, "tree/t")
        for k in range(30):
            copy_template(d, TASK_TEMPLATE, f"tree/deep/{'x/' * 20}{k}")
        globs = ",".join(f'"d{i}"' if short else f'"**/dir{i}/*.tf"' for i in range(count))
        write(d / "tree" / ".aitask-lint.toml", f"exclude = [{globs}]\n")

    return setup


BIG = "9" * 4301


def setup_bigint_roots(d: Path) -> None:
    write(d / "tree" / "a" / "main.tf", f"locals {{\n  n = {BIG}\n  m = {BIG} + 1\n}}\n")
    copy_template(d / "tree", BROKEN_TEMPLATE, "b")
    write(d / "tree" / "c" / "main.tf.json", '{"locals": {"n": ' + BIG + "}}")


def setup_bigint_plan(d: Path) -> None:
    write(d / "plan.json", plan_with(BIG))


def setup_bigint_baseline(d: Path) -> None:
    copy_template(d)
    write(d / "baseline.json", '{"version": ' + BIG + ', "entries": []}')


def setup_deep_toml(d: Path) -> None:
    copy_template(d)
    write(d / "t" / ".aitask-lint.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")


def setup_deep_pyproject_table(d: Path) -> None:
    copy_template(d)
    write(
        d / "t" / "pyproject.toml",
        "[tool.aitask-lint]\nx = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
    )


def setup_baseline_from_run(d: Path) -> None:
    """A real baseline of the broken template, written by the CLI itself."""
    copy_template(d)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "AITASK_LINT_NO_CACHE": "1"}
    subprocess.run(
        [PYTHON, "-m", "aitask_lint", "check", "t", "--write-baseline", "real-baseline.json"],
        cwd=d,
        env=env,
        check=False,
        capture_output=True,
        timeout=60,
    )


def mutate_baseline(change: Callable[[str], str | bytes]) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        setup_baseline_from_run(d)
        real = (d / "real-baseline.json").read_text()
        write(d / "baseline.json", change(real))

    return setup


def deep_baseline(text: str) -> str:
    return '{"version": 1, "entries": ' + "[" * 5000 + "]" * 5000 + "}"


def inf_count(text: str) -> str:
    out = re.sub(r'"count"\s*:\s*\d+', '"count": 1e999', text, count=1)
    return (
        out
        if out != text
        else text.replace("{", '{"count": 1e999, ', 2).replace('{"count": 1e999, ', "{", 1)
    )


def config(name: str, body: str | bytes) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        copy_template(d)
        write(d / "t" / name, body)

    return setup


def setup_cache_literal(d: Path) -> None:
    body = (BROKEN_TEMPLATE / "main.tf").read_text()
    for where in ("a", "b"):
        write(
            d / where / "main.tf",
            body
            + '\nresource "coder_app" "lit" {\n  agent_id = coder_agent.main.id\n  slug = "a/main.tf"\n}\n',
        )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "AITASK_LINT_CACHE_DIR": str(d / "cache")}
    subprocess.run(
        [PYTHON, "-m", "aitask_lint", "check", "a"],
        cwd=d,
        env=env,
        check=False,
        capture_output=True,
        timeout=60,
    )


def setup_cache_error(d: Path) -> None:
    for where in ("a", "b"):
        write(d / where / "main.tf", 'locals {\n  x = "a/main.tf" +\n}\n')
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "AITASK_LINT_CACHE_DIR": str(d / "cache")}
    subprocess.run(
        [PYTHON, "-m", "aitask_lint", "check", "a"],
        cwd=d,
        env=env,
        check=False,
        capture_output=True,
        timeout=60,
    )


def check_cache_literal(r: Result, d: Path) -> str | None:
    both_ = r.stdout + r.stderr
    if '"a/main.tf"' not in both_:
        return f"the literal slug 'a/main.tf' was rewritten: {both_.strip()[:200]!r}"
    return None


def check_cache_error(r: Result, d: Path) -> str | None:
    both_ = r.stdout + r.stderr
    if "a/main.tf:" in both_ or "b/main.tf:" not in both_:
        return f"cached error names the wrong copy: {both_.strip()[:200]!r}"
    return None


LABEL_ARRAYS = json.dumps(
    {
        "resource": {"null_resource": [{"a": {}}, {"b": [{"triggers": {"k": "v"}}]}]},
        "locals": [{"x": 1}, {"y": 2}],
        "variable": {"v": None},
        "output": {"o": None},
        "data": {"coder_workspace": {"me": None}},
    }
)


def setup_drive_dir(d: Path) -> None:
    copy_template(d, BROKEN_TEMPLATE, "C:")


def setup_unreadable_tree(d: Path) -> None:
    copy_template(d / "tree", TASK_TEMPLATE, "ok")
    copy_template(d / "tree", BROKEN_TEMPLATE, "locked")
    os.chmod(d / "tree" / "locked", 0)
    fd = os.open(d / "tree", os.O_RDONLY)
    for _ in range(20):  # 5,000 characters: over PATH_MAX, built one step at a time
        os.mkdir("d" * 250, dir_fd=fd)
        fd, old = os.open("d" * 250, os.O_RDONLY, dir_fd=fd), fd
        os.close(old)
    out = os.open("main.tf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(out, b'locals {\n  a = "deep"\n}\n')
    os.close(out)
    os.close(fd)


def check_unreadable(r: Result, d: Path) -> str | None:
    both_ = r.stdout + r.stderr
    if "locked" not in both_:
        return "the unreadable directory 'locked' is not reported"
    return None


LIBRARY = textwrap.dedent(
    """
    import json, sys
    from aitask_lint import load_terraform_json
    from aitask_lint.lint.runner import lint, Selection
    calls = {
        "Selection(select='AIT1')": lambda: Selection(select="AIT1"),
        "Selection(select=['AIT999'])": lambda: Selection(select=["AIT999"]),
        "Selection(severities={'AIT401': 'fatal'})": lambda: Selection(severities={"AIT401": "fatal"}),
        "Selection(severities={'AIT999': 'error'})": lambda: Selection(severities={"AIT999": "error"}),
        "lint('dir')": lambda: lint("t"),
        "load_terraform_json(5)": lambda: load_terraform_json(5),
        "load_terraform_json(json text)": lambda: load_terraform_json('{"format_version": "1.0"}'),
    }
    try:
        from aitask_lint.convert.api import convert_state
        doc = load_terraform_json(sys.argv[1])
        calls["convert_state(prior_state='bogus')"] = lambda: convert_state(doc, prior_state="bogus")
    except ImportError as error:
        print("SKIP convert_state:", error)
    silent = []
    for name, call in calls.items():
        try:
            call()
        except (TypeError, ValueError) as error:
            print(f"refused {name}: {type(error).__name__}: {error}")
        else:
            silent.append(name)
    if silent:
        print("ACCEPTED SILENTLY:", silent)
    sys.exit(0)
    """
)


def check_library(r: Result, d: Path) -> str | None:
    m = re.search(r"ACCEPTED SILENTLY: .*", r.stdout)
    return m.group(0) if m else None


def setup_library(d: Path) -> None:
    copy_template(d)
    write(d / "lib.py", LIBRARY)


def setup_deep_manifest(d: Path) -> None:
    copy_template(d, TASK_TEMPLATE)
    write(
        d / "t" / ".terraform" / "modules" / "modules.json",
        '{"Modules": ' + "[" * 5000 + "]" * 5000 + "}",
    )


def one_over(d: Path) -> None:
    write(d / "t" / "main.tf", "#" * (256 * 1024) + "\n")


# --- the cases --------------------------------------------------------------------------

PIPE_RUN = 'AIT() { "$PY" -m aitask_lint "$@"; }; '


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    root_uid = os.getuid() == 0
    # 1: cache
    add(
        Case(
            "pickle planted in every cache file",
            1,
            ["check", "t"],
            setup_pickle_cache,
            no_marker,
            env={"AITASK_LINT_CACHE_DIR": "{d}/cache"},
        )
    )
    add(
        Case(
            "pickle planted, --no-cache",
            1,
            ["check", "t", "--no-cache"],
            setup_pickle_cache,
            no_marker,
            env={"AITASK_LINT_CACHE_DIR": "{d}/cache"},
        )
    )
    add(
        Case(
            "pickle planted, -j2 workers",
            1,
            ["check", "t", "-j", "2"],
            setup_pickle_cache,
            no_marker,
            env={"AITASK_LINT_CACHE_DIR": "{d}/cache"},
        )
    )
    add(
        Case(
            "cache dir created under umask 000",
            1,
            ["check", "t"],
            copy_template,
            check_umask_cache,
            env={"AITASK_LINT_CACHE_DIR": "{d}/new/cache"},
            umask=0,
        )
    )
    add(
        Case(
            "cache dir foreign-owned",
            1,
            ["check", "t"],
            setup_foreign_cache,
            expect(1, "owned by another user"),
            env={"AITASK_LINT_CACHE_DIR": "{d}/cache"},
            skip="" if root_uid else "needs root to chown",
        )
    )
    add(
        Case(
            "cache dir mode 0777 with planted grammar",
            1,
            ["check", "t"],
            setup_world_cache,
            both(no_marker, expect(1, "writable by others")),
            env={"AITASK_LINT_CACHE_DIR": "{d}/cache"},
        )
    )
    add(
        Case(
            "relative XDG_CACHE_HOME",
            1,
            ["check", "t"],
            copy_template,
            check_no_cache_in_tree,
            env={
                "XDG_CACHE_HOME": "t/.cache",
                "AITASK_LINT_CACHE_DIR": "<unset>",
                "HOME": "{d}/home",
            },
            cwd="",
        )
    )
    add(
        Case(
            "relative AITASK_LINT_CACHE_DIR",
            1,
            ["check", "t"],
            copy_template,
            both(check_no_cache_in_tree, expect(1)),
            env={"AITASK_LINT_CACHE_DIR": "t/aitask-lint"},
        )
    )
    # 2: dot
    add(
        Case(
            "dot in cwd, '.' and '' on PATH",
            2,
            ["graph", "--format", "svg", "t"],
            setup_dot_path,
            no_marker,
            env={"PATH": ".::{d}/t/bin:/usr/bin:/bin"},
        )
    )
    add(
        Case(
            "dot in the scanned tree (absolute PATH entry)",
            2,
            ["graph", "--format", "svg", "{d}/t"],
            setup_dot_path,
            no_marker,
            env={"PATH": "{d}/t/bin:/usr/bin:/bin"},
        )
    )
    add(
        Case(
            "dot symlinked into the tree, relative 'bin' entry",
            2,
            ["graph", "--format", "svg", "t"],
            setup_dot_linked,
            no_marker,
            env={"PATH": "{d}/outbin:{d}/linkdir:t/bin:bin:/usr/bin:/bin"},
        )
    )
    add(
        Case(
            "svg of 40 densely connected nodes",
            2,
            ["graph", "--format", "svg", "t"],
            setup_dense_svg,
            expect({0, 2}),
        )
    )
    add(
        Case(
            "a dot that hangs and forks (trusted PATH)",
            2,
            ["graph", "--format", "svg", "t"],
            setup_hanging_dot,
            expect(2, "dot"),
            env={"PATH": "{d}/slowbin:/usr/bin:/bin"},
            cwd="work",
        )
    )
    # 3: configuration and the root
    add(
        Case(
            "config above the git repository",
            3,
            ["check", "t"],
            setup_config_above,
            expect(1, "AIT401"),
            cwd="repo",
        )
    )
    add(
        Case(
            "config above --project-root",
            3,
            ["check", "--project-root", "proj", "proj/t"],
            setup_config_above_root,
            expect(1, "AIT401"),
        )
    )
    add(
        Case(
            "config project-root='/' + symlinks outside",
            3,
            ["check", "t"],
            setup_root_escape,
            check_no_canary,
            cwd="repo",
        )
    )
    add(Case("same, -r", 3, ["check", "-r", "."], setup_root_escape, check_no_canary, cwd="repo"))
    add(Case("same, tasks", 3, ["tasks", "t"], setup_root_escape, check_no_canary, cwd="repo"))
    add(
        Case(
            "configs symlinked to files outside the root",
            3,
            ["check", "t"],
            setup_config_symlinks,
            both(check_no_canary, expect(2, "symlink")),
            cwd="repo",
        )
    )
    add(
        Case(
            "pyproject project-root = '../..'",
            3,
            ["check", "t"],
            setup_pyproject_root,
            both(check_no_canary, expect(2, "project-root")),
            cwd="repo",
        )
    )
    add(
        Case(
            "no git: config project-root = '..', module '../'",
            3,
            ["check", "outside/t"],
            setup_no_git_widen,
            check_no_canary,
        )
    )
    add(
        Case(
            "-r over symlinks to /, .. and a loop",
            3,
            ["check", "-r", "tree"],
            setup_walk_escape,
            both(check_no_canary, expect({1, 2}, "AIT401")),
        )
    )
    # 4: terminal
    add(
        Case(
            "OSC/CSI/bidi directory names in -r progress (pty)",
            4,
            ["check", "-r", "tree"],
            setup_osc_dirs,
            check_osc,
            tty=True,
        )
    )
    # 5: regexes
    add(
        Case(
            "30 KB version string",
            5,
            ["check", "t", "--no-cache"],
            setup_version_30k,
            expect({0, 1, 2}),
        )
    )
    add(
        Case(
            "heredoc of 120,000 blank lines",
            5,
            ["check", "t", "--no-cache"],
            setup_heredoc_blank,
            expect({0, 1}),
        )
    )
    add(
        Case(
            "same, unclosed",
            5,
            ["check", "t", "--no-cache"],
            setup_heredoc_blank_unclosed,
            expect(2),
        )
    )
    add(
        Case(
            "1 MB line of '<'",
            5,
            ["check", "t", "--no-cache"],
            tf("<" * 1_000_000),
            expect(2, "limit"),
        )
    )
    add(
        Case(
            "250 KB line of '<' (under the limit)",
            5,
            ["check", "t", "--no-cache"],
            tf("<" * 250_000),
            expect(2),
        )
    )
    add(
        Case(
            "250 KB version of '>' and '='",
            5,
            ["check", "t", "--no-cache"],
            tf(
                'module "m" {\n  source = "coder/claude-code/coder"\n  version = "'
                + ">=" * 120_000
                + '"\n}\n'
            ),
            expect({0, 1, 2}),
        )
    )
    add(
        Case(
            "250 KB of backslash escapes in a string",
            5,
            ["check", "t", "--no-cache"],
            tf('locals {\n  a = "' + "\\\\" * 120_000 + '"\n}\n'),
            expect({0, 1, 2}),
        )
    )
    add(
        Case(
            "250 KB of unclosed '${'",
            5,
            ["check", "t", "--no-cache"],
            tf('locals {\n  a = "' + "${" * 120_000 + '"\n}\n'),
            expect(2),
        )
    )
    add(
        Case(
            "250 KB of '%{' in a heredoc",
            5,
            ["check", "t", "--no-cache"],
            tf("locals {\n  a = <<EOT\n" + "%{" * 120_000 + "\nEOT\n}\n"),
            expect({0, 1, 2}),
        )
    )
    add(
        Case(
            "250 KB of '<<' + spaces",
            5,
            ["check", "t", "--no-cache"],
            tf("a = <<" + " " * 250_000),
            expect(2),
        )
    )
    # 6: evaluation
    add(
        Case(
            "22 doubling locals",
            6,
            ["check", "t", "--no-cache"],
            setup_doubling_locals,
            expect({0, 1}),
        )
    )
    add(Case("22 doubling locals, tasks", 6, ["tasks", "t"], setup_doubling_locals, expect({0, 1})))
    add(
        Case(
            "22 chained try(local.b, local.b)",
            6,
            ["check", "t", "--no-cache"],
            setup_nested_try,
            expect({0, 1}),
        )
    )
    add(
        Case(
            "22 nested try() in one expression",
            6,
            ["check", "t", "--no-cache"],
            setup_nested_try_inline,
            expect({0, 1}),
        )
    )
    add(
        Case(
            "21 module dirs, each calling the next twice",
            6,
            ["check", "t/root", "--no-cache"],
            setup_module_fan,
            both(expect({0, 1}), check_files_count),
        )
    )
    add(
        Case(
            "same, -r",
            6,
            ["check", "-r", "t", "--no-cache"],
            setup_module_fan,
            both(expect({0, 1}), check_files_count),
        )
    )
    # 7: agents
    add(
        Case("8,000 chained agents, convert", 7, ["convert", "state.json"], setup_agents, expect(0))
    )
    add(
        Case(
            "8,000 chained agents, check", 7, ["check", "state.json"], setup_agents, expect({0, 1})
        )
    )
    add(
        Case(
            "1,500 resources each depending on all earlier, convert",
            7,
            ["convert", "state.json"],
            setup_dense_state,
            expect({0, 2}),
        )
    )
    add(Case("same, check", 7, ["check", "state.json"], setup_dense_state, expect({0, 1, 2})))
    add(
        Case(
            "same, graph --format json",
            7,
            ["graph", "state.json", "--format", "json"],
            setup_dense_state,
            expect({0, 2}),
        )
    )
    add(
        Case(
            "state address of 1,000,000 module steps, graph",
            7,
            ["graph", "state.json", "--format", "json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text().replace(
                    '"address": "coder_agent.main"',
                    '"address": "' + "module.m." * 1_000_000 + 'coder_agent.main"',
                    1,
                ),
            ),
            expect({0, 2}),
        )
    )
    add(
        Case(
            "1,000,000 module steps, convert",
            7,
            ["convert", "state.json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text().replace(
                    '"address": "coder_agent.main"',
                    '"address": "' + "module.m." * 1_000_000 + 'coder_agent.main"',
                    1,
                ),
            ),
            expect({0, 2}),
        )
    )
    add(
        Case(
            "1,000,000 module steps, check",
            7,
            ["check", "state.json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text().replace(
                    '"address": "coder_agent.main"',
                    '"address": "' + "module.m." * 1_000_000 + 'coder_agent.main"',
                    1,
                ),
            ),
            expect({0, 1, 2}),
        )
    )
    # 8: DOT
    add(
        Case(
            "16 MiB of ';' DOT (default limit)",
            8,
            ["convert", "state.json", "--graph", "graph.dot"],
            setup_dot_semis(16 << 20),
            expect(2, "AITASK_LINT_MAX_DOT_BYTES"),
        )
    )
    add(
        Case(
            "16 MiB of ';' DOT (limit raised)",
            8,
            ["convert", "state.json", "--graph", "graph.dot"],
            setup_dot_semis(16 << 20),
            expect(2),
            env={"AITASK_LINT_MAX_DOT_BYTES": "64M"},
        )
    )
    add(
        Case(
            "4 MiB of ';' DOT (at the limit), check",
            8,
            ["check", "state.json", "--graph", "graph.dot"],
            setup_dot_semis((4 << 20) - 100),
            expect({0, 1, 2}),
        )
    )
    add(
        Case(
            "4 MiB DOT chain of 450,000 nodes, convert",
            8,
            ["convert", "state.json", "--graph", "graph.dot"],
            setup_dot_chain,
            expect({0, 2}),
        )
    )
    add(
        Case(
            "same, check",
            8,
            ["check", "state.json", "--graph", "graph.dot"],
            setup_dot_chain,
            expect({0, 1, 2}),
        )
    )
    add(
        Case(
            "4 MiB quoted DOT string",
            8,
            ["convert", "state.json", "--graph", "graph.dot"],
            lambda d: (
                write(d / "graph.dot", 'digraph {\n"' + "x" * ((4 << 20) - 100) + '"\n}\n'),
                shutil.copy(STATE, d / "state.json"),
            ),
            expect({0, 2}),
        )
    )
    add(
        Case(
            "4 MiB of '; ' DOT separators",
            8,
            ["convert", "state.json", "--graph", "graph.dot"],
            lambda d: (
                write(d / "graph.dot", "digraph {\n" + "; " * ((2 << 20) - 100) + "\n}\n"),
                shutil.copy(STATE, d / "state.json"),
            ),
            expect({0, 2}),
        )
    )
    add(
        Case(
            "14 MB quoted instance key in a state address",
            7,
            ["convert", "state.json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text().replace(
                    '"address": "coder_agent.main"',
                    '"address": "coder_agent.main[\\"' + "x" * 14_000_000 + '\\"]"',
                    1,
                ),
            ),
            expect({0, 2}),
        )
    )
    add(
        Case(
            "same, module path of 2 MB",
            7,
            ["convert", "state.json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text().replace(
                    '"address": "coder_agent.main"',
                    '"address": "' + "module.m." * 250_000 + 'coder_agent.main"',
                    1,
                ),
            ),
            expect({0, 2}),
        )
    )
    # 9: sizes
    add(
        Case(
            "2 MiB million-element list",
            9,
            ["check", "t", "--no-cache"],
            setup_list(2 << 20),
            expect(2, "limit"),
        )
    )
    add(
        Case(
            "256 KiB element list (at the limit)",
            9,
            ["check", "t", "--no-cache"],
            setup_list(256 * 1024 - 64),
            expect({0, 1}),
        )
    )
    add(
        Case(
            "eight 2 MiB lists, default --jobs",
            9,
            ["check", "t", "--no-cache"],
            setup_list(2 << 20, 8),
            expect(2),
        )
    )
    add(
        Case(
            "eight 64 KiB lists (run total), -j 8",
            9,
            ["check", "t", "--no-cache", "-j", "8"],
            setup_list(64 * 1024 - 64, 8),
            expect({0, 1}),
        )
    )
    add(
        Case(
            "nine 64 KiB lists (over the run total)",
            9,
            ["check", "t", "--no-cache", "-j", "8"],
            setup_list(64 * 1024 - 64, 9),
            expect(2, "too much source"),
        )
    )
    add(
        Case(
            "64 MiB JSON of small objects",
            9,
            ["check", "plan.json"],
            setup_json_objects(64 << 20),
            expect(2, "limit"),
        )
    )
    add(
        Case(
            "32 MiB JSON of small objects (size limit)",
            9,
            ["check", "plan.json"],
            setup_json_objects((32 << 20) - 1000),
            expect(2, "too many arrays and objects"),
        )
    )
    add(
        Case(
            "32 MiB JSON of 800-deep empty lists (size limit)",
            9,
            ["check", "plan.json"],
            setup_json_deep_lists((32 << 20) - 1000),
            expect(2, "too many arrays and objects"),
        )
    )
    add(
        Case(
            "same, convert",
            9,
            ["convert", "plan.json"],
            setup_json_deep_lists((32 << 20) - 1000),
            expect(2, "too many arrays and objects"),
        )
    )
    add(
        Case(
            "11 MB of 800-deep empty lists (container limit)",
            9,
            ["check", "plan.json"],
            setup_json_deep_lists(5_550_000 * 2),
            expect({0, 1}),
        )
    )
    add(
        Case(
            "same, convert",
            9,
            ["convert", "plan.json"],
            setup_json_deep_lists(5_550_000 * 2),
            expect({0, 2}),
        )
    )
    add(
        Case(
            "16 MiB JSON of small objects (container limit)",
            9,
            ["check", "plan.json"],
            setup_json_objects(16 << 20),
            expect({0, 1}),
        )
    )
    # 10: unbounded reads
    add(
        Case(
            "--baseline -> /dev/zero symlink",
            10,
            ["check", "t", "--baseline", "t/baseline.json"],
            setup_devzero,
            expect(2),
        )
    )
    add(
        Case(
            "--config -> /dev/zero symlink",
            10,
            ["check", "t", "--config", "t/conf.toml"],
            setup_devzero,
            expect(2),
        )
    )
    add(
        Case(
            ".aitask-lint.toml -> /dev/zero (discovered)",
            10,
            ["check", "t"],
            setup_devzero_discovered,
            expect(2),
        )
    )
    add(
        Case(
            "FIFO plan input",
            10,
            ["check", "plan.fifo"],
            setup_fifo,
            expect({0, 1}),
            fork_setup=False,
        )
    )
    add(
        Case(
            "<(cat plan.json) positions",
            10,
            [PIPE_RUN + "AIT check <(cat plan.json) --format concise"],
            lambda d: shutil.copy(PLAN, d / "plan.json"),
            expect({0, 1}),
            shell=True,
        )
    )
    add(
        Case(
            "100,000 exclude globs, check -r",
            10,
            ["check", "-r", "tree"],
            setup_globs(100_000),
            expect(2, "too large"),
        )
    )
    add(
        Case(
            "100,000 short exclude globs (< 1 MiB), check -r",
            10,
            ["check", "-r", "tree"],
            setup_globs(100_000, short=True),
            expect(2, "globs"),
        )
    )
    add(
        Case(
            "1,000 exclude globs (the limit), check -r",
            10,
            ["check", "-r", "tree"],
            setup_globs(1000),
            expect({0, 1}),
        )
    )
    add(
        Case(
            "plan.json -> /dev/zero symlink",
            10,
            ["check", "plan.json"],
            lambda d: (d / "plan.json").symlink_to("/dev/zero"),
            expect(2, "plan.json"),
        )
    )
    add(
        Case(
            "--graph -> /dev/zero symlink",
            10,
            ["convert", "state.json", "--graph", "g.dot"],
            lambda d: (shutil.copy(STATE, d / "state.json"), (d / "g.dot").symlink_to("/dev/zero")),
            expect(2, "g.dot"),
        )
    )
    add(
        Case(
            "check - < /dev/zero",
            10,
            [PIPE_RUN + "AIT check - < /dev/zero"],
            lambda d: None,
            expect(2),
            shell=True,
        )
    )
    add(
        Case(
            "tasks - < /dev/urandom",
            10,
            [PIPE_RUN + "AIT tasks - < /dev/urandom"],
            lambda d: None,
            expect(2),
            shell=True,
        )
    )
    add(
        Case(
            "modules.json -> /dev/zero",
            10,
            ["check", "t"],
            lambda d: (
                copy_template(d, TASK_TEMPLATE),
                write(d / "t" / ".terraform" / "modules" / "x", ""),
                (d / "t" / ".terraform" / "modules" / "modules.json").symlink_to("/dev/zero"),
            ),
            expect({1, 2}),
        )
    )
    # 11: cache hygiene
    add(
        Case(
            "cache write to a full disk",
            11,
            [],
            skip="needs a full filesystem (tests/test_cache_safety.py)",
        )
    )
    # 12: integers
    add(
        Case(
            "4,301-digit integers in .tf/.tf.json, -r with 3 roots",
            12,
            ["check", "-r", "tree", "--no-cache"],
            setup_bigint_roots,
            expect({1, 2}, "AIT401"),
        )
    )
    add(
        Case(
            "4,301-digit integer in plan JSON",
            12,
            ["check", "plan.json"],
            setup_bigint_plan,
            expect({0, 1}),
        )
    )
    add(
        Case(
            "4,301-digit integer, convert",
            12,
            ["convert", "plan.json"],
            setup_bigint_plan,
            expect({0, 2}),
        )
    )
    add(
        Case(
            "4,301-digit integer in a baseline",
            12,
            ["check", "t", "--baseline", "baseline.json"],
            setup_bigint_baseline,
            expect(2),
        )
    )
    add(
        Case(
            "4,301-digit count and -1e99999 in .tf, tasks",
            12,
            ["tasks", "t"],
            lambda d: (
                copy_template(d, TASK_TEMPLATE),
                write(
                    d / "t" / "big.tf",
                    f'resource "null_resource" "n" {{\n  count = {BIG}\n}}\nlocals {{\n  f = -1e99999\n'
                    f"  g = -{BIG}.5e-{BIG}\n}}\n",
                ),
            ),
            expect({0, 1, 2}),
        )
    )
    add(
        Case(
            "4,301-digit integers as JSON keys' values in a state, convert",
            12,
            ["convert", "state.json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text().replace('"schema_version": 1', f'"schema_version": {BIG}'),
            ),
            expect({0, 2}),
        )
    )
    add(
        Case(
            "30 MB numbers in plan JSON (integer, fraction)",
            12,
            ["check", "plan.json"],
            lambda d: write(
                d / "plan.json", plan_with("[" + "7" * 15_000_000 + ", 0." + "3" * 15_000_000 + "]")
            ),
            expect({0, 1}),
        )
    )
    add(
        Case(
            "30 MB slug 'a-a-...-' and url in a state, check",
            5,
            ["check", "state.json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text()
                .replace('"slug": "claude"', '"slug": "' + "a-" * 7_000_000 + '"')
                .replace(
                    '"url": "http://localhost:3284/"', '"url": "http://' + "a." * 7_000_000 + '"'
                ),
            ),
            expect({0, 1}),
        )
    )
    add(
        Case(
            "same, convert",
            5,
            ["convert", "state.json"],
            lambda d: write(
                d / "state.json",
                STATE.read_text()
                .replace('"slug": "claude"', '"slug": "' + "a-" * 7_000_000 + '"')
                .replace(
                    '"url": "http://localhost:3284/"', '"url": "http://' + "a." * 7_000_000 + '"'
                ),
            ),
            expect({0, 2}),
        )
    )
    # 13: depth
    add(
        Case(
            "DOT nested 5,000 deep",
            13,
            ["convert", "state.json", "--graph", "graph.dot"],
            setup_dot_deep,
            expect({0, 2}),
        )
    )
    add(
        Case(
            "TOML nested 5,000 deep",
            13,
            ["check", "t"],
            setup_deep_toml,
            expect(2, ".aitask-lint.toml"),
        )
    )
    add(
        Case(
            "pyproject inline tables 5,000 deep",
            13,
            ["check", "t"],
            setup_deep_pyproject_table,
            expect(2, "pyproject.toml"),
        )
    )
    add(
        Case(
            "baseline arrays 5,000 deep",
            13,
            ["check", "t", "--baseline", "baseline.json"],
            mutate_baseline(deep_baseline),
            expect(2, "baseline.json"),
        )
    )
    add(
        Case(
            "HCL [[[...]]] 5,000 deep",
            13,
            ["check", "t", "--no-cache"],
            tf("locals {\n  a = " + "[" * 5000 + "]" * 5000 + "\n}\n"),
            expect(2, "nested too deeply"),
        )
    )
    add(
        Case(
            "HCL ((((...)))) 5,000 deep, unclosed",
            13,
            ["check", "t", "--no-cache"],
            tf("locals {\n  a = " + "(" * 5000 + "\n"),
            expect(2),
        )
    )
    add(
        Case(
            ".tf.json 5,000 deep",
            13,
            ["check", "t", "--no-cache"],
            config("main.tf.json", '{"locals": {"a": ' + "[" * 5000 + "]" * 5000 + "}}"),
            expect(2),
        )
    )
    add(
        Case(
            "plan JSON 5,000 deep",
            13,
            ["convert", "plan.json"],
            setup_json_nested,
            expect(2, "nested"),
        )
    )
    add(
        Case(
            "16 MiB baseline of 60-deep empty lists",
            13,
            ["check", "t", "--baseline", "baseline.json"],
            mutate_baseline(
                lambda t: (
                    '{"version": 1, "entries": [' + ",".join(["[" * 60 + "]" * 60] * 139_000) + "]}"
                )
            ),
            expect(2, "baseline"),
        )
    )
    add(
        Case(
            "16 MiB baseline of empty objects",
            13,
            ["check", "t", "--baseline", "baseline.json"],
            mutate_baseline(
                lambda t: '{"version": 1, "entries": [' + ",".join(["{}"] * 5_500_000) + "]}"
            ),
            expect(2, "baseline"),
        )
    )
    # 14: types and encodings
    add(
        Case(
            'fail-on = ["error"]',
            14,
            ["check", "t"],
            config(".aitask-lint.toml", 'fail-on = ["error"]\n'),
            expect(2, "fail-on"),
        )
    )
    add(
        Case(
            "tool = 5 in pyproject.toml",
            14,
            ["check", "t"],
            config("pyproject.toml", "tool = 5\n"),
            expect({1, 2}),
        )
    )
    add(
        Case(
            "invalid UTF-8 config",
            14,
            ["check", "t"],
            config(".aitask-lint.toml", b'fail-on = "\xff\xfe"\n'),
            expect(2, ".aitask-lint.toml"),
        )
    )
    add(
        Case(
            "invalid UTF-8 baseline",
            14,
            ["check", "t", "--baseline", "baseline.json"],
            mutate_baseline(lambda t: t.encode()[:-5] + b"\xff\xfe\xff" + t.encode()[-5:]),
            expect(2, "baseline"),
        )
    )
    add(
        Case(
            "count: 1e999 in a baseline",
            14,
            ["check", "t", "--baseline", "baseline.json"],
            mutate_baseline(inf_count),
            expect(2, "baseline"),
        )
    )
    # 15: output and the OS
    add(
        Case(
            "--output /dev/full",
            15,
            ["check", "t", "-o", "/dev/full"],
            copy_template,
            expect(2, "/dev/full"),
        )
    )
    add(
        Case(
            "--output in a missing directory",
            15,
            ["check", "t", "-o", "nope/x/report.txt"],
            copy_template,
            expect(2, "nope/x/report.txt"),
        )
    )
    add(
        Case(
            "--write-baseline /dev/full",
            15,
            ["check", "t", "--write-baseline", "/dev/full"],
            copy_template,
            expect(2, "/dev/full"),
        )
    )
    add(
        Case(
            "--write-baseline in a missing directory",
            15,
            ["check", "t", "--write-baseline", "nope/b.json"],
            copy_template,
            expect(2, "nope/b.json"),
        )
    )
    add(
        Case(
            "stdout is /dev/full",
            15,
            [PIPE_RUN + "AIT check t > /dev/full"],
            copy_template,
            expect(2, "<stdout>"),
            shell=True,
        )
    )
    add(
        Case(
            "stdout closed",
            15,
            [PIPE_RUN + "AIT check t >&-"],
            copy_template,
            expect(2, "<stdout>"),
            shell=True,
        )
    )
    add(
        Case(
            "stdin closed, tasks -",
            15,
            [PIPE_RUN + "AIT tasks - <&-"],
            copy_template,
            expect(2, "<stdin>"),
            shell=True,
        )
    )
    add(
        Case(
            "convert, stdout closed",
            15,
            [PIPE_RUN + "AIT convert state.json >&-"],
            lambda d: shutil.copy(STATE, d / "state.json"),
            expect(2, "<stdout>"),
            shell=True,
        )
    )
    add(
        Case(
            "graph -o /dev/full",
            15,
            ["graph", "t", "-o", "/dev/full"],
            copy_template,
            expect(2, "/dev/full"),
        )
    )
    add(
        Case(
            "tasks to a full stdout",
            15,
            [PIPE_RUN + "AIT tasks t --format json > /dev/full"],
            copy_template,
            expect(2, "<stdout>"),
            shell=True,
        )
    )
    add(
        Case(
            "explicit path longer than PATH_MAX",
            15,
            ["check", "a/" * 3000 + "main.tf"],
            copy_template,
            expect(2),
        )
    )
    add(
        Case(
            "huge AITASK_LINT_MAX_JSON_BYTES",
            15,
            ["check", "t"],
            copy_template,
            expect(2, "AITASK_LINT_MAX_JSON_BYTES"),
            env={"AITASK_LINT_MAX_JSON_BYTES": "9" * 40},
        )
    )
    add(
        Case(
            "huge AITASK_LINT_MAX_SOURCE_BYTES=999999G",
            15,
            ["check", "t"],
            copy_template,
            expect(2, "AITASK_LINT_MAX_SOURCE_BYTES"),
            env={"AITASK_LINT_MAX_SOURCE_BYTES": "999999G"},
        )
    )
    # 16: the cache is content-addressed
    add(
        Case(
            "literal equal to the path, copy served from the cache",
            16,
            ["check", "b", "--format", "concise"],
            setup_cache_literal,
            check_cache_literal,
            env={"AITASK_LINT_CACHE_DIR": "{d}/cache"},
        )
    )
    add(
        Case(
            "cached parse error names the other copy",
            16,
            ["check", "b"],
            setup_cache_error,
            check_cache_error,
            env={"AITASK_LINT_CACHE_DIR": "{d}/cache"},
        )
    )
    # 17: HCL JSON
    add(
        Case(
            "HCL JSON label arrays and null bodies",
            17,
            ["check", "t", "--no-cache"],
            config("main.tf.json", LABEL_ARRAYS),
            expect({0, 1}, absent=("AIT001",)),
        )
    )
    # 18: silent acceptances
    add(
        Case(
            "pyproject.toml with a TOML error",
            18,
            ["check", "t"],
            config("pyproject.toml", "[tool.aitask-lint\nfail-on = 'x'\n"),
            expect(2, "pyproject.toml"),
        )
    )
    add(
        Case(
            'coder-version = "garbage"',
            18,
            ["check", "t"],
            config(".aitask-lint.toml", 'coder-version = "garbage"\n'),
            expect(2, "coder-version"),
        )
    )
    add(
        Case(
            "--coder-version x",
            18,
            ["check", "t", "--coder-version", "x"],
            copy_template,
            expect(2),
        )
    )
    add(
        Case(
            "--severity AIT999=error",
            18,
            ["check", "t", "--severity", "AIT999=error"],
            copy_template,
            expect(2, "AIT999"),
        )
    )
    add(
        Case(
            "ignore[AIT401, AIT4] (rule named twice)",
            18,
            ["check", "t"],
            lambda d: write(
                d / "t" / "main.tf",
                (BROKEN_TEMPLATE / "main.tf")
                .read_text()
                .replace(
                    'resource "coder_app"',
                    '# aitask-lint: ignore[AIT401, AIT4] test\nresource "coder_app"',
                ),
            ),
            expect({0, 1}, absent=("unused suppression",)),
        )
    )
    add(
        Case(
            "locals { a = local.a }",
            18,
            ["check", "t", "--no-cache"],
            tf("locals {\n  a = local.a\n}\n"),
            expect({1}, "AIT110"),
        )
    )
    add(
        Case(
            "directory named C: in SARIF",
            18,
            ["check", "C:", "--format", "sarif"],
            setup_drive_dir,
            expect(1, absent=("file:///C:",)),
        )
    )
    add(
        Case(
            "-r with unreadable and over-long directories",
            18,
            ["check", "-r", "tree"],
            setup_unreadable_tree,
            check_unreadable,
            skip="running as root, which reads mode-000 directories (the venv is not readable by nobody)"
            if root_uid
            else "",
        )
    )
    add(
        Case(
            "-r with an over-long directory",
            18,
            ["check", "-r", "tree"],
            setup_unreadable_tree,
            lambda r, d: (
                None
                if ("dddd" in r.stdout + r.stderr and r.code == 2)
                else f"the over-long directory is skipped silently (exit {r.code})"
            ),
        )
    )
    # 19: library
    add(
        Case(
            "library misuse",
            19,
            ['"$PY" lib.py state.json'],
            lambda d: (setup_library(d), shutil.copy(STATE, d / "state.json")),
            check_library,
            shell=True,
        )
    )
    # 20: messages
    add(
        Case(
            "one byte over the 256 KiB limit",
            20,
            ["check", "t", "--no-cache"],
            one_over,
            expect(2, "262,145 bytes, over the 262,144-byte limit"),
        )
    )
    add(
        Case(
            "UTF-32 plan",
            20,
            ["check", "plan.json"],
            lambda d: write(d / "plan.json", PLAN.read_text().encode("utf-32")),
            expect(2, "UTF-32"),
        )
    )
    add(
        Case(
            "UTF-16 .tf",
            20,
            ["check", "t", "--no-cache"],
            lambda d: write(d / "t" / "main.tf", "locals {\n  a = 1\n}\n".encode("utf-16")),
            expect(2, "UTF-16", absent=("binary",)),
        )
    )
    add(
        Case(
            "modules.json nested 5,000 deep",
            20,
            ["check", "t"],
            setup_deep_manifest,
            expect({1, 2}, absent=("recursion",)),
        )
    )
    add(
        Case(
            'format_version "1.0\\n"',
            20,
            ["check", "plan.json"],
            lambda d: write(
                d / "plan.json",
                PLAN.read_text()
                .replace('"format_version": "1.2"', '"format_version": "1.0\\n"')
                .replace('"format_version":"1.2"', '"format_version":"1.0\\n"'),
            ),
            expect(2, "format_version"),
        )
    )
    add(
        Case(
            "unreadable path (dangling)",
            20,
            ["check", "nothing-here.tf"],
            lambda d: None,
            expect(2),
        )
    )
    add(Case("--output is a directory", 20, ["check", "t", "-o", "t"], copy_template, expect(2)))
    return c


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-k", default="", help="run only cases whose name contains this")
    parser.add_argument("--keep", type=Path, help="keep the generated inputs in this directory")
    args = parser.parse_args()
    all_cases = [case for case in cases() if args.k.lower() in case.name.lower()]
    top = Path(args.keep or tempfile.mkdtemp(prefix="ait-adv-"))
    top.mkdir(parents=True, exist_ok=True)
    shared_cache = top / "shared-cache"
    shared_cache.mkdir(mode=0o700, exist_ok=True)
    os.chmod(shared_cache, 0o700)
    base_env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "AITASK_LINT_CACHE_DIR": str(shared_cache),
        "PY": PYTHON,
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    base_env.pop("AITASK_LINT_NO_CACHE", None)
    failures = 0
    rows = []
    started = time.monotonic()
    print(
        f"{'#':>3} {'item':>4}  {'case':<52} {'exit':>4} {'sec':>6} {'cpu':>6} {'MB':>6}  verdict",
        flush=True,
    )
    for index, case in enumerate(all_cases, 1):
        d = top / f"case{index:02d}"
        d.mkdir(exist_ok=True)
        if case.skip:
            row = f"{index:>3} {case.item:>4}  {case.name[:52]:<52} {'-':>4} {'-':>6} {'-':>6} {'-':>6}  SKIP ({case.skip})"
            print(row, flush=True)
            rows.append(row)
            continue
        _setup(case, d)
        case.argv = [a.replace("{d}", str(d)) for a in case.argv]
        case.env = {k: v.replace("{d}", str(d)) for k, v in case.env.items()}
        result = run(case, d, base_env)
        text = verdict(case, result, d)
        failures += text.startswith("FAIL")
        row = (
            f"{index:>3} {case.item:>4}  {case.name[:52]:<52} {result.code:>4} {result.wall:>6.2f} "
            f"{result.cpu:>6.2f} {result.rss / 1e6:>6.0f}  {text}"
        )
        print(row, flush=True)
        rows.append(row)
        if text.startswith("FAIL") and os.environ.get("ADV_VERBOSE"):
            print("    stdout:", result.stdout[-600:].replace("\n", "\n    "))
            print("    stderr:", result.stderr[-600:].replace("\n", "\n    "))
        if not args.keep:
            _remove(d)
    total = time.monotonic() - started
    print(f"{len(rows)} cases, {failures} failed, {total:.0f} s", flush=True)
    if not args.keep:
        shutil.rmtree(top, ignore_errors=True)
    return 1 if failures else 0


def _setup(case: Case, d: Path) -> None:
    if not case.fork_setup:
        case.setup(d)
        return
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            case.setup(d)
        except BaseException as error:  # reported by the parent as a failed setup
            print(f"setup of {case.name!r} failed: {error!r}", file=sys.stderr)
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"setup of {case.name!r} failed")


def _remove(d: Path) -> None:
    """``rm -rf`` (it walks with openat, so paths over PATH_MAX and mode-000 directories go too)."""
    subprocess.run(["chmod", "-R", "u+rwx", str(d)], check=False, capture_output=True)
    subprocess.run(["rm", "-rf", str(d)], check=False, capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
