"""AIT111 prompt-from-ai-task."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.graph.config_graph import expressions_of
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Expr
from aitask_lint.model.refs import target_of


def _reads_task_prompt(expr: Expr) -> str | None:
    for ref in expr.refs:
        target = target_of(ref)
        if (
            target.kind == "resource"
            and target.address.startswith("coder_ai_task.")
            and target.rest[:1]
            and target.rest[0].name == "prompt"
        ):
            return ref.text
    return None


def check(context: LintContext) -> Iterator[Problem]:
    for module in context.modules():
        if module.origin == "catalog":
            continue
        owners: list[tuple[str, list[Expr]]] = [
            (module.prefix + f"module.{call.name}", list(call.arguments.values()))
            for call in module.calls.values()
        ]
        for resource in module.resources.values():
            owners.append(
                (resource.address, list(expressions_of(resource.attributes, resource.blocks)))
            )
        for address, expressions in owners:
            for expr in expressions:
                text = _reads_task_prompt(expr)
                if text is not None:
                    yield Problem(
                        f"`{address}` reads `{text}`; read the prompt from "
                        "`data.coder_task.<name>.prompt` (provider >= 2.13), which cannot form "
                        "a cycle with the task",
                        expr.location,
                        address,
                    )


RULE = Rule(
    id="AIT111",
    name="prompt-from-ai-task",
    severity="warning",
    modes=("S",),
    summary="A module input or resource reads coder_ai_task.<name>.prompt.",
    why=(
        "The task's prompt attribute belongs to the task, which depends on the app the module "
        "creates: passing it back into that module is a dependency cycle as soon as the app "
        "depends on the prompt (AIT110). Since provider 2.13 the supported source is "
        "data.coder_task.<name>.prompt, which depends on nothing."
    ),
    bad=Example(
        """\
module "claude-code" {
  count     = data.coder_workspace.me.start_count
  source    = "registry.coder.com/coder/claude-code/coder"
  version   = "4.3.0"
  agent_id  = coder_agent.main.id
  workdir   = "/home/coder"
  ai_prompt = coder_ai_task.task[0].prompt
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = module.claude-code[count.index].task_app_id
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
)
