"""AIT308 module-source-missing."""

from __future__ import annotations

import os
from collections.abc import Iterator

from aitask_lint import coder_text as ct
from aitask_lint.lint import example_preambles as pre
from aitask_lint.lint.context import LintContext
from aitask_lint.lint.rule import Example, Problem, Rule
from aitask_lint.model.config import Module, ModuleCall


def _where(parent: Module, call: ModuleCall) -> tuple[str, int]:
    """The call's file relative to its module's directory and its line, as Terraform says it."""
    location = call.location
    if location is None:
        return "", 0
    base = parent.directory or os.path.dirname(location.path)
    return os.path.relpath(location.path, base), location.line


def _empty(call: ModuleCall) -> str:
    """What an empty module directory does: Terraform loads it, and rejects every argument."""
    text = f"the directory {call.source} holds no .tf or .tf.json file: an empty module"
    if not call.arguments:
        return text
    first = next(iter(call.arguments))
    return (
        f"{text}, which declares no variable, so Terraform fails with: "
        f"{ct.UNSUPPORTED_ARGUMENT()}: {ct.ARGUMENT_NOT_EXPECTED(first)}"
    )


def check(context: LintContext) -> Iterator[Problem]:
    for parent in context.modules():
        if parent.origin != "hcl":
            continue
        for call in parent.calls.values():
            address = f"{parent.prefix}module.{call.name}"
            if call.status == "loaded" and call.module is not None and not call.module.files:
                yield Problem(f'module "{call.name}": {_empty(call)}', call.location, address)
            elif call.status == "missing":
                file, line = _where(parent, call)
                yield Problem(
                    f'module "{call.name}": {call.reason}; Terraform fails with: '
                    f"{ct.UNREADABLE_MODULE_DIRECTORY()}: "
                    f"{ct.MODULE_DIRECTORY_NOT_READ(call.source, call.name, file, line)}",
                    call.location,
                    address,
                )


RULE = Rule(
    id="AIT308",
    name="module-source-missing",
    severity="error",
    modes=("S",),
    summary="A local module source names a directory that does not exist or holds no module.",
    why=(
        "A local `source` (`./...` or `../...`) is read from the template's own directory: "
        "`terraform init` stops when it does not exist, "
        "so the template cannot be imported. A directory without any .tf or .tf.json file "
        "is an empty module, which Terraform loads but which declares no variable, so every "
        "argument of the call is rejected; it usually means the module was not copied (a "
        "vendoring or packaging step that left it out, a path that moved)."
    ),
    bad=Example(
        """\
module "tools" {
  source   = "./modules/tools" # not in the template directory
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.WORKSPACE,
    ),
    good=Example(
        """\
module "tools" {
  source   = "./modules/tools"
  agent_id = coder_agent.main.id
}
""",
        preamble=pre.WORKSPACE,
        files=pre.TOOLS_MODULE,
    ),
    check=check,
    quotes=(ct.UNREADABLE_MODULE_DIRECTORY.text, ct.MODULE_DIRECTORY_NOT_READ.text),
)
