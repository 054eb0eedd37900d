"""AIT603 preset-value-invalid."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.analysis.parameter_check import definition_errors, value_errors
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.findings import Severity
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    scope = context.parameter_scope
    if scope is None:
        return
    for preset in scope.presets:
        scenario = scope.scenario(f"preset:{preset.name}")
        if scenario is None or not isinstance(preset.values, list):
            continue
        severity: Severity = "error" if preset.has_prebuilds else "warning"
        consequence = (
            "the preset has prebuilds: coderd refuses the template version "
            f'("{ct.PRESETS_INVALID()}")'
            if preset.has_prebuilds
            else "a build with this preset fails"
        )
        parameters = scope.parameters(scenario)
        names = scope.scenarios_of_preset(preset)
        for entry in preset.values:
            if not isinstance(entry.name, str) or not isinstance(entry.value, str):
                continue
            for scoped in parameters:
                parameter = scoped.parameter
                if parameter.name != entry.name or scoped.present is not True:
                    continue
                if definition_errors(parameter):
                    continue  # AIT601
                for diagnostic in value_errors(parameter, entry.value, from_default=False):
                    quoted = ct.PARAMETER_PREFIX(entry.name, diagnostic.text("; "))
                    yield Problem(
                        f'preset "{preset.name}" ({preset.address}): {quoted}; {consequence}',
                        entry.location or preset.resource.location,
                        preset.address,
                        severity=severity,
                        scenarios=names,
                    )


RULE = Rule(
    id="AIT603",
    name="preset-value-invalid",
    severity="error",
    modes=("S",),
    summary="A coder_workspace_preset sets a parameter to a value the provider rejects.",
    why=(
        "A preset's values are sent as the parameters' input: each must be one of the "
        "parameter's options, pass its validation block and parse as its type. For a preset "
        "with prebuilds coderd checks this when the template version is created and refuses it "
        "(error); for other presets every build with the preset fails (warning)."
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
    name  = "United States"
    value = "us"
  }
}

data "coder_workspace_preset" "asia" {
  name       = "Asia"
  parameters = { region = "ap" }
  prebuilds {
    instances = 1
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
    name  = "United States"
    value = "us"
  }
}

data "coder_workspace_preset" "us" {
  name       = "US"
  parameters = { region = "us" }
  prebuilds {
    instances = 1
  }
}
"""
    ),
    check=check,
    quotes=(
        ct.PARAMETER_PREFIX.text,
        ct.MUST_BE_A_VALID_OPTION.text,
        ct.NOT_ONE_OF_OPTIONS.text,
        ct.INVALID_BY_VALIDATION.text,
        ct.PRESETS_INVALID.text,
    ),
)
