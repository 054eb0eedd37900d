"""The ``aitask-lint`` command line: a thin click layer over the library.

Every command turns an :class:`AitaskLintError` into one line on standard
error and exit status 2; nothing here knows how Terraform or Coder work.
Heavy modules are imported inside the commands so ``aitask-lint --help``
stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from aitask_lint._version import __version__
from aitask_lint.errors import AitaskLintError, ConversionError, MultipleInputError
from aitask_lint.lint.settings import Option, options_of
from aitask_lint.reports import FORMATS
from aitask_lint.reports.safe import safe_text

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

#: set to re-raise unexpected exceptions with their traceback (for bug reports)
DEBUG_ENV = "AITASK_LINT_DEBUG"


def fail(message: str) -> NoReturn:
    """Print one line on standard error and exit with status 2.

    Messages quote paths and template text: control characters are escaped so
    that a file name cannot rewrite the terminal or the CI log.
    """
    click.echo(safe_text(" ".join(message.split())), err=True)
    sys.exit(EXIT_USAGE)


#: how the standard streams are named in messages, like ``<stdin>`` for input
STDOUT_NAME = "<stdout>"


if TYPE_CHECKING:
    _ParamType = click.ParamType[str, Any]  # generic in recent click releases
else:
    _ParamType = click.ParamType


class PathParam(_ParamType):
    """A path argument checked by us, so a bad one is one line naming it, exit 2.

    click's own ``Path`` checks print four lines of usage text for a directory
    given as ``--output`` or an unreadable path. ``kind`` is what the path must
    be: ``"input"`` (a file or directory to read; a missing one is left to the
    command, which says what it expected), ``"file"`` (a file to read),
    ``"directory"`` (an existing directory) or ``"output"`` (a file to write:
    not a directory, in a directory that exists).
    """

    name = "path"

    def __init__(self, kind: str, *, allow_dash: bool = False) -> None:
        self.kind = kind
        self.allow_dash = allow_dash

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        path = value if isinstance(value, str) else os.fsdecode(value)
        if self.allow_dash and path == "-":
            return path
        problem = path_problem(path, self.kind)
        if problem:
            fail(f"{path}: {problem}")
        return path

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="dir" if self.kind == "directory" else "file")]


def path_problem(path: str, kind: str) -> str | None:
    """What is wrong with ``path`` for its use (``PathParam.kind``), or ``None``."""
    if not path:
        return "empty path"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:  # too long, a symlink loop, a directory we may not search
        return error.strerror or str(error)
    except ValueError:  # an embedded NUL byte
        return "not a valid path"
    import stat

    is_dir = info is not None and stat.S_ISDIR(info.st_mode)
    if kind == "output":
        if is_dir:
            return "is a directory; expected a file to write"
        parent = os.path.dirname(path) or "."
        if not os.path.isdir(parent):
            return f"cannot write: directory {parent} does not exist"
        if not os.access(parent, os.W_OK) and info is None:
            return f"cannot write: permission denied in {parent}"
        return None
    if info is None:
        return "no such directory" if kind == "directory" else None
    if kind == "file" and is_dir:
        return "is a directory, expected a file"
    if kind == "directory" and not is_dir:
        return "not a directory"
    if not os.access(path, os.R_OK):
        return "permission denied"
    return None


def emit(text: str, output: str | None = None) -> None:
    """Write a command's document to ``output`` or standard output, or fail in one line.

    Written and flushed here, so a full disk (``> /dev/full``) or a closed
    standard output is a one-line error with exit 2, not a crash at exit; a
    reader that went away (``| head``) ends the run quietly.
    """
    if output is not None:
        try:
            with open(output, "w", encoding="utf-8", errors="replace") as handle:
                handle.write(text)
        except OSError as error:
            fail(f"{output}: cannot write: {error.strerror or error}")
        return
    stream = sys.stdout
    if stream is None:
        fail(f"{STDOUT_NAME}: cannot write: standard output is closed")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        _discard_stdout()
        fail(f"{STDOUT_NAME}: cannot write: {error.strerror or error}")


def _discard_stdout() -> None:
    """Point standard output at ``/dev/null``: what could not be written must not be
    retried (and fail again) when the interpreter flushes at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def stdout_is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


def require_stdin(paths: tuple[str, ...] | list[str]) -> None:
    """``-`` with standard input closed (``<&-``) is a one-line error, before any work."""
    if "-" in paths and sys.stdin is None:
        fail("<stdin>: cannot read: standard input is closed")


def use_colour(choice: str, *, stream_is_terminal: bool) -> bool:
    """``--color``: ``always``/``never`` as given; ``auto`` honours ``FORCE_COLOR`` (set and
    not ``0``) first, then ``NO_COLOR`` (set and not empty) and ``TERM=dumb``, then whether
    the stream is a terminal. Decided once per run, by the caller, for the whole report."""
    if choice != "auto":
        return choice == "always"
    forced = os.environ.get("FORCE_COLOR", "")
    if forced and forced.lower() not in ("0", "false", "no"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return stream_is_terminal


def complete_rules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Rule IDs and names for ``explain``, ``--select`` and ``--ignore``; after a comma
    (``--select AIT1,AIT4``) the last item is completed."""
    from click.shell_completion import CompletionItem

    from aitask_lint.lint.registry import all_rules

    head, comma, last = incomplete.rpartition(",")
    prefix = head + comma
    wanted = last.lower()
    items = []
    for rule in all_rules():
        for key in (rule.id, rule.name):
            if key.lower().startswith(wanted):
                items.append(CompletionItem(prefix + key, help=rule.summary))
    return items


def complete_severity(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """``--severity RULE=LEVEL``: rule IDs (with ``=``), then the three levels."""
    from click.shell_completion import CompletionItem

    from aitask_lint.lint.registry import all_rules

    key, equals, level = incomplete.partition("=")
    if equals:
        return [
            CompletionItem(f"{key}={name}")
            for name in ("error", "warning", "info")
            if name.startswith(level.lower())
        ]
    return [
        CompletionItem(f"{rule.id}=", help=rule.summary)
        for rule in all_rules()
        if rule.id.lower().startswith(key.lower())
    ]


_SEVERITY = click.Choice(["error", "warning", "info"])


def _pairs(
    param: click.Parameter, values: tuple[str, ...], expected: str, accept: Any = None
) -> dict[str, str] | None:
    """A repeatable ``NAME=VALUE`` option as a table (``None`` when not given); a value
    without ``=``, or one ``accept`` refuses (default: one without a name), is a usage
    error."""
    table: dict[str, str] = {}
    for value in values:
        name, sep, assigned = value.partition("=")
        accepted = accept(assigned) if accept is not None else bool(name.strip())
        if not sep or not accepted:
            raise click.BadParameter(f"{value!r}: expected {expected}", param=param)
        table[name.strip()] = assigned.strip() if accept is not None else assigned
    return table or None


def _severity_overrides(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str] | None:
    """``--severity RULE=LEVEL`` (repeatable)."""
    levels = ("error", "warning", "info")
    return _pairs(param, values, "RULE=error|warning|info", lambda v: v.strip() in levels)


def _assignments(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str] | None:
    """``--flag NAME=VALUE`` (repeatable); the value as written."""
    return _pairs(param, values, "NAME=VALUE")


def _listed(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    """A repeatable option as a list; ``None`` when not given (the file decides)."""
    return list(values) or None


#: the click type (and friends) of each kind of setting (lint/settings.py)
_KINDS: dict[str, Callable[[Option], dict[str, Any]]] = {
    "flag": lambda option: {"is_flag": True, "default": None},
    "rules": lambda option: {
        "multiple": True,
        "shell_complete": complete_rules,
        "callback": _listed,
    },
    "severities": lambda option: {
        "multiple": True,
        "shell_complete": complete_severity,
        "callback": _severity_overrides,
    },
    "severity": lambda option: {"type": _SEVERITY},
    "version": lambda option: {},
    "text": lambda option: {},
    "format": lambda option: {"type": click.Choice([*FORMATS, "full", "concise"])},
    "choice": lambda option: {
        "type": click.Choice(list(option.choices)),
        # a command-line-only choice has its default here; else the file decides
        "default": option.default if option.key is None else None,
        "show_default": True,
    },
    "assignments": lambda option: {"multiple": True, "callback": _assignments},
    "files": lambda option: {"multiple": True, "type": PathParam("file"), "callback": _listed},
    "names": lambda option: {"multiple": True, "callback": _listed},
    "jobs": lambda option: {"type": click.IntRange(min=1)},
    "file": lambda option: {"type": PathParam("file")},
    "directory": lambda option: {"type": PathParam("directory")},
    "output": lambda option: {"type": PathParam("output")},
}


def settings_options(command: str) -> Callable[[Any], Any]:
    """The click options of ``command``, generated from the settings dataclass.

    Each option's parameter is the field's name, so the command's keyword
    arguments build a :class:`~aitask_lint.lint.settings.Settings` as they are.
    """

    def decorate(function: Any) -> Any:
        for name, option in reversed(list(options_of(command))):
            function = click.option(
                *option.flags,
                name,
                help=option.help,
                metavar=option.metavar,
                envvar=option.envvar,
                show_envvar=option.envvar is not None,
                **_KINDS[option.kind](option),
            )(function)
        return function

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aitask-lint")
def cli() -> None:
    """Understand Coder workspace templates the way Coder does."""


@cli.command()
@click.argument("source", type=PathParam("input", allow_dash=True))
@click.option(
    "--deterministic-app-ids",
    is_flag=True,
    help="Replace app ids by a hash of slug and display name, as Coder's golden files do.",
)
@click.option(
    "--prior-state",
    type=click.Choice(["all", "data-only", "none"]),
    default="all",
    show_default=True,
    help="Plan input: which prior-state resources to include (Coder's tests: all; "
    "Coder's provisioner: data-only).",
)
@settings_options("convert")
def convert(
    source: str,
    graph: str | None,
    deterministic_app_ids: bool,
    prior_state: str,
    output: str | None,
) -> None:
    """Run Coder's ConvertState on a plan or state JSON and print the result.

    The output has the shape of Coder's golden files. When Coder would refuse
    the input, its error text is printed and the exit status is 2.
    """
    from aitask_lint.convert.api import convert_state
    from aitask_lint.convert.golden import golden_json
    from aitask_lint.inputs import is_hcl_path
    from aitask_lint.tfjson.loader import load_terraform_json, read_stdin

    if source != "-" and os.path.exists(source) and is_hcl_path(source):
        fail(
            f"{source}: convert reads plan or state JSON from `terraform show -json`, "
            "not Terraform source (use `check` or `tasks` on a template)"
        )
    require_stdin([source])
    if source == "-":
        document = load_terraform_json(read_stdin(), name="<stdin>")
    else:
        document = load_terraform_json(source)
    given = click.get_current_context().get_parameter_source("prior_state")
    if document.kind == "state" and given is not click.core.ParameterSource.DEFAULT:
        fail(f"{document.path}: --prior-state applies to plan input only; this is a state")
    try:
        state = convert_state(document, graph, prior_state=prior_state)  # type: ignore[arg-type]
        text = golden_json(state, deterministic_app_ids=deterministic_app_ids)
    except ConversionError as error:
        fail(f"{document.path}: {error}")
    emit(text, output)


@cli.command()
@click.argument("path", type=PathParam("input", allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--preset",
    metavar="NAME",
    help="Show the chains under this preset [the task scenario: the preset a task gets].",
)
@settings_options("tasks")
def tasks(
    *,
    path: str,
    output_format: str,
    preset: str | None,
    output: str | None,
    variables: dict[str, str] | None,
    var_files: list[str] | None,
    parameters: dict[str, str] | None,
) -> None:
    """Extract the AI tasks and where their app leads (task -> app -> agent -> compute).

    PATH is a template directory, a .tf or .tf.json file, or plan/state JSON
    (`-` reads JSON from standard input).

    Exit status: 0 when every task's chain resolves (or there is no task), 1
    when some task's chain breaks (its `problems`), 2 when the input is
    unusable.
    """
    from aitask_lint.analysis.tasks_api import extract_ai_tasks
    from aitask_lint.reports.tasks_text import render_tasks_text

    if not (path == "-" or os.path.exists(path)):
        fail(f"{path}: no such file or directory")
    require_stdin([path])
    from aitask_lint.analysis.variables import VariableInputs
    from aitask_lint.errors import InvalidArgumentError

    try:
        document = extract_ai_tasks(
            path,
            preset=preset,
            parameters=parameters,
            variables=VariableInputs(variables or {}, var_files or []),
        )
    except InvalidArgumentError as error:
        fail(f"aitask-lint: {error}")
    if output_format == "json":
        from aitask_lint.reports.safe import dump_json

        emit(dump_json(document) + "\n", output)
    else:
        emit(render_tasks_text(document), output)
    broken = any(task.problems for task in document.ai_tasks)
    sys.exit(EXIT_FINDINGS if broken else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1, type=PathParam("input", allow_dash=True))
@settings_options("check")
def check(*, paths: tuple[str, ...], **given: Any) -> None:
    """Lint templates (directories, .tf files, plan/state JSON) with the rule catalog.

    PATHS default to the current directory.

    Exit status: 0 when no finding reaches the failure threshold (or with
    --exit-zero), 1 when one does, 2 when an input or the invocation is
    unusable.
    """
    from aitask_lint.hcl.settings import configure
    from aitask_lint.lint.settings import layered
    from aitask_lint.session import CheckRequest, run_check, terminal_progress

    if not paths:
        paths = (".",)
    require_stdin(paths)
    if given["output"] is None and sys.stdout is None:
        fail(f"{STDOUT_NAME}: cannot write: standard output is closed")
    request = CheckRequest(list(paths), **given)
    configure(cache=not request.no_cache, jobs=request.jobs)
    output = request.output
    request.terminal = output is None and stdout_is_terminal()
    # a report file is coloured only when asked: FORCE_COLOR is about the terminal log
    color = layered(request)["color"]
    request.colour = (
        color == "always"
        if output is not None
        else use_colour(color, stream_is_terminal=request.terminal)
    )
    textual = request.output_format in (None, "text", "full", "concise")
    progress = terminal_progress() if textual and request.recursive else None
    from aitask_lint.fixrun import fix_check, wants_fix

    notes = ""
    if wants_fix(request):
        fixed = fix_check(request)
        result, notes = fixed.check, fixed.notes
    else:
        result = run_check(request, progress)
    emit(result.output, output)
    if notes:  # after the report or diff: what was (or would be) fixed, and what failed
        click.echo(notes, err=True, nl=False)
    sys.exit(result.exit_code)


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@settings_options("rules")
def rules(output_format: str, output: str | None) -> None:
    """List the rule catalog."""
    from aitask_lint.lint.docs import catalog_json, catalog_text

    emit(catalog_json() if output_format == "json" else catalog_text(), output)


@cli.command()
@click.argument("rule", shell_complete=complete_rules)
def explain(rule: str) -> None:
    """Show one rule's documentation (ID or name)."""
    from aitask_lint.lint.docs import rule_markdown
    from aitask_lint.lint.registry import rule_by_key

    found = rule_by_key(rule)
    if found is None:
        fail(f"aitask-lint: unknown rule {rule!r} (see `aitask-lint rules`)")
    emit(rule_markdown(found))


@cli.command()
@click.argument("path", type=PathParam("input", allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["dot", "mermaid", "json", "svg"]),
    default="dot",
    show_default=True,
)
@settings_options("graph")
def graph(
    *,
    path: str,
    output_format: str,
    graph: str | None,
    output: str | None,
    variables: dict[str, str] | None,
    var_files: list[str] | None,
) -> None:
    """Print the dependency graph, with each task -> app -> agent -> compute chain highlighted."""
    started = time.monotonic()  # Graphviz gets what is left of the command's time bound
    from aitask_lint.reports.graph import render_graph

    if path != "-" and not os.path.exists(path):
        fail(f"{path}: no such file or directory")
    require_stdin([path])
    from aitask_lint.analysis.variables import VariableInputs

    inputs = VariableInputs(variables or {}, var_files or [])
    emit(render_graph(path, output_format, graph, started=started, variables=inputs), output)


def main() -> None:
    """Console-script entry point: no traceback for anything the user gave us.

    The cyclic garbage collector is off for the whole run: a run is one short
    process whose objects (syntax trees, plan JSON, the model) form no
    reference cycles, so collections only cost time, 20-40% of a large run
    (``benchmarks/run.py``); reference counting frees memory as usual.
    """
    import gc

    gc.disable()
    _exit_now(run())


def run(args: list[str] | None = None) -> int:
    """Run the command line (``sys.argv`` by default) and return its exit status.

    What :func:`main` does, without ending the process or touching the
    garbage collector: for tests and for programs that embed the CLI.
    """
    try:
        _run(args)
    except SystemExit as done:
        code = done.code
        if isinstance(code, str):
            click.echo(code, err=True)
            return 1
        return code if isinstance(code, int) else 0
    return 0


def _exit_now(status: int) -> None:
    """Flush the output and end the process without tearing the heap down object by object.

    A large run keeps every syntax tree alive to the end; freeing them one by
    one at interpreter shutdown took 0.3 s of a 2 s run. Output is flushed
    first, and nothing of ours needs an exit handler (worker pools are shut
    down when parsing ends).
    """
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):  # a reader gone, a full disk: reported already or moot
        status = status or EXIT_USAGE
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    os._exit(status)


def _check_environment() -> None:
    """The ``AITASK_LINT_MAX_*`` sizes are checked once, before any work: a bad value is
    one line naming the variable, not an error per file."""
    from aitask_lint.limits import (
        max_json_bytes,
        max_source_bytes,
        max_total_json_bytes,
        max_total_source_bytes,
    )

    max_json_bytes()
    max_source_bytes()
    max_total_source_bytes()
    max_total_json_bytes()


def _run(args: list[str] | None) -> None:
    """The command line, with every failure turned into one line and an exit status."""
    from aitask_lint.limits import source_budget

    try:
        _check_environment()
        with source_budget():  # one total of input for the whole command (docs/limits.md)
            cli.main(args, prog_name="aitask-lint", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        fail("aitask-lint: aborted")
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_USAGE)
    except MultipleInputError as several:
        for problem in several.errors:
            click.echo(safe_text(problem.one_line()), err=True)
        sys.exit(EXIT_USAGE)
    except AitaskLintError as error:
        fail(str(error))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        _discard_stdout()
        sys.exit(EXIT_USAGE)
    except OSError as error:
        # a path the OS refused (too long, a symlink loop, a full disk while writing)
        # is a problem with what the user gave us, not a bug: one line naming it
        if os.environ.get(DEBUG_ENV):
            raise
        where = "aitask-lint" if error.filename is None else os.fsdecode(error.filename)
        fail(f"{where}: {error.strerror or error}")
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        fail(
            f"aitask-lint: internal error: {type(error).__name__}: {error} "
            f"(rerun with {DEBUG_ENV}=1 for a traceback, and please report it)"
        )
