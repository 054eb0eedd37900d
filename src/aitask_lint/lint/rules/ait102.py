"""AIT102 multiple-ai-tasks."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Expr, Module, ModuleCall, Resource


def _instances(context: LintContext, owner: Resource | ModuleCall, module: Module) -> int | None:
    """How many instances a count/for_each gives in the context's scenario; None: unknown.

    A ``count`` that is not known (``data.coder_workspace.me.start_count``
    without a scenario) is taken as at most one, the pattern every Coder
    template uses.
    """
    assert context.analysis is not None
    number = context.analysis.evaluator.instances(owner, module)
    if number is None and owner.count is not None:
        return 1
    return number


def _multiplicity(context: LintContext, task: Resource, module: Module) -> int | None:
    total = _instances(context, task, module)
    tree = context.tree
    assert tree is not None
    for depth in range(len(module.path)):
        parent = tree.module_at(module.path[:depth])
        call = parent.calls.get(module.path[depth]) if parent else None
        if call is None or parent is None or total is None:
            return total
        calls = _instances(context, call, parent)
        total = None if calls is None else total * calls
    return total


def _condition(expr: Expr | None) -> tuple[str, int, int] | None:
    """``c ? 1 : 0`` -> (source of c, 1, 0), for telling exclusive counts apart."""
    syntax = expr.syntax if expr is not None else None
    if syntax is None:
        return None
    from aitask_lint.hcl import expressions as hx

    if not isinstance(syntax, hx.Conditional) or syntax.condition is None:
        return None
    true_value = hx.literal_value(syntax.true_result)
    false_value = hx.literal_value(syntax.false_result)
    if true_value is hx.UNKNOWN or false_value is hx.UNKNOWN:
        return None
    return " ".join(syntax.condition.source.split()), true_value, false_value


def _exclusive(first: Resource, second: Resource) -> bool:
    a, b = _condition(first.count), _condition(second.count)
    return (
        a is not None
        and b is not None
        and a[0] == b[0]
        and (a[1], a[2]) == (b[2], b[1])
        and {a[1], a[2]} == {0, 1}
    )


def check(context: LintContext) -> Iterator[Problem]:
    if context.has_values:
        instances = context.instances_of("coder_ai_task")
        if len(instances) > 1:
            message = ct.MULTIPLE_AI_TASKS(len(instances))
            for instance in instances[1:]:
                yield Problem(
                    f"{message} (Coder fails the workspace build after planning)",
                    instance.location,
                    instance.address,
                )
        if context.document is not None and context.document.kind == "state":
            return
    if not context.static or not context.is_template:
        return
    tasks = [(task, module) for task, module in context.resources("coder_ai_task")]
    counted: list[tuple[Resource, int | None]] = [
        (task, _multiplicity(context, task, module)) for task, module in tasks
    ]
    total = 0
    counted_tasks: list[Resource] = []
    for task, number in counted:
        if number == 0:
            continue
        if any(_exclusive(task, other) for other in counted_tasks):
            continue
        counted_tasks.append(task)
        total += number if number is not None else 1
    if total <= 1:
        return
    message = ct.MULTIPLE_AI_TASKS(total)
    for task in counted_tasks[1:] or counted_tasks:
        origin = " (created inside a module)" if task.module else ""
        yield Problem(
            f"{message}: `{task.address}`{origin} can be provisioned in the same "
            "build as another task",
            task.location,
            task.address,
        )
    if len(counted_tasks) == 1:
        return


RULE = Rule(
    id="AIT102",
    name="multiple-ai-tasks",
    severity="error",
    modes=("S", "P"),
    summary="More than one coder_ai_task can be provisioned in one build.",
    why=(
        "Coder's provisioner counts the coder_ai_task instances of a workspace build's plan "
        "and fails the build when there is more than one. A common cause is a template that "
        "declares its own task while still using a module version that creates one itself "
        "(AgentAPI 1.x), a second task pasted from another template, or a count that can "
        "exceed one."
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id
}

# pasted from another template
resource "coder_ai_task" "chat" {
  app_id = coder_app.chat.id
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
    quotes=(ct.MULTIPLE_AI_TASKS.text,),
    per_scenario=True,
)
