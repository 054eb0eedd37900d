"""aitask-lint: understand Coder workspace templates the way Coder does.

The public API is imported lazily so that ``import aitask_lint`` stays cheap:
a provisioner that only needs :func:`convert_state` should not pay for the
HCL parser, and the CLI should not pay for networkx before it needs a graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from aitask_lint.convert.api import convert_state
    from aitask_lint.convert.models import ConvertedState
    from aitask_lint.errors import InputError
    from aitask_lint.graph import dependency_graph
    from aitask_lint.graph.model import ResourceGraph
    from aitask_lint.tfjson.loader import TerraformDocument, load_terraform_json

_LAZY = {
    "convert_state": "aitask_lint.convert.api",
    "ConvertedState": "aitask_lint.convert.models",
    "InputError": "aitask_lint.errors",
    "dependency_graph": "aitask_lint.graph",
    "ResourceGraph": "aitask_lint.graph.model",
    "TerraformDocument": "aitask_lint.tfjson.loader",
    "load_terraform_json": "aitask_lint.tfjson.loader",
}

__all__ = [
    "ConvertedState",
    "InputError",
    "ResourceGraph",
    "TerraformDocument",
    "__version__",
    "convert_state",
    "dependency_graph",
    "load_terraform_json",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'aitask_lint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
