"""The text of HCL strings and heredocs: escapes, indentation, template sequences.

Pure functions on text, apart from the lark tree: the visitor
(:mod:`aitask_lint.hcl.visitor`) calls them with the raw token text and
turns :class:`InvalidEscapeError` into Terraform's located error.
"""

from __future__ import annotations

import re

_ESCAPES = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class InvalidEscapeError(ValueError):
    """A ``\\u``/``\\U`` escape naming no character UTF-8 can encode (a surrogate, or past
    U+10FFFF): Terraform refuses the file, and Python could not print the string."""

    def __init__(self, offset: int, code: int) -> None:
        super().__init__(f"Invalid escape sequence: Cannot encode character U+{code:04x} in UTF-8.")
        self.offset = offset


def unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) or match.group(2):
            code = int(match.group(1) or match.group(2), 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise InvalidEscapeError(match.start(), code)
            return chr(code)
        char = match.group(3)
        return _SIMPLE_ESCAPES.get(char, "\\" + char)

    return _ESCAPES.sub(replace, text) if "\\" in text else text


def closing_brace(text: str, start: int) -> int:
    """The index of the ``}`` closing a template sequence opened before ``start``."""
    depth = 0
    index = start
    quoted = False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1


def common_indent(body: str) -> int:
    indents = [len(line) - len(line.lstrip(" \t")) for line in body.split("\n") if line.strip()]
    return min(indents, default=0)


def dedent(text: str, indent: int, *, at_line_start: bool) -> str:
    if not indent:
        return text
    lines = text.split("\n")
    out = []
    for position, line in enumerate(lines):
        if position > 0 or at_line_start:
            removable = len(line) - len(line.lstrip(" \t"))
            out.append(line[min(indent, removable) :])
        else:
            out.append(line)
    return "\n".join(out)
