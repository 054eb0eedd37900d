"""AIT411 coder-unknown-type."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.coder_schema import (
    admitted_versions,
    is_coder,
    name_suggestion,
    newer_note,
    on_disk,
    removed_note,
)
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.catalog.provider_schema import Mode, provider_schema


def check(context: LintContext) -> Iterator[Problem]:
    schema = provider_schema()
    admitted = None
    for module in context.modules():
        if not on_disk(module):
            continue
        for resource in module.resources.values():
            if not is_coder(resource) or schema.type(resource.type, resource.mode):
                continue
            if (resource.mode, resource.type) in schema.added_later:
                continue
            if admitted is None:
                admitted = admitted_versions(context)
            removed = schema.removed.get((resource.mode, resource.type))
            if removed is not None and admitted.high <= removed.removed_in:
                continue  # every admitted release still has it
            other: Mode
            if resource.mode == "managed":
                summary, detail = ct.INVALID_RESOURCE_TYPE, ct.RESOURCE_TYPE_NOT_SUPPORTED
                other, other_hint = "data", ct.USE_DATA_SOURCE
            else:
                summary, detail = ct.INVALID_DATA_SOURCE, ct.DATA_SOURCE_NOT_SUPPORTED
                other, other_hint = "managed", ct.USE_MANAGED_RESOURCE
            message = f"{summary()}: {detail(schema.provider, resource.type)}"
            if schema.type(resource.type, other):  # Terraform's hint, and no other
                message += f" {other_hint(resource.type)}"
            else:
                suggestion = name_suggestion(resource.type, schema.names(resource.mode))
                if suggestion:
                    message += f" {ct.DID_YOU_MEAN(suggestion)}"
                if removed is not None:
                    message += removed_note(removed.removed_in, schema)
                else:
                    message += newer_note(admitted, schema)
            yield Problem(message, resource.location, resource.address)


RULE = Rule(
    id="AIT411",
    name="coder-unknown-type",
    severity="error",
    modes=("S",),
    summary="A resource or data block uses a coder_* type the coder provider does not have.",
    why=(
        "Terraform asks the coder/coder provider for the schema of every coder_* type before "
        "it plans; a type the provider does not have (a made-up coder_git_clone, a data source "
        "written as a resource, the coder_git_auth removed in 2.0.1) fails `terraform validate` "
        "and the template import. Judged on .tf files against the provider's schema at every "
        "release up to v2.17.0; types later releases are known to add (coder_script_order, "
        "coder_subagent_execution, data coder_workspace_ai_agent) are not reported. Fix: use "
        "the type the message suggests, the data source of that name, or a registry module "
        "(git-clone) for what the provider has no type for."
    ),
    bad=Example(
        """\
resource "coder_git_clone" "repo" {
  agent_id = coder_agent.main.id
  url      = "https://github.com/coder/coder"
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
resource "coder_script" "clone" {
  agent_id     = coder_agent.main.id
  display_name = "Clone the repository"
  run_on_start = true
  script       = "git clone https://github.com/coder/coder || true"
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(
        ct.RESOURCE_TYPE_NOT_SUPPORTED.text,
        ct.DATA_SOURCE_NOT_SUPPORTED.text,
        ct.USE_DATA_SOURCE.text,
    ),
)
