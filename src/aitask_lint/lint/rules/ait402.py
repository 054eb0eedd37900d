"""AIT402 duplicate-app-slug."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.lint.rules.ait102 import _exclusive
from aitask_lint.lint.slugs import app_slug, instance_slug
from aitask_lint.model.config import Resource


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is not None and not context.has_values:  # values, when known, decide
        if not context.is_template:
            return
        seen: dict[str, Resource] = {}
        for app, module in context.resources("coder_app"):
            if app.for_each is not None:
                continue  # the slug usually comes from each.key / each.value
            if context.never_exists(app, module):
                continue
            slug = app_slug(context, app, module)
            if slug is None:
                continue
            first = seen.get(slug)
            if first is not None and not _exclusive(first, app):
                expr = app.attributes.get("slug")
                yield Problem(
                    ct.DUPLICATE_APP_SLUG(slug) + f" (`{first.address}` and `{app.address}`)",
                    (expr.location if expr else None) or app.location,
                    app.address,
                )
            else:
                seen.setdefault(slug, app)
        return
    slugs: dict[str, str] = {}
    for instance in context.instances_of("coder_app"):
        slug = instance_slug(instance)
        if slug in slugs:
            yield Problem(
                ct.DUPLICATE_APP_SLUG(slug) + f" (`{slugs[slug]}` and `{instance.address}`)",
                instance.location,
                instance.address,
            )
        slugs.setdefault(slug, instance.address)


RULE = Rule(
    id="AIT402",
    name="duplicate-app-slug",
    severity="error",
    modes=("S", "P"),
    summary="Two apps that can exist together share a slug.",
    why=(
        "Slugs identify apps in URLs, so Coder refuses a template version where two apps, on "
        "any agents, share one. Modules name their apps themselves: claude-code 3.x-4.x with "
        "cli_app = true adds a CLI app with the slug ccw-cli beside its web app ccw, so a "
        "template app with either slug collides with it."
    ),
    bad=Example(
        """\
resource "coder_app" "web" {
  agent_id = coder_agent.main.id
  slug     = "claude"
  url      = "http://localhost:3284/"
}

resource "coder_app" "cli" {
  agent_id = coder_agent.main.id
  slug     = "claude"
  command  = "claude"
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
resource "coder_app" "web" {
  agent_id = coder_agent.main.id
  slug     = "claude"
  url      = "http://localhost:3284/"
}

resource "coder_app" "cli" {
  agent_id = coder_agent.main.id
  slug     = "claude-cli"
  command  = "claude"
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.DUPLICATE_APP_SLUG.text,),
    per_scenario=True,
)
