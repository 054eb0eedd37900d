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
    Interval,
    Version,
    format_version,
    parse_constraint,
    parse_version,
)
from aitask_lint.model.config import Module, ProviderRequirement


def _features(context: LintContext) -> list[tuple[Version, str, str]]:
    """(provider version needed, feature, where) for what the template's own files use.

    The versions are the releases that added each type or argument, from the
    provider schema (the same data AIT108, AIT411 and AIT412 read). A catalog
    (registry) module's own features are covered by its own constraint, which
    :func:`_module_constraints` adds to the effective one.
    """
    schema = provider_schema()

    def added(kind: str, mode: Mode, field: str | None = None) -> Version:
        version = schema.added_in(kind, mode, field)
        assert version is not None  # the schema ships with the package
        return version

    needed: list[tuple[Version, str, str]] = []
    for module in context.modules():
        if module.origin == "catalog":
            continue
        for resource in module.resources.values():
            if resource.type == "coder_ai_task" and resource.mode == "managed":
                needed.append(
                    (added("coder_ai_task", "managed"), "coder_ai_task", resource.address)
                )
                if "app_id" in resource.attributes:
                    app_id = added("coder_ai_task", "managed", "app_id")
                    needed.append((app_id, "coder_ai_task.app_id", resource.address))
            if resource.type == "coder_task" and resource.mode == "data":
                needed.append((added("coder_task", "data"), 'data "coder_task"', resource.address))
    return needed


def _coder_requirement(module: Module) -> ProviderRequirement | None:
    for requirement in module.required_providers.values():
        source = requirement.source.lower().removeprefix("registry.terraform.io/")
        if source == "coder/coder" or (requirement.name == "coder" and not source):
            return requirement
    return None


def _module_constraints(context: LintContext) -> list[tuple[str, Interval]]:
    """(``module.x``: constraint, admitted versions) for every module below the root.

    Terraform intersects every module's ``required_providers`` constraint for a
    provider; a catalog module contributes its selected release's (and those of
    the modules it calls), as ``terraform init`` would install them.
    """
    found = []
    for module in context.modules():
        requirement = _coder_requirement(module) if module.path else None
        if requirement is None or not requirement.version:
            continue
        try:
            interval = parse_constraint(requirement.version)
        except ConstraintError:
            continue
        name = ".".join(f"module.{part}" for part in module.path)
        found.append((f'{name} "{requirement.version}"', interval))
    return found


def check(context: LintContext) -> Iterator[Problem]:
    if context.tree is None:
        return
    features = _features(context)
    if not features:
        return
    version, feature, where = max(features)
    requirement = _coder_requirement(context.tree.root)
    target = context.options.provider_version
    if target:
        try:
            if parse_version(target) < version:
                yield Problem(
                    f"{feature} ({where}) needs provider coder/coder >= "
                    f"{format_version(version)}, but the target provider version is {target}",
                    requirement.location if requirement else None,
                    None,
                )
        except ConstraintError:
            pass
        return
    modules = _module_constraints(context)
    effective = Interval()
    for _name, interval in modules:
        effective = effective.intersect(interval)
    if requirement is not None and requirement.version:
        try:
            effective = effective.intersect(parse_constraint(requirement.version))
        except ConstraintError:
            return
    if effective.low >= version:
        return  # the root, or a module it calls, keeps the old versions out
    names = ", ".join(name for name, _ in modules)
    needs = f"{format_version(version)}, which {feature} ({where}) needs"
    if requirement is None or not requirement.version:
        modules_too = (
            f", and the modules' constraints ({names}) admit versions older than"
            if modules
            else ", but"
        )
        yield Problem(
            f"no version constraint on the coder/coder provider{modules_too} "
            + (needs if modules else f"{feature} ({where}) needs >= {format_version(version)}")
            + f': add version = ">= {format_version(version)}" to required_providers',
            requirement.location if requirement else None,
            None,
            fix=_fix(context, version),
        )
        return
    together = f" (with the modules' constraints {names})" if modules else ""
    yield Problem(
        f'the coder/coder constraint "{requirement.version}"{together} admits versions older '
        f"than {needs}",
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
        "init` pick one where the template does not validate. Terraform intersects the "
        "constraints of the root and of every module it calls (a registry module: the release "
        "`terraform init` installs), so a task module that itself requires a new enough "
        "provider covers the template: the effective constraint is what is judged."
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
