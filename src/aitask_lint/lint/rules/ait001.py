"""AIT001 parse-error: a file that cannot be read or parsed.

The runner reports every load failure under this rule (HCL syntax errors,
invalid JSON, a JSON document that is not Terraform's, an unsupported
``format_version``, an unreadable module manifest) with the file, line and
column; the rule itself has nothing more to check.
"""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    return iter(())


RULE = Rule(
    id="AIT001",
    name="parse-error",
    severity="error",
    modes=("S", "P"),
    summary="A file cannot be read or parsed.",
    why=(
        "Terraform refuses the whole configuration when one file does not parse, so Coder "
        "cannot import the template. A broken file is never skipped silently: the finding "
        "names the file, line and column, and the run exits with status 2."
    ),
    bad=Example(
        """\
resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"

resource "docker_container" "workspace" {
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]
}
""",
        preamble=pre.PROVIDERS,
    ),
    good=Example(
        """\
resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}

resource "docker_container" "workspace" {
  image = "codercom/enterprise-base:ubuntu"
  env   = ["CODER_AGENT_TOKEN=${coder_agent.main.token}"]
}
""",
        preamble=pre.PROVIDERS,
    ),
    check=check,
)
