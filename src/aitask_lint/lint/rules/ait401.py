"""AIT401 invalid-app-slug."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.lint.slugs import app_slugs, instance_slug


def check(context: LintContext) -> Iterator[Problem]:
    if context.has_values:
        # plan/state values are what Coder validates: a slug computed from a variable counts
        for instance in context.instances_of("coder_app"):
            error = ct.app_slug_error(instance_slug(instance))
            if error is not None:
                yield Problem(error, instance.location, instance.address)
        return
    for app, slug, location in app_slugs(context):
        error = ct.app_slug_error(slug)
        if error is not None:
            yield Problem(error, location, app)


RULE = Rule(
    id="AIT401",
    name="invalid-app-slug",
    severity="error",
    modes=("S", "P"),
    summary="A coder_app slug does not match Coder's slug pattern.",
    why=(
        "Coder refuses the template version at import: slugs are lower-case letters and digits "
        "with single hyphens between them, because they appear in URLs and hostnames. The slug "
        "defaults to the resource name, so an underscore in the name is enough."
    ),
    bad=Example(
        """\
resource "coder_app" "claude_code" {
  agent_id = coder_agent.main.id
  url      = "http://localhost:3284/"
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
resource "coder_app" "claude_code" {
  agent_id = coder_agent.main.id
  slug     = "claude-code"
  url      = "http://localhost:3284/"
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.APP_SLUG_INVALID.text,),
    per_scenario=True,
)
