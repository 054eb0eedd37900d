"""AIT602 parameter-default-invalid."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.analysis.parameter_check import definition_errors, value_errors
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    scope = context.parameter_scope
    if scope is None:
        return
    for scoped in scope.parameters():
        parameter = scoped.parameter
        # import sends no input: the default, or "" for a required parameter (never the
        # value a --parameter or a plan's build gave)
        value = "" if parameter.required else parameter.default
        if scoped.present is False or not isinstance(value, str):
            continue
        if parameter.required and not parameter.validations:
            continue  # no value and no validation block: the provider checks nothing
        if definition_errors(parameter):
            continue  # AIT601: the provider stops there
        for diagnostic in value_errors(parameter, value, from_default=True):
            yield Problem(
                f"`{parameter.address}` at template import: {diagnostic.text()}",
                diagnostic.location or parameter.resource.location,
                parameter.address,
                scenarios=("import",),
            )


RULE = Rule(
    id="AIT602",
    name="parameter-default-invalid",
    severity="error",
    modes=("S",),
    summary="A coder_parameter's default fails the provider's own value check.",
    why=(
        "Coder imports a template by planning it with every parameter at its default. The "
        "provider checks that value like any other: it must be one of the options, pass the "
        "validation block (number min/max, regex) and parse as the parameter's type. A default "
        "that fails makes the import plan fail, so the template version is never created. A "
        "parameter without a default but with a validation block is checked with an empty value."
    ),
    bad=Example(
        """\
data "coder_parameter" "cpu" {
  name    = "cpu"
  type    = "number"
  default = 1
  validation {
    min = 2
    max = 8
  }
}
"""
    ),
    good=Example(
        """\
data "coder_parameter" "cpu" {
  name    = "cpu"
  type    = "number"
  default = 2
  validation {
    min = 2
    max = 8
  }
}
"""
    ),
    check=check,
    quotes=(
        ct.MUST_BE_A_VALID_OPTION.text,
        ct.NOT_ONE_OF_OPTIONS.text,
        ct.INVALID_BY_VALIDATION.text,
        ct.LESS_THAN_MINIMUM.text,
        ct.MORE_THAN_MAXIMUM.text,
        ct.REGEX_MISMATCH.text,
        ct.VALUE_NOT_A_NUMBER.text,
        ct.VALUE_NOT_OF_TYPE.text,
        ct.LIST_VALUES_MUST_BE_OPTIONS.text,
    ),
)
