"""AIT502 legacy-ai-prompt-parameter."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import (
    block_of,
    module_sources,
    names,
    prefix_range,
    task_data_source,
    traversals,
)
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Module, Resource

LEGACY_NAME = "AI Prompt"


def check(context: LintContext) -> Iterator[Problem]:
    message = (
        f'coder_parameter "{LEGACY_NAME}" is the task prompt format from before Coder 2.28, '
        "unsupported from Coder 2.30; read the prompt from data.coder_task.<name>.prompt"
    )
    if context.tree is not None and context.analysis is not None:
        for parameter, module in context.resources("coder_parameter", mode="data"):
            if context.analysis.value(parameter, "name", module) == LEGACY_NAME:
                yield Problem(
                    message,
                    parameter.location,
                    parameter.address,
                    fix=_fix(parameter, module),
                )
        return
    for instance in context.all_instances_of("coder_parameter", "data"):
        if instance.values.get("name") == LEGACY_NAME:
            yield Problem(message, instance.location, instance.address)


def _fix(parameter: Resource, module: Module) -> Fix | None:
    """Drop the parameter (or put ``data "coder_task" "me" {}`` in its place) and read
    ``data.coder_task.<name>.prompt`` wherever its ``.value`` was read."""
    if module.origin == "catalog":
        return None
    found = block_of(parameter.location)
    if found is None:
        return None
    source, block = found
    existing = task_data_source(module)
    replacement = f"data.coder_task.{existing or 'me'}.prompt"
    rewrites = {source.path: Rewrite(source)}
    if existing is None:
        start, end = source.line_range(block.span)
        rewrites[source.path].replace(start, end, f'data "coder_task" "me" {{}}{source.newline}')
    else:
        rewrites[source.path].remove(block.span)
    for other in module_sources(module.files):
        rewrite = rewrites.setdefault(other.path, Rewrite(other))
        for traversal in traversals(other):
            if names(traversal, 3) != ("data", "coder_parameter", parameter.name):
                continue
            if names(traversal, 4) != ("data", "coder_parameter", parameter.name, "value"):
                return None  # reads another attribute: not the prompt
            rewrite.replace(*prefix_range(other, traversal, 4), replacement)
    return fix_of(
        "unsafe",
        f'remove the "{LEGACY_NAME}" parameter and read {replacement}',
        *rewrites.values(),
    )


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
    fix=FixDoc(
        what=(
            'Removes the "AI Prompt" parameter, rewrites each read of its `.value` to '
            '`data.coder_task.<name>.prompt`, and adds `data "coder_task" "me" {}` in its '
            "place when the module has none."
        ),
        applicability="unsafe",
        why=(
            "Unsafe: the template loses an input (workspaces created with it keep a value "
            "nothing reads), and `data.coder_task` needs provider 2.13. No fix when the "
            "parameter is read for anything but its value."
        ),
    ),
)
