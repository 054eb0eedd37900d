"""Locate the JSON Schemas shipped with the package.

The schemas live in the repository's top-level ``schemas/`` directory (the
contract names that path). Wheels copy them into ``aitask_lint/schemas``; an
editable or source checkout reads them from the repository directly.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGED = Path(__file__).resolve().parent / "schemas"
_REPOSITORY = Path(__file__).resolve().parents[2] / "schemas"


def schema_dir() -> Path:
    """The directory holding the JSON Schemas."""
    return _PACKAGED if _PACKAGED.is_dir() else _REPOSITORY


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load one schema document by file name (cached for the process)."""
    with (schema_dir() / name).open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document
