"""AIT109 ai-task-count-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.hcl import expressions as hx
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.count_guards import unguarded_refs
from aitask_lint.lint.edits import Rewrite, fix_of
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import block_of
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Expr, Module, Resource
from aitask_lint.model.refs import Ref, Step, target_of
from aitask_lint.values import UNKNOWN


def _meta(count: Expr | None, for_each: Expr | None) -> str | None:
    expr = count or for_each
    if expr is None:
        return None
    text = expr.source if expr.source is not None else " ".join(r.text for r in expr.refs)
    return " ".join(text.split())


def check(context: LintContext) -> Iterator[Problem]:
    for static in context.tasks:
        task, module = static.task, static.module
        if module.origin == "catalog" or static.expression is None:
            continue
        task_meta = _meta(task.count, task.for_each)
        for ref in unguarded_refs(static.expression, module):
            described = _target_meta(ref, module)
            if described is None:
                continue
            name, target_meta, index = described
            location = static.expression.location or task.location
            if task_meta is not None and target_meta is not None:
                if index is not None and index.kind == "index" and index.key is not UNKNOWN:
                    yield Problem(
                        f"`{task.address}` is counted but reads {name} with a fixed "
                        f"[{index.key!r}]; use [count.index] so each task instance reads its own",
                        location,
                        task.address,
                        fix=_fix(task, static.expression, ref, module, task_meta != target_meta),
                    )
                elif task_meta != target_meta:
                    yield Problem(
                        f"`{task.address}` has count `{task_meta}` but {name} has "
                        f"`{target_meta}`: the task can exist without its app (or the reverse)",
                        location,
                        task.address,
                        fix=_fix(task, static.expression, ref, module, True),
                    )
            elif task_meta is None and target_meta is not None:
                yield Problem(
                    f"`{task.address}` has no count but {name} has `{target_meta}`: when the "
                    "module or app has no instance the task has no app (give the task the same "
                    "count and use [count.index])",
                    location,
                    task.address,
                    fix=_fix(task, static.expression, ref, module, True),
                )


def _fix(task: Resource, expression: Expr, ref: Ref, module: Module, align: bool) -> Fix | None:
    """``[0]`` -> ``[count.index]``; with ``align``, the task's count becomes the target's too.

    Only for ``count`` on both sides (``for_each`` instances have keys, not
    ``count.index``) and a task in a ``.tf`` file.
    """
    target_count = _target_count(ref, module)
    if target_count is None or task.for_each is not None or target_count.source is None:
        return None
    found = block_of(task.location)
    if found is None:
        return None
    source, block = found
    rewrite = Rewrite(source)
    for key in _fixed_indexes(expression, ref):
        rewrite.replace_span(key.span, "count.index")
    if align:
        count = block.body.attributes.get("count")
        if count is not None:
            rewrite.replace_span(count.expression.span, target_count.source)
        else:
            first = next(iter(block.body.attributes.values()), None)
            indent = (
                source.indent_of(first.span.line)
                if first is not None
                else source.indent_of(block.span.line) + source.indent_unit
            )
            rewrite.insert_lines(
                source.line_starts[block.span.line], [f"{indent}count = {target_count.source}"]
            )
    what = "use [count.index]" + (f" and count = {target_count.source}" if align else "")
    return fix_of("unsafe" if align else "safe", what, rewrite)


def _target_count(ref: Ref, module: Module) -> Expr | None:
    target = target_of(ref)
    if target.kind == "module_output":
        call = module.calls.get(target.name)
        return call.count if call is not None and call.for_each is None else None
    resource = module.resources.get(target.address)
    return resource.count if resource is not None and resource.for_each is None else None


def _fixed_indexes(expression: Expr, ref: Ref) -> list[hx.Expression]:
    """The literal index keys (the ``0`` of ``[0]``) of ``ref`` in the expression's source."""
    if not isinstance(expression.syntax, hx.Expression):
        return []
    keys: list[hx.Expression] = []
    for traversal in hx.references(expression.syntax):
        if traversal.root != ref.root or len(traversal.steps) < 2:
            continue
        name, index = traversal.steps[0], traversal.steps[1]
        if (
            isinstance(name, hx.GetAttr)
            and name.name == ref.attr(0)
            and isinstance(index, hx.Index)
            and isinstance(index.key, hx.Literal)
            and isinstance(index.key.value, int)
        ):
            keys.append(index.key)
    return keys


def _target_meta(ref: Ref, module: Module) -> tuple[str, str | None, Step | None] | None:
    target = target_of(ref)
    if target.kind == "module_output":
        call = module.calls.get(target.name)
        if call is None:
            return None
        return f'module "{target.name}"', _meta(call.count, call.for_each), target.index
    if target.kind == "resource" and target.address.startswith("coder_app."):
        resource = module.resources.get(target.address)
        if resource is None:
            return None
        return f"`{resource.address}`", _meta(resource.count, resource.for_each), target.index
    return None


RULE = Rule(
    id="AIT109",
    name="ai-task-count-mismatch",
    severity="warning",
    modes=("S",),
    summary="The task's count/for_each does not match the module or app it references.",
    why=(
        "Workspaces that are stopped have start_count = 0: the agent module has no instance, "
        "and a task that still exists, or that reads instance [0], names no app (or fails the "
        "plan with an invalid index). The well-formed pattern is one count expression for "
        "both and `[count.index]`. A fixed-index read is fine where it is guarded so that "
        "it only reads an instance that exists: in the branch of a conditional whose "
        "condition is the object's own count condition (`var.x ? module.m[0].task_app_id : "
        '""` with `count = var.x ? 1 : 0`) or `length(module.m) > 0`, also through try(), '
        "and a choice between two objects with complementary counts."
    ),
    bad=Example(
        """\
module "claude-code" {
  count    = data.coder_workspace.me.start_count
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = "4.3.0"
  agent_id = coder_agent.main.id
  workdir  = "/home/coder"
}

resource "coder_ai_task" "task" {
  app_id = module.claude-code[0].task_app_id
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
module "claude-code" {
  count    = data.coder_workspace.me.start_count
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = "4.3.0"
  agent_id = coder_agent.main.id
  workdir  = "/home/coder"
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = module.claude-code[count.index].task_app_id
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    fix=FixDoc(
        what=(
            "Replaces the fixed index (`[0]`) by `[count.index]`, and gives the task the "
            "count of the module or app it reads when they differ (or the task has none)."
        ),
        applicability="sometimes",
        why=(
            "Safe when the task and its target already have the same count: instance N of "
            "the task then reads instance N of its app, which is what `[0]` meant for one "
            "instance. Unsafe when the task's count changes too: Terraform then creates or "
            "destroys task instances. No fix for `for_each`."
        ),
    ),
)
