"""AIT304 module-not-loaded."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    for module in context.modules():
        for call in module.calls.values():
            if call.status in ("loaded", "catalog", "missing", "cycle"):
                continue  # a missing local directory is AIT308's, a source cycle AIT110's
            if module.origin == "plan" and call.status == "not-loaded":
                continue  # plans include every module they use
            # Not on disk and not in the catalog, or a module the linter declines to read
            # (outside the project root, nested past the limit, over the size budget):
            # Terraform accepts all of these, only the analysis through them is missing, so
            # the finding keeps the rule's severity and never fails a valid template.
            yield Problem(
                f'module "{call.name}": {call.reason}; analysis through it is incomplete',
                call.location,
                f"{module.prefix}module.{call.name}",
            )


RULE = Rule(
    id="AIT304",
    name="module-not-loaded",
    severity="info",
    modes=("S",),
    summary="A module's source is neither on disk nor in the known-module catalog.",
    why=(
        "The linter follows task references through modules. A remote module that is not "
        "installed (`terraform init` writes .terraform/modules) and not described by the "
        "catalog cannot be followed, so findings that depend on it are missing. The same holds "
        "for a module directory outside the project root (the enclosing git repository unless "
        "configured, see --project-root), which aitask-lint refuses to read so that a template "
        "cannot make it read arbitrary files, and for modules past the nesting or size limits "
        "(docs/limits.md): Terraform accepts them, so the finding stays informational. A local "
        "module directory that does not exist is AIT308; a cycle of module sources, which "
        "`terraform init` cannot install, is AIT110."
    ),
    bad=Example(
        """\
module "tools" {
  source   = "git::https://example.com/tools.git"
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
# vendored: a copy of the module in the template's directory
module "tools" {
  source   = "./modules/tools"
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.WORKSPACE,
        files=pre.TOOLS_MODULE,
    ),
    check=check,
)
