"""AIT403 invalid-agent-name."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.coder_text import AGENT_NAME, AGENT_NAME_REGEX, go_quote
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule

_VALID = AGENT_NAME


def message(name: str) -> str | None:
    """Coder's error for an agent name, or None when the name is valid."""
    if _VALID.match(name):
        return None
    if "_" in name:
        return (
            f"agent name {go_quote(name)} contains underscores which are no longer supported, "
            f"please use hyphens instead (regex: {go_quote(AGENT_NAME_REGEX)})"
        )
    return f"agent name {go_quote(name)} does not match regex {go_quote(AGENT_NAME_REGEX)}"


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
    quotes=(
        "agent name %q contains underscores which are no longer supported, please use hyphens "
        "instead (regex: %q)",
        "agent name %q does not match regex %q",
    ),
)
