"""AIT408 multiple-default-presets."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Location


def check(context: LintContext) -> Iterator[Problem]:
    defaults: list[tuple[str, Location | None]] = []
    if context.tree is not None and context.analysis is not None and not context.has_values:
        for preset, module in context.resources("coder_workspace_preset", mode="data"):
            if context.analysis.value(preset, "default", module) is True:
                expr = preset.attributes.get("default")
                defaults.append(
                    (preset.address, (expr.location if expr else None) or preset.location)
                )
    else:
        for instance in context.all_instances_of("coder_workspace_preset", "data"):
            if instance.values.get("default") is True:
                defaults.append((instance.address, instance.location))
    if len(defaults) <= 1:
        return
    for address, location in defaults[1:]:
        yield Problem(ct.MULTIPLE_DEFAULT_PRESETS(len(defaults)), location, address)


RULE = Rule(
    id="AIT408",
    name="multiple-default-presets",
    severity="error",
    modes=("S", "P"),
    summary="More than one coder_workspace_preset is marked default.",
    why=(
        "The default preset is the one the create-workspace form (and task creation) selects "
        "for users. Coder allows at most one, and refuses a template version that marks "
        "several: the template cannot be imported at all."
    ),
    bad=Example(
        'data "coder_workspace_preset" "small" {\n  name    = "Small"\n  default = true\n}\n\n'
        'data "coder_workspace_preset" "large" {\n  name    = "Large"\n  default = true\n}\n'
    ),
    good=Example(
        'data "coder_workspace_preset" "small" {\n  name    = "Small"\n  default = true\n}\n\n'
        'data "coder_workspace_preset" "large" {\n  name = "Large"\n}\n'
    ),
    check=check,
    quotes=(ct.MULTIPLE_DEFAULT_PRESETS.text,),
)
