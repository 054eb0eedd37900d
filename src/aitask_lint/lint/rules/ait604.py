"""AIT604 preset-unknown-parameter."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    scope = context.parameter_scope
    if scope is None:
        return
    for preset in scope.presets:
        scenario = scope.scenario(f"preset:{preset.name}")
        if scenario is None or not isinstance(preset.values, list):
            continue
        for entry in preset.values:
            if not isinstance(entry.name, str) or scope.defined(entry.name, scenario) is not False:
                continue
            quoted = f"{ct.UNDEFINED_PARAMETER()}: {ct.PRESET_PARAMETER_UNDEFINED(entry.name)}"
            parameters = scope.parameters(scenario)
            declared = any(p.parameter.name == entry.name for p in parameters)
            why = " It is declared, but its count is 0 under this preset." if declared else ""
            labelled = [
                p.parameter
                for p in parameters
                if p.parameter.resource.name == entry.name and isinstance(p.parameter.name, str)
            ]
            if not declared and labelled:  # the block's label, not the parameter's name
                why = (
                    f" Presets name parameters by `name`: `{labelled[0].address}` is named "
                    f'"{labelled[0].name}".'
                )
            if preset.has_prebuilds:
                consequence = (
                    "The preset has prebuilds: coderd refuses the template version "
                    f'("{ct.PRESETS_INVALID()}").'
                )
            else:
                consequence = "Coder ignores the value silently."
            yield Problem(
                f'preset "{preset.name}" ({preset.address}): {quoted}{why} {consequence}',
                entry.location or preset.resource.location,
                preset.address,
                severity="error" if preset.has_prebuilds else "warning",
                scenarios=scope.scenarios_of_preset(preset),
            )


RULE = Rule(
    id="AIT604",
    name="preset-unknown-parameter",
    severity="error",
    modes=("S",),
    summary="A coder_workspace_preset sets a parameter the template does not define.",
    why=(
        "Preset values are matched to parameters by name. A renamed or removed parameter leaves "
        "the preset setting nothing: for presets with prebuilds coderd refuses the template "
        "version (error); for others the provisioner only logs a warning and the value is "
        "silently ignored, so workspaces built with the preset do not get what it promises "
        "(warning). A parameter whose count is 0 under the preset's own values counts as "
        "undefined there."
    ),
    bad=Example(
        """\
data "coder_parameter" "model" {
  name    = "ai_model"
  default = "sonnet"
}

data "coder_workspace_preset" "opus" {
  name       = "Opus"
  parameters = { model = "opus" }
  prebuilds {
    instances = 1
  }
}
"""
    ),
    good=Example(
        """\
data "coder_parameter" "model" {
  name    = "ai_model"
  default = "sonnet"
}

data "coder_workspace_preset" "opus" {
  name       = "Opus"
  parameters = { ai_model = "opus" }
  prebuilds {
    instances = 1
  }
}
"""
    ),
    check=check,
    quotes=(
        ct.UNDEFINED_PARAMETER.text,
        ct.PRESET_PARAMETER_UNDEFINED.text,
        ct.PRESETS_INVALID.text,
    ),
)
