"""AIT306 module-unsupported-argument."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.module_calls import judged_calls
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    for judged in judged_calls(context):
        for name, expr in judged.call.arguments.items():
            if name in judged.variables:
                continue
            yield Problem(
                f'module "{judged.call.name}" ({judged.label}) has no variable "{name}"; '
                f"Terraform fails with: {ct.UNSUPPORTED_ARGUMENT()}: "
                f"{ct.ARGUMENT_NOT_EXPECTED(name)}",
                expr.name_location or expr.location or judged.call.location,
                judged.address,
            )


RULE = Rule(
    id="AIT306",
    name="module-unsupported-argument",
    severity="error",
    modes=("S",),
    summary="A module call passes an argument the module version does not declare.",
    why=(
        "Terraform accepts only the arguments a module declares as variables: any other name "
        "stops validate and plan, so the template cannot be "
        "imported. It never ignores the name or falls back to a default. Registry modules "
        "drop or rename inputs between releases (kiro 1.2.0 dropped `display_name`, agentapi "
        "wrappers differ in `subdomain` and `cli_app`), and a loose `version` constraint "
        "pulls the newest release in on the next workspace build, so the call is judged "
        "against that release."
    ),
    bad=Example(
        """\
module "kiro" {
  source       = "registry.coder.com/coder/kiro/coder"
  version      = "~> 1.1" # installs 1.2.1, which has no display_name
  agent_id     = coder_agent.main.id
  display_name = "Kiro IDE"
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
module "kiro" {
  source   = "registry.coder.com/coder/kiro/coder"
  version  = "~> 1.1"
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.UNSUPPORTED_ARGUMENT.text, ct.ARGUMENT_NOT_EXPECTED.text),
)
