"""AIT201 task-app-not-web."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import task_apps, where
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    for chain in task_apps(context):
        app = chain.app
        reasons = []
        if "command" in app.attributes:
            reasons.append("sets command (a terminal app)")
        if "url" not in app.attributes:
            reasons.append("has no url")
        if (
            context.analysis is not None
            and context.analysis.value(app, "external", chain.module) is True
        ):
            reasons.append("is external = true (opens outside Coder)")
        if reasons:
            yield Problem(
                f"task app `{app.address}` {' and '.join(reasons)}: the task page embeds the "
                "app in an iframe and needs a web app served through the agent",
                where(app, "command" if "command" in app.attributes else None),
                app.address,
            )


RULE = Rule(
    id="AIT201",
    name="task-app-not-web",
    severity="error",
    modes=("S", "P"),
    summary="The task's app is not a web app the task page can embed.",
    why=(
        "Coder shows the task's app in an iframe next to the workspace. A command app opens a "
        "terminal, an app without url has nothing to embed, and an external app opens "
        "outside Coder: the chat panel stays empty."
    ),
    bad=Example(
        """\
resource "coder_app" "chat" {
  agent_id = coder_agent.main.id
  slug     = "chat"
  command  = "claude"
}
""",
        preamble=pre.TASK_OF_CHAT,
    ),
    good=Example(
        """\
resource "coder_app" "chat" {
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}
""",
        preamble=pre.TASK_OF_CHAT,
    ),
    check=check,
    per_scenario=True,
)
