"""AIT205 subdomain-requires-wildcard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import expr_text, task_apps, where
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Module, Resource
from aitask_lint.model.values import UNKNOWN

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
        if value is True:
            yield Problem(
                f"task app `{chain.app.address}` uses subdomain = true: {_CONSEQUENCE}",
                where(chain.app, "subdomain"),
                chain.app.address,
            )
        elif value is UNKNOWN:
            path = _may_be_true(analysis.resolver, chain.app, chain.module)
            if path is not None:
                yield Problem(
                    f"task app `{chain.app.address}` may use subdomain = true: {path} is not "
                    f"known statically, and when true, {_CONSEQUENCE}",
                    where(chain.app, "subdomain"),
                    chain.app.address,
                )


_CONSEQUENCE = (
    "the task page iframe stays blank unless the deployment sets CODER_WILDCARD_ACCESS_URL "
    "(say so with --wildcard-access-url or `wildcard-access-url = true`)"
)


def _may_be_true(resolver: Resolver, app: Resource, module: Module) -> str | None:
    """What decides whether an unknown ``subdomain`` is true, when one outcome is ``true``.

    The resolver keeps every branch the value can take (the caller's argument,
    never the default, when the caller passes one): ``var.x ? true : false``
    with ``var.x`` unknown can be true, ``data.coder_parameter.p.value`` alone
    says nothing either way and stays silent.
    """
    expression = app.attributes.get("subdomain")
    resolution = resolver.resolve(expression, module)
    for candidate in resolution.candidates:
        if candidate.kind == "literal" and candidate.value is True:
            through = " -> ".join(f"`{step}`" for step in candidate.via)
            return f"`subdomain = {expr_text(expression)}`" + (
                f" (through {through})" if through else ""
            )
    return None


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
        "Subdomain apps are reachable only when the deployment has a wildcard access URL, so "
        "on deployments without one the task's chat panel stays blank. AgentAPI serves its "
        "app on a subdomain unless told otherwise (`agentapi_subdomain`, default true); "
        "wrappers that have a `subdomain` input (claude-code 3.x-4.x, codex 3.x-4.x, copilot, "
        "opencode, aider 2.x, goose 2.1.x+) pass it on, and the value the template passes is "
        "the one judged, else the input's default; wrappers without one (gemini, auggie, "
        "cursor-cli, sourcegraph-amp, amazon-q 2.x-3.x, kiro-cli, codex before 3.0) always "
        "serve on a subdomain, whatever is passed. When the value is not known statically but "
        "one of its branches is true, the finding says the app may use a subdomain and why. "
        "Serve the app on a path (subdomain = false), or, when the deployment does set "
        "CODER_WILDCARD_ACCESS_URL, say so with --wildcard-access-url."
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
)
