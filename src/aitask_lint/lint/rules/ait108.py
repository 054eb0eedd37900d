"""AIT108 ai-task-unknown-argument."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.coder_schema import unsupported
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.fixkit import REMOVAL, unknown_name_fix
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.catalog.provider_schema import provider_schema


def check(context: LintContext) -> Iterator[Problem]:
    schema = provider_schema()
    task_schema = schema.type("coder_ai_task", "managed")
    assert task_schema is not None  # the schema ships with the package
    for task, module in context.resources("coder_ai_task"):
        if module.origin == "catalog":
            continue
        for found in unsupported(task, task_schema, schema):
            yield Problem(
                found.message,
                found.location or task.location,
                task.address,
                fix=unknown_name_fix(found.location, found.name, found.rename_to),
            )


RULE = Rule(
    id="AIT108",
    name="ai-task-unknown-argument",
    severity="error",
    modes=("S",),
    summary="coder_ai_task sets an argument or block the provider does not accept.",
    why=(
        "coder_ai_task accepts only app_id and sidebar_app (plus Terraform's meta-arguments), "
        "as the provider's schema says; id, prompt and enabled are computed, and Terraform "
        "refuses a value for them. Public templates have been seen setting agent_id, "
        "display_name or timeout_minutes on the task, which Terraform rejects. Fix: remove "
        "the argument (the app's agent comes from the app itself)."
    ),
    bad=Example(
        """\
resource "coder_ai_task" "task" {
  count    = data.coder_workspace.me.start_count
  app_id   = coder_app.chat.id
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.CHAT_APP,
    ),
    good=Example(
        """\
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id
}
""",
        preamble=pre.CHAT_APP,
    ),
    check=check,
    quotes=(ct.ARGUMENT_NOT_EXPECTED.text, ct.CANNOT_CONFIGURE.text),
    fix=REMOVAL,
)
