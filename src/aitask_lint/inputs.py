"""Decide what an input path is, the way the contracts say, and load it.

A directory is a Terraform root module; a ``.tf``/``.tf.json`` file is that
file alone as the root module; any other file (or ``-``, standard input) is
Terraform JSON, a plan or a state.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from aitask_lint.model.config import ConfigTree

if TYPE_CHECKING:
    from aitask_lint.tfjson.loader import JsonSource, TerraformDocument


def is_hcl_path(path: str) -> bool:
    return os.path.isdir(path) or path.endswith((".tf", ".tf.json"))


def load_input(
    source: JsonSource | ConfigTree | TerraformDocument,
) -> ConfigTree | TerraformDocument:
    """Load a directory, a ``.tf``/``.tf.json`` file, plan/state JSON, bytes or a dict."""
    from aitask_lint.tfjson.loader import TerraformDocument, load_terraform_json, read_stdin

    if isinstance(source, TerraformDocument | ConfigTree):
        return source
    if isinstance(source, bytes | bytearray | Mapping):
        return load_terraform_json(source)
    path = os.fspath(source)
    if path == "-":
        return load_terraform_json(read_stdin(), name="<stdin>")
    if is_hcl_path(path):
        from aitask_lint.model.from_hcl import load_configuration

        return load_configuration(path)
    return load_terraform_json(path)
