"""AIT103 ai-task-app-unset."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule

PROVIDER_TEXT = ct.APP_ID_MUST_BE_SET()


def check(context: LintContext) -> Iterator[Problem]:
    for task, _module in context.resources("coder_ai_task"):
        if ct.TASK_APP_ID not in task.attributes and not task.blocks_of(ct.TASK_SIDEBAR_APP):
            yield Problem(
                f"`{task.address}` sets neither app_id nor sidebar_app; the provider fails at "
                f"apply with: {PROVIDER_TEXT}",
                task.location,
                task.address,
            )
    if context.document is not None and context.document.kind == "state":
        for instance in context.instances_of("coder_ai_task"):
            values = instance.values
            if not values.get(ct.TASK_APP_ID) and not values.get(ct.TASK_SIDEBAR_APP):
                yield Problem(
                    f"`{instance.address}` has no app id: {PROVIDER_TEXT}",
                    instance.location,
                    instance.address,
                )


RULE = Rule(
    id="AIT103",
    name="ai-task-app-unset",
    severity="error",
    modes=("S", "P"),
    summary="A coder_ai_task sets neither app_id nor sidebar_app.",
    why=(
        "The provider accepts such a task at plan time and then fails at apply with "
        f"`{PROVIDER_TEXT}`: the workspace build breaks late. Coder's own migration snippet "
        '`resource "coder_ai_task" "task" {}` hits this.'
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count = data.coder_workspace.me.start_count
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
    quotes=(ct.APP_ID_MUST_BE_SET.text,),
)
