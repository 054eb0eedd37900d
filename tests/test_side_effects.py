"""Running aitask-lint has no side effects: no network, no programs, no writes, no stray reads.

Every command runs in its own process under an audit hook (``sitecustomize``
on ``PYTHONPATH``, see ``_AUDIT``) that refuses network access and records
every connection attempt, every program started and every file opened below
the directories a test watches. Each test also shows that the hook works, so
that none of them could pass by not looking.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, TASK_TEMPLATE

_AUDIT = """
import json, os, sys

_log = os.environ.get("AITASK_AUDIT_LOG")
_watch = [w for w in os.environ.get("AITASK_AUDIT_WATCH", "").split(os.pathsep) if w]
_NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
            "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg"}
_PROGRAMS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"}

if _log:
    _fd = os.open(_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def _write(event, detail):
        os.write(_fd, (json.dumps([event, detail]) + "\\n").encode())

    def _hook(event, args):
        if event in _NETWORK:
            _write("network", repr(args))
            raise OSError("network access is disabled in this test")
        if event in _PROGRAMS:
            _write("program", repr(args))
        elif event == "open" and _watch and isinstance(args[0], (str, bytes)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if any(path == w or path.startswith(w + os.sep) for w in _watch):
                flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
                mode = args[1] if isinstance(args[1], str) else ""
                writing = bool(flags & (os.O_WRONLY | os.O_RDWR)) or any(c in mode for c in "wax+")
                _write("write" if writing else "read", path)

    sys.addaudithook(_hook)
    _write("loaded", "")
"""

#: Runs argv[1]'s [arguments, working directory, output prefix] each in a forked child
#: (the console script's main, its output in PREFIX.out and PREFIX.err), after
#: importing every module of the package once; prints the exit statuses. The
#: hook's log gets a "command" line before each child.
_MANY = """
import importlib, json, os, pkgutil, sys
import sitecustomize
import aitask_lint
from aitask_lint.cli import main
for module in pkgutil.walk_packages(aitask_lint.__path__, "aitask_lint."):
    importlib.import_module(module.name)
statuses = []
for args, cwd, prefix in json.loads(sys.argv[1]):
    sitecustomize._write("command", prefix)
    pid = os.fork()
    if pid == 0:
        try:
            for fd, name in ((1, ".out"), (2, ".err")):
                os.dup2(os.open(prefix + name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            os.chdir(cwd)
            sys.argv = ["aitask-lint", *args]
            main()
        finally:
            os._exit(70)
    statuses.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print(json.dumps(statuses))
"""

COMMANDS = [
    *[["check", "{tree}", "--format", f] for f in ("text", "json", "sarif", "junit", "github")],
    ["check", "--recursive", "{tree}"],
    ["tasks", "{tree}"],
    ["tasks", "{tree}", "--format", "json"],
    *[["graph", "{tree}", "--format", f] for f in ("dot", "mermaid", "json")],
]
JSON_COMMANDS = [
    ["convert", "{plan}"],
    ["convert", "{plan}", "--graph", "{dot}", "--prior-state", "data-only"],
    ["convert", "{state}", "--graph", "{dot}"],
    ["check", "{plan}", "--graph", "{dot}", "--format", "sarif"],
    ["check", "{state}"],
    ["tasks", "{state}", "--format", "json"],
    ["graph", "{plan}", "--graph", "{dot}"],
]


class Audited:
    """Runs the CLI under the audit hook and reads back what it recorded."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "hook").mkdir()
        (root / "hook" / "sitecustomize.py").write_text(_AUDIT)
        self.log = root / "audit.log"

    def run(
        self,
        *args: str,
        watch: list[Path] = (),
        cwd: Path | None = None,  # type: ignore[assignment]
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(self.root / "hook"), os.environ.get("PYTHONPATH", "")]
            ),
            "AITASK_AUDIT_LOG": str(self.log),
            "AITASK_AUDIT_WATCH": os.pathsep.join(str(w.resolve()) for w in watch),
        }
        return subprocess.run(
            [sys.executable, "-m", "aitask_lint", *args],
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd,
            check=False,
            timeout=120,
        )

    def run_many(
        self, commands: list[tuple[list[str], Path]], watch: list[Path], cwd: Path
    ) -> tuple[list[tuple[str, str]], list[tuple[subprocess.CompletedProcess[str], list[Any]]]]:
        """Each command (arguments, working directory) in a process of its own, under the hook.

        One audited process imports the package, then forks a child per command
        that runs the console script's ``main`` there: a process per command
        cost 0.17 s of CPU, mostly start-up. Returns what the hook saw in the
        parent (start-up, imports) and, per command, its result and events.
        The parent works in ``cwd`` (the scanned tree): the imports a command
        would make at its start happen there, so that a module writing a
        relative path as it is imported writes into the tree, as it would have
        in a process of the command's own.
        """
        work = self.root / "many"
        work.mkdir()
        plan = [
            [args, str(cwd), str(work / str(index))] for index, (args, cwd) in enumerate(commands)
        ]
        ran = self.python(_MANY, json.dumps(plan), watch=watch, cwd=cwd)
        assert ran.returncode == 0, ran.stderr
        statuses = json.loads(ran.stdout)
        segments: list[list[Any]] = [[]]
        for event in self.take():
            if event[0] == "command":
                segments.append([])
            else:
                segments[-1].append(event)
        start_up, *per_command = segments
        assert len(per_command) == len(commands) == len(statuses)
        results = []
        for index, ((args, _cwd), status, events) in enumerate(
            zip(commands, statuses, per_command, strict=True)
        ):
            out, err = (
                (work / f"{index}{suffix}").read_text(encoding="utf-8")
                for suffix in (".out", ".err")
            )
            results.append((subprocess.CompletedProcess(args, status, out, err), events))
        return start_up, results

    def python(
        self,
        code: str,
        *args: str,
        watch: list[Path] = (),  # type: ignore[assignment]
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(self.root / "hook"), *([os.environ.get("PYTHONPATH", "")] if args else [])]
            ),
            "AITASK_AUDIT_LOG": str(self.log),
            "AITASK_AUDIT_WATCH": os.pathsep.join(str(w.resolve()) for w in watch),
        }
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd,
            check=False,
            timeout=60,
        )

    def events(self) -> list[tuple[str, str]]:
        if not self.log.is_file():
            return []
        return [tuple(json.loads(line)) for line in self.log.read_text().splitlines()]  # type: ignore[misc]

    def take(self) -> list[tuple[str, str]]:
        events = self.events()
        self.log.unlink(missing_ok=True)
        return events


@pytest.fixture
def audited(tmp_path: Path) -> Audited:
    return Audited(tmp_path)


def _tree(tmp_path: Path) -> Path:
    """A copy of real templates: local modules, a module manifest, .tf.json, plan/state/DOT."""
    tree = tmp_path / "tree"
    shutil.copytree(FIXTURES / "examples" / "task-template", tree)
    shutil.copytree(FIXTURES / "templates" / "modern-manifest", tree / "manifest")
    shutil.copytree(FIXTURES / "templates" / "json-syntax", tree / "json-syntax")
    for name in ("plan.json", "state.json", "graph.dot"):
        shutil.copy(TASK_TEMPLATE / name, tree / name)
    return tree


def _expand(command: list[str], tree: Path) -> list[str]:
    return [
        part.format(
            tree=tree, plan=tree / "plan.json", state=tree / "state.json", dot=tree / "graph.dot"
        )
        for part in command
    ]


def test_the_audit_hook_sees_network_programs_and_files(audited: Audited, tmp_path: Path) -> None:
    result = audited.python(
        "import socket, subprocess\n"
        "try:\n    socket.create_connection(('example.com', 80), timeout=1)\n"
        "except OSError as e:\n    print('refused', e)\n"
        "subprocess.run(['true'])\n"
    )
    assert "network access is disabled" in result.stdout
    kinds = [kind for kind, _detail in audited.take()]
    assert kinds[0] == "loaded"
    assert "network" in kinds
    assert "program" in kinds
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "main.tf").write_text('resource "coder_agent" "a" {}\n')
    audited.run("check", str(watched), watch=[watched])
    assert ("read", str((watched / "main.tf").resolve())) in audited.take()


HOSTILE = """resource "coder_agent" "main" {{
  os             = "linux"
  arch           = "amd64"
  startup_script = "touch {marker}-script"
}}

resource "null_resource" "run" {{
  provisioner "local-exec" {{
    command = "touch {marker}-local-exec"
  }}
}}

data "external" "program" {{
  program = ["sh", "-c", "touch {marker}-external; echo {{}}"]
}}

locals {{
  shell    = "$(touch {marker}-substitution)"
  backtick = "`touch {marker}-backtick`"
}}
"""


def _snapshot(tree: Path) -> dict[str, tuple[str, bytes, int, int]]:
    """Every entry below ``tree``: kind, content, modification time and mode."""
    entries: dict[str, tuple[str, bytes, int, int]] = {}
    for path in sorted(tree.rglob("*")):
        status = path.lstat()
        if path.is_symlink():
            entries[str(path)] = ("link", os.readlink(path).encode(), status.st_mtime_ns, 0)
        elif path.is_dir():
            entries[str(path)] = ("dir", b"", status.st_mtime_ns, status.st_mode)
        else:
            entries[str(path)] = ("file", path.read_bytes(), status.st_mtime_ns, status.st_mode)
    return entries


class Runs:
    """Every command over one copied tree, once, with what the hook saw of each."""

    def __init__(self, root: Path) -> None:
        audited = Audited(root)
        self.tree = _tree(root)
        self.marker = root / "EXECUTED"
        hostile = self.tree / "hostile"
        hostile.mkdir()
        (hostile / "main.tf").write_text(HOSTILE.format(marker=self.marker))
        self.before = _snapshot(self.tree)
        # each run from inside the tree, so that any relative write would land in it
        commands = [
            (_expand(command, tree), tree)
            for tree in (self.tree, hostile)
            for command in [*COMMANDS, *(JSON_COMMANDS if tree == self.tree else [])]
        ]
        self.start_up, ran = audited.run_many(commands, watch=[self.tree], cwd=self.tree)
        self.results: list[tuple[list[str], subprocess.CompletedProcess[str], list[Any]]] = [
            (arguments, result, events)
            for (arguments, _tree), (result, events) in zip(commands, ran, strict=True)
        ]
        self.after = _snapshot(self.tree)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory.mktemp("side-effects"))


def test_every_command_ran_and_was_watched(runs: Runs) -> None:
    assert len(runs.results) == 2 * len(COMMANDS) + len(JSON_COMMANDS)
    assert runs.start_up[0] == ("loaded", "")  # the hook, in the process each command forks from
    for command, result, events in runs.results:
        assert result.returncode in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.stderr, command
        assert any(kind == "read" for kind, _path in events), command  # the hook did look


def test_no_command_touches_the_network_or_starts_a_program(runs: Runs) -> None:
    assert [e for e in runs.start_up if e[0] in ("network", "program")] == []
    for command, _result, events in runs.results:
        assert [e for e in events if e[0] in ("network", "program")] == [], command


def test_nothing_in_a_template_is_ever_executed(runs: Runs) -> None:
    assert (
        sorted(p.name for p in runs.marker.parent.iterdir() if p.name.startswith("EXECUTED")) == []
    )


def test_nothing_is_written_into_the_scanned_tree(runs: Runs) -> None:
    assert [e for e in runs.start_up if e[0] in ("read", "write")] == []
    for command, _result, events in runs.results:
        assert [e for e in events if e[0] == "write"] == [], command
    assert runs.after == runs.before
    cache = Path(os.environ["AITASK_LINT_CACHE_DIR"])
    assert any(cache.rglob("*.json"))  # the parse cache was written, and lives elsewhere


def _repository_with_an_escape(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A git checkout whose template reaches outside: by module source and by symlink."""
    outside = tmp_path / "outside"
    outside.mkdir()
    # read, this would be an AIT401 finding with a slug nobody could miss
    (outside / "main.tf").write_text(
        'resource "coder_app" "leak" {\n  agent_id = "x"\n  slug     = "LEAKED_SLUG"\n}\n'
        'output "task_app_id" {\n  value = coder_app.leak.id\n}\n'
    )
    repository = tmp_path / "repo"
    template = repository / "templates" / "t"
    template.mkdir(parents=True)
    (repository / ".git").mkdir()
    (template / "main.tf").write_text(
        'module "escape" {\n  source = "../../../outside"\n}\n\n'
        'resource "coder_ai_task" "task" {\n  app_id = module.escape.task_app_id\n}\n'
    )
    return repository, template, outside


def test_modules_outside_the_project_root_are_findings_and_never_opened(
    audited: Audited, tmp_path: Path
) -> None:
    repository, template, outside = _repository_with_an_escape(tmp_path)
    result = audited.run("check", str(template), "--format", "json", watch=[outside])
    assert "LEAKED_SLUG" not in result.stdout
    findings = json.loads(result.stdout)["findings"]
    refused = [f for f in findings if f["rule"] == "AIT304"]
    assert len(refused) == 1
    assert refused[0]["severity"] == "info"  # Terraform would read it: the analysis stops
    assert refused[0]["location"]["line"] == 1
    assert f'is outside the project root "{repository.resolve()}"' in refused[0]["message"]
    assert "outside" in refused[0]["message"]
    assert [e for e in audited.take() if e[0] in ("read", "write")] == []
    tasks = audited.run("tasks", str(template), watch=[outside])
    assert "cannot follow app_id" in tasks.stdout
    assert [e for e in audited.take() if e[0] in ("read", "write")] == []


def test_a_symlinked_file_leading_out_of_the_project_is_not_opened(
    audited: Audited, tmp_path: Path
) -> None:
    _repository, template, outside = _repository_with_an_escape(tmp_path)
    (template / "main.tf").unlink()
    (template / "leak.tf").symlink_to(outside / "main.tf")
    result = audited.run("check", str(template), watch=[outside])
    assert result.returncode == 2
    assert "LEAKED_SLUG" not in result.stdout + result.stderr
    assert "error AIT001 file" in result.stdout
    assert "is outside the project root" in result.stdout
    assert [e for e in audited.take() if e[0] in ("read", "write")] == []


def test_the_project_root_can_be_widened_by_option_not_by_configuration(
    audited: Audited, tmp_path: Path
) -> None:
    _repository, template, outside = _repository_with_an_escape(tmp_path)
    widened = audited.run("check", str(template), "--project-root", str(tmp_path))
    assert "LEAKED_SLUG" in widened.stdout  # now read: its AIT401 is reported
    assert "AIT304" not in widened.stdout
    # a configuration inside the project may narrow the root, never widen it
    (template / ".aitask-lint.toml").write_text('project-root = "../../.."\n')
    configured = audited.run("check", str(template), watch=[outside])
    assert configured.returncode == 2
    assert "LEAKED_SLUG" not in configured.stdout + configured.stderr
    assert "may narrow the root, never widen it" in configured.stderr
    assert [e for e in audited.take() if e[0] in ("read", "write")] == []
    (template / ".aitask-lint.toml").write_text('project-root = "missing"\n')
    bad = audited.run("check", str(template))
    assert bad.returncode == 2
    assert "'project-root'" in bad.stderr
    assert "is not a directory" in bad.stderr


def test_configuration_above_the_repository_is_never_opened(
    audited: Audited, tmp_path: Path
) -> None:
    _repository, template, _outside = _repository_with_an_escape(tmp_path)
    planted = [tmp_path / ".aitask-lint.toml", tmp_path / "pyproject.toml"]
    planted[0].write_text('ignore = ["AIT"]\n')
    planted[1].write_text('[tool.aitask-lint]\nignore = ["AIT"]\n')
    result = audited.run("check", str(template), watch=[tmp_path])
    assert "AIT304" in result.stdout  # nothing silenced from above the checkout
    opened = {path for event, path in audited.take() if event == "read"}
    assert opened  # the hook saw the template's own files
    assert not opened & {str(path.resolve()) for path in planted}
