"""AIT203 task-app-no-healthcheck."""

from __future__ import annotations

from collections.abc import Iterator

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
        'resource "coder_app" "chat" {\n  agent_id = coder_agent.main.id\n'
        '  url      = "http://localhost:3284/"\n}\n'
    ),
    good=Example(
        'resource "coder_app" "chat" {\n  agent_id = coder_agent.main.id\n'
        '  url      = "http://localhost:3284/"\n  healthcheck {\n'
        '    url       = "http://localhost:3284/status"\n    interval  = 3\n'
        "    threshold = 20\n  }\n}\n"
    ),
    check=check,
)
