"""AIT203 task-app-no-healthcheck."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import task_apps
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    for chain in task_apps(context):
        if not chain.app.blocks_of("healthcheck"):
            yield Problem(
                f"task app `{chain.app.address}` has no healthcheck block: Coder cannot tell "
                "when the chat is ready (AgentAPI serves /status for this)",
                chain.app.location,
                chain.app.address,
            )


RULE = Rule(
    id="AIT203",
    name="task-app-no-healthcheck",
    severity="warning",
    modes=("S", "P"),
    summary="The task's app has no healthcheck.",
    why=(
        "Without a healthcheck Coder considers the app ready at once, and the task page loads "
        "the iframe before AgentAPI listens: users see a connection error until they reload. "
        "AgentAPI answers on /status."
    ),
    bad=Example(
        """\
resource "coder_app" "chat" {
  agent_id = coder_agent.main.id
  slug     = "chat"
  url      = "http://localhost:3284/"
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
