"""AIT401 invalid-app-slug."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of, source_file
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import string_literal
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.lint.slugs import app_slugs, instance_slug
from aitask_lint.model.config import Location

_INVALID_RUN = re.compile(r"[^a-z0-9]+")


def check(context: LintContext) -> Iterator[Problem]:
    if context.has_values:
        # plan/state values are what Coder validates: a slug computed from a variable counts
        for instance in context.instances_of("coder_app"):
            error = ct.app_slug_error(instance_slug(instance))
            if error is not None:
                yield Problem(error, instance.location, instance.address)
        return
    slugs = list(app_slugs(context))
    taken = {slug for _app, slug, _location in slugs}
    for app, slug, location in slugs:
        error = ct.app_slug_error(slug)
        if error is not None:
            yield Problem(error, location, app, fix=_normalise(slug, location, taken))


def normalised(slug: str) -> str:
    """Coder's slug pattern from ``slug``: lower case, each run of other characters one ``-``."""
    return _INVALID_RUN.sub("-", slug.lower()).strip("-")


def _normalise(slug: str, location: Location | None, taken: set[str]) -> Fix | None:
    """The literal slug rewritten, when the result is valid and no other app has it."""
    new = normalised(slug)
    if not new or new in taken or ct.app_slug_error(new) is not None or location is None:
        return None
    source = source_file(location.path)
    if source is None:
        return None
    block = source.block_at(location)
    if block is not None:  # no slug argument: the slug is the resource name, which stays
        if block.type != "resource" or "slug" in block.body.attributes:
            return None
        first = next(iter(block.body.attributes.values()), None)
        if first is None:
            return None
        line = f"{source.indent_of(first.span.line)}slug = {string_literal(new)}"
        return fix_of(
            "unsafe",
            f'set slug = "{new}"',
            Rewrite(source).insert_lines(source.line_range(first.span)[1], [line]),
        )
    start, end = source.span_range(location)
    text = source.text[start:end]
    try:
        literal = text.startswith('"') and "${" not in text and json.loads(text) == slug
    except ValueError:
        literal = False
    if not literal:
        return None  # computed: the expression is the author's to change
    return fix_of(
        "unsafe",
        f'rename the slug to "{new}"',
        Rewrite(source).replace(start, end, string_literal(new)),
    )


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
    fix=FixDoc(
        what=(
            "Rewrites a literal slug to Coder's pattern: lower case, each run of other "
            'characters one `-` (`"Claude_Code"` becomes `"claude-code"`); an app without '
            "`slug` (named by its resource) gets one, and keeps its resource name."
        ),
        applicability="unsafe",
        why=(
            "Unsafe: the app's URL and anything that links to it by slug change. No fix when "
            "another app already has the new slug, or when the slug is computed."
        ),
    ),
)
