"""AIT307 module-missing-required-argument."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.module_calls import judged_calls
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    for judged in judged_calls(context):
        for name, required in judged.variables.items():
            if not required or name in judged.call.arguments:
                continue
            yield Problem(
                f'module "{judged.call.name}" ({judged.label}) needs "{name}"; Terraform '
                f"fails with: {ct.MISSING_REQUIRED_ARGUMENT()}: {ct.ARGUMENT_REQUIRED(name)}",
                judged.call.location,
                judged.address,
            )


RULE = Rule(
    id="AIT307",
    name="module-missing-required-argument",
    severity="error",
    modes=("S",),
    summary="A module call does not pass a variable the module declares without a default.",
    why=(
        "A variable without a default must be set by every caller: Terraform stops validate "
        "and plan otherwise, so the template cannot be "
        "imported. Passing any value, even null, counts. For a registry module the variables "
        "are those of the release `terraform init` installs, the newest the `version` "
        "constraint admits."
    ),
    bad=Example(
        """\
module "git-clone" {
  source   = "registry.coder.com/coder/git-clone/coder"
  version  = "~> 2.0"
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
module "git-clone" {
  source   = "registry.coder.com/coder/git-clone/coder"
  version  = "~> 2.0"
  agent_id = coder_agent.main.id
  url      = "https://github.com/coder/coder"
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.MISSING_REQUIRED_ARGUMENT.text, ct.ARGUMENT_REQUIRED.text),
)
