"""AIT502 legacy-ai-prompt-parameter."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule

LEGACY_NAME = "AI Prompt"


def check(context: LintContext) -> Iterator[Problem]:
    message = (
        f'coder_parameter "{LEGACY_NAME}" is the task prompt format from before Coder 2.28, '
        "unsupported from Coder 2.30; read the prompt from data.coder_task.<name>.prompt"
    )
    if context.tree is not None and context.analysis is not None:
        for parameter, module in context.resources("coder_parameter", mode="data"):
            if context.analysis.value(parameter, "name", module) == LEGACY_NAME:
                yield Problem(message, parameter.location, parameter.address)
        return
    for instance in context.all_instances_of("coder_parameter", "data"):
        if instance.values.get("name") == LEGACY_NAME:
            yield Problem(message, instance.location, instance.address)


RULE = Rule(
    id="AIT502",
    name="legacy-ai-prompt-parameter",
    severity="warning",
    modes=("S", "P"),
    summary='A coder_parameter named "AI Prompt" exists.',
    why=(
        'Coder before 2.28 passed the task prompt through a parameter named "AI Prompt". '
        "From 2.30 that format is no longer supported: the prompt comes from "
        "data.coder_task.<name>.prompt."
    ),
    bad=Example(
        'data "coder_parameter" "ai_prompt" {\n  name = "AI Prompt"\n}\n',
        preamble=pre.TASK_TEMPLATE,
    ),
    good=Example(
        'data "coder_task" "me" {}\n# the prompt is data.coder_task.me.prompt\n',
        preamble=pre.TASK_TEMPLATE,
    ),
    check=check,
)
