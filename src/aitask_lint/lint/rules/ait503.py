"""AIT503 tasks-deprecated."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.findings import Severity
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.catalog.versions import ConstraintError, parse_version


def _severity(target: str | None) -> Severity | None:
    if not target:
        return None
    try:
        version = parse_version(target)
    except ConstraintError:
        return None
    if version >= (2, 37, 0):
        return "error"
    if version >= (2, 34, 0):
        return "warning"
    return None


def check(context: LintContext) -> Iterator[Problem]:
    severity = _severity(context.options.coder_version)
    target = context.options.coder_version
    status = (
        f"removed in Coder 2.37 (target {target})"
        if severity == "error"
        else "deprecated since Coder 2.34 and removed in 2.37"
    )
    message = f"Coder Tasks are {status}; plan the template's move away from coder_ai_task"
    if context.tree is not None:
        # a registry module's task counts like one on disk (it is located at the module
        # call): Coder removes the feature whoever declares the resource
        for task, _module in context.resources("coder_ai_task"):
            yield Problem(message, task.location, task.address, severity)
        return
    for instance in context.instances_of("coder_ai_task"):
        yield Problem(message, instance.location, instance.address, severity)


RULE = Rule(
    id="AIT503",
    name="tasks-deprecated",
    severity="info",
    modes=("S", "P"),
    summary="The template uses coder_ai_task, deprecated in Coder 2.34 and removed in 2.37.",
    why=(
        "Coder Tasks were deprecated in Coder 2.34 and removed in 2.37. The finding is "
        "informational by default and rises to a warning for a target Coder version of 2.34 "
        "or later (--coder-version), and to an error from 2.37. A task that a registry module "
        "creates (agentapi 1.x and the wrappers built on it) counts like one in the template, "
        "reported at the module call."
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id
}
""",
        preamble=pre.CHAT_APP,
        args=("--coder-version", "2.37.0"),
    ),
    good=Example(
        "# no coder_ai_task: users open coder_app.chat from the workspace page\n",
        preamble=pre.CHAT_APP,
        args=("--coder-version", "2.37.0"),
    ),
    check=check,
)
