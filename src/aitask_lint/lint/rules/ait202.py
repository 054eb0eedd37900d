"""AIT202 task-app-no-agent."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import task_apps, where
from aitask_lint.lint.rule import Example, Problem, Rule

CODER_TEXT = ct.AGENT_WITHOUT_COMPUTE()


def check(context: LintContext) -> Iterator[Problem]:
    for chain in task_apps(context):
        for problem in chain.problems:
            if problem.kind in ("no-agent", "no-compute"):
                yield Problem(
                    f"task app `{chain.app.address}`: {problem.message} (Coder: {CODER_TEXT})",
                    where(chain.app, "agent_id"),
                    chain.app.address,
                )


RULE = Rule(
    id="AIT202",
    name="task-app-no-agent",
    severity="error",
    modes=("S", "P"),
    summary="The task's app is not attached to a live agent.",
    why=(
        "Coder attaches an app to the agent whose id it names, and keeps an agent only when a "
        "managed non-coder resource depends on it. Otherwise the agent is dropped together "
        'with its apps and the task page shows "Chat app not found". A resource whose `count` is '
        "statically 0 or whose `for_each` is empty is not in the plan, so it is not the agent's "
        "compute."
    ),
    bad=Example(
        """\
resource "docker_container" "workspace" {
  count = data.coder_workspace.me.start_count
  image = "codercom/enterprise-base:ubuntu"
  # the agent's token is not passed: nothing runs coder_agent.main
}
""",
        preamble=pre.TASK_APP_WITHOUT_COMPUTE,
    ),
    good=Example(
        """\
resource "docker_container" "workspace" {
  count = data.coder_workspace.me.start_count
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]
}
""",
        preamble=pre.TASK_APP_WITHOUT_COMPUTE,
    ),
    check=check,
    quotes=(ct.AGENT_WITHOUT_COMPUTE.text,),
    per_scenario=True,
)
