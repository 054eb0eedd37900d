"""The ``aitask-lint`` command line: a thin click layer over the library.

Every command turns :class:`InputError` into one line on standard error and
exit status 2; nothing here knows how Terraform or Coder work.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from aitask_lint import __version__
from aitask_lint.errors import AitaskLintError, ConversionError, InputError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(
        f"aitask-lint: {message}" if ":" not in message.split(" ", 1)[0] else message, err=True
    )
    sys.exit(EXIT_USAGE)


class _Group(click.Group):
    """Turn click's usage errors into exit status 2 (click's own default too)."""


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aitask-lint")
def cli() -> None:
    """Understand Coder workspace templates the way Coder does."""


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(dir_okay=False),
    help="DOT output of `terraform graph -type=plan`; derived from the plan when omitted.",
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
    """Run Coder's ConvertState on a plan or state JSON and print the result."""
    from aitask_lint.convert.api import convert_state
    from aitask_lint.convert.golden import golden_json
    from aitask_lint.tfjson.loader import load_terraform_json

    try:
        if source == "-":
            document = load_terraform_json(sys.stdin.buffer.read(), name="<stdin>")
        else:
            document = load_terraform_json(source)
        state = convert_state(document, graph_path, prior_state=prior_state)  # type: ignore[arg-type]
    except InputError as error:
        _fail(str(error))
        return
    except ConversionError as error:
        click.echo(f"{document.path}: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except AitaskLintError as error:  # pragma: no cover - defensive
        _fail(str(error))
        return
    click.echo(golden_json(state, deterministic_app_ids=deterministic_app_ids), nl=False)


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="aitask-lint", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)
