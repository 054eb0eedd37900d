"""The module calls a template author wrote, and the interface Terraform checks them against.

AIT306 (an argument the module does not declare) and AIT307 (a required
variable not passed) ask the same question of every ``module`` block: which
variables does the module Terraform will use declare, and which of them have
no default? For a module on disk that is its ``variable`` blocks; for a
registry module that is not on disk it is the catalog's release that
``terraform init`` would install, the newest one the ``version`` constraint
admits (what Coder's workspace builds download). Calls written inside a
catalog module are the registry's, not the author's, and a plan's
configuration has passed ``terraform validate`` already, so neither is judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aitask_lint.lint.context import LintContext
from aitask_lint.model.config import Module, ModuleCall


@dataclass(frozen=True)
class JudgedCall:
    """A module call with the interface of the module it resolves to."""

    parent: Module
    call: ModuleCall
    #: variable name -> required (declared without a default)
    variables: dict[str, bool]
    #: the module as the message names it: ``coder/claude-code 4.9.2, the newest release
    #: "~> 4.0" admits`` or ``./modules/tools``
    label: str

    @property
    def address(self) -> str:
        return f"{self.parent.prefix}module.{self.call.name}"


def _catalog_label(call: ModuleCall) -> str | None:
    from aitask_lint.model.catalog.catalog import catalog_key, selected

    key = catalog_key(call.source)
    entry = selected(key, call.version) if key is not None else None
    if entry is None:
        return None
    if call.version:
        return f'{key} {entry.text}, the newest release "{call.version}" admits'
    return f"{key} {entry.text}, the newest release (no version constraint)"


def judged_calls(context: LintContext) -> Iterator[JudgedCall]:
    """Every call the author wrote whose module Terraform would check it against."""
    for parent in context.modules():
        if parent.origin != "hcl":
            continue
        for call in parent.calls.values():
            child = call.module
            if child is None:
                continue
            if call.status == "catalog":
                label = _catalog_label(call)
                if label is None:
                    continue
            elif call.status == "loaded" and child.files:
                label = call.source
            else:  # an empty directory is AIT308's
                continue
            variables = {
                name: variable.default is None for name, variable in child.variables.items()
            }
            yield JudgedCall(parent, call, variables, label)
