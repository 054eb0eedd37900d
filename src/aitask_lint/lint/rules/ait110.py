"""AIT110 dependency-cycle."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.graph.config_graph import node_address
from aitask_lint.graph.model import ResourceGraph
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import ConfigTree
from aitask_lint.model.refs import target_of


def strongly_connected(graph: ResourceGraph) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components of more than one node or with a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in graph.successors:
        if start in index:
            continue
        work = [(start, iter(graph.successors[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.successors.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.successors.get(node, ()):
                    found.append(component)
    return found


def cycle_path(graph: ResourceGraph, component: list[str]) -> list[str]:
    """One cycle through the component, starting at its smallest node name."""
    members = set(component)
    start = min(component)
    path = [start]
    seen = {start}
    node = start
    while True:
        following = sorted(s for s in graph.successors.get(node, ()) if s in members)
        nxt = next((s for s in following if s == start and len(path) > 1), None)
        if nxt is None:
            nxt = next((s for s in following if s not in seen), following[0] if following else None)
        if nxt is None or nxt == start or nxt in seen:
            return path
        path.append(nxt)
        seen.add(nxt)
        node = nxt


def self_references(tree: ConfigTree) -> Iterator[Problem]:
    """Locals that read themselves: Terraform's own check, before any graph is built.

    The dependency graph has no self-loops (a resource's ``self`` and
    ``count.index`` are not edges), so ``locals { a = local.a }`` is found
    here, worded as ``terraform validate`` words it.
    """
    for module in tree.modules():
        for local in module.locals.values():
            for ref in local.value.refs:
                target = target_of(ref)
                if target.kind == "local" and target.name == local.name:
                    yield Problem(
                        f"{ct.SELF_REFERENCING_LOCAL()}: "
                        f"{ct.LOCAL_USES_ITSELF(f'local.{local.name}')} Terraform refuses to plan",
                        local.location,
                        f"{module.prefix}local.{local.name}",
                    )
                    break


def module_source_cycles(context: LintContext) -> Iterator[Problem]:
    """Local module sources that lead back to a directory already on the call chain.

    `terraform init` installs such a module inside itself until the path is too long
    (hashicorp/terraform#22648): the configuration cannot be initialised, so this is an
    error, named with the directories in order.
    """
    for module in context.modules():
        for call in module.calls.values():
            if call.status == "cycle":
                yield Problem(
                    f'module "{call.name}": {call.reason}; `terraform init` cannot install '
                    "a module that contains itself",
                    call.location,
                    f"{module.prefix}module.{call.name}",
                )


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is None:
        return
    yield from self_references(context.tree)
    yield from module_source_cycles(context)
    graph = context.reference_graph
    by_address = {r.address: r.location for r in context.tree.all_resources()}
    for module in context.tree.modules():  # a cycle of locals points at its first local
        for local in module.locals.values():
            by_address.setdefault(f"{module.prefix}local.{local.name}", local.location)
    for component in strongly_connected(graph):
        path = [node_address(node) for node in cycle_path(graph, component)]
        address = next((a for a in path if a in by_address), None)
        yield Problem(
            ct.CYCLE(", ".join(path)) + f" (and back to {path[0]}); Terraform refuses to plan",
            by_address[address] if address else None,
            address,
        )


#: a local AgentAPI module whose chat app waits for the script that receives the prompt
_CLAUDE_MODULE = """\
terraform {
  required_providers {
    coder = {
      source = "coder/coder"
    }
  }
}

variable "agent_id" {
  type = string
}

variable "prompt" {
  type    = string
  default = ""
}

resource "coder_script" "claude" {
  agent_id     = var.agent_id
  display_name = "Claude Code"
  run_on_start = true
  script       = "agentapi server --port 3284 -- claude -p '${var.prompt}'"
}

resource "coder_app" "claude" {
  agent_id   = var.agent_id
  slug       = "ccw"
  url        = "http://localhost:3284/"
  depends_on = [coder_script.claude]
  healthcheck {
    url       = "http://localhost:3284/status"
    interval  = 3
    threshold = 20
  }
}

output "task_app_id" {
  value = coder_app.claude.id
}
"""


RULE = Rule(
    id="AIT110",
    name="dependency-cycle",
    severity="error",
    modes=("S",),
    summary="The template's references form a cycle.",
    why=(
        "Terraform cannot order a cycle and fails the plan with `Error: Cycle: ...` (a "
        f"local that reads itself: `Error: {ct.SELF_REFERENCING_LOCAL.text}`). The "
        "classic AI-task cycle passes `coder_ai_task.x.prompt` into the module whose output "
        "is the same task's app_id, when the module's app depends on the prompt (for example "
        "an app that waits for the script the prompt is passed to). A local module whose "
        '`source` leads back to a directory already on its call chain (`source = "./"`) '
        "is a cycle too: `terraform init` cannot install it."
    ),
    bad=Example(
        """\
module "claude-code" {
  source   = "./modules/claude-code"
  agent_id = coder_agent.main.id
  prompt   = coder_ai_task.task.prompt
}

resource "coder_ai_task" "task" {
  app_id = module.claude-code.task_app_id
}
""",
        preamble=pre.WORKSPACE,
        files={"modules/claude-code/main.tf": _CLAUDE_MODULE},
    ),
    good=Example(
        """\
data "coder_task" "me" {}

module "claude-code" {
  source   = "./modules/claude-code"
  agent_id = coder_agent.main.id
  prompt   = data.coder_task.me.prompt
}

resource "coder_ai_task" "task" {
  app_id = module.claude-code.task_app_id
}
""",
        preamble=pre.WORKSPACE,
        files={"modules/claude-code/main.tf": _CLAUDE_MODULE},
    ),
    check=check,
    quotes=(ct.CYCLE.text, ct.SELF_REFERENCING_LOCAL.text, ct.LOCAL_USES_ITSELF.text),
)
