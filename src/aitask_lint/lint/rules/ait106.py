"""AIT106 ai-task-app-unresolved."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    for task in context.tasks:
        for problem in task.problems:
            if problem.kind in ("unresolved", "not-app"):
                yield Problem(
                    f"`{task.task.address}`: {problem.message}",
                    task.task.location,
                    task.task.address,
                )
            elif problem.kind == "literal" and not (context.has_values and problem.value):
                message = f"`{task.task.address}`: {problem.message}"
                if isinstance(problem.value, str) and problem.value:
                    message += "; Coder warns: " + ct.UNKNOWN_AI_TASK_APP_ID(problem.value)
                yield Problem(message, task.task.location, task.task.address)
    yield from _values(context)


def _values(context: LintContext) -> Iterator[Problem]:
    """Known ids: a task whose app_id no coder_app instance has."""
    if context.document is None:
        return
    apps = context.instances_of("coder_app")
    # only string ids can match (a mangled plan may hold a list or an object there)
    app_ids = {app.values["id"] for app in apps if isinstance(app.values.get("id"), str)}
    state = context.document.kind == "state"
    for instance in context.instances_of("coder_ai_task"):
        app_id = ct.task_app_id(instance.values)
        if not app_id:
            continue
        if app_id in app_ids:
            continue
        if not state and apps:
            continue  # plan: app ids are unknown until apply, no judgement
        yield Problem(
            f"`{instance.address}` names app id {app_id!r}, which no coder_app "
            f"{'in the state' if state else 'of the plan'} has; Coder warns: "
            + ct.UNKNOWN_AI_TASK_APP_ID(app_id),
            instance.location,
            instance.address,
        )


RULE = Rule(
    id="AIT106",
    name="ai-task-app-unresolved",
    severity="error",
    modes=("S", "P"),
    summary="The task's app id does not lead to a coder_app.",
    why=(
        "Coder links a task to the app whose id equals the task's app_id. When the reference "
        "names something that does not exist, the attribute of something other than a "
        "coder_app, or a literal no app can have, the build only logs `Unknown "
        'ai_task_app_id` and the task page shows a blank panel or "Chat app not found".'
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_agent.main.id
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
    quotes=(ct.UNKNOWN_AI_TASK_APP_ID.text,),
    per_scenario=True,
)
