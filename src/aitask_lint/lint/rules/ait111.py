"""AIT111 prompt-from-ai-task."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.graph.config_graph import expressions_of
from aitask_lint.hcl import expressions as hx
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of, source_file
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import append_block, block_text, task_data_source
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Expr, Module
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
                        fix=_fix(expr, module),
                    )


def _fix(expr: Expr, module: Module) -> Fix | None:
    """``coder_ai_task.X.prompt`` -> ``data.coder_task.<name>.prompt``, adding
    ``data "coder_task" "me" {}`` to the file when the module has none."""
    source = source_file(expr.location.path) if expr.location is not None else None
    if source is None or not isinstance(expr.syntax, hx.Expression):
        return None
    existing = task_data_source(module)
    replacement = f"data.coder_task.{existing or 'me'}.prompt"
    rewrite = Rewrite(source)
    for traversal in hx.references(expr.syntax):
        last = traversal.steps[-1] if traversal.steps else None
        if (
            traversal.root == "coder_ai_task"
            and isinstance(last, hx.GetAttr)
            and last.name == "prompt"
            and len(traversal.steps) in (2, 3)
        ):
            rewrite.replace_span(traversal.span, replacement)
    if existing is None:
        append_block(rewrite, block_text(source, 'data "coder_task" "me"', []))
    return fix_of("unsafe", f"read the prompt from {replacement}", rewrite)


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
    fix=FixDoc(
        what=(
            "Reads the prompt from `data.coder_task.<name>.prompt` instead of the task, "
            'adding `data "coder_task" "me" {}` when the module has no such data source.'
        ),
        applicability="unsafe",
        why=(
            "Unsafe: `data.coder_task` needs provider 2.13 (AIT501 then proposes raising the "
            "constraint), and the value is read from another object, which matters when the "
            "template set the task's prompt itself."
        ),
    ),
)
