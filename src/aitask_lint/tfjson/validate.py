"""Check a Terraform JSON document against the input schemas in ``schemas/``.

jsonschema is imported here, and this module is imported only when a
document is loaded, so commands that never read JSON do not pay for it.

The schemas describe the module tree recursively (``child_modules``,
``module_calls.*.module``), and jsonschema validates recursively with about
eight Python frames per level: a plan whose configuration nests about 100
modules deep would end in a RecursionError. So each module is validated on
its own, with the recursion cut at its children, and the module tree is
walked here without recursion. The result is the same set of checks; the
loader separately refuses trees deeper than ``MAX_MODULE_DEPTH``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from aitask_lint.jsonpos import make_pointer
from aitask_lint.resources import load_schema

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

PLAN_SCHEMA = "terraform-plan.schema.json"
STATE_SCHEMA = "terraform-state.schema.json"
_PLAN_ID = "https://aitask-lint.dev/schemas/terraform-plan.schema.json"


def _one_level(name: str) -> dict[str, Any]:
    """A schema whose module definitions stop at their children (validated separately)."""
    schema = copy.deepcopy(load_schema(name))
    definitions = schema.get("$defs", {})
    if "module" in definitions:
        definitions["module"]["properties"]["child_modules"]["items"] = {"type": "object"}
    if "module_call" in definitions:
        definitions["module_call"]["properties"]["module"] = {"type": "object"}
    return schema


@cache
def _validator(schema_name: str) -> Validator:
    """The validator of a whole document (``#``) or of one module (``#/$defs/...``)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(_one_level(name))) for name in (PLAN_SCHEMA, STATE_SCHEMA)
    )
    if schema_name.startswith("#"):
        return Draft202012Validator({"$ref": _PLAN_ID + schema_name}, registry=registry)
    return Draft202012Validator(_one_level(schema_name), registry=registry)


_ROOTS = {
    PLAN_SCHEMA: (
        (("planned_values", "root_module"), "#/$defs/module"),
        (("prior_state", "values", "root_module"), "#/$defs/module"),
        (("configuration", "root_module"), "#/$defs/config_module"),
    ),
    STATE_SCHEMA: ((("values", "root_module"), "#/$defs/module"),),
}


def module_tree(
    document: Any, schema_name: str
) -> Iterator[tuple[Mapping[str, Any], list[str | int], str, int]]:
    """Every module of the document, without recursion: (module, path, definition, depth).

    Root modules have depth 0; each ``child_modules`` / ``module_calls`` step adds one.
    """
    stack: list[tuple[Any, list[str | int], str, int]] = [
        (_get(document, list(keys)), list(keys), definition, 0)
        for keys, definition in reversed(_ROOTS[schema_name])
    ]
    while stack:
        module, path, definition, depth = stack.pop()
        if not isinstance(module, Mapping):
            continue
        yield module, path, definition, depth
        children: list[tuple[Any, list[str | int], str, int]] = []
        if definition == "#/$defs/module":
            listed = module.get("child_modules")
            if isinstance(listed, list):
                children = [
                    (child, [*path, "child_modules", position], definition, depth + 1)
                    for position, child in enumerate(listed)
                ]
        else:
            calls = module.get("module_calls")
            if isinstance(calls, Mapping):
                children = [
                    (
                        call.get("module") if isinstance(call, Mapping) else None,
                        [*path, "module_calls", name, "module"],
                        definition,
                        depth + 1,
                    )
                    for name, call in calls.items()
                ]
        stack.extend(reversed(children))


def _get(document: Any, keys: list[str | int]) -> Any:
    for key in keys:
        if not isinstance(document, Mapping):
            return None
        document = document.get(key)
    return document


@cache
def _fast_check(schema_name: str) -> Any:
    from aitask_lint.tfjson.fastschema import compile_schema

    return compile_schema(schema_name, load_schema)


def first_violation(document: Any, schema_name: str) -> tuple[str, str] | None:
    """Return ``(json_pointer, message)`` of the most relevant violation, or None.

    A valid document is accepted by the fast checker (:mod:`.fastschema`) in
    one pass; only an invalid one (or one too deep for it) is walked by
    jsonschema, for the message and the place.
    """
    try:
        if _fast_check(schema_name)(document):
            return None
    except RecursionError:
        pass  # the module-at-a-time walk below copes with any depth
    from jsonschema.exceptions import best_match

    error = best_match(_validator(schema_name).iter_errors(document))
    if error is not None:
        return make_pointer(list(error.absolute_path)), error.message
    for module, path, definition, depth in module_tree(document, schema_name):
        if depth == 0:
            continue  # validated with the document
        error = best_match(_validator(definition).iter_errors(module))
        if error is not None:
            return make_pointer([*path, *error.absolute_path]), error.message
    return None
