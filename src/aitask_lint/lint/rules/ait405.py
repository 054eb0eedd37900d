"""AIT405 app-conflicting-arguments."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import where
from aitask_lint.lint.rule import Example, Problem, Rule

#: the provider's ConflictsWith declarations on coder_app
CONFLICTS = (
    ("url", "command"),
    ("healthcheck", "command"),
    ("subdomain", "command"),
    ("external", "healthcheck"),
    ("external", "command"),
    ("external", "subdomain"),
    ("external", "share"),
)


def check(context: LintContext) -> Iterator[Problem]:
    for app, module in context.resources("coder_app"):
        if module.origin == "catalog":
            continue
        present = set(app.attributes) | {block.type for block in app.blocks}
        for first, second in CONFLICTS:
            if first in present and second in present:
                yield Problem(
                    f"`{app.address}` sets both {first} and {second}; Terraform refuses the "
                    "plan: Conflicting configuration arguments: "
                    + ct.CONFLICTS_WITH(first, second),
                    where(app, first if first in app.attributes else None),
                    app.address,
                )


RULE = Rule(
    id="AIT405",
    name="app-conflicting-arguments",
    severity="error",
    modes=("S", "P"),
    summary="A coder_app sets arguments the provider declares conflicting.",
    why=(
        "An app is either a web app (url, subdomain, healthcheck) or a command, and an "
        "external app has no healthcheck, command, subdomain or sharing. The provider rejects "
        "combinations at plan time, even when the value is an explicit false."
    ),
    bad=Example(
        """\
resource "coder_app" "claude" {
  agent_id = coder_agent.main.id
  slug     = "claude"
  url      = "http://localhost:3284/"
  command  = "claude"
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
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.CONFLICTS_WITH.text,),
)
