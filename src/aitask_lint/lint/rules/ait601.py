"""AIT601 parameter-definition-invalid."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.analysis.parameter_check import definition_errors
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    scope = context.parameter_scope
    if scope is None:
        return
    seen: set[str] = set()
    for scenario in [scope.import_scenario, *scope.scenarios]:
        for scoped in scope.parameters(scenario):
            parameter = scoped.parameter
            if scoped.present is False or parameter.address in seen:
                continue
            seen.add(parameter.address)
            for diagnostic in definition_errors(parameter):
                yield Problem(
                    f"`{parameter.address}`: {diagnostic.text()}",
                    diagnostic.location or parameter.resource.location,
                    parameter.address,
                )


RULE = Rule(
    id="AIT601",
    name="parameter-definition-invalid",
    severity="error",
    modes=("S",),
    summary="A coder_parameter is invalid as declared, whatever its value.",
    why=(
        "The coder provider checks every parameter when Terraform reads it, at template import "
        "and at every build: an immutable ephemeral parameter, an ephemeral one without a "
        "default, repeated option names or values, an option value that is not of the "
        "parameter's type, a validation that does not fit the type (a min on a string, a regex "
        "without its error) or a form_type the type does not support fail the plan, so the "
        "template version cannot be imported."
    ),
    bad=Example(
        """\
data "coder_parameter" "region" {
  name    = "region"
  default = "eu"
  option {
    name  = "Europe"
    value = "eu"
  }
  option {
    name  = "Europe"
    value = "eu-west"
  }
}
"""
    ),
    good=Example(
        """\
data "coder_parameter" "region" {
  name    = "region"
  default = "eu"
  option {
    name  = "Europe"
    value = "eu"
  }
  option {
    name  = "Europe (west)"
    value = "eu-west"
  }
}
"""
    ),
    check=check,
    quotes=(
        ct.IMMUTABLE_AND_EPHEMERAL.text,
        ct.EPHEMERAL_WITHOUT_DEFAULT.text,
        ct.OPTION_NAMES_UNIQUE.text,
        ct.OPTION_NAME_REPEATED.text,
        ct.OPTION_VALUES_UNIQUE.text,
        ct.OPTION_NOT_OF_TYPE.text,
        ct.MIN_NOT_FOR_TYPE.text,
        ct.REGEX_NEEDS_ERROR.text,
        ct.MONOTONICITY.text,
        ct.INVALID_FORM_TYPE.text,
        ct.FORM_TYPE_NOT_SUPPORTED.text,
        ct.NOT_ONE_OF.text,
    ),
)
