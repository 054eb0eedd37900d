"""AIT301 module-output-missing."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.helpers import module_expressions
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.refs import target_of


def check(context: LintContext) -> Iterator[Problem]:
    for module in context.modules():
        if module.origin == "catalog":
            continue
        for address, expr in module_expressions(module):
            for ref in expr.refs:
                target = target_of(ref)
                if target.kind != "module_output":
                    continue
                call = module.calls.get(target.name)
                if call is None or call.module is None:
                    continue
                if target.output in call.module.outputs:
                    continue
                origin = {
                    "catalog": f"{call.source} at version {call.version or '(latest)'}",
                }.get(call.status, call.source or "local module")
                yield Problem(
                    f'`{ref.text}`: module "{target.name}" ({origin}) declares no output '
                    f'"{target.output}"; Terraform fails with: '
                    + f"{ct.UNSUPPORTED_ATTRIBUTE()}: {ct.NO_SUCH_ATTRIBUTE(target.output)}",
                    expr.location,
                    address,
                )


RULE = Rule(
    id="AIT301",
    name="module-output-missing",
    severity="error",
    modes=("S",),
    summary="A reference names an output the module does not declare.",
    why=(
        "Wrapper modules export task_app_id only in some versions (claude-code 4.x does, 5.x "
        "does not). Referencing an output the installed version lacks fails the plan, so the "
        "template cannot be imported."
    ),
    bad=Example(
        """\
module "claude-code" {
  count    = data.coder_workspace.me.start_count
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = "5.0.0"
  agent_id = coder_agent.main.id
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = module.claude-code[count.index].task_app_id
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
module "claude-code" {
  count    = data.coder_workspace.me.start_count
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = "~> 4.3"
  agent_id = coder_agent.main.id
  workdir  = "/home/coder"
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = module.claude-code[count.index].task_app_id
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(ct.NO_SUCH_ATTRIBUTE.text,),
)
