"""AIT403 invalid-agent-name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import (
    block_of,
    block_text,
    module_sources,
    names,
    prefix_range,
    traversals,
)
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Module, Resource


def message(name: str) -> str | None:
    """Coder's error for an agent name, or None when the name is valid."""
    return ct.agent_name_error(name)


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is not None:
        for agent, module in context.resources("coder_agent"):
            text = message(agent.name)
            if text is not None:
                yield Problem(text, agent.location, agent.address, fix=_rename(agent, module))
        return
    for instance in context.instances_of("coder_agent"):
        text = message(str(instance.resource.get("name", "")))
        if text is not None:
            yield Problem(text, instance.location, instance.address)


def _rename(agent: Resource, module: Module) -> Fix | None:
    """``coder_agent.a_b`` -> ``coder_agent.a-b``: the label, every reference in the module,
    and a ``moved`` block so Terraform moves the agent's state instead of replacing it.

    The agent's name is its resource label, so the name Coder validates and
    the address ``moved`` takes change together: ``from``/``to`` are the old
    and new resource addresses, local to the module the agent is declared in
    (where ``moved`` must be written).
    """
    old, new = agent.name, agent.name.replace("_", "-")
    if module.origin == "catalog" or message(new) is not None:
        return None
    if f"coder_agent.{new}" in module.resources:
        return None  # the new name is taken
    found = block_of(agent.location)
    if found is None:
        return None
    source, block = found
    header_end = source.text.index("{", source.offset(block.span.line, block.span.column))
    label = re.compile(r'"coder_agent"(\s+)"' + re.escape(old) + '"').search(
        source.text, source.offset(block.span.line, block.span.column), header_end
    )
    if label is None:
        return None
    rewrites: dict[str, Rewrite] = {source.path: Rewrite(source)}
    rewrites[source.path].replace(
        label.start(), label.end(), f'"coder_agent"{label.group(1)}"{new}"'
    )
    for other in module_sources(module.files):
        rewrite = rewrites.setdefault(other.path, Rewrite(other))
        for traversal in traversals(rewrite.source):
            if names(traversal, 2) == ("coder_agent", old):
                rewrite.replace(*prefix_range(rewrite.source, traversal, 2), f"coder_agent.{new}")
    moved = block_text(source, "moved", [f"from = coder_agent.{old}", f"to   = coder_agent.{new}"])
    end = source.line_range(block.span)[1]
    rewrites[source.path].replace(end, end, moved)
    return fix_of(
        "unsafe",
        f'rename the agent to "{new}" (references and a moved block included)',
        *rewrites.values(),
    )


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
    fix=FixDoc(
        what=(
            "Renames an agent whose name has underscores to the name with hyphens: the "
            "resource label, every reference to it in the module, and a `moved` block "
            "from the old address to the new one."
        ),
        applicability="unsafe",
        why=(
            "Unsafe: the agent's name is its resource label, and Coder shows and routes by it "
            "(hostnames, app URLs change). The `moved` block keeps Terraform from destroying "
            "and re-creating the agent (and its token) under the new address. No fix when "
            "the new name is taken or still invalid."
        ),
    ),
)
