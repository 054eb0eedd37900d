"""Run the CLI the way users do, and check the contract for bad input.

``run_cli`` calls :func:`aitask_lint.cli.run` in-process (what the console
script's entry point runs, with its exception handling, not click's test
runner, which would swallow tracebacks), so hundreds of cases stay fast.
``run_measured`` runs a separate process and reports its peak memory and
CPU time, for the cases about size and depth. ``run_forked`` runs many
commands each in a process of its own, forked from one that has imported
the package: for when the process is the point (a terminal, a hash seed, the
environment) but its start-up is not.

The contract (``../shared/spec/contracts.md``): bad input gets exactly one
line per problem, ``path:line:col: what is wrong`` (or ``path: ...`` when
there is no position) on standard error, exit status 2, never a traceback.
``check`` reports unusable files as AIT001 findings instead, with the same
shape and the same exit status.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: one problem line: a path (no colon in it), an optional line:col, then the message
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<text>\S.*)$")
AIT001_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<column>\d+): error AIT001 \S.*$")


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def problems(self) -> list[str]:
        """The problem lines: standard error, or for ``check`` its AIT001 findings."""
        lines = self.stderr.splitlines()
        return lines or [line for line in self.stdout.splitlines() if " AIT001 " in line]


def run_cli(*args: str, stdin: bytes = b"") -> Outcome:
    """``aitask-lint ARGS`` in this process; standard input is ``stdin``.

    The command configures the process's parse settings (``--jobs``,
    ``--no-cache``) and fills its memo, as a process of its own would: both
    are put back afterwards, so that one test's run never decides how a later
    one in the same pytest worker parses.
    """
    import dataclasses

    from aitask_lint.cli import run
    from aitask_lint.hcl import settings

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    saved_settings = dataclasses.replace(settings.SETTINGS)
    saved_memo = dict(settings.MEMO)
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(list(args))
    finally:
        sys.stdin = saved
        settings.SETTINGS.cache, settings.SETTINGS.jobs = saved_settings.cache, saved_settings.jobs
        settings.MEMO.clear()
        settings.MEMO.update(saved_memo)
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_no_crash(outcome: Outcome) -> None:
    """No traceback, no internal error, and every line on standard error is a problem line."""
    for stream in (outcome.stdout, outcome.stderr):
        assert "Traceback" not in stream, stream
        assert "internal error" not in stream, stream
    for line in outcome.stderr.splitlines():
        assert PROBLEM_LINE.match(line), f"not a problem line: {line!r}"


def assert_refused(outcome: Outcome, path: str, *, contains: str = "", at: str = "") -> str:
    """Exit 2 with exactly one problem line naming ``path`` (``at`` = ``"line:col"``)."""
    assert_no_crash(outcome)
    assert outcome.code == 2, outcome
    problems = outcome.problems
    assert len(problems) == 1, problems
    line = problems[0]
    match = AIT001_LINE.match(line) or PROBLEM_LINE.match(line)
    assert match is not None, line
    assert match.group("path") == path, (line, path)
    if at:
        assert f"{match.group('line')}:{match.group('column')}" == at, line
    assert contains in line, (contains, line)
    return line


@dataclass
class Measured(Outcome):
    peak_rss: int  # bytes
    cpu_seconds: float
    wall_seconds: float


def run_measured(
    *args: str,
    stdin: str | Path | None = None,
    shell_stdin: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Measured:
    """``aitask-lint ARGS`` as its own process, with its peak RSS and CPU time.

    ``os.wait4`` gives the resources of exactly that child (``RUSAGE_CHILDREN``
    would be the maximum over every child the test session ever waited for).
    ``stdin`` is a file to read from; ``shell_stdin`` a shell command piped in.
    """
    report, command = measured_command([sys.executable, "-m", "aitask_lint", *args])
    environment = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        feeder = None
        source: int | io.BufferedReader | None = None
        if shell_stdin is not None:
            feeder = subprocess.Popen(shell_stdin, shell=True, stdout=subprocess.PIPE)
            assert feeder.stdout is not None
            source = feeder.stdout.fileno()
        elif stdin is not None:
            source = open(stdin, "rb")  # noqa: SIM115 - closed below
        started = time.monotonic()
        process = subprocess.Popen(
            command, stdin=source, stdout=out, stderr=err, env=environment, cwd=cwd
        )
        if feeder is not None and feeder.stdout is not None:
            feeder.stdout.close()  # the child holds the pipe now; the feeder gets SIGPIPE
        _pid, status, _usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        peak_rss, cpu_seconds = read_measurement(report)
        if isinstance(source, io.BufferedReader):
            source.close()
        if feeder is not None:
            feeder.kill()
            feeder.wait()
        out.seek(0)
        err.seek(0)
        return Measured(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            peak_rss=peak_rss,
            cpu_seconds=cpu_seconds,
            wall_seconds=wall,
        )


GIB = 1024**3


def measured_command(command: list[str]) -> tuple[str, list[str]]:
    """``command`` run through a small launcher that measures it: (report file, argv).

    Linux keeps a process's peak RSS across fork and exec, so a child started
    straight from a test session that has grown to 300 MB reports at least 300 MB,
    whatever aitask-lint itself used. The launcher starts a few MB small.
    """
    handle = tempfile.NamedTemporaryFile(suffix=".json", delete=False)  # noqa: SIM115
    handle.close()
    return handle.name, [sys.executable, "-S", "-c", _LAUNCHER, handle.name, *command]


def read_measurement(report: str) -> tuple[int, float]:
    """(peak RSS in bytes, CPU seconds) that the launcher wrote, and the file removed."""
    with open(report, encoding="utf-8") as handle:
        usage = json.load(handle)
    os.unlink(report)
    return int(usage["maxrss"]) * 1024, float(usage["cpu"])  # ru_maxrss: kilobytes on Linux


#: runs ``argv[2:]`` as its child and writes its peak RSS (the largest of it and its
#: own children, parser workers included) and CPU time (all of them) to ``argv[1]``;
#: exits with the child's status. ``-S``: the launcher itself stays a few MB.
_LAUNCHER = """
import json, os, resource, signal, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, own = os.wait4(pid, 0)
tree = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as handle:
    json.dump({"maxrss": max(own.ru_maxrss, tree.ru_maxrss),
               "cpu": tree.ru_utime + tree.ru_stime}, handle)
code = os.waitstatus_to_exitcode(status)
if code < 0:  # killed by a signal: end the same way, so the test sees the same status
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def assert_bounded(measured: Measured, *, memory: int = GIB, cpu: float = 10.0) -> None:
    assert measured.peak_rss < memory, f"peak RSS {measured.peak_rss / 2**20:.0f} MiB"
    assert measured.cpu_seconds < cpu, f"{measured.cpu_seconds:.1f} s of CPU"


@dataclass(frozen=True)
class Invocation:
    """One command for :func:`run_forked`."""

    args: tuple[str, ...]
    #: set in the command's process before it runs (None: unset)
    env: dict[str, str | None] = field(default_factory=dict)
    #: standard output and error on pseudo-terminals (else files)
    terminal: bool = False
    cwd: str | None = None


def read_terminals(masters: Sequence[int], seconds: float = 60.0) -> dict[int, bytes]:
    """All a child wrote to its pseudo-terminals (their master sides), until it closed them.

    Gives up after ``seconds`` without an end (a child that hangs); an
    ``EIO`` from a master means the child closed its side.
    """
    import select

    received = dict.fromkeys(masters, b"")
    open_fds = list(masters)
    deadline = time.monotonic() + seconds
    while open_fds and time.monotonic() < deadline:
        ready, _w, _x = select.select(open_fds, [], [], 5)
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child closed its side
                chunk = b""
            if chunk:
                received[fd] += chunk
            else:
                open_fds.remove(fd)
    return received


def run_forked(
    invocations: Sequence[Invocation], *, env: dict[str, str] | None = None
) -> list[Outcome]:
    """Each invocation in a process of its own, forked from one process that imported the package.

    A process per command costs 0.15 to 0.3 s of CPU, most of it Python
    starting and importing what the command needs; here one process
    (with ``env``: what must be there at start-up, such as ``PYTHONHASHSEED``)
    imports every module of the package once, then forks a child per
    invocation that sets its environment, working directory and standard
    streams (``/dev/null`` in; files, or pseudo-terminals when ``terminal``)
    and runs the console script's ``main``. Output is as written (a
    terminal's line discipline turns ``\\n`` into ``\\r\\n``).
    """
    with tempfile.TemporaryDirectory(prefix="aitask-lint-forked-") as work:
        plan = [
            [list(i.args), i.env, i.terminal, i.cwd, os.path.join(work, str(n))]
            for n, i in enumerate(invocations)
        ]
        plan_file = os.path.join(work, "plan.json")
        with open(plan_file, "w", encoding="utf-8") as handle:
            json.dump(plan, handle)
        ran = subprocess.run(
            [sys.executable, "-c", _FORK_RUNNER, plan_file, os.path.dirname(__file__)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=600,
            check=False,
        )
        assert ran.returncode == 0, ran.stderr
        statuses = json.loads(ran.stdout)
        outcomes = []
        for status, (*_rest, prefix) in zip(statuses, plan, strict=True):
            with open(prefix + ".out", "rb") as out, open(prefix + ".err", "rb") as err:
                outcomes.append(
                    Outcome(
                        status,
                        out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"),
                    )
                )
        return outcomes


#: argv[1]: a JSON file of [args, env, terminal, cwd, output prefix], argv[2]: this
#: directory (for :func:`read_terminals`); prints the statuses
_FORK_RUNNER = """
import importlib, json, os, pkgutil, pty, sys
sys.path.insert(0, sys.argv[2])
from cli_runner import read_terminals
import aitask_lint
from aitask_lint.cli import main
for module in pkgutil.walk_packages(aitask_lint.__path__, "aitask_lint."):
    importlib.import_module(module.name)
with open(sys.argv[1], encoding="utf-8") as handle:
    plan = json.load(handle)
statuses = []
for args, env, terminal, cwd, prefix in plan:
    if terminal:
        (out_master, out_slave), (err_master, err_slave) = pty.openpty(), pty.openpty()
    else:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        out_slave, err_slave = os.open(prefix + ".out", flags), os.open(prefix + ".err", flags)
    pid = os.fork()
    if pid == 0:
        try:
            for name, value in env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            if cwd is not None:
                os.chdir(cwd)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.dup2(out_slave, 1)
            os.dup2(err_slave, 2)
            sys.argv = ["aitask-lint", *args]
            main()
        finally:
            os._exit(70)
    os.close(out_slave)
    os.close(err_slave)
    if terminal:
        received = read_terminals([out_master, err_master])
        for fd, name in ((out_master, ".out"), (err_master, ".err")):
            with open(prefix + name, "wb") as handle:
                handle.write(received[fd])
            os.close(fd)
    statuses.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print(json.dumps(statuses))
"""
