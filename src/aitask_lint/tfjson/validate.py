"""Check a Terraform JSON document against the input schemas in ``schemas/``.

jsonschema is imported here, and this module is imported only when a
document is loaded, so commands that never read JSON do not pay for it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aitask_lint.jsonpos import make_pointer
from aitask_lint.resources import load_schema

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

PLAN_SCHEMA = "terraform-plan.schema.json"
STATE_SCHEMA = "terraform-state.schema.json"


@cache
def _validator(schema_name: str) -> Validator:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(load_schema(name))) for name in (PLAN_SCHEMA, STATE_SCHEMA)
    )
    return Draft202012Validator(load_schema(schema_name), registry=registry)


def first_violation(document: Any, schema_name: str) -> tuple[str, str] | None:
    """Return ``(json_pointer, message)`` of the most relevant violation, or None."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(schema_name).iter_errors(document))
    if error is None:
        return None
    pointer = make_pointer(list(error.absolute_path))
    return pointer, error.message
