"""AIT302 task-app-id-not-app."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.analysis.resolve import Resolver
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is None:
        return
    resolver = Resolver(context.tree)
    for module in context.modules():
        output = module.outputs.get("task_app_id")
        if output is None or module.origin == "catalog":
            continue
        resolution = resolver.resolve(output.value, module)
        if resolution.resources("coder_app", "id"):
            continue
        if any(c.kind == "unknown" for c in resolution.candidates) and not resolution.problems:
            continue  # depends on something unknown: no judgement
        reasons = list(resolution.problems)
        for candidate in resolution.candidates:
            if candidate.kind == "literal":
                reasons.append(f"it evaluates to {candidate.value!r}")
            elif candidate.resource is not None:
                reasons.append(f"it leads to `{candidate.resource.address}.{candidate.attribute}`")
        where = f"module.{'.module.'.join(module.path)}" if module.path else "this module"
        yield Problem(
            f'output "task_app_id" of {where} does not lead to a coder_app id: '
            + ("; ".join(reasons) or "no coder_app is referenced"),
            output.location,
            f"{module.prefix}output.task_app_id",
        )


RULE = Rule(
    id="AIT302",
    name="task-app-id-not-app",
    severity="error",
    modes=("S",),
    summary="A module's task_app_id output does not lead to a coder_app id.",
    why=(
        "Templates pass a module's task_app_id straight to coder_ai_task.app_id; if the output "
        "is an agent id, a slug or an empty string, every template using the module gets a "
        "task without a chat app."
    ),
    bad=Example(
        'output "task_app_id" {\n  value = coder_app.agentapi_web.slug\n}\n',
        preamble=pre.AGENTAPI_MODULE,
    ),
    good=Example(
        'output "task_app_id" {\n  value = coder_app.agentapi_web.id\n}\n',
        preamble=pre.AGENTAPI_MODULE,
    ),
    check=check,
)
