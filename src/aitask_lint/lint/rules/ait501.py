"""AIT501 provider-constraint-too-low."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import fix_of
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import raise_provider
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.catalog.provider_schema import Mode, provider_schema
from aitask_lint.model.catalog.versions import (
    ConstraintError,
    Version,
    format_version,
    parse_constraint,
    parse_version,
)


def _features(context: LintContext) -> list[tuple[Version, str]]:
    """(provider version needed, feature) for what the template's own modules use.

    The versions are the releases that added each type or argument, from the
    provider schema (the same data AIT108, AIT411 and AIT412 read).
    """
    schema = provider_schema()

    def added(kind: str, mode: Mode, field: str | None = None) -> Version:
        version = schema.added_in(kind, mode, field)
        assert version is not None  # the schema ships with the package
        return version

    needed: list[tuple[Version, str]] = []
    for module in context.modules():
        if module.origin == "catalog":
            continue
        for resource in module.resources.values():
            if resource.type == "coder_ai_task" and resource.mode == "managed":
                needed.append((added("coder_ai_task", "managed"), "coder_ai_task"))
                if "app_id" in resource.attributes:
                    needed.append(
                        (added("coder_ai_task", "managed", "app_id"), "coder_ai_task.app_id")
                    )
            if resource.type == "coder_task" and resource.mode == "data":
                needed.append((added("coder_task", "data"), 'data "coder_task"'))
    return needed


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is None:
        return
    features = _features(context)
    if not features:
        return
    version, feature = max(features)
    requirement = context.tree.root.required_providers.get("coder")
    target = context.options.provider_version
    if target:
        try:
            if parse_version(target) < version:
                yield Problem(
                    f"{feature} needs provider coder/coder >= {format_version(version)}, but the "
                    f"target provider version is {target}",
                    requirement.location if requirement else None,
                    None,
                )
        except ConstraintError:
            pass
        return
    if requirement is None or not requirement.version:
        yield Problem(
            f"no version constraint on the coder/coder provider, but {feature} needs "
            f'>= {format_version(version)}: add version = ">= {format_version(version)}" to '
            "required_providers",
            requirement.location if requirement else None,
            None,
            fix=_fix(context, version),
        )
        return
    try:
        admitted = parse_constraint(requirement.version)
    except ConstraintError:
        return
    if admitted.low < version:
        yield Problem(
            f'the coder/coder constraint "{requirement.version}" admits versions older than '
            f"{format_version(version)}, which {feature} needs",
            requirement.location,
            None,
            fix=_fix(context, version),
        )


def _fix(context: LintContext, version: Version) -> Fix | None:
    raised = raise_provider(context, version)
    if raised is None:
        return None
    rewrite, constraint = raised
    return fix_of("unsafe", f'require coder/coder "{constraint}"', rewrite)


RULE = Rule(
    id="AIT501",
    name="provider-constraint-too-low",
    severity="warning",
    modes=("S",),
    summary="The coder provider constraint admits versions older than a feature needs.",
    why=(
        "coder_ai_task exists from provider 2.7.0, its app_id from 2.12.0 and data "
        '"coder_task" from 2.13.0. A constraint that admits older versions lets `terraform '
        "init` pick one where the template does not validate."
    ),
    bad=Example(
        """\
terraform {
  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.0"
    }
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id # app_id needs provider 2.12
}
""",
        preamble=pre.AGENT_AND_CHAT_APP,
    ),
    good=Example(
        """\
terraform {
  required_providers {
    coder = {
      source  = "coder/coder"
      version = ">= 2.12"
    }
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = coder_app.chat.id # app_id needs provider 2.12
}
""",
        preamble=pre.AGENT_AND_CHAT_APP,
    ),
    check=check,
    fix=FixDoc(
        what=(
            "Raises the lower bound of the `coder/coder` constraint in `required_providers` "
            "to the version the feature needs, in the constraint's own style (`>= 2.7.0` "
            'becomes `>= 2.12.0`, `~> 2.7` becomes `~> 2.12`), or adds `version = ">= ..."` '
            "when the entry has none."
        ),
        applicability="unsafe",
        why=(
            "Unsafe: `terraform init -upgrade` then installs a newer provider, whose other "
            "changes the template meets too. No fix when an upper bound excludes the version "
            "needed, or when only `--provider-version` is too old."
        ),
    ),
)
