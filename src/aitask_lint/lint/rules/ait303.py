"""AIT303 task-module-version-unpinned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from aitask_lint.lint.context import LintContext
from aitask_lint.lint.edits import Rewrite, fix_of
from aitask_lint.lint.findings import Fix
from aitask_lint.lint.fixkit import block_of, string_literal
from aitask_lint.lint.rule import Example, FixDoc, Problem, Rule
from aitask_lint.model.config import Location, ModuleCall

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
        pin = _pin(key, exporting[-1])
        misfit = _interface_misfit(call, admitted(key, pin)[-1])
        yield Problem(
            f'module "{call.name}" ({key}) has {constraint}, which admits versions without '
            f"the task_app_id output ({_spans(lacking, versions_of(key))}); pin it, e.g. "
            f'version = "{pin}"',
            call.location,
            f"{module.prefix}module.{call.name}",
            fix=_pinned(call.location, pin, misfit),
        )


def _interface_misfit(call: ModuleCall, release: CatalogVersion) -> str:
    """Why the pinned release would not take this call as written ("" when it would).

    The pin makes ``terraform init`` install ``release``: a required input the call
    does not pass (AIT307) or an argument the release does not declare (AIT306)
    would turn the warning into an error, so such a pin is not a safe fix.
    """
    declared = {variable.name: variable for variable in release.variables}
    missing = sorted(
        name
        for name, variable in declared.items()
        if variable.required and name not in call.arguments
    )
    unknown = sorted(name for name in call.arguments if name not in declared)
    reasons = []
    if missing:
        reasons.append(f"requires {', '.join(missing)}, which the call does not pass")
    if unknown:
        reasons.append(f"does not declare {', '.join(unknown)}, which the call passes")
    return f"{release.text} {' and '.join(reasons)}" if reasons else ""


def _pinned(location: Location | None, pin: str, misfit: str) -> Fix | None:
    """``version = "<pin>"`` in the module block: replaced, or added after ``source``."""
    found = block_of(location)
    if found is None:
        return None
    source, block = found
    version = block.body.attributes.get("version")
    rewrite = Rewrite(source)
    if version is not None:
        rewrite.replace_span(version.expression.span, string_literal(pin))
    else:
        origin = block.body.attributes.get("source")
        if origin is None:
            return None
        line = f"{source.indent_of(origin.span.line)}version = {string_literal(pin)}"
        rewrite.insert_lines(source.line_range(origin.span)[1], [line])
    if misfit:  # the call must change too: the author decides how
        return fix_of("unsafe", f'pin the module to version = "{pin}" ({misfit})', rewrite)
    return fix_of("safe", f'pin the module to version = "{pin}"', rewrite)


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
    fix=FixDoc(
        what=(
            "Sets the module's `version` to `~> N.M`, the newest release series in the "
            "catalog that exports `task_app_id` (added after `source` when there is none)."
        ),
        applicability="safe",
        why=(
            "Safe: every version the new constraint admits is one the old constraint admitted "
            "or the catalog's newest that exports the output the template reads, so "
            "`terraform init` can no longer pick a release without it. Unsafe when the "
            "release the pin installs needs an input the call does not pass, or lacks one it "
            "passes (AIT307, AIT306): the call has to change too, and the fix says which."
        ),
    ),
)
