"""Generate the JSON Schemas of aitask-lint's outputs from the pydantic models.

The files in ``schemas/`` are committed so that users (and other languages)
can validate our output without Python; ``tests/test_schemas.py`` fails when
they drift from the models. Regenerate with::

    python -m aitask_lint.schema_export
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_URI = "https://aitask-lint.dev/schemas/"


def _convert_state() -> dict[str, Any]:
    from aitask_lint.convert.models import ConvertedState

    return ConvertedState.model_json_schema(by_alias=True, mode="serialization")


def _tasks() -> dict[str, Any]:
    from aitask_lint.analysis.tasks_document import TasksDocument

    return TasksDocument.model_json_schema(mode="serialization")


def _report() -> dict[str, Any]:
    from pydantic import TypeAdapter

    from aitask_lint.lint.findings import NOT_SERIALISED, Report

    schema: dict[str, Any] = TypeAdapter(Report).json_schema(mode="serialization")
    for name in NOT_SERIALISED:  # run state for library callers, not in the JSON report
        schema["properties"].pop(name, None)
        if name in schema.get("required", []):
            schema["required"].remove(name)
    return schema


def _rules() -> dict[str, Any]:
    from pydantic import TypeAdapter

    from aitask_lint.lint.docs import RuleEntry

    schema: dict[str, Any] = TypeAdapter(list[RuleEntry]).json_schema(mode="serialization")
    return schema


#: output schema file name -> builder
GENERATED: dict[str, Callable[[], dict[str, Any]]] = {
    "convert-state.schema.json": _convert_state,
    "tasks.schema.json": _tasks,
    "report.schema.json": _report,
    "rules.schema.json": _rules,
}


def generated_schemas() -> dict[str, str]:
    """File name -> exact text of every generated schema."""
    texts: dict[str, str] = {}
    for name, build in GENERATED.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": BASE_URI + name,
            **build(),
        }
        texts[name] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return texts


def write(directory: Path) -> list[Path]:
    """Write every generated schema into ``directory``; return the paths written."""
    written = []
    for name, text in generated_schemas().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    from aitask_lint.resources import schema_dir

    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else schema_dir()):
        print(path)


if __name__ == "__main__":
    main()
