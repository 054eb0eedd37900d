"""Names on the command line that no checked template has: refused once, never ignored.

``--preset NAME``, ``--var NAME=VALUE`` and ``--parameter NAME=VALUE`` point
into the template. A misspelt one used to be dropped in silence: the run
judged the defaults and passed. Coder and Terraform refuse them (``tasks``,
one template, does too), so ``check`` does, with their words where they have
them. A run over several templates (``check -r``) may name what only some
have, as each is built with what it declares: only a name that no checked
template takes is refused, once, after every template was read. A template
whose names cannot all be known at import (a preset or parameter named by
an expression) takes anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aitask_lint import coder_text as ct
from aitask_lint.errors import InvalidArgumentError

if TYPE_CHECKING:
    from aitask_lint.lint.context import LintContext, LintOptions


@dataclass(frozen=True, slots=True)
class TemplateVerdict:
    """What one checked template makes of the given names (None: it cannot tell)."""

    #: its presets' names
    presets: frozenset[str] | None
    #: the variables its root module declares
    variables: frozenset[str]
    #: each given parameter it declares: TAKEN, or the provider's refusal of the value
    parameters: dict[str, str] | None


def asks_of_templates(options: LintOptions) -> bool:
    """Whether the run names presets, variables or parameters a template must have."""
    return bool(options.presets or options.variables or options.parameters)


def template_verdict(context: LintContext) -> TemplateVerdict | None:
    """The verdict of a template (HCL configuration); None for plan or state input."""
    tree = context.tree
    if tree is None or context.document is not None or tree.origin != "hcl":
        return None
    options = context.options
    presets: frozenset[str] | None = None
    if options.presets and context.scenarios:
        from aitask_lint.analysis.scenarios import preset_names

        presets = preset_names(tree, context.scenarios[0])  # ``import`` comes first
    return TemplateVerdict(
        presets=presets,
        variables=frozenset(tree.root.variables),
        parameters=_parameters(context) if options.parameters else None,
    )


def _parameters(context: LintContext) -> dict[str, str] | None:
    """Each given parameter the template declares, and whether it takes the value."""
    from aitask_lint.analysis.parameter_check import given_values

    scope = context.parameter_scope
    if scope is None:
        return None
    return given_values(scope, context.options.scenario_options.parameters)


def refuse_what_no_template_takes(
    options: LintOptions, verdicts: Sequence[TemplateVerdict]
) -> None:
    """Raise :class:`InvalidArgumentError` for the first given name no template takes."""
    if not verdicts:
        return
    _presets(options.presets or (), [v.presets for v in verdicts])
    _variables(options.variables or {}, [v.variables for v in verdicts])
    _parameter_values(options, [v.parameters for v in verdicts])


def _presets(asked: Sequence[str], known: Sequence[frozenset[str] | None]) -> None:
    if not asked or any(names is None for names in known):
        return
    names = frozenset().union(*(n for n in known if n is not None))
    listed = ", ".join(f'"{name}"' for name in sorted(names)) or "none"
    for name in asked:
        if name not in names:
            raise InvalidArgumentError(
                f'--preset: no checked template has a preset "{name}" (presets: {listed})'
            )


def _variables(given: dict[str, object], declared: Sequence[frozenset[str]]) -> None:
    from aitask_lint.analysis.variables import undeclared_on_command_line

    undeclared = undeclared_on_command_line(given, declared)
    if undeclared:
        name = undeclared[0]
        raise InvalidArgumentError(f"--var {name}: {ct.UNDECLARED_VARIABLE(name)}")


def _parameter_values(options: LintOptions, known: Sequence[dict[str, str] | None]) -> None:
    """A value every declaring template refuses, or a name none declares."""
    from aitask_lint.analysis.parameter_check import first_refused

    verdicts = [verdict for verdict in known if verdict is not None]
    if len(verdicts) < len(known):
        return  # some template may have any parameter
    refused = first_refused(options.scenario_options.parameters, verdicts)
    if refused is not None:
        name, value, refusal = refused
        said = refusal or f'no checked template has a parameter "{name}"'
        raise InvalidArgumentError(f"--parameter {name}={value}: {said}")
