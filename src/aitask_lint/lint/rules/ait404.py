"""AIT404 duplicate-agent-name."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    if context.tree is not None:
        if not context.is_template:
            return
        agents = sorted(context.resources("coder_agent"), key=lambda pair: pair[0].address)
        for agent, _module in agents:
            key = agent.name.lower()
            if key in seen:
                yield Problem(
                    f"duplicate agent name: {agent.name} (`{seen[key]}` and "
                    f"`{agent.address}`; names are compared ignoring case)",
                    agent.location,
                    agent.address,
                )
            seen.setdefault(key, agent.address)
        return
    for instance in sorted(context.instances_of("coder_agent"), key=lambda i: i.address):
        name = str(instance.resource.get("name", ""))
        if name.lower() in seen and seen[name.lower()] != instance.address.split("[")[0]:
            yield Problem(f"duplicate agent name: {name}", instance.location, instance.address)
        seen.setdefault(name.lower(), instance.address.split("[")[0])


RULE = Rule(
    id="AIT404",
    name="duplicate-agent-name",
    severity="error",
    modes=("S", "P"),
    summary="Two agents share a name, ignoring case.",
    why=(
        "Agent names must be unique without regard to case, to be unambiguous in coder_app "
        "URLs and CoderVPN hostnames. Agents in different modules with the same resource name "
        "collide too."
    ),
    bad=Example(
        'resource "coder_agent" "dev" {\n  os = "linux"\n}\n\nmodule "gpu" {\n'
        '  source = "./gpu" # declares coder_agent "Dev"\n}\n'
    ),
    good=Example('resource "coder_agent" "dev" {\n  os = "linux"\n}\n'),
    check=check,
    quotes=("duplicate agent name: %s",),
)
