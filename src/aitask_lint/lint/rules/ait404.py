"""AIT404 duplicate-agent-name."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
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
                    ct.DUPLICATE_AGENT_NAME(agent.name) + f" (`{seen[key]}` and "
                    f"`{agent.address}`; names are compared ignoring case)",
                    agent.location,
                    agent.address,
                )
            seen.setdefault(key, agent.address)
        return
    for instance in sorted(context.instances_of("coder_agent"), key=lambda i: i.address):
        name = str(instance.resource.get("name", ""))
        if name.lower() in seen and seen[name.lower()] != instance.address.split("[")[0]:
            yield Problem(ct.DUPLICATE_AGENT_NAME(name), instance.location, instance.address)
        seen.setdefault(name.lower(), instance.address.split("[")[0])


def _gpu_module(agent: str) -> str:
    """A module with its own agent and container, its agent named ``agent``."""
    return (
        "terraform {\n  required_providers {\n    coder = {\n"
        '      source = "coder/coder"\n    }\n    docker = {\n'
        '      source = "kreuzwerker/docker"\n    }\n  }\n}\n\n'
        f'resource "coder_agent" "{agent}" {{\n  os   = "linux"\n  arch = "amd64"\n}}\n\n'
        'resource "docker_container" "gpu" {\n  image = "codercom/enterprise-base:ubuntu"\n'
        '  gpus  = "all"\n'
        f'  env   = ["CODER_AGENT_TOKEN=${{coder_agent.{agent}.token}}"]\n}}\n'
    )


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
        """\
resource "coder_agent" "dev" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "dev" {
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.dev.token}"]
}

module "gpu" {
  source = "./modules/gpu" # declares coder_agent "Dev"
}
""",
        preamble=pre.PROVIDERS,
        files={"modules/gpu/main.tf": _gpu_module("Dev")},
    ),
    good=Example(
        """\
resource "coder_agent" "dev" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "dev" {
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.dev.token}"]
}

module "gpu" {
  source = "./modules/gpu" # declares coder_agent "gpu"
}
""",
        preamble=pre.PROVIDERS,
        files={"modules/gpu/main.tf": _gpu_module("gpu")},
    ),
    check=check,
    quotes=(ct.DUPLICATE_AGENT_NAME.text,),
    per_scenario=True,
)
