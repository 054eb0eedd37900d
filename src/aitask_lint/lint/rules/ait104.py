"""AIT104 ai-task-app-conflict."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of, source_file
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.helpers import expr_text, where
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Resource

PROVIDER_TEXT = ct.CONFLICTS_WITH(ct.TASK_APP_ID, ct.TASK_SIDEBAR_APP)


def check(context: LintContext) -> Iterator[Problem]:
    for task, _module in context.resources("coder_ai_task"):
        if ct.TASK_APP_ID in task.attributes and task.blocks_of(ct.TASK_SIDEBAR_APP):
            yield Problem(
                f"`{task.address}` sets both app_id and sidebar_app; Terraform refuses the plan: "
                f"Conflicting configuration arguments: {PROVIDER_TEXT}",
                where(task, "app_id"),
                task.address,
                fix=_fix(task),
            )


def _fix(task: Resource) -> Fix | None:
    """Drop the sidebar_app blocks: safe when they name the app app_id names."""
    source = source_file(task.location.path) if task.location else None
    block = source.block_at(task.location) if source else None
    if source is None or block is None:
        return None
    rewrite = Rewrite(source)
    for inner in block.body.blocks:
        if inner.type == "sidebar_app":
            rewrite.delete_lines(inner.span)
    app = expr_text(task.attributes["app_id"])
    same = all(expr_text(b.attributes.get("id")) == app for b in task.blocks_of("sidebar_app"))
    return fix_of("safe" if same else "unsafe", "remove the sidebar_app block", rewrite)


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
    fix=FixDoc(
        what="Removes the `sidebar_app` block and keeps `app_id`.",
        applicability="sometimes",
        why=(
            "Safe when `sidebar_app.id` names the same app as `app_id`: the task then means "
            "the same to Coder. Unsafe when they differ: the task keeps the app of `app_id` "
            "and loses the other."
        ),
    ),
)
