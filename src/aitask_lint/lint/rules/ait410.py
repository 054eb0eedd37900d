"""AIT410 agent-without-compute."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext, conversion_of
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    if context.has_values:
        state, _error = conversion_of(context)
        if state is None:
            return
        attached = {agent.name for resource in state.resources for agent in resource.agents}
        for instance in context.instances_of("coder_agent"):
            name = str(instance.resource.get("name", ""))
            if name not in attached:
                yield Problem(_message(instance.address), instance.location, instance.address)
        return
    if context.analysis is None or not context.is_template:
        return
    for agent, module in context.resources("coder_agent"):
        if context.never_exists(agent, module):
            continue  # no instance: nothing for Coder to drop
        if context.analysis.compute_of(agent) is None:
            reason = context.analysis.no_compute_reason(agent)
            yield Problem(_message(agent.address, reason), agent.location, agent.address)


def _message(address: str, reason: str | None = None) -> str:
    reason = reason or f"no managed non-coder resource depends on `{address}`"
    return (
        f"{reason}: Coder drops the agent and everything attached to it (use its token or "
        "init_script in the compute resource)"
    )


RULE = Rule(
    id="AIT410",
    name="agent-without-compute",
    severity="warning",
    modes=("S", "P"),
    summary="A coder_agent has no compute resource depending on it.",
    why=(
        "Coder attaches an agent to the closest managed resource that depends on it. An agent "
        "nothing depends on is silently dropped with its apps, scripts and envs: the "
        "workspace starts without it. A resource whose `count` is statically 0 or whose "
        "`for_each` is empty is not in the plan, so it does not count as the agent's compute."
    ),
    bad=Example(
        """\
resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "workspace" {
  image = "codercom/enterprise-base:ubuntu"
}
""",
        preamble=pre.PROVIDERS,
    ),
    good=Example(
        """\
resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "workspace" {
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]
}
""",
        preamble=pre.PROVIDERS,
    ),
    check=check,
    per_scenario=True,
)
