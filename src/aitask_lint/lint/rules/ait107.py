"""AIT107 ai-task-app-invalid-uuid."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.values import is_uuid


def check(context: LintContext) -> Iterator[Problem]:
    for task, _module in context.resources("coder_ai_task"):
        app_id = task.attributes.get(ct.TASK_APP_ID)
        candidates = [(ct.TASK_APP_ID, app_id)]
        candidates += [
            (
                f"{ct.TASK_SIDEBAR_APP}.0.{ct.TASK_SIDEBAR_APP_ID}",
                block.attributes.get(ct.TASK_SIDEBAR_APP_ID),
            )
            for block in task.blocks_of(ct.TASK_SIDEBAR_APP)
        ]
        for key, expr in candidates:
            if expr is None or not isinstance(expr.value, str) or expr.value == "":
                continue
            if not is_uuid(expr.value):
                yield Problem(
                    ct.NOT_A_UUID(key, expr.value),
                    expr.location or task.location,
                    task.address,
                )


RULE = Rule(
    id="AIT107",
    name="ai-task-app-invalid-uuid",
    severity="error",
    modes=("S", "P"),
    summary="app_id or sidebar_app.id is a literal that is not a UUID.",
    why=(
        "The provider validates both arguments as UUIDs (`validation.IsUUID`), so `terraform "
        "plan` fails. A literal slug or app name is a frequent mistake: the value must be the "
        "coder_app's id."
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = "chat"
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
    quotes=(ct.NOT_A_UUID.text,),
)
