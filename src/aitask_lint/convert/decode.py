"""Typed reads of resource ``values``, failing the way Coder's decoding fails.

Coder decodes each resource's ``values`` into Go structs with mapstructure:
``null`` becomes the zero value, JSON numbers convert to Go integer fields
(truncating), and a value of the wrong kind (a number for a string, a string
for a bool) is an error. :class:`AttributeReader` reproduces that, and its
errors carry mapstructure's wording so that ``decode app attributes: ...``
reads like Coder's message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

_GO_TYPE = {
    str: "string",
    bool: "bool",
    int: "float64",
    float: "float64",
    list: "slice",
    dict: "map",
}


class DecodeError(ValueError):
    """A value of the wrong kind for the Go field it decodes into."""


def _go_type(value: Any) -> str:
    for python_type, go_name in _GO_TYPE.items():
        if type(value) is python_type:
            return (
                "[]interface {}"
                if go_name == "slice"
                else ("map[string]interface {}" if go_name == "map" else go_name)
            )
    return type(value).__name__


def _unconvertible(key: str, expected: str, value: Any) -> DecodeError:
    return DecodeError(
        f"1 error(s) decoding:\n\n* '{key}' expected type '{expected}', "
        f"got unconvertible type '{_go_type(value)}', value: '{value}'"
    )


class AttributeReader:
    """Read ``values`` members as the Go types Coder's structs declare."""

    def __init__(self, values: Mapping[str, Any] | None) -> None:
        self.values: Mapping[str, Any] = values or {}

    def has(self, key: str) -> bool:
        return key in self.values

    def string(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        raise _unconvertible(key, "string", value)

    def optional_string(self, key: str) -> str | None:
        value = self.values.get(key)
        return None if value is None else self.string(key)

    def integer(self, key: str) -> int:
        value = self.values.get(key)
        if value is None:
            return 0
        if isinstance(value, bool):
            raise _unconvertible(key, "int", value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and math.isfinite(value):
            return int(value)
        raise _unconvertible(key, "int", value)

    def boolean(self, key: str) -> bool:
        value = self.values.get(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        raise _unconvertible(key, "bool", value)

    def blocks(self, key: str) -> list[AttributeReader]:
        """A nested block list (``healthcheck``, ``metadata``, ...)."""
        value = self.values.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise _unconvertible(key, "slice", value)
        readers = []
        for item in value:
            if item is not None and not isinstance(item, Mapping):
                raise _unconvertible(key, "struct", item)
            readers.append(AttributeReader(item))
        return readers

    def string_map(self, key: str) -> dict[str, str]:
        value = self.values.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise _unconvertible(key, "map[string]string", value)
        result: dict[str, str] = {}
        for name, item in value.items():
            if item is None:
                result[name] = ""
            elif isinstance(item, str):
                result[name] = item
            else:
                raise _unconvertible(f"{key}[{name}]", "string", item)
        return result


def clamp_int32(value: int) -> int:
    """Go's ``int32(x)`` conversion: wrap around like two's complement."""
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value >= 0x80000000 else value
