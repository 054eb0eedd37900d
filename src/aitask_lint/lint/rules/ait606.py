"""AIT606 task-app-absent-in-scenario."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.analysis.absence import plan_fails, task_breaks
from aitask_lint.analysis.evaluate import Evaluator
from aitask_lint.analysis.tasks import StaticTask
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    tree = context.tree
    if context.scenario is None or context.analysis is None or tree is None:
        return
    evaluator = context.analysis.evaluator
    for task in context.tasks:
        detail = task_breaks(tree, evaluator, task)
        if detail is None:
            continue
        fails = plan_fails(evaluator, task)
        # see _breaks_for_tasks; an import whose plan fails is always reported
        if (
            evaluator.scenario_kind() == "import"
            and not fails
            and not _breaks_for_tasks(context, task)
        ):
            continue
        shown = "" if fails else '; the task page shows "Chat app not found"'
        yield Problem(
            f"`{task.task.address}`: {task.source} `{' '.join(task.app_ref.split())}` "
            f"{detail}{shown}",
            task.task.location,
            task.task.address,
        )


def _breaks_for_tasks(context: LintContext, task: StaticTask) -> bool:
    """Whether the app is missing when a task is created too (True without a task scenario).

    At import nobody opens the task page: the defaults matter for tasks that get
    no preset. Once the preset tasks get turns the app on, the defaults alone are
    not reported (the ``task`` scenario says what a created task gets).
    """
    assert context.tree is not None
    scenario = next((s for s in context.scenarios if s.kind == "task"), None)
    if scenario is None:
        return True
    return task_breaks(context.tree, Evaluator(context.tree, scenario), task) is not None


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
        'task page shows "Chat app not found". When the app id indexes the counted-out app '
        "(`coder_app.chat[count.index].id`) it is worse: Terraform fails the plan with "
        '"Invalid index", and at import the template version cannot be created. Turn the '
        "app on in the preset tasks use, or make the task's own count follow the app's."
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
