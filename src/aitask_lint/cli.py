"""The ``aitask-lint`` command line: a thin click layer over the library.

Every command turns an :class:`AitaskLintError` into one line on standard
error and exit status 2; nothing here knows how Terraform or Coder work.
Heavy modules are imported inside the commands so ``aitask-lint --help``
stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from aitask_lint import __version__
from aitask_lint.errors import AitaskLintError, ConversionError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

#: set to re-raise unexpected exceptions with their traceback (for bug reports)
DEBUG_ENV = "AITASK_LINT_DEBUG"


def fail(message: str) -> NoReturn:
    """Print one line on standard error and exit with status 2."""
    click.echo(" ".join(message.split()), err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aitask-lint")
def cli() -> None:
    """Understand Coder workspace templates the way Coder does."""


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
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
    from aitask_lint.tfjson.loader import load_terraform_json

    if source == "-":
        document = load_terraform_json(sys.stdin.buffer.read(), name="<stdin>")
    else:
        document = load_terraform_json(source)
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
        click.echo(document.model_dump_json(indent=2))
    else:
        click.echo(render_tasks_text(document), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option("--require-ai-task", is_flag=True, help="Every template must declare a task.")
@click.option("--wildcard-access-url", is_flag=True, help="The deployment has a wildcard URL.")
def check(
    paths: tuple[str, ...], output_format: str, require_ai_task: bool, wildcard_access_url: bool
) -> None:
    """Lint templates (directories, .tf files, plan/state JSON) with the rule catalog."""
    from aitask_lint.lint.context import LintOptions
    from aitask_lint.lint.runner import lint

    options = LintOptions(require_ai_task=require_ai_task, wildcard_access_url=wildcard_access_url)
    for path in paths:
        if path != "-" and not os.path.exists(path):
            fail(f"{path}: no such file or directory")
    report, unusable = lint(list(paths), options)
    if output_format == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        from aitask_lint.reports.text import render_text

        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        click.echo(render_text(report, colour=colour), nl=False)
    if unusable:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if report.worst() >= 2 else EXIT_OK)


def main() -> None:
    """Console-script entry point: no traceback for anything the user gave us."""
    try:
        cli.main(prog_name="aitask-lint", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        fail("aitask-lint: aborted")
    except click.ClickException as error:
        error.show()
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
