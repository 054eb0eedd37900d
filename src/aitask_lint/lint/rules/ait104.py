"""AIT104 ai-task-app-conflict."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import where
from aitask_lint.lint.rule import Example, Problem, Rule

PROVIDER_TEXT = ct.CONFLICTS_WITH(ct.TASK_APP_ID, ct.TASK_SIDEBAR_APP)


def check(context: LintContext) -> Iterator[Problem]:
    for task, _module in context.resources("coder_ai_task"):
        if ct.TASK_APP_ID in task.attributes and task.blocks_of(ct.TASK_SIDEBAR_APP):
            yield Problem(
                f"`{task.address}` sets both app_id and sidebar_app; Terraform refuses the plan: "
                f"Conflicting configuration arguments: {PROVIDER_TEXT}",
                where(task, "app_id"),
                task.address,
            )


RULE = Rule(
    id="AIT104",
    name="ai-task-app-conflict",
    severity="error",
    modes=("S", "P"),
    summary="A coder_ai_task sets both app_id and the deprecated sidebar_app.",
    why=(
        "The provider declares the two arguments as conflicting, so `terraform plan` fails "
        f"with `{PROVIDER_TEXT}` and the template cannot be imported."
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id
  sidebar_app {
    id = coder_app.chat.id
  }
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
    quotes=(PROVIDER_TEXT,),
)
