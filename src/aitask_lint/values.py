"""The ``UNKNOWN`` sentinel: a value that cannot be known before apply.

Like the Coder provider, the analyses never guess: an expression that
depends on a variable without a default, a resource attribute or a function
result has the value :data:`UNKNOWN`, and rules judge only what they know.
"""

from __future__ import annotations

from typing import Final


class _Unknown:
    """Singleton type of :data:`UNKNOWN`."""

    __slots__ = ()
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


NIL_UUID = "00000000-0000-0000-0000-000000000000"
_HEX = frozenset("0123456789abcdefABCDEF")


def is_uuid(value: object) -> bool:
    """hashicorp/go-uuid ``ParseUUID``: 36 characters, hex with dashes at 8/13/18/23."""
    if not isinstance(value, str) or len(value) != 36:
        return False
    return all(
        char == "-" if index in (8, 13, 18, 23) else char in _HEX
        for index, char in enumerate(value)
    )
