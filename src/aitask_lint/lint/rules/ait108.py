"""AIT108 ai-task-unknown-argument."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule

ALLOWED_ATTRIBUTES = frozenset({ct.TASK_APP_ID})
ALLOWED_BLOCKS = frozenset({ct.TASK_SIDEBAR_APP})
COMPUTED = frozenset({"id", "prompt", "enabled"})


def check(context: LintContext) -> Iterator[Problem]:
    for task, module in context.resources("coder_ai_task"):
        if module.origin == "catalog":
            continue
        for name, expr in task.attributes.items():
            if name in ALLOWED_ATTRIBUTES:
                continue
            detail = ct.ARGUMENT_NOT_EXPECTED(name)
            if name in COMPUTED:  # our hint goes inside Terraform's sentence
                detail = detail.removesuffix(".") + " (it is computed by the provider)."
            yield Problem(
                f"{ct.UNSUPPORTED_ARGUMENT()}: {detail}",
                expr.location or task.location,
                task.address,
            )
        for block in task.blocks:
            if block.type in ALLOWED_BLOCKS:
                continue
            yield Problem(
                f"{ct.UNSUPPORTED_BLOCK_TYPE()}: {ct.BLOCK_TYPE_NOT_EXPECTED(block.type)}",
                block.location or task.location,
                task.address,
            )


RULE = Rule(
    id="AIT108",
    name="ai-task-unknown-argument",
    severity="error",
    modes=("S",),
    summary="coder_ai_task sets an argument or block the provider does not accept.",
    why=(
        "coder_ai_task accepts only app_id and sidebar_app (plus Terraform's meta-arguments); "
        "id, prompt and enabled are computed. Public templates have been seen setting "
        "agent_id, display_name or timeout_minutes on the task, which Terraform rejects."
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count    = data.coder_workspace.me.start_count
  app_id   = coder_app.chat.id
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.CHAT_APP,
    ),
    good=Example(
        """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id
}
""",
        preamble=pre.CHAT_APP,
    ),
    check=check,
    quotes=(ct.ARGUMENT_NOT_EXPECTED.text,),
)
