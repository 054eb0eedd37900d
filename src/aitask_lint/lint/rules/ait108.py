"""AIT108 ai-task-unknown-argument."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import block_of
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Location, Resource

ALLOWED_ATTRIBUTES = frozenset({"app_id"})
ALLOWED_BLOCKS = frozenset({"sidebar_app"})
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
                fix=_remove(task, name, None),
            )
        for block in task.blocks:
            if block.type in ALLOWED_BLOCKS:
                continue
            yield Problem(
                f"{ct.UNSUPPORTED_BLOCK_TYPE()}: {ct.BLOCK_TYPE_NOT_EXPECTED(block.type)}",
                block.location or task.location,
                task.address,
                fix=_remove(task, block.type, block.location),
            )


def _remove(task: Resource, name: str, inner: Location | None) -> Fix | None:
    """Remove the argument ``name`` (or the block at ``inner``) from the task."""
    found = block_of(task.location)
    if found is None:
        return None
    source, block = found
    if inner is not None:
        target = source.block_at(inner)
        span = target.span if target is not None else None
    else:
        attribute = block.body.attributes.get(name)
        span = attribute.span if attribute is not None else None
    if span is None:
        return None
    kind = "block" if inner is not None else "argument"
    return fix_of("unsafe", f"remove the {kind} `{name}`", Rewrite(source).remove(span))


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
    fix=FixDoc(
        what="Removes the argument or block the provider's schema does not have.",
        applicability="unsafe",
        why=(
            "Unsafe: the value is dropped, and it may have been meant for another argument "
            "(a misspelt `app_id`) or another resource; read the diff before applying it."
        ),
    ),
)
