"""A fast yes/no check of a document against the input schemas in ``schemas/``.

jsonschema walks a schema generically, building an error context per node:
about 10 s for a 50 MB plan, more than the rest of a lint run. The input
schemas use a handful of keywords (``type``, ``properties``, ``required``,
``additionalProperties``, ``items``, ``anyOf``, ``enum``, ``pattern``,
``minLength`` and local ``$ref``), so :func:`compile_schema` turns a schema
into nested closures that answer only "valid or not", with jsonschema's
semantics for those keywords. A valid document (nearly every document) is
then accepted in one quick pass; an invalid one is handed to jsonschema, whose
``best_match`` explains what is wrong and where, exactly as before.

A keyword this compiler does not know raises :class:`UnsupportedSchemaError`, so a
schema that grows past it fails loudly in the tests rather than checking less.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

#: keywords that only document a schema
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "default"})
_SUPPORTED = _ANNOTATIONS | {
    "$defs",
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "anyOf",
    "enum",
    "pattern",
    "minLength",
}


class UnsupportedSchemaError(ValueError):
    """The schema uses a keyword the fast checker does not implement."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": _is_integer,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


#: JSON types whose Python values are told apart by isinstance alone
_PLAIN_TYPES: dict[str, type] = {
    "object": dict,
    "array": list,
    "string": str,
    "null": type(None),
}


def _type_check(names: list[str]) -> Check:
    """``type``: one isinstance when the types allow it (the common case), else each test."""
    if all(name in _PLAIN_TYPES for name in names):
        classes = tuple(_PLAIN_TYPES[name] for name in names)
        return lambda value: isinstance(value, classes)
    kinds = [_TYPES[name] for name in names]
    return lambda value: any(kind(value) for kind in kinds)


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a plain loop: all() over a generator is slower
            if not check(value):
                return False
        return True

    return every


def _always(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


def _same(a: Any, b: Any) -> bool:
    """JSON equality, as jsonschema's ``enum`` sees it (``true`` is not ``1``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


class _Compiler:
    def __init__(self, load: Callable[[str], Mapping[str, Any]]) -> None:
        self.load = load
        self.refs: dict[tuple[str, str], Check] = {}

    def ref(self, reference: str, document: str) -> Check:
        """A ``$ref`` to ``[file]#/$defs/<name>``, compiled once (schemas are recursive)."""
        name, _hash, pointer = reference.partition("#")
        name = name or document
        key = (name, pointer)
        if key not in self.refs:
            if not pointer.startswith("/$defs/"):
                raise UnsupportedSchemaError(f"$ref {reference!r}")
            target = self.load(name)["$defs"][pointer[len("/$defs/") :]]
            compiled: list[Check] = []

            def forward(value: Any) -> bool:  # resolved below; recursion meets it first
                return compiled[0](value)

            self.refs[key] = forward
            compiled.append(self.schema(target, name))
        return self.refs[key]

    def schema(self, schema: Any, document: str) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        unknown = set(schema) - _SUPPORTED
        if unknown:
            raise UnsupportedSchemaError(", ".join(sorted(unknown)))
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"], document))
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            checks.append(_type_check(names))
        if "enum" in schema:
            options = list(schema["enum"])
            checks.append(lambda value: any(_same(value, option) for option in options))
        if "pattern" in schema:
            search = re.compile(schema["pattern"]).search
            checks.append(lambda value: not isinstance(value, str) or search(value) is not None)
        if "minLength" in schema:
            least = schema["minLength"]
            checks.append(lambda value: not isinstance(value, str) or len(value) >= least)
        if "required" in schema:
            required = list(schema["required"])
            checks.append(
                lambda value: not isinstance(value, dict) or all(key in value for key in required)
            )
        if "properties" in schema or "additionalProperties" in schema:
            checks.append(self.members(schema, document))
        if "items" in schema:
            item = self.schema(schema["items"], document)

            def items(value: Any) -> bool:
                if isinstance(value, list):
                    for entry in value:
                        if not item(entry):
                            return False
                return True

            checks.append(items)
        if "anyOf" in schema:
            options_checks = [self.schema(option, document) for option in schema["anyOf"]]
            checks.append(lambda value: any(option(value) for option in options_checks))
        return _all_of(checks)

    def members(self, schema: Mapping[str, Any], document: str) -> Check:
        properties = {
            name: self.schema(sub, document) for name, sub in schema.get("properties", {}).items()
        }
        extra = schema.get("additionalProperties", True)
        additional = None if extra is True else self.schema(extra, document)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, member in value.items():
                known = properties.get(key)
                if known is not None:
                    if not known(member):
                        return False
                elif additional is not None and not additional(member):
                    return False
            return True

        return check


def compile_schema(name: str, load: Callable[[str], Mapping[str, Any]]) -> Check:
    """A function telling whether a document is valid against schema file ``name``.

    ``load`` reads a schema by file name (``$ref`` may name another file).
    """
    return _Compiler(load).schema(load(name), name)
