"""AIT105 deprecated-sidebar-app."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import expr_text, from_registry
from aitask_lint.lint.rule import Example, Problem, Rule

DEPRECATION = ct.SIDEBAR_APP_DEPRECATED()


def check(context: LintContext) -> Iterator[Problem]:
    for task, module in context.resources("coder_ai_task"):
        if context.tree is not None and from_registry(context.tree, module):
            continue  # not the author's file: AIT305 says which module release to use
        for block in task.blocks_of(ct.TASK_SIDEBAR_APP):
            target = expr_text(block.attributes.get(ct.TASK_SIDEBAR_APP_ID))
            fix = f"; use `app_id = {target}`" if target else ""
            yield Problem(
                f"`{task.address}` uses the deprecated sidebar_app block (Argument is deprecated: "
                f"{DEPRECATION}){fix}",
                block.location,
                task.address,
            )


RULE = Rule(
    id="AIT105",
    name="deprecated-sidebar-app",
    severity="warning",
    modes=("S", "P"),
    summary="The deprecated sidebar_app block is used instead of app_id.",
    why=(
        "Provider 2.12 replaced `sidebar_app { id }` by `app_id`; Terraform prints a "
        "deprecation warning on every plan and the block will go away. The fix is mechanical: "
        "`app_id = <the same expression>`. Only blocks the template author can change are "
        "reported (the scanned root and local modules); a task that exists only inside a "
        "registry module (known to the catalog, or downloaded by terraform init) is AIT305's "
        "finding, whose fix is a newer release of that module."
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count = data.coder_workspace.me.start_count
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
    quotes=(ct.SIDEBAR_APP_DEPRECATED.text,),
)
