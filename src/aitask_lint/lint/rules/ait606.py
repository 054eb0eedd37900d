"""AIT606 task-app-absent-in-scenario."""

from __future__ import annotations

import json
from collections.abc import Iterator

from aitask_lint.analysis.evaluate import Evaluator
from aitask_lint.analysis.tasks import AppChain, StaticTask
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import expr_text
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Expr, Module
from aitask_lint.model.values import NIL_UUID

#: task problems that AIT106 / AIT107 / AIT301 report whatever the values
_BROKEN_ANYWAY = frozenset({"unset", "unresolved", "not-app", "invalid-uuid"})


def check(context: LintContext) -> Iterator[Problem]:
    scenario = context.scenario
    if scenario is None or context.analysis is None or context.tree is None:
        return
    evaluator = context.analysis.evaluator
    for task in context.tasks:
        if not task.chains or any(p.kind in _BROKEN_ANYWAY for p in task.problems):
            continue  # no app whatever the values: AIT106/AIT107/AIT301 say so
        if evaluator.instances(task.task, task.module) in (0, None):
            continue  # no task in this scenario (or not known): nothing to judge
        reasons = [_absent(context, chain) for chain in task.chains]
        if all(reason is not None for reason in reasons):
            if evaluator.scenario_kind() == "import" and not _task_breaks(context, task):
                continue  # see _task_breaks
            why = "; ".join(reason for reason in reasons if reason)
            yield _problem(task, f"leads only to apps that have no instance: {why}")
            continue
        value = evaluator.value(task.expression, task.module)
        if value in ("", NIL_UUID):
            shown = '""' if value == "" else "the nil UUID"
            because = _because(context, task.expression, task.module)
            yield _problem(task, f"evaluates to {shown}{because}")


def _task_breaks(context: LintContext, task: StaticTask) -> bool:
    """Whether the app is absent when a task is created too (True without a task scenario).

    At import nobody opens the task page: the defaults matter for tasks that get
    no preset. Once the preset tasks get turns the app on, the defaults alone are
    not reported (the ``task`` scenario says what a created task gets).
    """
    assert context.tree is not None
    scenario = next((s for s in context.scenarios if s.kind == "task"), None)
    if scenario is None:
        return True
    evaluator = Evaluator(context.tree, scenario)
    if evaluator.instances(task.task, task.module) in (0, None):
        return False
    return all(evaluator.absent_by(chain.app, chain.module) for chain in task.chains)


def _problem(task: StaticTask, detail: str) -> Problem:
    return Problem(
        f"`{task.task.address}`: {task.source} `{' '.join(task.app_ref.split())}` {detail}; "
        'the task page shows "Chat app not found"',
        task.task.location,
        task.task.address,
    )


def _absent(context: LintContext, chain: AppChain) -> str | None:
    """Why the chain's app has no instance in the context's scenario (None: it may have)."""
    assert context.analysis is not None
    found = context.analysis.evaluator.absent_by(chain.app, chain.module)
    if found is None:
        return None
    expr, module = found
    owner, kind = f"`{chain.app.address}`", "count"
    if expr is chain.app.for_each:
        kind = "for_each"
    elif expr is not chain.app.count:  # a module call above the app
        for call in module.calls.values():
            if expr is call.count or expr is call.for_each:
                owner = f"`{module.prefix}module.{call.name}` (which creates {owner})"
                kind = "count" if expr is call.count else "for_each"
    empty = "0" if kind == "count" else "empty"
    source = " ".join(expr_text(expr).split())
    return f"{owner} has {kind} = `{source}`, which is {empty}{_because(context, expr, module)}"


def _because(context: LintContext, expr: Expr | None, module: Module) -> str:
    """`` with parameter "chat" = "false"``: the scenario values the expression reads."""
    assert context.tree is not None
    probe = Evaluator(context.tree, context.scenario)
    probe.value(expr, module)
    said = []
    for (kind, key), value in probe.reads.items():
        shown = json.dumps(value) if isinstance(value, str | bool | int) else "unknown"
        if kind == "parameter":
            said.append(f'parameter "{key}" = {shown}')
        else:
            said.append(f"data.coder_{kind}.{key} = {shown}")
    return f" with {', '.join(said)}" if said else ""


RULE = Rule(
    id="AIT606",
    name="task-app-absent-in-scenario",
    severity="error",
    modes=("S",),
    summary="In some scenario the task exists but the app its app id names does not.",
    why=(
        "Chat apps are often optional: `count = data.coder_parameter.chat.value ? 1 : 0`. "
        "A task is created with the default preset (else the first) and no other input, and "
        "the template is imported with every parameter at its default; when the app is "
        "counted out there, the task still exists but its app id leads to nothing, and the "
        'task page shows "Chat app not found". Turn the app on in the preset tasks use, '
        "or make the task's own count follow the app's."
    ),
    bad=Example(
        """\
data "coder_parameter" "chat" {
  name    = "chat"
  type    = "bool"
  default = "false"
}

resource "coder_app" "chat" {
  count    = data.coder_parameter.chat.value ? 1 : 0
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat[count.index].id
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
data "coder_parameter" "chat" {
  name    = "chat"
  type    = "bool"
  default = "true"
}

resource "coder_app" "chat" {
  count    = data.coder_parameter.chat.value ? 1 : 0
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}

resource "coder_ai_task" "task" {
  count  = data.coder_parameter.chat.value ? 1 : 0
  app_id = coder_app.chat[count.index].id
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    per_scenario=True,
)
