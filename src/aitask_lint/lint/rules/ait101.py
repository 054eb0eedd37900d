"""AIT101 missing-ai-task."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Location

CODER_TEXT = ct.NO_AI_TASK()


def check(context: LintContext) -> Iterator[Problem]:
    if not context.is_template:
        return
    declared = any(True for _ in context.resources("coder_ai_task"))
    evidence = _intent(context)
    if context.has_values and context.document is not None:
        if context.instances_of("coder_ai_task"):
            return
        if not (evidence or declared or context.options.require_ai_task):
            return
        reason = (
            "the coder_ai_task has no instance in this plan (count = 0?), so has_ai_task is false"
            if declared
            else "no coder_ai_task instance in the values, so has_ai_task is false"
        )
        location = evidence[1] if evidence else None
        yield Problem(f"{reason}; creating a task fails with: {CODER_TEXT}", location)
        return
    if declared:
        return
    if evidence is not None:
        what, location, address = evidence
        yield Problem(
            f"{what}, but no coder_ai_task exists at any module depth; creating a "
            f"task fails with: {CODER_TEXT}",
            location,
            address,
        )
    elif context.options.require_ai_task:
        yield Problem(
            f"the template has no coder_ai_task (required by configuration); "
            f"creating a task fails with: {CODER_TEXT}",
            None,
        )


def _intent(context: LintContext) -> tuple[str, Location | None, str] | None:
    """Evidence the template is meant to run tasks: a task_app_id module or data.coder_task."""
    for module in context.modules():
        for call in module.calls.values():
            if call.module is not None and "task_app_id" in call.module.outputs:
                return (
                    f'module "{call.name}" exports task_app_id',
                    call.location,
                    module.prefix + f"module.{call.name}",
                )
    for resource, _module in context.resources("coder_task", mode="data"):
        return (f"`{resource.address}` reads the task", resource.location, resource.address)
    return None


RULE = Rule(
    id="AIT101",
    name="missing-ai-task",
    severity="error",
    modes=("S", "P"),
    summary="The template is meant to run AI tasks but declares no coder_ai_task.",
    why=(
        "Coder marks a template version as an AI-task template only when its plan contains a "
        "coder_ai_task. Without one, creating a task is refused with Coder's message "
        f"`{CODER_TEXT}` even though the template wires up an agent module that exports "
        "task_app_id or reads data.coder_task."
    ),
    bad=Example(
        """\
data "coder_task" "me" {}

module "claude-code" {
  count     = data.coder_workspace.me.start_count
  source    = "registry.coder.com/coder/claude-code/coder"
  version   = "4.3.0"
  agent_id  = coder_agent.main.id
  workdir   = "/home/coder"
  ai_prompt = data.coder_task.me.prompt
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
data "coder_task" "me" {}

module "claude-code" {
  count     = data.coder_workspace.me.start_count
  source    = "registry.coder.com/coder/claude-code/coder"
  version   = "4.3.0"
  agent_id  = coder_agent.main.id
  workdir   = "/home/coder"
  ai_prompt = data.coder_task.me.prompt
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = module.claude-code[count.index].task_app_id
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.NO_AI_TASK.text,),
)
