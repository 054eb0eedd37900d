"""AIT206 app-port-collision."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.lint.rules.ait204 import endpoint

_LOCAL = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1"})


def check(context: LintContext) -> Iterator[Problem]:
    analysis = context.analysis
    if analysis is None:
        return
    seen: dict[tuple[str, int], tuple[str, str | None]] = {}
    for app, module in context.resources("coder_app"):
        if context.never_exists(app, module):
            continue
        chain = analysis.chain(app, module)
        if chain.agent is None or chain.url is None:
            continue
        parsed = endpoint(chain.url)
        if parsed is None or parsed[1] not in _LOCAL or parsed[2] is None:
            continue
        key = (chain.agent.address, parsed[2])
        if key not in seen:
            seen[key] = (app.address, chain.slug)
            continue
        other, other_slug = seen[key]
        if chain.slug is not None and chain.slug == other_slug:
            continue  # one slug twice is AIT402's finding, which names the real fix
        yield Problem(
            f"`{app.address}` ({_slug(chain.slug)}) and `{other}` ({_slug(other_slug)}) both "
            f"point at localhost port {parsed[2]} on `{chain.agent.address}`: only one "
            "process can listen there",
            app.location,
            app.address,
        )


def _slug(slug: str | None) -> str:
    """The slug for the message; the port collides whatever the slug turns out to be."""
    return f"slug {slug!r}" if slug is not None else "slug not known statically"


RULE = Rule(
    id="AIT206",
    name="app-port-collision",
    severity="warning",
    modes=("S", "P"),
    summary="Two apps on one agent point at the same localhost port.",
    why=(
        "Only one process can listen on a port. Two AgentAPI-based modules on one agent both "
        "default to port 3284, and apps copied from one another keep the same url: the second "
        "server fails to start and both apps show the first server's chat. The collision "
        "does not depend on the slugs, so an app whose slug is not known statically (say, "
        "from a variable without a default) is compared too; two apps with the same known "
        "slug are AIT402's finding instead."
    ),
    bad=Example(
        """\
resource "coder_app" "claude" {
  agent_id = coder_agent.main.id
  slug     = "claude"
  url      = "http://localhost:3284/"
}

resource "coder_app" "goose" {
  agent_id = coder_agent.main.id
  slug     = "goose"
  url      = "http://localhost:3284/"
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
resource "coder_app" "claude" {
  agent_id = coder_agent.main.id
  slug     = "claude"
  url      = "http://localhost:3284/"
}

resource "coder_app" "goose" {
  agent_id = coder_agent.main.id
  slug     = "goose"
  url      = "http://localhost:3285/"
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    per_scenario=True,
)
