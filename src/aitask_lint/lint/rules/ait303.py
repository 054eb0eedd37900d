"""AIT303 task-module-version-unpinned."""

from __future__ import annotations

from collections.abc import Iterator

from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.catalog.catalog import admitted, catalog_key
from aitask_lint.model.catalog.versions import ConstraintError, format_version


def check(context: LintContext) -> Iterator[Problem]:
    for module in context.modules():
        if module.origin == "catalog":
            continue
        for call in module.calls.values():
            key = catalog_key(call.source)
            if key is None:
                continue
            try:
                ranges = admitted(key, call.version)
            except ConstraintError:
                continue
            exporting = [r for r in ranges if r.exports_task_app_id]
            lacking = [r for r in ranges if not r.exports_task_app_id]
            if not exporting or not lacking:
                continue
            without = ", ".join(r.label().split(" ", 1)[1] for r in lacking)
            constraint = f'version "{call.version}"' if call.version else "no version"
            yield Problem(
                f'module "{call.name}" ({key}) has {constraint}, which admits versions without '
                f"the task_app_id output ({without}); pin it, e.g. version = "
                f'"~> {format_version(exporting[-1].low)[:-2]}"',
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
        'module "claude-code" {\n  source  = "registry.coder.com/coder/claude-code/coder"\n'
        '  version = ">= 4.0"\n}\n'
    ),
    good=Example(
        'module "claude-code" {\n  source  = "registry.coder.com/coder/claude-code/coder"\n'
        '  version = "~> 4.3"\n}\n'
    ),
    check=check,
)
