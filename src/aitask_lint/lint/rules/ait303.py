"""AIT303 task-module-version-unpinned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule

if TYPE_CHECKING:
    from aitask_lint.model.catalog.releases import CatalogVersion


def _spans(lacking: list[CatalogVersion], every: tuple[CatalogVersion, ...]) -> str:
    """The releases without the output, as runs: ``4.0.0 - 4.2.1``, ``>= 5.0.0``."""
    groups: list[list[CatalogVersion]] = []
    position = {r.version: i for i, r in enumerate(every)}
    for entry in lacking:
        if groups and position[entry.version] == position[groups[-1][-1].version] + 1:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    texts = []
    for group in groups:
        if group[-1].version == every[-1].version:
            texts.append(f">= {group[0].text}")
        elif len(group) == 1:
            texts.append(group[0].text)
        else:
            texts.append(f"{group[0].text} - {group[-1].text}")
    return ", ".join(texts)


def _pin(key: str, newest: CatalogVersion) -> str:
    """``~> 4.0`` when every 4.x release exports task_app_id, else ``~> 4.9``."""
    from aitask_lint.model.catalog.releases import admitted

    major, minor, _patch = newest.version
    if all(r.exports_task_app_id for r in admitted(key, f"~> {major}.0")):
        return f"~> {major}.0"
    return f"~> {major}.{minor}"


def check(context: LintContext) -> Iterator[Problem]:
    remote = [
        (module, call)
        for module in context.modules()
        if module.origin != "catalog"
        for call in module.calls.values()
        if not call.source.startswith(("./", "../"))
    ]
    if not remote:
        return  # the release catalog is loaded only for a template that calls a registry module
    from aitask_lint.model.catalog.releases import admitted, catalog_key, versions_of
    from aitask_lint.model.catalog.versions import ConstraintError

    for module, call in remote:
        key = catalog_key(call.source)
        if key is None:
            continue
        try:
            releases = admitted(key, call.version)
        except ConstraintError:
            continue
        exporting = [r for r in releases if r.exports_task_app_id]
        lacking = [r for r in releases if not r.exports_task_app_id]
        if not exporting or not lacking:
            continue
        constraint = f'version "{call.version}"' if call.version else "no version"
        yield Problem(
            f'module "{call.name}" ({key}) has {constraint}, which admits versions without '
            f"the task_app_id output ({_spans(lacking, versions_of(key))}); pin it, e.g. "
            f'version = "{_pin(key, exporting[-1])}"',
            call.location,
            f"{module.prefix}module.{call.name}",
        )


RULE = Rule(
    id="AIT303",
    name="task-module-version-unpinned",
    severity="warning",
    modes=("S",),
    summary="A task module's version constraint admits versions without task_app_id.",
    why=(
        "`terraform init` installs the newest version a constraint admits. With no version, or "
        "with `>= 4.0` on claude-code, the next release (5.x, which dropped task_app_id) breaks "
        "the template on its next import without any change to it."
    ),
    bad=Example(
        """\
variable "agent_id" {
  type = string
}

module "claude-code" {
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = ">= 4.0"
  agent_id = var.agent_id
}
"""
    ),
    good=Example(
        """\
variable "agent_id" {
  type = string
}

module "claude-code" {
  source   = "registry.coder.com/coder/claude-code/coder"
  version  = "~> 4.3"
  agent_id = var.agent_id
  workdir  = "/home/coder"
}
"""
    ),
    check=check,
)
