"""AIT205 subdomain-requires-wildcard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aitask_lint.hcl import expressions as hx
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import expr_text, task_apps, where
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Expr, Module, Resource
from aitask_lint.values import UNKNOWN

if TYPE_CHECKING:
    from aitask_lint.analysis.resolve import Resolver


def check(context: LintContext) -> Iterator[Problem]:
    analysis = context.analysis
    if context.options.wildcard_access_url or analysis is None:
        return
    for chain in task_apps(context):
        value = analysis.value(chain.app, "subdomain", chain.module)
        if value is UNKNOWN:
            value = _planned(context, chain.app.address)
        if value is not True and not (
            value is UNKNOWN and _may_be_true(analysis.resolver, chain.app, chain.module)
        ):
            continue
        name, expression, module = _passed_from(context, chain.app, chain.module)
        location = (expression.location if expression else None) or where(chain.app, "subdomain")
        written = f"`{name} = {expr_text(expression)}`"
        if module is not chain.module:
            written += f' in the call of module "{chain.module.path[len(module.path)]}"'
        if value is True:
            set_by = f" (set by {written})" if module is not chain.module else ""
            message = f"uses subdomain = true{set_by}: {_CONSEQUENCE}"
        else:
            message = (
                f"may use subdomain = true: {written} is not known statically, and when "
                f"true, {_CONSEQUENCE}"
            )
        yield Problem(f"task app `{chain.app.address}` {message}", location, chain.app.address)


_CONSEQUENCE = (
    "the task page iframe stays blank unless the deployment sets CODER_WILDCARD_ACCESS_URL "
    "(say so with --wildcard-access-url or `wildcard-access-url = true`)"
)


def _may_be_true(resolver: Resolver, app: Resource, module: Module) -> bool:
    """Whether one of the values an unknown ``subdomain`` can take is ``true``.

    The resolver keeps every branch the value can take (the caller's argument,
    never the default, when the caller passes one): ``var.x ? true : false``
    with ``var.x`` unknown can be true, ``data.coder_parameter.p.value`` alone
    says nothing either way and stays silent.
    """
    resolution = resolver.resolve(app.attributes.get("subdomain"), module)
    return any(c.kind == "literal" and c.value is True for c in resolution.candidates)


def _passed_from(
    context: LintContext, app: Resource, module: Module
) -> tuple[str, Expr | None, Module]:
    """The expression the author wrote that decides ``subdomain``, up through module calls.

    ``subdomain = var.agentapi_subdomain`` inside AgentAPI, passed
    ``var.subdomain`` by its wrapper, passed ``var.on ? true : false`` by the
    template: the last is the one to show and point at (the one the author
    can change), not the catalog's line.
    """
    name, expression = "subdomain", app.attributes.get("subdomain")
    while (
        context.tree is not None
        and module.path
        and expression is not None
        and isinstance(expression.syntax, hx.Traversal)
        and expression.syntax.root == "var"
        and len(expression.syntax.steps) == 1
        and isinstance(expression.syntax.steps[0], hx.GetAttr)
    ):
        variable = expression.syntax.steps[0].name
        parent = context.tree.module_at(module.path[:-1])
        call = parent.calls.get(module.path[-1]) if parent is not None else None
        if parent is None or call is None or variable not in call.arguments:
            break  # the variable's default decides: this module's line is the one
        name, expression, module = variable, call.arguments[variable], parent
    return name, expression, module


def _planned(context: LintContext, address: str) -> object:
    """The app's planned ``subdomain`` when a plan gives it (one value for every instance)."""
    values = {
        instance.values.get("subdomain")
        for instance in context.instances_of("coder_app")
        if _INDEX.sub("", instance.address) == address
    }
    return values.pop() if len(values) == 1 and isinstance(next(iter(values)), bool) else UNKNOWN


#: ``[0]`` / ``["key"]`` instance keys, to match an instance to its configuration address
_INDEX = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]')


RULE = Rule(
    id="AIT205",
    name="subdomain-requires-wildcard",
    severity="info",
    modes=("S", "P"),
    summary="The task's app is served on a subdomain, which needs a wildcard access URL.",
    why=(
        "Subdomain apps are reachable only when the deployment has a wildcard access URL; "
        "AgentAPI serves its app on a subdomain unless its caller passes agentapi_subdomain = "
        "false. Wrappers that never pass it on (gemini, auggie, cursor-cli, sourcegraph-amp, "
        "kiro-cli, amazon-q 2.x-3.x, codex before 3.0, goose 2.0.x) keep the subdomain "
        "whatever the template passes; those with a subdomain input default to false, except "
        "goose 2.1.0-2.1.1 and claude-code 2.2.0, and the value the template passes is the "
        "one judged. On deployments without a wildcard access URL the task's chat panel stays "
        "blank. When the value is not known statically but one of its branches is true, the "
        "finding says the app may use a subdomain and why; either way it points at the "
        "argument the template passes, when one decides it. Serve the app on a path "
        "(subdomain = false), or, when the deployment does set CODER_WILDCARD_ACCESS_URL, say "
        "so with --wildcard-access-url."
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
