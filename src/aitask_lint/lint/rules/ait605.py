"""AIT605 required-parameter-without-value."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.analysis.scenario import Scenario
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.values import UNKNOWN


def check(context: LintContext) -> Iterator[Problem]:
    scope = context.parameter_scope
    if scope is None:
        return
    has_task = any(True for _ in context.resources("coder_ai_task"))
    failing: dict[str, list[Scenario]] = {}
    locations = {}
    import_only: dict[str, str] = {}
    for scenario in scope.scenarios:
        for scoped in scope.parameters(scenario):
            parameter = scoped.parameter
            if (
                scoped.present is not True
                or not parameter.required
                or scoped.from_input
                or scoped.value is UNKNOWN  # the preset's values cannot be read: may set it
                or not isinstance(parameter.name, str)
            ):
                continue
            locations[parameter.address] = parameter.resource.location
            if scenario.kind == "prebuild" or (scenario.kind == "task" and has_task):
                failing.setdefault(parameter.address, []).append(scenario)
            elif scenario.kind == "import":
                import_only[parameter.address] = parameter.name
    quoted = f"{ct.REQUIRED_NOT_PROVIDED()}; {ct.PARAMETER_VALUE_NULL()}"
    for address, scenarios in failing.items():
        said = [_phrase(s) for s in scenarios]
        phrases = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else "".join(said)
        yield Problem(
            f"`{address}` has no default and no value {phrases}: {quoted} "
            "(task creation and prebuilds send no user input; set it in the preset or give "
            "it a default)",
            locations[address],
            address,
            scenarios=tuple(s.name for s in scenarios),
        )
    preset_set: set[str] = set()
    for preset in scope.presets:
        values = preset.value_map()
        if not isinstance(values, dict):
            return  # a preset's values cannot be read: any of them may set the parameter
        preset_set.update(values)
    for address, name in import_only.items():
        if address in failing or name in preset_set:
            continue  # an error already, or a preset gives the value
        yield Problem(
            f"`{address}` has no default and no preset sets it: every workspace build needs "
            "a value typed in "
            f"({quoted} for builds through the API without one)",
            locations[address],
            address,
            severity="info",
            scenarios=("import",),
        )


def _phrase(scenario: Scenario) -> str:
    """The scenario in words, naming the preset a task gets."""
    if scenario.kind != "task":
        return scenario.phrase
    preset = f'with preset "{scenario.preset}"' if scenario.preset else "without a preset"
    return f"{scenario.phrase} {preset}"


RULE = Rule(
    id="AIT605",
    name="required-parameter-without-value",
    severity="error",
    modes=("S",),
    summary="A required coder_parameter gets no value when a task is created or a prebuild runs.",
    why=(
        "A parameter without a default is required. A person creating a workspace types a "
        "value, but task creation and prebuilds send no user input: only the preset's values "
        "(the default preset, else the first, for a task from the web UI). coderd then rejects "
        "the build before it starts, so the task or the prebuild is never created. With no "
        "task and no prebuilds the finding is only informational."
    ),
    bad=Example(
        """\
data "coder_parameter" "repo" {
  name = "repo"
}

data "coder_workspace_preset" "default" {
  name    = "Default"
  default = true
  parameters = {}
  prebuilds {
    instances = 1
  }
}
"""
    ),
    good=Example(
        """\
data "coder_parameter" "repo" {
  name = "repo"
}

data "coder_workspace_preset" "default" {
  name       = "Default"
  default    = true
  parameters = { repo = "https://github.com/coder/coder" }
  prebuilds {
    instances = 1
  }
}
"""
    ),
    check=check,
    quotes=(ct.REQUIRED_NOT_PROVIDED.text, ct.PARAMETER_VALUE_NULL.text),
)
