"""Map a JSON Pointer back to the line and column where it sits in the text.

Used only when something is wrong (a schema violation, a finding about a JSON
object): the happy path parses with :func:`json.loads` at C speed and keeps no
positions, and this walks the text once, skipping every value that is not on
the pointer's path with the C decoder.
"""

from __future__ import annotations

import json

_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


def unescape_pointer(pointer: str) -> list[str]:
    """Split an RFC 6901 pointer into its unescaped reference tokens."""
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def escape_token(token: str | int) -> str:
    """Escape one reference token for an RFC 6901 pointer."""
    return str(token).replace("~", "~0").replace("/", "~1")


def make_pointer(tokens: list[str | int] | tuple[str | int, ...]) -> str:
    """Join tokens into an RFC 6901 pointer."""
    return "".join("/" + escape_token(token) for token in tokens)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """Turn a character offset into a 1-based (line, column)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def locate(text: str, pointer: str) -> tuple[int, int]:
    """Return the (line, column) of the value at ``pointer`` in ``text``.

    When the pointer leads nowhere (the document changed shape, or the path
    is of a missing key) the position of the deepest existing ancestor is
    returned, which is still the best place to point a user at.
    """
    index = _skip_ws(text, 0)
    for token in unescape_pointer(pointer):
        found = _child_offset(text, index, token)
        if found is None:
            break
        index = found
    return line_column(text, index)


def _child_offset(text: str, index: int, token: str) -> int | None:
    """Offset of the child ``token`` of the container starting at ``index``."""
    if index >= len(text):
        return None
    opener = text[index]
    try:
        if opener == "{":
            return _object_child(text, index, token)
        if opener == "[" and token.isdigit():
            return _array_child(text, index, int(token))
    except (json.JSONDecodeError, IndexError):
        return None
    return None


def _object_child(text: str, index: int, token: str) -> int | None:
    index = _skip_ws(text, index + 1)
    while index < len(text) and text[index] != "}":
        key, index = _DECODER.raw_decode(text, index)
        index = _skip_ws(text, index)
        index = _skip_ws(text, index + 1)  # the ':'
        if key == token:
            return index
        _, index = _DECODER.raw_decode(text, index)
        index = _skip_ws(text, index)
        if index < len(text) and text[index] == ",":
            index = _skip_ws(text, index + 1)
    return None


def _array_child(text: str, index: int, wanted: int) -> int | None:
    index = _skip_ws(text, index + 1)
    position = 0
    while index < len(text) and text[index] != "]":
        if position == wanted:
            return index
        _, index = _DECODER.raw_decode(text, index)
        index = _skip_ws(text, index)
        if index < len(text) and text[index] == ",":
            index = _skip_ws(text, index + 1)
        position += 1
    return None
