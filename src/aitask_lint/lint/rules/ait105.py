"""AIT105 deprecated-sidebar-app."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of, source_file
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import raise_provider
from aitask_lint.lint.helpers import expr_text, from_registry
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.catalog.versions import ConstraintError, parse_constraint, parse_version
from aitask_lint.model.config import Block, Resource

APP_ID_SINCE = (2, 12, 0)

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
                fix=_fix(context, task, block),
            )


def _fix(context: LintContext, task: Resource, block: Block) -> Fix | None:
    """``sidebar_app { id = X }`` -> ``app_id = X`` where the block was."""
    if "app_id" in task.attributes or len(task.blocks_of("sidebar_app")) != 1:
        return None  # AIT104's fix, or which block wins is a decision
    source = source_file(block.location.path) if block.location else None
    inner = source.block_at(block.location) if source else None
    if source is None or inner is None or inner.type != "sidebar_app":
        return None  # a dynamic block, or not in a .tf file
    target = inner.body.attributes.get("id")
    if target is None or len(inner.body.attributes) != 1 or inner.body.blocks:
        return None
    indent = source.indent_of(inner.span.line)
    rewrite = Rewrite(source).replace(
        *source.line_range(inner.span),
        f"{indent}app_id = {target.expression.source}{source.newline}",
    )
    if _allows_app_id(context):
        return fix_of("safe", f"use `app_id = {target.expression.source}`", rewrite)
    target_version = context.options.provider_version
    try:
        if target_version and parse_version(target_version) < APP_ID_SINCE:
            return None  # the target provider has no app_id
    except ConstraintError:
        return None
    raised = raise_provider(context, APP_ID_SINCE)
    if raised is None:
        return fix_of("unsafe", f"use `app_id = {target.expression.source}`", rewrite)
    return fix_of(
        "unsafe",
        f'use `app_id = {target.expression.source}` and require coder/coder "{raised[1]}"',
        rewrite,
        raised[0],
    )


def _allows_app_id(context: LintContext) -> bool:
    """Whether every provider the constraint admits has ``app_id`` (2.12 and later)."""
    tree = context.tree
    requirement = tree.root.required_providers.get("coder") if tree is not None else None
    if requirement is None or not requirement.version:
        return False
    try:
        return parse_constraint(requirement.version).low >= APP_ID_SINCE
    except ConstraintError:
        return False


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
    fix=FixDoc(
        what="Replaces `sidebar_app { id = X }` by `app_id = X` where the block was.",
        applicability="sometimes",
        why=(
            "Safe when the `coder/coder` constraint admits only providers with `app_id` "
            "(2.12 and later): the task means the same. Otherwise unsafe, and the fix raises "
            "the constraint to 2.12 in its own style too, since an older provider rejects "
            "`app_id`."
        ),
    ),
)
