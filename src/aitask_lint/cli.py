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
from typing import Any, NoReturn

import click

from aitask_lint import __version__
from aitask_lint.errors import AitaskLintError, ConversionError, MultipleInputError
from aitask_lint.reports import FORMATS
from aitask_lint.reports.safe import safe_text

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aitask-lint")
def cli() -> None:
    """Understand Coder workspace templates the way Coder does."""


@cli.command()
@click.argument("source", type=click.Path(allow_dash=True))
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(dir_okay=False),
    help="DOT output of `terraform graph -type=plan`; derived from the document when omitted.",
)
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
def convert(
    source: str, graph_path: str | None, deterministic_app_ids: bool, prior_state: str
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
    if source == "-":
        document = load_terraform_json(read_stdin(), name="<stdin>")
    else:
        document = load_terraform_json(source)
    given = click.get_current_context().get_parameter_source("prior_state")
    if document.kind == "state" and given is not click.core.ParameterSource.DEFAULT:
        fail(f"{document.path}: --prior-state applies to plan input only; this is a state")
    try:
        state = convert_state(document, graph_path, prior_state=prior_state)  # type: ignore[arg-type]
    except ConversionError as error:
        fail(f"{document.path}: {error}")
    click.echo(golden_json(state, deterministic_app_ids=deterministic_app_ids), nl=False)


@cli.command()
@click.argument("path", type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def tasks(path: str, output_format: str) -> None:
    """Extract the AI tasks and where their app leads (task -> app -> agent -> compute).

    PATH is a template directory, a .tf or .tf.json file, or plan/state JSON
    (`-` reads JSON from standard input).
    """
    from aitask_lint.analysis.tasks_api import extract_ai_tasks
    from aitask_lint.reports.tasks_text import render_tasks_text

    if not (path == "-" or os.path.exists(path)):
        fail(f"{path}: no such file or directory")
    document = extract_ai_tasks(path)
    if output_format == "json":
        from aitask_lint.reports.safe import dump_json

        click.echo(dump_json(document))
    else:
        click.echo(render_tasks_text(document), nl=False)


_SEVERITY = click.Choice(["error", "warning", "info"])


def _severity_overrides(values: tuple[str, ...]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for value in values:
        key, sep, level = value.partition("=")
        if not sep or level.strip() not in ("error", "warning", "info"):
            raise click.BadParameter(
                f"{value!r}: expected RULE=error|warning|info", param_hint="--severity"
            )
        overrides[key.strip()] = level.strip()
    return overrides


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE instead of standard output.",
)
@click.option("--select", multiple=True, help="Only these rules (IDs, names, prefixes like AIT2).")
@click.option("--ignore", multiple=True, help="Skip these rules (IDs, names, prefixes).")
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="RULE=LEVEL",
    help="Override a rule's severity, e.g. AIT203=error.",
)
@click.option("--fail-on", type=_SEVERITY, help="Exit 1 at this severity or above [error].")
@click.option(
    "--require-ai-task",
    is_flag=True,
    default=None,
    help="Every template must declare a coder_ai_task.",
)
@click.option("--coder-version", help="Target Coder version (e.g. 2.34.0).")
@click.option("--provider-version", help="Target coder/coder provider version.")
@click.option(
    "--wildcard-access-url",
    is_flag=True,
    default=None,
    help="The deployment has a wildcard access URL.",
)
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(dir_okay=False),
    help="DOT from `terraform graph -type=plan` for plan/state input.",
)
@click.option(
    "--recursive",
    "-r",
    is_flag=True,
    help="Lint every directory below PATH holding .tf files as its own root.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Configuration file (default: found by walking up from PATH).",
)
@click.option(
    "--project-root",
    type=click.Path(exists=True, file_okay=False),
    help="Read modules only inside this directory [the enclosing git repository].",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Report only findings not recorded in this baseline.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Record the findings of this run as a baseline.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes for parsing many files [one per CPU].",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the parse cache (in the user cache directory).",
)
def check(
    *,
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severities: tuple[str, ...],
    fail_on: str | None,
    require_ai_task: bool | None,
    coder_version: str | None,
    provider_version: str | None,
    wildcard_access_url: bool | None,
    graph_path: str | None,
    recursive: bool,
    config_path: str | None,
    project_root: str | None,
    baseline: str | None,
    write_baseline: str | None,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Lint templates (directories, .tf files, plan/state JSON) with the rule catalog.

    Exit status: 0 when no finding reaches the failure threshold, 1 when one
    does, 2 when an input or the invocation is unusable.
    """
    from aitask_lint.hcl.files import configure
    from aitask_lint.lint.session import CheckRequest, run_check, terminal_progress

    configure(cache=not no_cache, jobs=jobs)
    to_terminal = output is None and sys.stdout.isatty()
    request = CheckRequest(
        paths=list(paths),
        output_format=output_format,
        select=list(select) if select else None,
        ignore=list(ignore) if ignore else None,
        severity=_severity_overrides(severities),
        fail_on=fail_on,  # type: ignore[arg-type]
        require_ai_task=require_ai_task,
        coder_version=coder_version,
        provider_version=provider_version,
        wildcard_access_url=wildcard_access_url,
        graph=graph_path,
        recursive=recursive,
        config_path=config_path,
        project_root=project_root,
        baseline=baseline,
        write_baseline=write_baseline,
        colour=to_terminal and output_format == "text" and not os.environ.get("NO_COLOR"),
    )
    progress = terminal_progress() if output_format == "text" and recursive else None
    result = run_check(request, progress)
    if output is not None:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(result.output)
    else:
        click.echo(result.output, nl=False)
    sys.exit(result.exit_code)


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def rules(output_format: str) -> None:
    """List the rule catalog."""
    from aitask_lint.lint.docs import catalog_json, catalog_text

    click.echo(catalog_json() if output_format == "json" else catalog_text(), nl=False)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show one rule's documentation (ID or name)."""
    from aitask_lint.lint.docs import rule_markdown
    from aitask_lint.lint.registry import rule_by_key

    found = rule_by_key(rule)
    if found is None:
        fail(f"aitask-lint: unknown rule {rule!r} (see `aitask-lint rules`)")
    click.echo(rule_markdown(found), nl=False)


@cli.command()
@click.argument("path", type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["dot", "mermaid", "json", "svg"]),
    default="dot",
    show_default=True,
)
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(dir_okay=False),
    help="For plan/state input: DOT from `terraform graph` instead of deriving it.",
)
def graph(path: str, output_format: str, graph_path: str | None) -> None:
    """Print the dependency graph, with each task -> app -> agent -> compute chain highlighted."""
    from aitask_lint.reports.graph import render_graph

    if path != "-" and not os.path.exists(path):
        fail(f"{path}: no such file or directory")
    click.echo(render_graph(path, output_format, graph_path), nl=False)


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
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        status = status or EXIT_USAGE
    with contextlib.suppress(BrokenPipeError, ValueError):
        sys.stderr.flush()
    os._exit(status)


def _run(args: list[str] | None) -> None:
    """The command line, with every failure turned into one line and an exit status."""
    from aitask_lint.limits import source_budget

    try:
        with source_budget():  # one total of .tf source for the whole command (docs/limits.md)
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
        sys.exit(EXIT_USAGE)
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        fail(
            f"aitask-lint: internal error: {type(error).__name__}: {error} "
            f"(rerun with {DEBUG_ENV}=1 for a traceback, and please report it)"
        )
