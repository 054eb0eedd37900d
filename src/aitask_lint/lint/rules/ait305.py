"""AIT305 module-creates-ai-task."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is not None:
        for task, module in context.resources("coder_ai_task"):
            if not module.path:
                continue
            parent = context.tree.module_at(module.path[:1])
            call = context.tree.root.calls.get(module.path[0])
            location = call.location if call is not None else task.location
            origin = ""
            if call is not None:
                origin = f" ({' '.join(part for part in (call.source, call.version) if part)})"
            yield Problem(
                f"`{task.address}` is created inside a module{origin}: own the task in the "
                "template and read the module's task_app_id (agentapi >= 2.0)",
                location if module.origin == "catalog" or parent is None else task.location,
                task.address,
            )
        return
    for instance in context.instances_of("coder_ai_task"):
        if instance.address.startswith("module."):
            yield Problem(
                f"`{instance.address}` is created inside a module: own the task in the template "
                "and read the module's task_app_id",
                instance.location,
                instance.address,
            )


RULE = Rule(
    id="AIT305",
    name="module-creates-ai-task",
    severity="warning",
    modes=("S", "P"),
    summary="A child module declares its own coder_ai_task.",
    why=(
        "AgentAPI 1.x, every wrapper release pinned to it (claude-code 3.x, codex, gemini, "
        "goose, auggie and cursor-cli before their agentapi 2.0 releases, amazon-q 2.x, aider "
        "2.x) and the self-contained claude-code 2.x create the task inside the module with "
        "the deprecated sidebar_app. Modern templates own the task at the root and read "
        "task_app_id; mixing both gives two tasks (AIT102)."
    ),
    bad=Example(
        """\
module "claude-code" {
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = "3.0.0"
  agent_id = coder_agent.main.id
  workdir  = "/home/coder"
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
module "claude-code" {
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = "~> 4.3"
  agent_id = coder_agent.main.id
  workdir  = "/home/coder"
}

resource "coder_ai_task" "task" {
  app_id = module.claude-code.task_app_id
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
)
