"""aitask-lint: understand Coder workspace templates the way Coder does.

The public API is the names in ``__all__`` (see :mod:`aitask_lint.api` and
``docs/library.md``); every submodule is internal.

The public API is imported lazily so that ``import aitask_lint`` stays cheap:
a provisioner that only needs :func:`convert_state` should not pay for the
HCL parser, and the CLI should not pay for networkx before it needs a graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aitask_lint._version import __version__

if TYPE_CHECKING:
    from aitask_lint.analysis.tasks_document import AITaskEntry as AITask
    from aitask_lint.analysis.tasks_document import TasksDocument
    from aitask_lint.api import check, extract_ai_tasks, fix, list_rules, load
    from aitask_lint.autofix.engine import FixResult
    from aitask_lint.convert.api import convert_state
    from aitask_lint.convert.models import ConvertedState
    from aitask_lint.errors import ConversionError, InputError
    from aitask_lint.graph import dependency_graph
    from aitask_lint.graph.model import ResourceGraph
    from aitask_lint.lint.findings import Finding, Report, Severity
    from aitask_lint.lint.rule import Rule
    from aitask_lint.model.config import ConfigTree
    from aitask_lint.tfjson.loader import TerraformDocument, load_terraform_json

#: public name -> (module, name there)
_LAZY = {
    "check": "aitask_lint.api",
    "fix": "aitask_lint.api",
    "FixResult": "aitask_lint.autofix.engine",
    "extract_ai_tasks": "aitask_lint.api",
    "load": "aitask_lint.api",
    "list_rules": "aitask_lint.api",
    "Report": "aitask_lint.lint.findings",
    "Finding": "aitask_lint.lint.findings",
    "Severity": "aitask_lint.lint.findings",
    "AITask": "aitask_lint.analysis.tasks_document:AITaskEntry",
    "TasksDocument": "aitask_lint.analysis.tasks_document",
    "Rule": "aitask_lint.lint.rule",
    "ConfigTree": "aitask_lint.model.config",
    "ConversionError": "aitask_lint.errors",
    "convert_state": "aitask_lint.convert.api",
    "ConvertedState": "aitask_lint.convert.models",
    "InputError": "aitask_lint.errors",
    "dependency_graph": "aitask_lint.graph",
    "ResourceGraph": "aitask_lint.graph.model",
    "TerraformDocument": "aitask_lint.tfjson.loader",
    "load_terraform_json": "aitask_lint.tfjson.loader",
}

__all__ = [
    "AITask",
    "ConfigTree",
    "ConversionError",
    "ConvertedState",
    "Finding",
    "FixResult",
    "InputError",
    "Report",
    "ResourceGraph",
    "Rule",
    "Severity",
    "TasksDocument",
    "TerraformDocument",
    "__version__",
    "check",
    "convert_state",
    "dependency_graph",
    "extract_ai_tasks",
    "fix",
    "list_rules",
    "load",
    "load_terraform_json",
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'aitask_lint' has no attribute {name!r}")
    import importlib

    module_name, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module_name), attribute or name)
    globals()[name] = value
    return value
