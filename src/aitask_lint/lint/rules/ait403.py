"""AIT403 invalid-agent-name."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def message(name: str) -> str | None:
    """Coder's error for an agent name, or None when the name is valid."""
    return ct.agent_name_error(name)


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is not None:
        for agent, _module in context.resources("coder_agent"):
            text = message(agent.name)
            if text is not None:
                yield Problem(text, agent.location, agent.address)
        return
    for instance in context.instances_of("coder_agent"):
        text = message(str(instance.resource.get("name", "")))
        if text is not None:
            yield Problem(text, instance.location, instance.address)


RULE = Rule(
    id="AIT403",
    name="invalid-agent-name",
    severity="error",
    modes=("S", "P"),
    summary="A coder_agent's name (the resource name) is not a valid agent name.",
    why=(
        "Agent names appear in hostnames (CoderVPN DNS) and app URLs, so Coder refuses a "
        "template version whose agent resource is named with underscores or other "
        "characters outside letters, digits and single hyphens."
    ),
    bad=Example(
        """\
resource "coder_agent" "main_agent" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "workspace" {
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main_agent.token}"]
}
""",
        preamble=pre.PROVIDERS,
    ),
    good=Example(
        """\
resource "coder_agent" "main-agent" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "workspace" {
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main-agent.token}"]
}
""",
        preamble=pre.PROVIDERS,
    ),
    check=check,
    quotes=(ct.AGENT_NAME_UNDERSCORES.text, ct.AGENT_NAME_INVALID.text),
)
