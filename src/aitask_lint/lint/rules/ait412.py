"""AIT412 coder-unknown-argument."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.coder_schema import (
    admitted_versions,
    bad_reads,
    is_coder,
    newer_note,
    on_disk,
    removed_note,
    unsupported,
)
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.fixkit import REMOVAL, unknown_name_fix
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.catalog.provider_schema import provider_schema
from aitask_lint.model.catalog.versions import Interval, Version

#: AIT108 ai-task-unknown-argument judges the arguments of this type
_OWN_RULE = {("managed", "coder_ai_task")}


def _note(removed_in: Version | None, admitted: Interval, *, known: bool = False) -> str | None:
    """Why the name is unknown; None when every admitted release still has it."""
    schema = provider_schema()
    if known:
        return ""
    if removed_in is not None:
        if admitted.high <= removed_in:
            return None
        return removed_note(removed_in, schema)
    return newer_note(admitted, schema)


def check(context: LintContext) -> Iterator[Problem]:
    schema = provider_schema()
    admitted = admitted_versions(context)
    seen: set[tuple[str, int, int, str]] = set()

    def once(problem: Problem) -> bool:
        """A module called twice is one text: report each place once."""
        where = problem.location
        key = (where.path, where.line, where.column, problem.message) if where else None
        if key is None:
            return True
        if key in seen:
            return False
        seen.add(key)
        return True

    for module in context.modules():
        if not on_disk(module):
            continue
        for resource in module.resources.values():
            if not is_coder(resource) or (resource.mode, resource.type) in _OWN_RULE:
                continue
            type_schema = schema.type(resource.type, resource.mode)
            if type_schema is None:
                continue  # AIT411's
            for found in unsupported(resource, type_schema, schema):
                note = _note(found.removed_in, admitted, known=found.known)
                if note is None:
                    continue
                problem = Problem(
                    found.message + note,
                    found.location,
                    resource.address,
                    fix=unknown_name_fix(found.location, found.name, found.rename_to),
                )
                if once(problem):
                    yield problem
        for read in bad_reads(module, schema):
            removed = schema.removed_fields.get((read.resource.type, read.name))
            note = _note(removed[1] if removed else None, admitted)
            if note is None:
                continue
            problem = Problem(
                f"`{read.ref.text}`: {ct.UNSUPPORTED_ATTRIBUTE()}: "
                f"{ct.NO_SUCH_ARGUMENT_OR_ATTRIBUTE(read.name)}{read.suggestion}{note}",
                read.location,
                read.resource.address,
            )
            if once(problem):
                yield problem


RULE = Rule(
    id="AIT412",
    name="coder-unknown-argument",
    severity="error",
    modes=("S",),
    summary=(
        "A coder_* resource or data source sets an argument or block its type does not have, "
        "or an expression reads an attribute it does not export."
    ),
    why=(
        "Terraform checks every coder_* block, and every reference to one, against the coder "
        "provider's schema before it plans: a misspelt argument (`slugs` for `slug`), a value "
        "for a computed attribute (`token`), a nested block the type does not have, or a read "
        "of an attribute that does not exist (data.coder_workspace.me.namespace; the owner "
        "attributes that moved to data.coder_workspace_owner in 2.0.1) fails `terraform "
        "validate` and the template import. Judged on .tf files and their local modules, "
        "against the schema at every release up to v2.17.0 (a plan's configuration was "
        "accepted by the provider that planned it). Fix: use the name the schema has (the "
        "message suggests a close one), or drop it. coder_ai_task's own arguments are AIT108's."
    ),
    bad=Example(
        """\
resource "coder_env" "namespace" {
  agent_id = coder_agent.main.id
  name     = "WORKSPACE_NAMESPACE"
  value    = data.coder_workspace.me.namespace
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
resource "coder_env" "namespace" {
  agent_id = coder_agent.main.id
  name     = "WORKSPACE_NAMESPACE"
  value    = data.coder_workspace.me.name
}
""",
        preamble=pre.WORKSPACE,
    ),
    check=check,
    quotes=(
        ct.ARGUMENT_NOT_EXPECTED.text,
        ct.BLOCK_TYPE_NOT_EXPECTED.text,
        ct.NO_SUCH_ARGUMENT_OR_ATTRIBUTE.text,
    ),
    fix=REMOVAL,
)
