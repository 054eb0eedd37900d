"""AIT205 subdomain-requires-wildcard."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import task_apps, where
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    if context.options.wildcard_access_url or context.analysis is None:
        return
    for chain in task_apps(context):
        if context.analysis.value(chain.app, "subdomain", chain.module) is True:
            yield Problem(
                f"task app `{chain.app.address}` uses subdomain = true: the task page iframe "
                "stays blank unless the deployment sets CODER_WILDCARD_ACCESS_URL (say so with "
                "--wildcard-access-url or `wildcard-access-url = true`)",
                where(chain.app, "subdomain"),
                chain.app.address,
            )


RULE = Rule(
    id="AIT205",
    name="subdomain-requires-wildcard",
    severity="info",
    modes=("S", "P"),
    summary="The task's app is served on a subdomain, which needs a wildcard access URL.",
    why=(
        "Subdomain apps are reachable only when the deployment has a wildcard access URL; "
        "the agentapi module and several wrappers built on it (auggie, sourcegraph-amp, "
        "cursor-cli) serve their app on a subdomain, so on deployments without one the task's "
        "chat panel stays blank. Serve the app on a path (subdomain = false), or, when the "
        "deployment does set CODER_WILDCARD_ACCESS_URL, say so with --wildcard-access-url."
    ),
    bad=Example(
        """\
resource "coder_app" "chat" {
  agent_id  = coder_agent.main.id
  slug      = "chat"
  url       = "http://localhost:3284/"
  subdomain = true
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}
""",
        preamble=pre.TASK_OF_CHAT,
    ),
    good=Example(
        """\
resource "coder_app" "chat" {
  agent_id  = coder_agent.main.id
  slug      = "chat"
  url       = "http://localhost:3284/"
  subdomain = false
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
